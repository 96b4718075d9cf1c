package dev.takeover.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.action.Action;
import dev.takeover.action.Action.SendAdvert;
import dev.takeover.action.GroupState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Sync groups in the state-machine simulation: two or three nodes, each with the same sync group of
 * two or three members (one VRID each), over a simulated network with random delays. Members get
 * random priorities per node (so their orders can disagree between nodes, which makes keepalived's
 * sync groups flap), random faults and priority adjustments; nodes crash and restart, and adverts
 * are lost, during a chaos phase; then the network is stable. Asserted:
 *
 * <ul>
 *   <li>at every instant, on every node, the members are all MASTER or none is (they never split on
 *       a node: the engine settles the set in the same turn as the event);
 *   <li>after the network is stable, never two nodes master of the set for longer than one
 *       Master_Down_Interval (the members never split between nodes outside a transition);
 *   <li>in the end exactly one node holds the whole set when any live node has no fault, and it is
 *       the one whose first member has the highest effective priority.
 * </ul>
 *
 * The fake clock starts just below {@link Long#MAX_VALUE}, so it wraps during a run.
 */
class SyncGroupSimulationTest {
  private static final long MS = 1_000_000L;
  private static final long INTERVAL = 100 * MS;
  private static final int CENTIS = 10;
  private static final long CHAOS = 8_000 * MS;
  private static final long END = 14_000 * MS;
  private static final String[] NAMES = {"A", "B", "C"};

  @Test
  void membersNeverSplitBetweenNodesOutsideATransition() {
    int runs = 0;
    int splitChecks = 0;
    int dualEpisodes = 0;
    int faultedEnds = 0;
    int followedTransitions = 0;
    for (long seed = 1; seed <= 100; seed++) {
      Simulation s = new Simulation(seed);
      s.run();
      runs++;
      splitChecks += s.checks;
      dualEpisodes += s.dualEpisodes;
      followedTransitions += s.follows;
      if (s.nodes.stream().anyMatch(n -> n.live && !n.ownFaults.isEmpty())) {
        faultedEnds++;
      }
    }
    assertThat(runs).isEqualTo(100);
    assertThat(splitChecks).as("instants checked").isGreaterThan(100_000);
    assertThat(followedTransitions).as("follower claims and handovers").isPositive();
    assertThat(faultedEnds).as("runs ending with a faulted node").isPositive();
    assertThat(dualEpisodes).as("short dual-master episodes after stable").isNotNegative();
  }

  private record Packet(long at, long seq, int from, int group, int priority) {}

  private static final class Node {
    final int index;
    final InetAddress address;
    final int[] priorities;
    final Map<String, Set<String>> ownFaults = new LinkedHashMap<>(); // member -> causes
    final Map<String, Integer> adjustments = new LinkedHashMap<>(); // member -> delta
    boolean live = true;
    List<GroupPolicy> groups;
    SyncGroup sync;

    Node(int index, int[] priorities) {
      this.index = index;
      this.address = InetAddress.ofLiteral("198.18.0." + (10 + index * 60));
      this.priorities = priorities;
    }
  }

  private static final class Simulation {
    final Random random;
    final long t0 = Long.MAX_VALUE - 3_000 * MS;
    final int members;
    final List<Node> nodes = new ArrayList<>();
    final PriorityQueue<Packet> network =
        new PriorityQueue<>(
            (a, b) -> a.at - b.at != 0 ? Long.signum(a.at - b.at) : Long.compare(a.seq, b.seq));
    long seq;
    long now;
    int checks;
    int dualEpisodes;
    int follows;
    long dualSince;
    boolean dual;

    Simulation(long seed) {
      random = new Random(seed);
      members = 2 + random.nextInt(2);
      int count = 2 + random.nextInt(2);
      for (int i = 0; i < count; i++) {
        int[] p = new int[members];
        for (int m = 0; m < members; m++) {
          p[m] = 50 + random.nextInt(200);
        }
        nodes.add(new Node(i, p));
      }
      nodes.forEach(this::start);
    }

    void start(Node n) {
      n.live = true;
      n.groups = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (int m = 0; m < members; m++) {
        VrrpParams params = new VrrpParams(50 + m, n.priorities[m], INTERVAL, true, 0L, n.address);
        n.groups.add(
            new GroupPolicy(
                new VrrpMachine(params),
                new GroupPolicy.Settings(20 * MS, 1, 5 * MS, 0, Set.of())));
        names.add(NAMES[m]);
      }
      n.sync = new SyncGroup("LB", names);
      for (int m = 0; m < members; m++) {
        GroupPolicy g = n.groups.get(m);
        g.setFollower(m > 0);
        // Faults and adjustments belong to the node: reported again before startup.
        for (String cause : n.ownFaults.getOrDefault(NAMES[m], Set.of())) {
          g.report(new PriorityCause.Check(cause), new Impact.Fault(), true, now);
        }
        Integer delta = n.adjustments.get(NAMES[m]);
        if (delta != null) {
          g.report(new PriorityCause.Check("adj"), new Impact.Adjust(delta), true, now);
        }
      }
      for (int m = 0; m < members; m++) {
        carry(n, m, n.groups.get(m).startup(now));
      }
      settle(n);
    }

    void carry(Node n, int m, List<Action> actions) {
      for (Action a : actions) {
        if (a instanceof SendAdvert s) {
          boolean lost = now - (t0 + CHAOS) < 0 && random.nextInt(20) == 0;
          if (!lost) {
            network.add(
                new Packet(now + (1 + random.nextInt(3)) * MS, seq++, n.index, m, s.priority()));
          }
        }
        if (a instanceof Action.Transition t && t.reason().startsWith("sync group")) {
          follows++;
        }
      }
    }

    void settle(Node n) {
      for (int round = 0; round < 10; round++) {
        Map<String, SyncGroup.Member> view = new LinkedHashMap<>();
        for (int m = 0; m < members; m++) {
          GroupPolicy g = n.groups.get(m);
          view.put(NAMES[m], new SyncGroup.Member(g.state(), g.faults()));
        }
        List<SyncGroup.Step> steps = n.sync.settle(view);
        if (steps.isEmpty()) {
          return;
        }
        for (SyncGroup.Step step : steps) {
          int m = List.of(NAMES).indexOf(step.member());
          GroupPolicy g = n.groups.get(m);
          switch (step) {
            case SyncGroup.Fault f ->
                carry(n, m, g.report(f.cause(), new Impact.Fault(), f.active(), now));
            case SyncGroup.Follow f -> carry(n, m, g.follow(f.master(), f.reason(), now));
          }
        }
      }
      throw new AssertionError("sync group did not settle");
    }

    void run() {
      now = t0;
      long end = t0 + END;
      long stable = t0 + CHAOS;
      while (now - end < 0) {
        now += MS;
        while (!network.isEmpty() && network.peek().at() - now <= 0) {
          Packet p = network.poll();
          for (Node n : nodes) {
            if (n.live && n.index != p.from()) {
              carry(
                  n,
                  p.group(),
                  n.groups
                      .get(p.group())
                      .advertReceived(nodes.get(p.from()).address, p.priority(), CENTIS, now));
              settle(n);
            }
          }
        }
        for (Node n : nodes) {
          if (!n.live) {
            continue;
          }
          for (int m = 0; m < members; m++) {
            GroupPolicy g = n.groups.get(m);
            if (g.nextDeadline().isPresent() && g.nextDeadline().getAsLong() - now <= 0) {
              carry(n, m, g.tick(now));
            }
          }
          settle(n);
        }
        if (now - stable < 0 && random.nextInt(150) == 0) {
          chaos();
        }
        check(now - (stable + 600 * MS) >= 0);
      }
      // The end: one node holds the whole set, the right one.
      List<Node> healthy =
          nodes.stream()
              .filter(n -> n.live && n.ownFaults.values().stream().allMatch(Set::isEmpty))
              .toList();
      List<Node> masters = nodes.stream().filter(n -> n.live && allMaster(n)).toList();
      if (healthy.isEmpty()) {
        assertThat(masters).isEmpty();
        return;
      }
      assertThat(masters).as("nodes holding the set at the end").hasSize(1);
      int best =
          healthy.stream()
              .mapToInt(n -> n.groups.getFirst().effectivePriority())
              .max()
              .orElseThrow();
      assertThat(masters.getFirst().groups.getFirst().effectivePriority()).isEqualTo(best);
    }

    void chaos() {
      Node n = nodes.get(random.nextInt(nodes.size()));
      String member = NAMES[random.nextInt(members)];
      switch (random.nextInt(5)) {
        case 0 -> {
          if (n.live) {
            n.live = false; // a crash: nothing sent
          } else {
            start(n);
          }
        }
        case 1 -> {
          if (n.live
              && n.ownFaults.computeIfAbsent(member, k -> new java.util.HashSet<>()).add("f")) {
            int m = List.of(NAMES).indexOf(member);
            carry(
                n,
                m,
                n.groups
                    .get(m)
                    .report(new PriorityCause.Check("f"), new Impact.Fault(), true, now));
            settle(n);
          }
        }
        case 2 -> {
          Set<String> f = n.ownFaults.computeIfAbsent(member, k -> new java.util.HashSet<>());
          if (n.live && f.remove("f")) {
            int m = List.of(NAMES).indexOf(member);
            carry(
                n,
                m,
                n.groups
                    .get(m)
                    .report(new PriorityCause.Check("f"), new Impact.Fault(), false, now));
            settle(n);
          }
        }
        case 3 -> {
          if (n.live) {
            int delta = -1 - random.nextInt(120);
            int m = List.of(NAMES).indexOf(member);
            GroupPolicy g = n.groups.get(m);
            Integer before = n.adjustments.put(member, delta);
            if (before != null) {
              carry(
                  n,
                  m,
                  g.report(new PriorityCause.Check("adj"), new Impact.Adjust(before), false, now));
            }
            carry(
                n,
                m,
                g.report(new PriorityCause.Check("adj"), new Impact.Adjust(delta), true, now));
            settle(n);
          }
        }
        default -> {
          if (n.live) {
            n.live = false;
            for (int m = 0; m < members; m++) {
              carry(n, m, n.groups.get(m).stop(now, false));
            }
          }
        }
      }
    }

    boolean allMaster(Node n) {
      return n.groups.stream().allMatch(g -> g.state() == GroupState.MASTER);
    }

    void check(boolean afterStable) {
      int masterNodes = 0;
      for (Node n : nodes) {
        if (!n.live) {
          continue;
        }
        long masters = n.groups.stream().filter(g -> g.state() == GroupState.MASTER).count();
        assertThat(masters == 0 || masters == members)
            .as("node %d members split on the node at %d ms", n.index, (now - t0) / MS)
            .isTrue();
        checks++;
        if (masters == members) {
          masterNodes++;
        }
      }
      if (!afterStable) {
        dual = false;
        return;
      }
      if (masterNodes > 1) {
        if (!dual) {
          dual = true;
          dualSince = now;
          dualEpisodes++;
        }
        long bound = nodes.getFirst().groups.getFirst().masterDownIntervalNanos() + 20 * MS;
        assertThat(now - dualSince).as("two nodes master of the set").isLessThanOrEqualTo(bound);
      } else {
        dual = false;
      }
    }
  }
}
