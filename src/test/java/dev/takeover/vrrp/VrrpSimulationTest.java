package dev.takeover.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.action.Action;
import dev.takeover.action.Action.ClaimAddresses;
import dev.takeover.action.Action.ReleaseAddresses;
import dev.takeover.action.Action.SendAdvert;
import dev.takeover.action.Action.Transition;
import dev.takeover.action.GroupState;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Two or three machines against each other over a simulated network: every SendAdvert reaches the
 * other live nodes after a small random delay. During a chaos phase nodes crash, shut down, restart
 * and change priority, and adverts are lost; then the network is stable. Asserted:
 *
 * <ul>
 *   <li>after the network is stable, never two masters for longer than one Master_Down_Interval;
 *   <li>in the end exactly one master, and it has the highest priority of the live nodes (all nodes
 *       preempt; equal priorities do not preempt each other, RFC 5798 §6.4.2);
 *   <li>throughout: the actions are consistent (Claim only when not holding, Release only when
 *       holding, Transition.from is the previous state, MASTER exactly when holding addresses) and
 *       no armed timer is left overdue after a tick.
 * </ul>
 *
 * Each run's fake clock starts just below {@link Long#MAX_VALUE}, so it wraps during the run.
 */
class VrrpSimulationTest {

  private static final long MS = 1_000_000L;
  private static final long[] INTERVALS = {10 * MS, 100 * MS, 1_000 * MS};
  private static final int[] PRIORITIES = {50, 100, 100, 150, 200, 254};

  /** The last bytes compare differently signed and unsigned: 200 and 130 are negative as bytes. */
  private static final String[] ADDRESSES = {"198.18.0.10", "198.18.0.200", "198.18.0.130"};

  @Test
  void randomKillsAndRestartsConvergeOnTheHighestPriorityMaster() {
    Map<String, Integer> reasons = new TreeMap<>();
    int dualMasterEpisodesAfterStable = 0;
    for (long seed = 1; seed <= 400; seed++) {
      Simulation simulation = new Simulation(seed);
      simulation.run();
      simulation.reasons.forEach((reason, n) -> reasons.merge(reason, n, Integer::sum));
      dualMasterEpisodesAfterStable += simulation.dualMasterEpisodesAfterStable;
    }
    // The runs must have exercised every path, or passing would prove little.
    assertThat(reasons.keySet())
        .contains(
            "startup",
            "startup as address owner (priority 255)",
            "shutdown",
            "master down timer expired",
            "master down timer expired after priority 0 advert from ...",
            "master down timer expired, preempting lower priority master ...",
            "higher priority advert from ...",
            "preempted by ...");
    assertThat(dualMasterEpisodesAfterStable).isPositive();
  }

  private record Packet(long at, long seq, int to, InetAddress from, int priority, int centis) {}

  private static final class Node {
    final int index;
    final VrrpParams params;
    VrrpMachine machine; // Null while down (crashed, or shut down and not restarted).
    boolean holdsAddresses;
    GroupState expectedState = GroupState.INITIALIZE;

    Node(int index, VrrpParams params) {
      this.index = index;
      this.params = params;
    }

    boolean live() {
      return machine != null;
    }
  }

  private static final class Simulation {
    final long seed;
    final Random random;
    final List<Node> nodes = new ArrayList<>();
    final PriorityQueue<Packet> inFlight =
        new PriorityQueue<>(Comparator.comparingLong(Packet::at).thenComparingLong(Packet::seq));
    final ArrayDeque<String> trace = new ArrayDeque<>();

    final long base; // Fake clock value at elapsed 0; base + elapsed wraps during the run.
    final long maxInterval;
    final long maxNetworkDelay;
    final long chaosEnd;
    final long end;
    final long dualMasterBound;

    long elapsed;
    long packetSeq;
    boolean dualMaster;
    long dualMasterSince;
    int dualMasterEpisodesAfterStable;

    /** Transition reasons seen, with addresses and priorities cut off. */
    final Map<String, Integer> reasons = new TreeMap<>();

    Simulation(long seed) {
      this.seed = seed;
      this.random = new Random(seed);
      int count = 2 + random.nextInt(2);
      boolean mixedIntervals = random.nextInt(3) == 0;
      long commonInterval = INTERVALS[random.nextInt(INTERVALS.length)];
      long maxInt = 0;
      long minInt = Long.MAX_VALUE;
      long maxPreemptDelay = 0;
      boolean withOwner = random.nextInt(10) == 0;
      for (int i = 0; i < count; i++) {
        long interval =
            mixedIntervals ? INTERVALS[random.nextInt(INTERVALS.length)] : commonInterval;
        int priority = withOwner && i == 0 ? 255 : PRIORITIES[random.nextInt(PRIORITIES.length)];
        long preemptDelay = random.nextInt(4) == 0 ? random.nextInt(4) * interval : 0;
        VrrpParams params =
            new VrrpParams(51, priority, interval, true, preemptDelay, false, ip(ADDRESSES[i]));
        nodes.add(new Node(i, params));
        maxInt = Math.max(maxInt, interval);
        minInt = Math.min(minInt, interval);
        maxPreemptDelay = Math.max(maxPreemptDelay, preemptDelay);
      }
      this.maxInterval = maxInt;
      this.maxNetworkDelay = minInt / 20;
      this.chaosEnd = 40 * maxInt;
      long maxMasterDown = VrrpTimers.masterDownIntervalNanos(1, maxInt);
      this.end = chaosEnd + 3 * (maxPreemptDelay + maxMasterDown) + 10 * maxInt;
      this.dualMasterBound = maxMasterDown;
      this.base = Long.MAX_VALUE - (long) (random.nextDouble() * end);
    }

    long now() {
      return base + elapsed;
    }

    void run() {
      for (Node node : nodes) {
        if (random.nextInt(4) != 0) {
          start(node);
        }
      }
      long nextChaos = chaosGap();
      boolean stabilized = false;
      while (elapsed < end) {
        long next = end;
        if (!stabilized) {
          next = Math.min(next, Math.min(nextChaos, chaosEnd));
        }
        if (!inFlight.isEmpty()) {
          next = Math.min(next, inFlight.peek().at());
        }
        for (Node node : nodes) {
          if (node.live()) {
            OptionalLong deadline = node.machine.nextDeadline();
            if (deadline.isPresent()) {
              next = Math.min(next, deadline.getAsLong() - base); // Back to elapsed, across wraps.
            }
          }
        }
        check(next >= elapsed, "time went backwards");
        elapsed = next;
        checkDualMasterDuration();

        for (Node node : nodes) {
          if (node.live()) {
            OptionalLong deadline = node.machine.nextDeadline();
            if (deadline.isPresent() && now() - deadline.getAsLong() >= 0) {
              apply(node, node.machine.tick(now()), "tick");
            }
          }
        }
        while (!inFlight.isEmpty() && inFlight.peek().at() <= elapsed) {
          deliver(inFlight.poll());
        }
        if (!stabilized && elapsed >= chaosEnd) {
          stabilize();
          stabilized = true;
        } else if (!stabilized && elapsed == nextChaos) {
          chaos();
          nextChaos += chaosGap();
        }
        checkInvariants();
      }
      checkConverged();
    }

    long chaosGap() {
      return 1 + (long) (random.nextDouble() * 3 * maxInterval);
    }

    void start(Node node) {
      node.machine = new VrrpMachine(node.params);
      node.expectedState = GroupState.INITIALIZE;
      apply(node, node.machine.startup(now()), "startup");
    }

    void chaos() {
      Node node = nodes.get(random.nextInt(nodes.size()));
      if (!node.live()) {
        start(node);
        return;
      }
      int choice = random.nextInt(10);
      if (choice < 4) {
        apply(node, node.machine.shutdown(now()), "shutdown");
        check(node.expectedState == GroupState.INITIALIZE, "shutdown left " + node.expectedState);
        node.machine = null;
      } else if (choice < 7) {
        log("node " + node.index + " crashes");
        node.machine = null; // Its addresses vanish with it.
        node.holdsAddresses = false;
      } else if (!node.params.isAddressOwner()) {
        apply(node, node.machine.setPriority(1 + random.nextInt(254), now()), "setPriority");
      }
    }

    /** The last disruption: some down nodes come back; at least one node is live. */
    void stabilize() {
      for (Node node : nodes) {
        if (!node.live() && random.nextBoolean()) {
          start(node);
        }
      }
      if (nodes.stream().noneMatch(Node::live)) {
        start(nodes.get(random.nextInt(nodes.size())));
      }
      log("network stable");
    }

    void deliver(Packet packet) {
      Node node = nodes.get(packet.to());
      if (node.live()) {
        apply(
            node,
            node.machine.advertReceived(packet.from(), packet.priority(), packet.centis(), now()),
            "advert from " + packet.from().getHostAddress() + " prio " + packet.priority());
      }
    }

    void apply(Node node, List<Action> actions, String event) {
      if (!actions.isEmpty()) {
        log("node " + node.index + " " + event + " -> " + actions);
      }
      for (Action action : actions) {
        switch (action) {
          case SendAdvert send -> broadcast(node, send.priority());
          case ClaimAddresses claim -> {
            check(!node.holdsAddresses, "claimed twice by node " + node.index);
            node.holdsAddresses = true;
          }
          case ReleaseAddresses release -> {
            check(node.holdsAddresses, "released without holding by node " + node.index);
            node.holdsAddresses = false;
          }
          case Transition transition -> {
            check(transition.from() == node.expectedState, "transition from wrong state");
            check(!transition.reason().isBlank(), "blank reason");
            node.expectedState = transition.to();
            reasons.merge(reasonKind(transition.reason()), 1, Integer::sum);
          }
        }
      }
      check(node.machine.state() == node.expectedState, "state differs from transitions");
    }

    void broadcast(Node sender, int priority) {
      boolean lossy = elapsed < chaosEnd;
      int centis = VrrpTimers.nanosToCentis(sender.params.advertisementIntervalNanos());
      for (Node node : nodes) {
        if (node != sender && node.live() && !(lossy && random.nextInt(10) == 0)) {
          long delay = (long) (random.nextDouble() * maxNetworkDelay);
          inFlight.add(
              new Packet(
                  elapsed + delay,
                  packetSeq++,
                  node.index,
                  sender.params.primaryAddress(),
                  priority,
                  centis));
        }
      }
    }

    void checkInvariants() {
      int masters = 0;
      for (Node node : nodes) {
        if (!node.live()) {
          continue;
        }
        VrrpMachine m = node.machine;
        check(
            node.holdsAddresses == (m.state() == GroupState.MASTER),
            "node " + node.index + " holds addresses " + node.holdsAddresses + " in " + m.state());
        OptionalLong deadline = m.nextDeadline();
        check(deadline.isPresent(), "live node " + node.index + " has no timer");
        check(deadline.getAsLong() - now() > 0, "node " + node.index + " left an overdue timer");
        if (m.state() == GroupState.MASTER) {
          masters++;
        }
      }
      if (masters >= 2 && !dualMaster) {
        dualMaster = true;
        dualMasterSince = elapsed;
        if (elapsed >= chaosEnd) {
          dualMasterEpisodesAfterStable++;
        }
      } else if (masters < 2) {
        dualMaster = false;
      }
    }

    /** Called with the time advanced but before anything happens: the state held until now. */
    void checkDualMasterDuration() {
      if (dualMaster && elapsed > chaosEnd) {
        long duration = elapsed - Math.max(dualMasterSince, chaosEnd);
        check(
            duration <= dualMasterBound,
            "two masters for " + duration + " ns after the network was stable");
      }
    }

    void checkConverged() {
      List<Node> live = nodes.stream().filter(Node::live).toList();
      List<Node> masters =
          live.stream().filter(n -> n.machine.state() == GroupState.MASTER).toList();
      check(masters.size() == 1, "expected exactly one master, got " + masters.size());
      int best = live.stream().mapToInt(n -> n.machine.priority()).max().orElseThrow();
      check(
          masters.getFirst().machine.priority() == best,
          "master has priority "
              + masters.getFirst().machine.priority()
              + ", best live is "
              + best);
      for (Node node : live) {
        if (node != masters.getFirst()) {
          check(node.machine.state() == GroupState.BACKUP, "node " + node.index + " not BACKUP");
          check(
              node.machine
                  .lastMaster()
                  .orElseThrow()
                  .address()
                  .equals(masters.getFirst().params.primaryAddress()),
              "backup " + node.index + " does not know the master");
        }
      }
    }

    /** The reason without the address and priority that follow " from ", " master " or " by ". */
    static String reasonKind(String reason) {
      return reason.replaceAll(" (from|master|by) [0-9a-f.:]+.*", " $1 ...");
    }

    void log(String line) {
      trace.addLast("t=" + elapsed + " " + line);
      if (trace.size() > 80) {
        trace.removeFirst();
      }
    }

    void check(boolean condition, String what) {
      if (!condition) {
        StringBuilder state = new StringBuilder();
        for (Node node : nodes) {
          state
              .append("\n  node ")
              .append(node.index)
              .append(' ')
              .append(node.params)
              .append(' ')
              .append(node.live() ? node.machine : "down");
        }
        assertThat(condition)
            .as(
                "seed %d at t=%d (chaos ends %d): %s%s%nlast events:%n%s",
                seed, elapsed, chaosEnd, what, state, String.join("\n", trace))
            .isTrue();
      }
    }
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
