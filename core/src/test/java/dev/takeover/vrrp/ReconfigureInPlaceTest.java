package dev.takeover.vrrp;

import static dev.takeover.action.GroupState.BACKUP;
import static dev.takeover.action.GroupState.FAULT;
import static dev.takeover.action.GroupState.MASTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.takeover.action.Action;
import dev.takeover.action.Action.Announce;
import dev.takeover.action.Action.ReleaseAddresses;
import dev.takeover.action.Action.RunHook;
import dev.takeover.action.Action.SendAdvert;
import dev.takeover.action.Action.Transition;
import dev.takeover.action.HookPoint;
import dev.takeover.clock.ManualClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What a reload changes in place on a running group (priority, Advertisement_Interval, preempt,
 * settings, weights), against a {@link ManualClock} that starts just before the monotonic clock
 * wraps. Two-node tests wire two policies together: each advert one sends is heard by the other at
 * once, carrying its sender's Advertisement_Interval as Max Adver Int.
 */
class ReconfigureInPlaceTest {
  static final long MS = 1_000_000L;
  static final long SECOND = 1_000 * MS;
  static final InetAddress A = ip("198.18.0.10");
  static final InetAddress B = ip("198.18.0.20");
  static final Set<HookPoint> HOOKS = Set.of(HookPoint.AFTER_CLAIM, HookPoint.AFTER_RELEASE);

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static GroupPolicy.Settings settings(Set<HookPoint> hooks) {
    return new GroupPolicy.Settings(100 * MS, 5, 200 * MS, 60 * SECOND, hooks);
  }

  /** One node: its policy, the interval it advertises and every action it returned. */
  static final class Node {
    final InetAddress address;
    final GroupPolicy policy;
    long intervalNanos;
    final List<Action> actions = new ArrayList<>();

    Node(InetAddress address, int priority, long intervalNanos, boolean preempt) {
      this.address = address;
      this.intervalNanos = intervalNanos;
      this.policy =
          new GroupPolicy(
              new VrrpMachine(new VrrpParams(51, priority, intervalNanos, preempt, 0, address)),
              settings(HOOKS));
    }

    List<Transition> transitions() {
      return actions.stream()
          .filter(Transition.class::isInstance)
          .map(Transition.class::cast)
          .toList();
    }

    List<RunHook> hooks() {
      return actions.stream().filter(RunHook.class::isInstance).map(RunHook.class::cast).toList();
    }
  }

  /** Two nodes on one wire, driven by one manual clock. */
  static final class Wire {
    final ManualClock clock = new ManualClock(Long.MAX_VALUE - 5 * SECOND, Instant.EPOCH);
    final Node a;
    final Node b;

    Wire(Node a, Node b) {
      this.a = a;
      this.b = b;
    }

    long now() {
      return clock.nanoTime();
    }

    /** Applies {@code actions} of {@code from}: its adverts reach the other node at once. */
    void carry(Node from, List<Action> actions) {
      from.actions.addAll(actions);
      Node to = from == a ? b : a;
      for (Action x : actions) {
        if (x instanceof SendAdvert s) {
          carry(
              to,
              to.policy.advertReceived(
                  from.address, s.priority(), VrrpTimers.nanosToCentis(from.intervalNanos), now()));
        }
      }
    }

    /** Runs both nodes' deadlines in time order for {@code nanos}. */
    void run(long nanos) {
      long end = now() + nanos;
      while (true) {
        OptionalLong next = earliest();
        if (next.isEmpty() || next.getAsLong() - end > 0) {
          clock.advanceNanos(end - now());
          return;
        }
        if (next.getAsLong() - now() > 0) {
          clock.advanceNanos(next.getAsLong() - now());
        }
        for (Node n : List.of(a, b)) {
          OptionalLong d = n.policy.nextDeadline();
          if (d.isPresent() && d.getAsLong() - now() <= 0) {
            carry(n, n.policy.tick(now()));
          }
        }
      }
    }

    private OptionalLong earliest() {
      OptionalLong x = a.policy.nextDeadline();
      OptionalLong y = b.policy.nextDeadline();
      if (x.isEmpty()) {
        return y;
      }
      if (y.isEmpty()) {
        return x;
      }
      return x.getAsLong() - y.getAsLong() <= 0 ? x : y;
    }

    /** a master, b backup, both settled; their actions so far forgotten. */
    Wire settled() {
      carry(a, a.policy.startup(now()));
      run(4 * SECOND);
      carry(b, b.policy.startup(now()));
      run(5 * SECOND);
      assertThat(a.policy.state()).isEqualTo(MASTER);
      assertThat(b.policy.state()).isEqualTo(BACKUP);
      a.actions.clear();
      b.actions.clear();
      return this;
    }
  }

  static Wire pair(int priorityA, int priorityB, long intervalNanos) {
    return new Wire(
            new Node(A, priorityA, intervalNanos, true),
            new Node(B, priorityB, intervalNanos, true))
        .settled();
  }

  @Nested
  class Priority {
    @Test
    void aMasterThatStaysHighestOnlyAdvertisesItsNewPriority() {
      Wire w = pair(200, 100, SECOND);

      w.carry(w.a, w.a.policy.setPriority(190, w.now()));
      w.run(30 * SECOND);

      assertThat(w.a.actions.getFirst()).isEqualTo(new SendAdvert(190));
      assertThat(w.a.transitions()).isEmpty();
      assertThat(w.b.transitions()).isEmpty();
      assertThat(w.a.hooks()).isEmpty();
      assertThat(w.b.hooks()).isEmpty();
    }

    @Test
    void aMasterLoweredBelowAPreemptingBackupHandsOverOnceThroughVrrp() {
      Wire w = pair(200, 150, SECOND);

      w.carry(w.a, w.a.policy.setPriority(100, w.now()));
      w.run(30 * SECOND);

      assertThat(w.a.transitions()).extracting(Transition::to).containsExactly(BACKUP);
      assertThat(w.b.transitions()).extracting(Transition::to).containsExactly(MASTER);
      assertThat(w.a.hooks()).containsExactly(new RunHook(HookPoint.AFTER_RELEASE));
      assertThat(w.b.hooks()).containsExactly(new RunHook(HookPoint.AFTER_CLAIM));
      // Make-before-break: b claims before its first advert, a holds until it hears it.
      assertThat(w.a.actions).anyMatch(Action.HoldAddresses.class::isInstance);
    }

    @Test
    void aBackupRaisedAboveTheMasterWaitsForPreemptToBeOn() {
      Wire w = new Wire(new Node(A, 200, SECOND, true), new Node(B, 100, SECOND, false)).settled();

      w.carry(w.b, w.b.policy.setPriority(250, w.now()));
      w.run(10 * SECOND);
      assertThat(w.b.transitions()).as("preempt off: b defers").isEmpty();

      w.carry(w.b, w.b.policy.setPreempt(true, 0, w.now()));
      w.run(10 * SECOND);
      assertThat(w.b.transitions())
          .extracting(Transition::to)
          .containsExactly(MASTER); // one handover, the normal way
      assertThat(w.a.transitions()).extracting(Transition::to).containsExactly(BACKUP);
    }
  }

  @Nested
  class AdvertisementInterval {
    @Test
    void aMasterAdvertisesTheNewIntervalAtOnceAndKeepsIt() {
      Wire w = pair(200, 100, 100 * MS);
      long now = w.now();

      w.a.intervalNanos = 2 * SECOND;
      assertThat(w.a.policy.setAdvertisementInterval(2 * SECOND, now))
          .containsExactly(new SendAdvert(200));
      assertThat(w.a.policy.timerDeadline()).hasValue(now + 2 * SECOND);
      assertThat(w.a.policy.masterAdverIntervalNanos()).isEqualTo(2 * SECOND);
    }

    /**
     * 100 ms to 2 s: the backup would time the master out after 3 × 100 ms + skew if it had to wait
     * 2 s for the next advert. The advert sent at once teaches it the new interval.
     */
    @Test
    void backupsLearnAGrowingIntervalFromTheNextAdvertAndStayBackup() {
      Wire w = pair(200, 100, 100 * MS);

      w.a.intervalNanos = 2 * SECOND;
      w.carry(w.a, w.a.policy.setAdvertisementInterval(2 * SECOND, w.now()));
      assertThat(w.b.policy.masterAdverIntervalNanos()).isEqualTo(2 * SECOND);
      assertThat(w.b.policy.masterDownIntervalNanos())
          .isEqualTo(VrrpTimers.masterDownIntervalNanos(100, 2 * SECOND));
      w.run(60 * SECOND);

      assertThat(w.a.transitions()).isEmpty();
      assertThat(w.b.transitions()).isEmpty();
      long adverts = w.a.actions.stream().filter(SendAdvert.class::isInstance).count();
      assertThat(adverts).isBetween(30L, 32L); // one now, then one every 2 s
    }

    @Test
    void aShrinkingIntervalKeepsTheBackupBackupToo() {
      Wire w = pair(200, 100, 2 * SECOND);

      w.a.intervalNanos = 10 * MS;
      w.carry(w.a, w.a.policy.setAdvertisementInterval(10 * MS, w.now()));
      w.run(5 * SECOND);

      assertThat(w.b.policy.masterAdverIntervalNanos()).isEqualTo(10 * MS);
      assertThat(w.a.transitions()).isEmpty();
      assertThat(w.b.transitions()).isEmpty();
    }

    @Test
    void aBackupKeepsItsTimerAndUsesTheNewIntervalOnceMaster() {
      Wire w = pair(200, 100, SECOND);
      OptionalLong timer = w.b.policy.timerDeadline();

      assertThat(w.b.policy.setAdvertisementInterval(300 * MS, w.now())).isEmpty();
      assertThat(w.b.policy.timerDeadline()).isEqualTo(timer);
      assertThat(w.b.policy.masterAdverIntervalNanos()).isEqualTo(SECOND); // the master's

      w.b.intervalNanos = 300 * MS;
      w.carry(w.a, w.a.policy.stop(w.now(), false)); // priority 0: b takes over after Skew_Time
      w.run(SECOND);
      assertThat(w.b.policy.state()).isEqualTo(MASTER);
      long first = w.b.policy.timerDeadline().getAsLong();
      w.run(first - w.now());
      assertThat(w.b.policy.timerDeadline()).hasValue(first + 300 * MS); // Adver_Timer
    }

    @Test
    void theSameIntervalDoesNothingAndABadOneChangesNothing() {
      Wire w = pair(200, 100, SECOND);
      OptionalLong timer = w.a.policy.timerDeadline();

      assertThat(w.a.policy.setAdvertisementInterval(SECOND, w.now())).isEmpty();
      assertThatThrownBy(() -> w.a.policy.setAdvertisementInterval(15 * MS, w.now()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(w.a.policy.timerDeadline()).isEqualTo(timer);
    }
  }

  @Nested
  class Preempt {
    @Test
    void turningPreemptOnMakesTheNextLowerAdvertDiscardedAndTheBackupTakesOver() {
      Wire w = new Wire(new Node(A, 100, SECOND, true), new Node(B, 200, SECOND, false));
      // b starts second and stays backup under a (preempt off), though its priority is higher.
      w.settled();

      w.carry(w.b, w.b.policy.setPreempt(true, 0, w.now()));
      assertThat(w.b.actions).isEmpty(); // nothing now
      w.run(10 * SECOND);

      assertThat(w.b.transitions()).extracting(Transition::to).containsExactly(MASTER);
      assertThat(w.a.transitions()).extracting(Transition::to).containsExactly(BACKUP);
    }

    @Test
    void turningPreemptOffKeepsALowerMasterInPlace() {
      Wire w = new Wire(new Node(A, 100, SECOND, true), new Node(B, 200, SECOND, true));
      w.carry(w.a, w.a.policy.startup(w.now()));
      w.run(4 * SECOND);
      w.carry(w.b, w.b.policy.setPreempt(false, 0, w.now())); // before b hears a

      w.carry(w.b, w.b.policy.startup(w.now()));
      w.run(20 * SECOND);

      assertThat(w.a.policy.state()).isEqualTo(MASTER);
      assertThat(w.b.policy.state()).isEqualTo(BACKUP);
    }

    @Test
    void aShorterDelayCountsFromTheFirstLowerAdvert() {
      Wire w = new Wire(new Node(A, 100, SECOND, true), new Node(B, 200, SECOND, true));
      w.carry(w.a, w.a.policy.startup(w.now()));
      w.run(4 * SECOND);
      w.carry(w.b, w.b.policy.setPreempt(true, 60 * SECOND, w.now()));
      w.carry(w.b, w.b.policy.startup(w.now()));
      w.run(20 * SECOND);
      assertThat(w.b.policy.state()).as("within the 60 s delay").isEqualTo(BACKUP);

      // 20 s have passed since the first lower advert: a 10 s delay is over, preempt now.
      w.carry(w.b, w.b.policy.setPreempt(true, 10 * SECOND, w.now()));
      long deadline = w.now() + 2 * SECOND + w.b.policy.masterDownIntervalNanos();
      w.run(deadline - w.now());
      assertThat(w.b.policy.state()).isEqualTo(MASTER);
    }
  }

  @Nested
  class Settings {
    @Test
    void hooksRemovedAreNotAskedForAndHooksAddedAre() {
      Wire w = pair(200, 150, SECOND);
      w.a.policy.setSettings(settings(Set.of()), w.now());
      w.b.policy.setSettings(settings(Set.of(HookPoint.AFTER_CLAIM, HookPoint.FAULT)), w.now());

      w.carry(w.a, w.a.policy.setPriority(100, w.now()));
      w.run(10 * SECOND);

      assertThat(w.a.hooks()).isEmpty();
      assertThat(w.b.hooks()).containsExactly(new RunHook(HookPoint.AFTER_CLAIM));
    }

    @Test
    void aShorterRefreshTakesEffectNowAndNoFrameIsSentByTheChangeItself() {
      Wire w = pair(200, 100, SECOND);
      long now = w.now();

      assertThat(
              w.a.policy.setSettings(
                  new GroupPolicy.Settings(100 * MS, 5, 200 * MS, 2 * SECOND, HOOKS), now))
          .isEmpty();
      w.run(2 * SECOND);

      assertThat(w.a.actions).contains(new Announce(0, 5));
    }

    @Test
    void refreshTurnedOffStopsAnnouncing() {
      Wire w = pair(200, 100, SECOND);
      w.a.policy.setSettings(new GroupPolicy.Settings(100 * MS, 5, 200 * MS, 0, HOOKS), w.now());
      w.run(200 * SECOND);
      assertThat(w.a.actions).noneMatch(Announce.class::isInstance);
    }

    @Test
    void aLongerHandoverHoldAppliesToTheNextRelease() {
      Wire w = pair(200, 150, SECOND);
      w.a.policy.setSettings(new GroupPolicy.Settings(SECOND, 5, 200 * MS, 60 * SECOND, HOOKS), 0);
      w.carry(w.a, w.a.policy.setPriority(100, w.now()));
      w.run(5 * SECOND);

      Action.HoldAddresses hold =
          w.a.actions.stream()
              .filter(Action.HoldAddresses.class::isInstance)
              .map(Action.HoldAddresses.class::cast)
              .findFirst()
              .orElseThrow();
      int released = w.a.actions.indexOf(new ReleaseAddresses());
      assertThat(released).isGreaterThan(w.a.actions.indexOf(hold));
      assertThat(hold.untilNanos()).isNotZero();
    }
  }

  @Nested
  class Weights {
    final PriorityCause check = new PriorityCause.Check("web");

    @Test
    void aFaultTurnedIntoAnAdjustmentRestartsTheGroupAtTheAdjustedPriority() {
      Wire w = pair(200, 100, SECOND);
      w.carry(w.a, w.a.policy.report(check, new Impact.Fault(), true, w.now()));
      assertThat(w.a.policy.state()).isEqualTo(FAULT);

      List<Action> out =
          w.a.policy.reweigh(check, new Impact.Fault(), new Impact.Adjust(-150), w.now());

      assertThat(out).contains(new Transition(FAULT, BACKUP, "fault cleared: check web down"));
      assertThat(w.a.policy.effectivePriority()).isEqualTo(50);
      assertThat(w.a.policy.faults()).isEmpty();
    }

    @Test
    void anAdjustmentTurnedIntoAFaultFaultsWithoutAdvertisingTheUnadjustedPriority() {
      Wire w = pair(200, 100, SECOND);
      w.carry(w.a, w.a.policy.report(check, new Impact.Adjust(-10), true, w.now()));
      assertThat(w.a.policy.effectivePriority()).isEqualTo(190);

      List<Action> out =
          w.a.policy.reweigh(check, new Impact.Adjust(-10), new Impact.Fault(), w.now());

      assertThat(out.getFirst()).isEqualTo(new SendAdvert(0));
      assertThat(out).doesNotContain(new SendAdvert(200));
      assertThat(w.a.policy.state()).isEqualTo(FAULT);
      assertThat(w.a.policy.priorityAdjustments()).isEmpty();
    }

    @Test
    void aNewDeltaReplacesTheOldOne() {
      Wire w = pair(200, 100, SECOND);
      w.carry(w.a, w.a.policy.report(check, new Impact.Adjust(-10), true, w.now()));

      assertThat(w.a.policy.reweigh(check, new Impact.Adjust(-10), new Impact.Adjust(-20), 0))
          .containsExactly(new SendAdvert(180));
      assertThat(w.a.policy.priorityAdjustments()).containsEntry("check web down", -20);
    }

    @Test
    void anInactiveCauseIsLeftAlone() {
      Wire w = pair(200, 100, SECOND);
      assertThat(w.a.policy.reweigh(check, new Impact.Adjust(-10), new Impact.Fault(), w.now()))
          .isEmpty();
      assertThat(w.a.policy.state()).isEqualTo(MASTER);
    }
  }
}
