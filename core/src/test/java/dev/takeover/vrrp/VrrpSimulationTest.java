package dev.takeover.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.action.Action;
import dev.takeover.action.Action.Announce;
import dev.takeover.action.Action.ClaimAddresses;
import dev.takeover.action.Action.HoldAddresses;
import dev.takeover.action.Action.MasterDown;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Two or three machines against each other over a simulated network: every SendAdvert reaches the
 * other live nodes after a small random delay. During a chaos phase nodes crash, shut down,
 * restart, change priority, gain and lose faults and priority adjustments, and adverts are lost;
 * then the network is stable (some faults stay). Faults and adjustments belong to the node, not to
 * its machine: a restarted node reports them again before startup, as the engine would. Asserted:
 *
 * <ul>
 *   <li>after the network is stable, never two masters for longer than one Master_Down_Interval;
 *   <li>in the end exactly one master, and it has the highest effective priority of the live nodes
 *       without a fault (all nodes preempt; equal priorities do not preempt each other, RFC 5798
 *       §6.4.2); every node with a fault is in FAULT;
 *   <li>throughout: the actions are consistent (Claim only when not holding, Release only when
 *       holding, Transition.from is the previous state, MASTER exactly when holding addresses,
 *       FAULT exactly when a fault is active), the effective priority is the base plus the
 *       adjustments as clamped, and no armed timer is left overdue after a tick.
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

  private static final String[] FAULTS = {"link eth0 down", "check web down"};
  private static final String[] ADJUSTMENTS = {
    "check db down", "tracked link eth1 down", "check api down"
  };
  private static final Map<String, PriorityCause> CAUSES =
      Map.of(
          "link eth0 down", new PriorityCause.LinkDown("eth0"),
          "check web down", new PriorityCause.Check("web"),
          "check db down", new PriorityCause.Check("db"),
          "tracked link eth1 down", new PriorityCause.TrackedLink("eth1"),
          "check api down", new PriorityCause.Check("api"));

  /** The policy's own causes: node state, lost when the node restarts. */
  private static final String MOVE = "move";

  private static final String MAINTENANCE = "maintenance";
  private static final long HOLD = 100 * MS;
  private static final GroupPolicy.Settings SETTINGS =
      new GroupPolicy.Settings(HOLD, 3, 7 * MS, 50 * MS, Set.of());

  @Test
  void randomKillsAndRestartsConvergeOnTheHighestPriorityMaster() {
    Map<String, Integer> reasons = new TreeMap<>();
    int dualMasterEpisodesAfterStable = 0;
    int masterAdjustments = 0;
    int convergedWithFaultedNode = 0;
    int convergedOnAdjustedMaster = 0;
    int plannedHolds = 0;
    int makeBeforeBreakChecked = 0;
    int plannedOps = 0;
    for (long seed = 1; seed <= 400; seed++) {
      Simulation simulation = new Simulation(seed);
      simulation.run();
      simulation.reasons.forEach((reason, n) -> reasons.merge(reason, n, Integer::sum));
      dualMasterEpisodesAfterStable += simulation.dualMasterEpisodesAfterStable;
      plannedHolds += simulation.plannedHolds;
      makeBeforeBreakChecked += simulation.makeBeforeBreakChecked;
      plannedOps += simulation.plannedOps;
      masterAdjustments += simulation.masterAdjustments;
      if (simulation.nodes.stream().anyMatch(n -> n.live() && !n.faults.isEmpty())) {
        convergedWithFaultedNode++;
      }
      if (simulation.nodes.stream()
          .anyMatch(
              n ->
                  n.live()
                      && n.machine.state() == GroupState.MASTER
                      && n.expectedPriority() != n.basePriority)) {
        convergedOnAdjustedMaster++;
      }
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
            "preempted by ...",
            "fault: ...",
            "shutdown",
            "fault cleared: ...",
            "startup in fault: ...");
    assertThat(dualMasterEpisodesAfterStable).isPositive();
    assertThat(plannedOps).as("planned operations").isPositive();
    assertThat(plannedHolds).as("handover holds on a stable network").isPositive();
    assertThat(makeBeforeBreakChecked).as("releases checked make-before-break").isPositive();
    assertThat(masterAdjustments).as("adjustments that moved a master's priority").isPositive();
    assertThat(convergedWithFaultedNode).as("runs ending with a live node in FAULT").isPositive();
    assertThat(convergedOnAdjustedMaster).as("runs won by an adjusted priority").isPositive();
  }

  private enum Held {
    NONE,
    CLAIMED,
    HELD
  }

  private record Packet(long at, long seq, int to, InetAddress from, int priority, int centis) {}

  private static final class Node {
    final int index;
    final VrrpParams params;
    GroupPolicy machine; // Null while down (crashed, or stopped and its hold over).
    boolean stopping; // Stopped gracefully, still holding its addresses for the handover.
    Held addresses = Held.NONE;
    long holdUntil;
    long newMasterHeardAt;
    long disruptionsAtHold; // Simulation.disruptions when the hold started
    boolean candidateAtHold; // another node could take over when the hold started
    long lastTransitionAt;
    boolean newMasterHeard;
    GroupState expectedState = GroupState.INITIALIZE;

    /** The node's world: outlive its machine, re-reported to a new one before startup. */
    int basePriority;

    final TreeSet<String> faults = new TreeSet<>();
    final TreeMap<String, Integer> adjustments = new TreeMap<>();

    Node(int index, VrrpParams params) {
      this.index = index;
      this.params = params;
      this.basePriority = params.priority();
    }

    /** Up and taking part; a node stopping gracefully is still present, for its hold. */
    boolean live() {
      return machine != null && !stopping;
    }

    boolean present() {
      return machine != null;
    }

    /** How an operator names this node to {@code move}. */
    NodeRef ref() {
      return new NodeRef("n" + index, java.util.Set.of(params.primaryAddress()));
    }

    /** Effective priority computed independently of the machine: keepalived's rule. */
    int expectedPriority() {
      if (basePriority == 255) {
        return 255;
      }
      int sum = basePriority + adjustments.values().stream().mapToInt(Integer::intValue).sum();
      return Math.max(1, Math.min(254, sum));
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
    long disruptions; // starts, stops, crashes, faults, planned operations: anything but packets
    final long[][] lastArrival = new long[ADDRESSES.length][ADDRESSES.length];
    boolean dualMaster;
    long dualMasterSince;
    int dualMasterEpisodesAfterStable;
    int masterAdjustments;
    int plannedOps;
    int plannedHolds;
    int makeBeforeBreakChecked;
    int claimsAnnounced;
    final long plannedEnd;
    long nextPlanned;

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
            new VrrpParams(51, priority, interval, true, preemptDelay, ip(ADDRESSES[i]));
        nodes.add(new Node(i, params));
        maxInt = Math.max(maxInt, interval);
        minInt = Math.min(minInt, interval);
        maxPreemptDelay = Math.max(maxPreemptDelay, preemptDelay);
      }
      this.maxInterval = maxInt;
      this.maxNetworkDelay = minInt / 20;
      this.chaosEnd = 40 * maxInt;
      long maxMasterDown = VrrpTimers.masterDownIntervalNanos(1, maxInt);
      this.plannedEnd = chaosEnd + 60 * maxInt;
      this.end = plannedEnd + 3 * (maxPreemptDelay + maxMasterDown) + 10 * maxInt + 2 * HOLD;
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
        } else if (nextPlanned != Long.MAX_VALUE) {
          next = Math.min(next, nextPlanned);
        }
        if (!inFlight.isEmpty()) {
          next = Math.min(next, inFlight.peek().at());
        }
        for (Node node : nodes) {
          if (node.present()) {
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
          if (node.present()) {
            OptionalLong deadline = node.machine.nextDeadline();
            if (deadline.isPresent() && now() - deadline.getAsLong() >= 0) {
              apply(node, node.machine.tick(now()), "tick");
            }
            if (node.stopping && !node.machine.handingOver()) {
              log("node " + node.index + " stopped after its hold");
              node.machine = null;
              node.stopping = false;
            }
          }
        }
        while (!inFlight.isEmpty() && inFlight.peek().at() <= elapsed) {
          deliver(inFlight.poll());
        }
        if (!stabilized && elapsed >= chaosEnd) {
          stabilize();
          stabilized = true;
          nextPlanned = elapsed + plannedGap();
        } else if (stabilized && elapsed == nextPlanned) {
          if (elapsed >= plannedEnd) {
            ensureCandidate();
            nextPlanned = Long.MAX_VALUE;
          } else {
            planned();
            nextPlanned = Math.min(plannedEnd, nextPlanned + plannedGap());
          }
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
      disruptions++;
      node.machine = new GroupPolicy(new VrrpMachine(node.params), SETTINGS);
      node.stopping = false;
      node.addresses = Held.NONE;
      node.expectedState = GroupState.INITIALIZE;
      node.adjustments.remove(MOVE); // the operator's moves and maintenance die with the process
      node.adjustments.remove(MAINTENANCE);
      node.faults.remove(MAINTENANCE);
      apply(node, node.machine.setPriority(node.basePriority, now()), "setPriority");
      node.adjustments.forEach(
          (source, delta) ->
              apply(
                  node,
                  node.machine.report(CAUSES.get(source), new Impact.Adjust(delta), true, now()),
                  "adjust " + source));
      for (String fault : node.faults) {
        apply(
            node,
            node.machine.report(CAUSES.get(fault), new Impact.Fault(), true, now()),
            "fault " + fault);
      }
      apply(node, node.machine.startup(now()), "startup");
    }

    /** Stops {@code node}, gracefully (it may hold its addresses for a while) or not. */
    void stop(Node node, boolean graceful) {
      node.stopping = true;
      disruptions++;
      apply(node, node.machine.stop(now(), graceful), graceful ? "graceful stop" : "stop");
      check(node.expectedState == GroupState.INITIALIZE, "shutdown left " + node.expectedState);
      if (!node.machine.handingOver()) {
        node.machine = null;
        node.stopping = false;
      }
    }

    long plannedGap() {
      return maxInterval * (4 + random.nextInt(6));
    }

    /**
     * A planned operation on a stable network: a graceful stop of the master, maintenance on or
     * off, a move away from the master or to a backup, or a start. Handovers must then be
     * make-before-break (checked when a hold ends).
     */
    void planned() {
      // An operator acts on a settled group: one master, no handover in progress, nothing in the
      // last Master_Down_Interval. (Two moves at once can leave both nodes at priority 1, each
      // deferring to the other's last advert: the operator's race, not the policy's.)
      boolean settled =
          nodes.stream().filter(n -> n.live() && n.machine.state() == GroupState.MASTER).count()
                  == 1
              && nodes.stream()
                  .noneMatch(
                      n ->
                          n.stopping
                              || n.addresses == Held.HELD
                              || (n.live() && elapsed - n.lastTransitionAt < dualMasterBound));
      if (!settled) {
        return;
      }
      plannedOps++;
      disruptions++;
      List<Node> live = nodes.stream().filter(Node::live).toList();
      Node master =
          live.stream()
              .filter(n -> n.machine.state() == GroupState.MASTER)
              .findFirst()
              .orElse(null);
      int choice = random.nextInt(5);
      if (choice == 0 && master != null) {
        stop(master, true);
      } else if (choice == 1 && !live.isEmpty()) {
        Node node = live.get(random.nextInt(live.size()));
        apply(node, node.machine.maintenance(!node.machine.maintenance(), now()), "maintenance");
      } else if (choice == 2 && master != null) {
        Node target = live.get(random.nextInt(live.size()));
        List<NodeRef> others = nodes.stream().filter(n -> n != master).map(Node::ref).toList();
        apply(master, master.machine.moveAway(target.ref(), others, now()).actions(), "move away");
      } else if (choice == 3 && !live.isEmpty()) {
        Node node = live.get(random.nextInt(live.size()));
        apply(node, node.machine.moveHere(now()).actions(), "move here");
      } else {
        nodes.stream().filter(n -> !n.present()).findFirst().ifPresent(this::start);
      }
    }

    /** Before the end: maintenance off somewhere, so at least one live node can serve. */
    void ensureCandidate() {
      disruptions++;
      for (Node node : nodes) {
        if (node.live() && node.machine.maintenance() && random.nextBoolean()) {
          apply(node, node.machine.maintenance(false, now()), "maintenance off");
        }
      }
      if (nodes.stream().noneMatch(n -> n.live() && n.faults.isEmpty())) {
        for (Node node : nodes) {
          if (node.live() && node.machine.maintenance()) {
            apply(node, node.machine.maintenance(false, now()), "maintenance off");
          }
        }
      }
      if (nodes.stream().noneMatch(n -> n.live() && n.faults.isEmpty())) {
        Node node = nodes.stream().filter(n -> !n.stopping).findFirst().orElseThrow();
        clearFaults(node);
        if (!node.present()) {
          start(node);
        }
      }
      log("planned operations over");
    }

    void chaos() {
      disruptions++;
      Node node = nodes.get(random.nextInt(nodes.size()));
      if (!node.present()) {
        start(node);
        return;
      }
      if (node.stopping) {
        log("node " + node.index + " crashes while holding for a handover");
        node.machine = null;
        node.stopping = false;
        node.addresses = Held.NONE;
        return;
      }
      int choice = random.nextInt(16);
      if (choice >= 10) {
        faultOrAdjust(node, choice);
      } else if (choice < 4) {
        stop(node, random.nextBoolean());
      } else if (choice < 7) {
        log("node " + node.index + " crashes");
        node.machine = null; // Its addresses vanish with it.
        node.addresses = Held.NONE;
      } else if (!node.params.isAddressOwner()) {
        node.basePriority = 1 + random.nextInt(254);
        apply(node, node.machine.setPriority(node.basePriority, now()), "setPriority");
      }
    }

    void faultOrAdjust(Node node, int choice) {
      if (choice < 12) {
        String fault = FAULTS[random.nextInt(FAULTS.length)];
        node.faults.add(fault);
        apply(
            node,
            node.machine.report(CAUSES.get(fault), new Impact.Fault(), true, now()),
            "fault " + fault);
      } else if (choice < 14) {
        String fault = FAULTS[random.nextInt(FAULTS.length)];
        node.faults.remove(fault);
        apply(
            node,
            node.machine.report(CAUSES.get(fault), new Impact.Fault(), false, now()),
            "clearFault " + fault);
      } else if (choice < 15) {
        String source = ADJUSTMENTS[random.nextInt(ADJUSTMENTS.length)];
        int delta = random.nextInt(201) - 100;
        node.adjustments.put(source, delta);
        boolean wasMaster = node.machine.state() == GroupState.MASTER;
        List<Action> actions =
            node.machine.report(CAUSES.get(source), new Impact.Adjust(delta), true, now());
        if (wasMaster && !actions.isEmpty()) {
          masterAdjustments++;
        }
        apply(node, actions, "adjust " + source);
      } else {
        String source = ADJUSTMENTS[random.nextInt(ADJUSTMENTS.length)];
        node.adjustments.remove(source);
        apply(
            node,
            node.machine.report(CAUSES.get(source), new Impact.Adjust(0), false, now()),
            "clearAdjustment " + source);
      }
    }

    /**
     * The last disruption: some down nodes come back, some faults clear; at least one live node has
     * no fault.
     */
    void stabilize() {
      disruptions++;
      for (Node node : nodes) {
        if (random.nextBoolean()) {
          clearFaults(node);
        }
        if (!node.live() && random.nextBoolean()) {
          start(node);
        }
      }
      if (nodes.stream().noneMatch(n -> n.live() && n.faults.isEmpty())) {
        Node node = nodes.get(random.nextInt(nodes.size()));
        clearFaults(node);
        if (!node.live()) {
          start(node);
        }
      }
      log("network stable");
    }

    void clearFaults(Node node) {
      for (String fault : List.copyOf(node.faults)) {
        node.faults.remove(fault);
        if (node.live() && fault.equals(MAINTENANCE)) {
          apply(node, node.machine.maintenance(false, now()), "maintenance off");
        } else if (node.live()) {
          apply(
              node,
              node.machine.report(CAUSES.get(fault), new Impact.Fault(), false, now()),
              "clearFault " + fault);
        }
      }
    }

    void deliver(Packet packet) {
      Node node = nodes.get(packet.to());
      if (node.present()) {
        if (node.stopping && packet.priority() > 0 && !node.newMasterHeard) {
          node.newMasterHeard = true;
          node.newMasterHeardAt = elapsed;
        }
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
      for (int i = 0; i < actions.size(); i++) {
        Action action = actions.get(i);
        switch (action) {
          case SendAdvert send -> broadcast(node, send.priority());
          case ClaimAddresses claim -> {
            check(node.addresses != Held.CLAIMED, "claimed twice by node " + node.index);
            check(
                i + 1 < actions.size()
                    && actions.get(i + 1) instanceof Announce a
                    && a.startsBurst(),
                "claim by node " + node.index + " not announced at once");
            node.addresses = Held.CLAIMED;
            claimsAnnounced++;
          }
          case Announce announce ->
              check(
                  node.addresses == Held.CLAIMED,
                  "node " + node.index + " announces while " + node.addresses);
          case HoldAddresses hold -> {
            check(node.addresses == Held.CLAIMED, "node " + node.index + " holds unclaimed");
            node.addresses = Held.HELD;
            node.holdUntil = hold.untilNanos();
            node.disruptionsAtHold = disruptions;
            node.candidateAtHold = someoneElseCouldServe(node);
            node.newMasterHeard = false;
            if (elapsed >= chaosEnd) {
              plannedHolds++;
            }
          }
          case ReleaseAddresses release -> {
            check(node.addresses != Held.NONE, "released without holding by node " + node.index);
            if (node.addresses == Held.HELD) {
              checkReleaseAfterHold(node);
            }
            node.addresses = Held.NONE;
          }
          case Transition transition -> {
            check(transition.from() == node.expectedState, "transition from wrong state");
            check(!transition.reason().isBlank(), "blank reason");
            node.expectedState = transition.to();
            node.lastTransitionAt = elapsed;
            reasons.merge(reasonKind(transition.reason()), 1, Integer::sum);
          }
          case MasterDown down -> {}
          case Action.Reannounce r -> {}
          // Lost adverts in the chaos phase make real dual masters; reporting them is the point.
          case Action.ConflictDetected c -> {}
          default -> throw new AssertionError("no hooks, no kernel: unexpected " + action);
        }
      }
      // The policy's own causes are node state: mirror them (their effect is checked elsewhere).
      mirror(node.adjustments, MOVE, node.machine.priorityAdjustments().get(MOVE));
      mirror(node.adjustments, MAINTENANCE, node.machine.priorityAdjustments().get(MAINTENANCE));
      if (node.machine.faults().contains(MAINTENANCE)) {
        node.faults.add(MAINTENANCE);
      } else {
        node.faults.remove(MAINTENANCE);
      }
      check(node.machine.state() == node.expectedState, "state differs from transitions");
    }

    static void mirror(Map<String, Integer> adjustments, String key, Integer value) {
      if (value == null) {
        adjustments.remove(key);
      } else {
        adjustments.put(key, value);
      }
    }

    /**
     * Every release after a hold comes when the hold is over: at its end, or at a graceful stop a
     * hold after the new master was heard. On a stable network, someone else has claimed by then
     * when anyone could (make-before-break: no client packet finds the address gone).
     */
    boolean someoneElseCouldServe(Node node) {
      return nodes.stream()
          .anyMatch(
              n ->
                  n != node
                      && n.live()
                      && n.faults.isEmpty()
                      && !n.machine.maintenance()
                      && (n.machine.state() == GroupState.BACKUP
                          || n.machine.state() == GroupState.MASTER));
    }

    void checkReleaseAfterHold(Node node) {
      boolean holdOver =
          now() - node.holdUntil >= 0
              || (node.stopping
                  && node.newMasterHeard
                  && elapsed - (node.newMasterHeardAt + HOLD) >= 0);
      check(holdOver, "node " + node.index + " released before its hold was over");
      // Only when nothing but the handover happened meanwhile (an operator stopping the new
      // master during the hold is not the policy's doing).
      if (elapsed >= chaosEnd + dualMasterBound
          && node.candidateAtHold
          && node.disruptionsAtHold == disruptions) {
        makeBeforeBreakChecked++;
        check(
            nodes.stream().anyMatch(n -> n != node && n.addresses == Held.CLAIMED),
            "node " + node.index + " released after a planned handover with nobody claimed");
      }
    }

    void broadcast(Node sender, int priority) {
      boolean lossy = elapsed < chaosEnd;
      int centis = VrrpTimers.nanosToCentis(sender.params.advertisementIntervalNanos());
      for (Node node : nodes) {
        if (node != sender && node.present() && !(lossy && random.nextInt(10) == 0)) {
          long delay = (long) (random.nextDouble() * maxNetworkDelay);
          // One LAN hop does not reorder: a leaving master's last advert never overtakes its
          // priority 0 advert.
          long at = Math.max(elapsed + delay, lastArrival[sender.index][node.index]);
          lastArrival[sender.index][node.index] = at;
          inFlight.add(
              new Packet(
                  at, packetSeq++, node.index, sender.params.primaryAddress(), priority, centis));
        }
      }
    }

    void checkInvariants() {
      int masters = 0;
      for (Node node : nodes) {
        if (!node.live()) {
          continue;
        }
        GroupPolicy m = node.machine;
        check(
            m.effectivePriority() == node.expectedPriority(),
            "node " + node.index + " effective priority " + m.effectivePriority());
        check(m.faults().equals(node.faults), "node " + node.index + " faults differ");
        check(
            m.priorityAdjustments().equals(node.adjustments),
            "node " + node.index + " adjustments differ");
        check(
            (node.addresses == Held.CLAIMED) == (m.state() == GroupState.MASTER),
            "node " + node.index + " addresses " + node.addresses + " in " + m.state());
        OptionalLong any = m.nextDeadline();
        check(
            any.isEmpty() || any.getAsLong() - now() > 0,
            "node " + node.index + " left an overdue deadline");
        check(
            (m.state() == GroupState.FAULT) == !node.faults.isEmpty(),
            "node " + node.index + " in " + m.state() + " with faults " + node.faults);
        OptionalLong deadline = m.timerDeadline();
        if (m.state() == GroupState.FAULT) {
          check(deadline.isEmpty(), "node " + node.index + " has a timer in FAULT");
          continue;
        }
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
      List<Node> candidates = live.stream().filter(n -> n.faults.isEmpty()).toList();
      int best =
          candidates.stream().mapToInt(n -> n.machine.effectivePriority()).max().orElseThrow();
      check(
          masters.getFirst().machine.effectivePriority() == best,
          "master has priority "
              + masters.getFirst().machine.effectivePriority()
              + ", best live without fault is "
              + best);
      for (Node node : live) {
        if (!node.faults.isEmpty()) {
          check(node.machine.state() == GroupState.FAULT, "node " + node.index + " not FAULT");
        } else if (node != masters.getFirst()) {
          check(node.machine.state() == GroupState.BACKUP, "node " + node.index + " not BACKUP");
          check(
              node.machine
                  .lastMaster()
                  .orElseThrow()
                  .equals(masters.getFirst().params.primaryAddress()),
              "backup " + node.index + " does not know the master");
        }
      }
    }

    /**
     * The reason without the address and priority that follow " from ", " master " or " by ", and
     * without the fault's name.
     */
    static String reasonKind(String reason) {
      return reason
          .replaceAll(" (from|master|by) [0-9a-f.:]+.*", " $1 ...")
          .replaceAll("^(fault|fault cleared|startup in fault): .*", "$1: ...");
    }

    void log(String line) {
      trace.addLast("t=" + elapsed + " " + line);
      if (trace.size() > 120) {
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
