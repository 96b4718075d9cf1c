package dev.takeover.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.action.Action;
import dev.takeover.action.Action.ClaimAddresses;
import dev.takeover.action.Action.ReleaseAddresses;
import dev.takeover.action.Action.SendAdvert;
import dev.takeover.action.GroupState;
import dev.takeover.vrrp.MoveOutcome.Kind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code takeover move} and {@code maintenance} on a small simulated network of policies against a
 * fake clock: every combination of move (here, away, clear), maintenance, restart (a new policy
 * started in maintenance), preempt and setPriority, judged by where the group ends up, who holds
 * the addresses, and whether every priority is back to what is configured. Adverts take 1 ms; the
 * clock wraps during each run.
 */
class OperatorCommandsTest {
  static final long MS = 1_000_000L;
  static final long SECOND = 1_000 * MS;
  static final long T0 = Long.MAX_VALUE - 20 * SECOND;
  static final long SETTLE = 15 * SECOND; // several Master_Down_Intervals at 1 s adverts

  /** One node: its configuration outlives its policy, which a restart replaces. */
  static final class Node {
    final String name;
    final InetAddress address;
    int priority;
    final boolean preempt;
    GroupPolicy policy; // null while down
    boolean holds;
    boolean maintenanceSaved; // the daemon's state file

    Node(String name, InetAddress address, int priority, boolean preempt) {
      this.name = name;
      this.address = address;
      this.priority = priority;
      this.preempt = preempt;
    }

    NodeRef ref() {
      return new NodeRef(name, Set.of(address));
    }

    GroupState state() {
      return policy == null ? GroupState.INITIALIZE : policy.state();
    }

    int effective() {
      return policy.effectivePriority();
    }

    @Override
    public String toString() {
      return name + "(" + state() + ", " + (policy == null ? "down" : effective()) + ")";
    }
  }

  record Packet(long at, long seq, Node from, Node to, int priority) {}

  /** The network and the clock. */
  static final class Net {
    long now = T0;
    long seq;
    final List<Node> nodes = new ArrayList<>();
    final PriorityQueue<Packet> inFlight =
        new PriorityQueue<>(
            Comparator.comparingLong((Packet p) -> p.at() - T0).thenComparingLong(Packet::seq));

    Node add(String name, String ip, int priority, boolean preempt) {
      Node n = new Node(name, ip(ip), priority, preempt);
      nodes.add(n);
      return n;
    }

    /** Starts {@code n} as the daemon does: in maintenance first when its state file says so. */
    void start(Node n) {
      n.policy =
          new GroupPolicy(
              new VrrpMachine(new VrrpParams(51, n.priority, SECOND, n.preempt, 0, n.address)),
              new GroupPolicy.Settings(100 * MS, 1, 200 * MS, 0, Set.of()));
      if (n.maintenanceSaved) {
        apply(n, n.policy.maintenance(true, now));
      }
      apply(n, n.policy.startup(now));
    }

    /** A graceful stop, the hold to its end, a second down, and a start. */
    void restart(Node n) {
      apply(n, n.policy.stop(now, true));
      while (n.policy.handingOver()) {
        run(10 * MS);
      }
      n.policy = null;
      run(SECOND);
      start(n);
    }

    void maintenance(Node n, boolean on) {
      n.maintenanceSaved = on;
      apply(n, n.policy.maintenance(on, now));
    }

    MoveOutcome moveHere(Node n) {
      MoveOutcome o = n.policy.moveHere(now);
      apply(n, o.actions());
      return o;
    }

    /** {@code move --to target} run on {@code n}, which knows every other node from its config. */
    MoveOutcome moveAway(Node n, Node target) {
      List<NodeRef> others = nodes.stream().filter(o -> o != n).map(Node::ref).toList();
      MoveOutcome o = n.policy.moveAway(target.ref(), others, now);
      apply(n, o.actions());
      return o;
    }

    MoveOutcome clear(Node n) {
      MoveOutcome o = n.policy.clearMove(now);
      apply(n, o.actions());
      return o;
    }

    void setPriority(Node n, int priority) {
      n.priority = priority;
      apply(n, n.policy.setPriority(priority, now));
    }

    void apply(Node n, List<Action> actions) {
      for (Action a : actions) {
        switch (a) {
          case SendAdvert s -> {
            for (Node to : nodes) {
              if (to != n) {
                inFlight.add(new Packet(now + MS, seq++, n, to, s.priority()));
              }
            }
          }
          case ClaimAddresses c -> n.holds = true;
          case ReleaseAddresses r -> n.holds = false;
          default -> {}
        }
      }
    }

    void run(long nanos) {
      long end = now + nanos;
      while (true) {
        long next = end;
        if (!inFlight.isEmpty() && inFlight.peek().at() - next < 0) {
          next = inFlight.peek().at();
        }
        for (Node n : nodes) {
          if (n.policy != null && n.policy.nextDeadline().isPresent()) {
            long d = n.policy.nextDeadline().getAsLong();
            if (d - next < 0) {
              next = d;
            }
          }
        }
        now = next;
        while (!inFlight.isEmpty() && inFlight.peek().at() - now <= 0) {
          Packet p = inFlight.poll();
          if (p.to().policy != null) {
            apply(p.to(), p.to().policy.advertReceived(p.from().address, p.priority(), 100, now));
          }
        }
        for (Node n : nodes) {
          if (n.policy != null
              && n.policy.nextDeadline().isPresent()
              && n.policy.nextDeadline().getAsLong() - now <= 0) {
            apply(n, n.policy.tick(now));
          }
        }
        if (now == end) {
          return;
        }
      }
    }

    /** After settling: {@code n} is the one master and the one node holding the addresses. */
    void assertMasterIs(Node n) {
      for (Node o : nodes) {
        assertThat(o.state() == GroupState.MASTER)
            .as("%s master, nodes %s", o.name, nodes)
            .isEqualTo(o == n);
        assertThat(o.holds).as("%s holds the addresses, nodes %s", o.name, nodes).isEqualTo(o == n);
      }
    }

    /** Every running node at its configured priority with no adjustment at all. */
    void assertPrioritiesAsConfigured() {
      for (Node o : nodes) {
        if (o.policy != null) {
          assertThat(o.policy.priorityAdjustments()).as(o.name + " adjustments").isEmpty();
          assertThat(o.effective()).as(o.name + " priority").isEqualTo(o.priority);
        }
      }
    }
  }

  /** alpha (the higher address loses no tie here: priorities decide) becomes master first. */
  static Net pair(int alpha, int beta, boolean preempt) {
    Net net = new Net();
    Node a = net.add("alpha", "198.18.0.1", alpha, preempt);
    Node b = net.add("beta", "198.18.0.2", beta, preempt);
    net.start(a);
    net.run(5 * SECOND); // alpha alone: master
    net.start(b);
    net.run(SETTLE);
    net.assertMasterIs(a);
    return net;
  }

  static Node a(Net net) {
    return net.nodes.get(0);
  }

  static Node b(Net net) {
    return net.nodes.get(1);
  }

  // ---------------------------------------------------------------- moves, equal priorities

  @Test
  void moveThereAndBackAgainLeavesEqualPrioritiesAsConfiguredEveryTime() {
    Net net = pair(100, 100, true);
    for (int round = 0; round < 3; round++) {
      // Asked of the master (move away) ...
      assertThat(net.moveAway(a(net), b(net)).kind()).isEqualTo(Kind.MOVING);
      net.run(SETTLE);
      net.assertMasterIs(b(net));
      net.assertPrioritiesAsConfigured();
      assertThat(net.moveAway(b(net), a(net)).kind()).isEqualTo(Kind.MOVING);
      net.run(SETTLE);
      net.assertMasterIs(a(net));
      net.assertPrioritiesAsConfigured();
      // ... and of the target (move here).
      assertThat(net.moveHere(b(net)).kind()).isEqualTo(Kind.MOVING);
      net.run(SETTLE);
      net.assertMasterIs(b(net));
      net.assertPrioritiesAsConfigured();
      assertThat(net.moveHere(a(net)).kind()).isEqualTo(Kind.MOVING);
      net.run(SETTLE);
      net.assertMasterIs(a(net));
      net.assertPrioritiesAsConfigured();
    }
  }

  @Test
  void aMoveWhereTheGroupAlreadyIsChangesNothing() {
    Net net = pair(100, 100, true);
    MoveOutcome here = net.moveHere(a(net));
    assertThat(here.kind()).isEqualTo(Kind.ALREADY_THERE);
    assertThat(here.actions()).isEmpty();
    MoveOutcome there = net.moveAway(b(net), a(net));
    assertThat(there.kind()).isEqualTo(Kind.ALREADY_THERE);
    assertThat(there.message()).isEqualTo("alpha is master already");
    assertThat(there.actions()).isEmpty();
    net.run(SETTLE);
    net.assertMasterIs(a(net));
    net.assertPrioritiesAsConfigured();
  }

  @Test
  void aMoveAwayAskedOfABackupIsRefusedAndPointsAtTheTarget() {
    Net net = new Net();
    Node a = net.add("alpha", "198.18.0.1", 100, true);
    Node b = net.add("beta", "198.18.0.2", 100, true);
    Node c = net.add("gamma", "198.18.0.3", 100, true);
    net.start(a);
    net.run(5 * SECOND);
    net.start(b);
    net.start(c);
    net.run(SETTLE);
    MoveOutcome o = net.moveAway(b, c);
    assertThat(o.kind()).isEqualTo(Kind.REFUSED);
    assertThat(o.message()).startsWith("this node is not master; run the move on gamma");
    net.run(SETTLE);
    net.assertMasterIs(a);
    net.assertPrioritiesAsConfigured();
  }

  @Test
  void withMoreThanTwoNodesTheMasterRefusesToGuessAndTheTargetMovesItself() {
    Net net = new Net();
    Node a = net.add("alpha", "198.18.0.1", 100, true);
    Node b = net.add("beta", "198.18.0.2", 100, true);
    Node c = net.add("gamma", "198.18.0.3", 120, true); // would win a move away from alpha
    net.start(a);
    net.run(5 * SECOND);
    net.start(b);
    net.run(SETTLE);
    net.start(c);
    net.run(SETTLE);
    net.assertMasterIs(c);
    MoveOutcome refused = net.moveAway(c, b);
    assertThat(refused.kind()).isEqualTo(Kind.REFUSED);
    assertThat(refused.message()).contains("other nodes than beta could take over (alpha)");
    assertThat(refused.actions()).isEmpty();
    assertThat(net.moveHere(b).kind()).isEqualTo(Kind.MOVING);
    net.run(SETTLE);
    net.assertMasterIs(b);
    // beta's raise stays: without it gamma (120, preempt) would take the group back.
    assertThat(b.policy.moveHold())
        .hasValue(new MoveHold(false, 121, 100, Optional.of(c.address), 120));
    assertThat(net.clear(b).kind()).isEqualTo(Kind.CLEARED);
    net.run(SETTLE);
    net.assertMasterIs(c);
    net.assertPrioritiesAsConfigured();
  }

  @Test
  void anAddressHeardThatIsNoKnownNodeCountsAsARival() {
    Net net = pair(100, 100, true);
    a(net).policy.advertReceived(ip("198.18.0.9"), 50, 100, net.now); // a stranger, lower
    MoveOutcome o = a(net).policy.moveAway(b(net).ref(), List.of(b(net).ref()), net.now);
    assertThat(o.kind()).isEqualTo(Kind.REFUSED);
    assertThat(o.message()).contains("(198.18.0.9)");
  }

  /**
   * The question a move held for DNS asks first (DECISIONS 48): what moveAway would answer instead
   * of moving, with nothing changed, so the move can still be made as asked afterwards.
   */
  @Test
  void moveAwayInsteadAnswersLikeMoveAwayAndChangesNothing() {
    Net net = pair(150, 100, true);
    List<NodeRef> others = List.of(b(net).ref());
    assertThat(a(net).policy.moveAwayInstead(b(net).ref(), others)).isEmpty();
    assertThat(a(net).effective()).isEqualTo(150);
    // The bound a held move gives for the handover is taken at today's priority: the move itself,
    // computed after lowering to 1 (a longer Skew_Time), says a little more.
    Net same = pair(150, 100, true);
    assertThat(a(net).policy.moveWaitNanos())
        .isPositive()
        .isLessThanOrEqualTo(same.moveAway(a(same), b(same)).waitNanos());
    // The backup: refused, as moveAway would.
    Optional<MoveOutcome> onBackup = b(net).policy.moveAwayInstead(a(net).ref(), List.of());
    assertThat(onBackup).get().extracting(MoveOutcome::kind).isEqualTo(Kind.ALREADY_THERE);
    a(net).policy.advertReceived(ip("198.18.0.9"), 50, 100, net.now); // a rival heard
    assertThat(a(net).policy.moveAwayInstead(b(net).ref(), others))
        .get()
        .satisfies(o -> assertThat(o.message()).contains("(198.18.0.9)"));
    assertThat(net.moveAway(a(net), b(net)).kind()).isEqualTo(Kind.REFUSED);
    assertThat(a(net).policy.priorityAdjustments()).isEmpty();
  }

  // ---------------------------------------------------------------- moves, unequal priorities

  @Test
  void aMoveAwayFromTheHigherNodeIsHeldAndShownUntilCleared() {
    Net net = pair(150, 100, true);
    assertThat(net.moveAway(a(net), b(net)).kind()).isEqualTo(Kind.MOVING);
    net.run(SETTLE);
    net.assertMasterIs(b(net));
    assertThat(a(net).policy.moveHold())
        .hasValue(new MoveHold(true, 99, 150, Optional.of(b(net).address), 100));
    assertThat(b(net).policy.priorityAdjustments()).isEmpty();
    // A move back, asked of the target: its own priority is enough, so the hold just goes.
    assertThat(net.moveHere(a(net)).kind()).isEqualTo(Kind.MOVING);
    net.run(SETTLE);
    net.assertMasterIs(a(net));
    net.assertPrioritiesAsConfigured();
  }

  @Test
  void aMoveHereAboveAHigherNodeIsHeldUntilClearedThenThatNodePreemptsBack() {
    Net net = pair(150, 100, true);
    assertThat(net.moveHere(b(net)).message())
        .isEqualTo(
            "priority 151 (configured 100) is above the master 198.18.0.1 (priority 150): this"
                + " node takes over");
    net.run(SETTLE);
    net.assertMasterIs(b(net));
    assertThat(b(net).policy.moveHold()).isPresent();
    assertThat(a(net).policy.priorityAdjustments()).isEmpty();
    net.clear(b(net));
    net.run(SETTLE);
    net.assertMasterIs(a(net));
    net.assertPrioritiesAsConfigured();
  }

  @Test
  void aMoveHereAboveAnOwnerOrAt254IsRefused() {
    Net net = pair(255, 100, true);
    MoveOutcome o = net.moveHere(b(net));
    assertThat(o.kind()).isEqualTo(Kind.REFUSED);
    assertThat(o.message()).contains("address owner");
    assertThat(net.moveAway(a(net), b(net)).message()).contains("address owner (priority 255)");
    Net top = pair(254, 100, true);
    assertThat(top.moveHere(b(top)).message()).contains("highest priority an adjustment reaches");
    top.run(SETTLE);
    top.assertMasterIs(a(top));
    top.assertPrioritiesAsConfigured();
  }

  // ---------------------------------------------------------------- preempt off

  @Test
  void withoutPreemptMovesAreRefusedAndMaintenanceFaultsAtOnce() {
    Net net = pair(100, 100, false);
    assertThat(net.moveHere(b(net)).message()).startsWith("preempt is off");
    assertThat(net.moveAway(a(net), b(net)).message()).startsWith("preempt is off");
    net.run(SETTLE);
    net.assertMasterIs(a(net));
    net.assertPrioritiesAsConfigured();
    // No backup would preempt a master at priority 1: maintenance resigns with priority 0.
    net.maintenance(a(net), true);
    assertThat(a(net).state()).isEqualTo(GroupState.FAULT);
    net.run(SETTLE);
    net.assertMasterIs(b(net));
    net.maintenance(a(net), false);
    net.run(SETTLE);
    net.assertMasterIs(b(net));
    net.assertPrioritiesAsConfigured();
  }

  // ---------------------------------------------------------------- maintenance and restart

  @Test
  void maintenanceSurvivesARestartAndTheNodeNeverClaims() {
    Net net = pair(150, 100, true);
    net.maintenance(a(net), true);
    assertThat(a(net).state()).as("handing over, still master").isEqualTo(GroupState.MASTER);
    net.run(SETTLE);
    net.assertMasterIs(b(net));
    assertThat(a(net).state()).isEqualTo(GroupState.FAULT);
    net.restart(a(net)); // the daemon reads its state file: started in maintenance
    assertThat(a(net).state()).isEqualTo(GroupState.FAULT);
    net.run(SETTLE);
    net.assertMasterIs(b(net));
    net.maintenance(a(net), false);
    net.run(SETTLE);
    net.assertMasterIs(a(net)); // 150 preempts again
    net.assertPrioritiesAsConfigured();
  }

  @Test
  void maintenanceOnTheOnlyNodeSaysItIsStillMaster() {
    Net net = new Net();
    Node a = net.add("alpha", "198.18.0.1", 100, true);
    net.start(a);
    net.run(5 * SECOND);
    net.maintenance(a, true);
    net.run(SETTLE);
    // No backup took over: it is master at priority 1, still serving, not "holding nothing".
    assertThat(a.state()).isEqualTo(GroupState.MASTER);
    assertThat(a.holds).isTrue();
    assertThat(a.effective()).isEqualTo(1);
  }

  @Test
  void movesAreRefusedInMaintenanceAndMaintenanceEndsAHeldMove() {
    Net net = pair(150, 100, true);
    net.moveAway(a(net), b(net));
    net.run(SETTLE);
    assertThat(a(net).policy.moveHold()).isPresent();
    net.maintenance(a(net), true);
    assertThat(a(net).policy.priorityAdjustments()).containsOnlyKeys("maintenance");
    assertThat(net.moveHere(a(net)).message()).startsWith("this node is in maintenance");
    assertThat(net.moveAway(a(net), b(net)).kind()).isEqualTo(Kind.REFUSED);
    net.restart(b(net)); // the other node restarts meanwhile: a stays out
    net.run(SETTLE);
    net.assertMasterIs(b(net));
    net.maintenance(a(net), false);
    net.run(SETTLE);
    net.assertMasterIs(a(net));
    net.assertPrioritiesAsConfigured();
  }

  @Test
  void aRestartEndsAMoveHoldAndTheHigherNodeTakesBackTheGroup() {
    // Moves are not persisted, unlike maintenance: a restarted node is at its configured priority.
    Net net = pair(150, 100, true);
    net.moveAway(a(net), b(net));
    net.run(SETTLE);
    net.assertMasterIs(b(net));
    net.restart(a(net));
    net.run(SETTLE);
    net.assertMasterIs(a(net));
    net.assertPrioritiesAsConfigured();
  }

  @Test
  void aRestartOfTheNewMasterAfterAMoveLeavesConfiguredPriorities() {
    Net net = pair(100, 100, true);
    net.moveHere(b(net));
    net.run(SETTLE);
    net.restart(b(net));
    net.run(SETTLE);
    net.assertMasterIs(a(net));
    net.assertPrioritiesAsConfigured();
  }

  // ---------------------------------------------------------------- setPriority

  @Test
  void aHeldMoveKeepsHoldingWhenOurPriorityRisesAndEndsWhenItFalls() {
    Net net = pair(150, 100, true);
    net.moveAway(a(net), b(net));
    net.run(SETTLE);
    net.setPriority(a(net), 200); // a reload raised it: still no takeover
    net.run(SETTLE);
    net.assertMasterIs(b(net));
    assertThat(a(net).effective()).isEqualTo(99);
    net.setPriority(a(net), 90); // now below the master: no hold needed
    net.run(SETTLE);
    net.assertMasterIs(b(net));
    net.assertPrioritiesAsConfigured();
  }

  @Test
  void aCheckRecoveringWhileHeldDoesNotUndoTheMove() {
    Net net = pair(150, 100, true);
    PriorityCause check = new PriorityCause.Check("web");
    net.apply(a(net), a(net).policy.report(check, new Impact.Adjust(-20), true, net.now));
    net.moveAway(a(net), b(net));
    net.run(SETTLE);
    assertThat(a(net).effective()).isEqualTo(99);
    net.apply(a(net), a(net).policy.report(check, new Impact.Adjust(-20), false, net.now));
    net.run(SETTLE);
    net.assertMasterIs(b(net));
    assertThat(a(net).effective()).isEqualTo(99);
    assertThat(a(net).policy.priorityAdjustments()).isEqualTo(Map.of("move", -51));
  }

  @Test
  void aMoveAfterAPriorityChangeStillLeavesConfiguredPriorities() {
    Net net = pair(100, 100, true);
    net.setPriority(b(net), 120); // beta preempts
    net.run(SETTLE);
    net.assertMasterIs(b(net));
    net.setPriority(b(net), 100);
    net.moveHere(a(net));
    net.run(SETTLE);
    net.assertMasterIs(a(net));
    net.assertPrioritiesAsConfigured();
  }

  // ---------------------------------------------------------------- preempt changed by a reload

  @Test
  void aHeldMoveEndsWhenAReloadTurnsPreemptOffAndTheGroupStays() {
    Net net = pair(150, 100, true);
    net.moveAway(a(net), b(net));
    net.run(SETTLE);
    assertThat(a(net).policy.moveHold()).isPresent();
    net.apply(a(net), a(net).policy.setPreempt(false, 0, net.now));
    net.run(SETTLE); // the next advert settles it: without preempt clearing makes nothing due
    net.assertMasterIs(b(net));
    net.assertPrioritiesAsConfigured();
  }

  @Test
  void maintenanceStuckAsMasterFaultsWhenAReloadTurnsPreemptOff() {
    Net net = new Net();
    Node a = net.add("alpha", "198.18.0.1", 100, true);
    net.start(a);
    net.run(5 * SECOND);
    net.maintenance(a, true);
    net.run(SETTLE);
    assertThat(a.state()).isEqualTo(GroupState.MASTER); // no backup: still serving
    net.apply(a, a.policy.setPreempt(false, 0, net.now));
    net.run(SECOND);
    assertThat(a.state()).isEqualTo(GroupState.FAULT);
    assertThat(a.holds).isFalse();
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
