package dev.takeover.vrrp;

import static dev.takeover.action.GroupState.BACKUP;
import static dev.takeover.action.GroupState.FAULT;
import static dev.takeover.action.GroupState.INITIALIZE;
import static dev.takeover.action.GroupState.MASTER;
import static dev.takeover.vrrp.VrrpMachineTest.HIGHER_ADDR;
import static dev.takeover.vrrp.VrrpMachineTest.LOCAL;
import static dev.takeover.vrrp.VrrpMachineTest.LOWER_ADDR;
import static dev.takeover.vrrp.VrrpMachineTest.MDI_100;
import static dev.takeover.vrrp.VrrpMachineTest.MS;
import static dev.takeover.vrrp.VrrpMachineTest.SECOND;
import static dev.takeover.vrrp.VrrpMachineTest.T0;
import static dev.takeover.vrrp.VrrpMachineTest.backup;
import static dev.takeover.vrrp.VrrpMachineTest.deadline;
import static dev.takeover.vrrp.VrrpMachineTest.master;
import static dev.takeover.vrrp.VrrpMachineTest.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.takeover.action.Action;
import dev.takeover.action.Action.ClaimAddresses;
import dev.takeover.action.Action.ReleaseAddresses;
import dev.takeover.action.Action.SendAdvert;
import dev.takeover.action.Action.Transition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * FAULT (a set of named fault reasons) and priority tracking (named adjustments), against the same
 * fake clock as {@link VrrpMachineTest}: it starts 2 s before {@link Long#MAX_VALUE}, so deadlines
 * wrap.
 */
class VrrpFaultAndTrackingTest {

  static final String LINK = "link eth0 down";
  static final String CHECK = "check web";

  /** Priority 70 at 1 s: Skew_Time = 186/256 s, Master_Down_Interval = 3 s + Skew_Time. */
  static final long MDI_70 = 3_726_562_500L;

  @Nested
  class EnteringFault {
    @Test
    void backupStopsItsTimerAndForgetsTheMaster() {
      VrrpMachine m = backup(params(100), T0);
      m.advertReceived(HIGHER_ADDR, 150, 100, T0 + SECOND);

      assertThat(m.fault(LINK, T0 + 2 * SECOND))
          .containsExactly(new Transition(BACKUP, FAULT, "fault: " + LINK));

      assertThat(m.state()).isEqualTo(FAULT);
      assertThat(m.nextDeadline()).isEmpty();
      assertThat(m.lastMaster()).isEmpty();
      assertThat(m.faults()).containsExactly(LINK);
    }

    @Test
    void masterSendsPriorityZeroThenReleasesThenTransitions() {
      VrrpMachine m = master(params(100), T0);
      long t = deadline(m) - 100 * MS;

      assertThat(m.fault(CHECK, t))
          .containsExactly(
              new SendAdvert(0),
              new ReleaseAddresses(),
              new Transition(MASTER, FAULT, "fault: " + CHECK));

      assertThat(m.nextDeadline()).isEmpty();
      assertThat(m.tick(t + 10 * SECOND)).isEmpty(); // No adverts in FAULT.
    }

    @Test
    void addressOwnerFaultsLikeAnyMaster() {
      VrrpMachine m = new VrrpMachine(params(255));
      m.startup(T0);

      assertThat(m.fault(LINK, T0 + SECOND))
          .containsExactly(
              new SendAdvert(0),
              new ReleaseAddresses(),
              new Transition(MASTER, FAULT, "fault: " + LINK));
    }

    @Test
    void advertsAndTicksAreIgnoredInFault() {
      VrrpMachine m = backup(params(100), T0);
      m.fault(LINK, T0);

      for (int priority : new int[] {0, 1, 50, 100, 254, 255}) {
        assertThat(m.advertReceived(LOWER_ADDR, priority, 100, T0 + SECOND)).isEmpty();
        assertThat(m.advertReceived(HIGHER_ADDR, priority, 100, T0 + SECOND)).isEmpty();
      }
      assertThat(m.tick(T0 + 100 * SECOND)).isEmpty();
      assertThat(m.state()).isEqualTo(FAULT);
      assertThat(m.lastMaster()).isEmpty();
      assertThat(m.nextDeadline()).isEmpty();
      // Not learned while in FAULT.
      assertThat(m.masterAdverIntervalNanos()).isEqualTo(SECOND);
    }

    @Test
    void advertsInFaultAreStillValidated() {
      VrrpMachine m = backup(params(100), T0);
      m.fault(LINK, T0);
      assertThatThrownBy(() -> m.advertReceived(HIGHER_ADDR, 256, 100, T0))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reportingTheSameFaultAgainDoesNothing() {
      VrrpMachine m = backup(params(100), T0);
      m.fault(LINK, T0);
      assertThat(m.fault(LINK, T0 + SECOND)).isEmpty();
      assertThat(m.faults()).containsExactly(LINK);
    }

    @Test
    void faultNamesAreRequired() {
      VrrpMachine m = backup(params(100), T0);
      assertThatThrownBy(() -> m.fault(" ", T0)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> m.fault(null, T0)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> m.clearFault("", T0)).isInstanceOf(IllegalArgumentException.class);
      assertThat(m.state()).isEqualTo(BACKUP);
    }
  }

  @Nested
  class LeavingFault {
    @Test
    void twoSourcesMustBothClear() {
      VrrpMachine m = master(params(100), T0);
      m.fault(LINK, T0 + SECOND);
      assertThat(m.fault(CHECK, T0 + SECOND)).isEmpty(); // Already in FAULT: only recorded.
      assertThat(m.faults()).containsExactly(CHECK, LINK); // Sorted.

      assertThat(m.clearFault(LINK, T0 + 2 * SECOND)).isEmpty();
      assertThat(m.state()).isEqualTo(FAULT);
      assertThat(m.faults()).containsExactly(CHECK);
      assertThat(m.nextDeadline()).isEmpty();

      long t = T0 + 3 * SECOND;
      assertThat(m.clearFault(CHECK, t))
          .containsExactly(new Transition(FAULT, BACKUP, "fault cleared: " + CHECK));
      assertThat(m.faults()).isEmpty();
      // As at startup: Master_Down_Timer := Master_Down_Interval; the deadline wraps.
      assertThat(m.nextDeadline()).hasValue(t + MDI_100);
      assertThat(t + MDI_100).isNegative();
    }

    @Test
    void clearingAFaultThatIsNotActiveDoesNothing() {
      VrrpMachine m = backup(params(100), T0);
      assertThat(m.clearFault(LINK, T0)).isEmpty();
      m.fault(LINK, T0);
      assertThat(m.clearFault(CHECK, T0)).isEmpty();
      assertThat(m.state()).isEqualTo(FAULT);
      assertThat(m.clearFault(LINK, T0)).hasSize(1);
      assertThat(m.clearFault(LINK, T0)).isEmpty();
      assertThat(m.state()).isEqualTo(BACKUP);
    }

    @Test
    void theLearnedIntervalIsForgottenAsAtStartup() {
      VrrpMachine m = backup(params(100), T0);
      m.advertReceived(HIGHER_ADDR, 150, 200, T0); // Master advertises every 2 s.
      assertThat(m.masterAdverIntervalNanos()).isEqualTo(2 * SECOND);
      m.fault(LINK, T0 + SECOND);

      m.clearFault(LINK, T0 + 2 * SECOND);

      assertThat(m.masterAdverIntervalNanos()).isEqualTo(SECOND);
      assertThat(m.nextDeadline()).hasValue(T0 + 2 * SECOND + MDI_100);
    }

    @Test
    void afterClearingTheBackupTakesOverWhenNoMasterSpeaks() {
      VrrpMachine m = master(params(100), T0);
      m.fault(LINK, T0 + SECOND);
      m.clearFault(LINK, T0 + 2 * SECOND);

      assertThat(m.tick(T0 + 2 * SECOND + MDI_100))
          .containsExactly(
              new SendAdvert(100),
              new ClaimAddresses(),
              new Transition(BACKUP, MASTER, "master down timer expired"));
    }

    @Test
    void afterClearingTheBackupDefersToAHigherMaster() {
      VrrpMachine m = backup(params(100), T0);
      m.fault(LINK, T0);
      m.clearFault(LINK, T0 + SECOND);

      assertThat(m.advertReceived(HIGHER_ADDR, 150, 100, T0 + 2 * SECOND)).isEmpty();
      assertThat(m.nextDeadline()).hasValue(T0 + 2 * SECOND + MDI_100);
      assertThat(m.lastMaster().orElseThrow().address()).isEqualTo(HIGHER_ADDR);
    }

    @Test
    void addressOwnerBecomesMasterAtOnce() {
      VrrpMachine m = new VrrpMachine(params(255));
      m.startup(T0);
      m.fault(LINK, T0 + SECOND);

      long t = T0 + 2 * SECOND;
      assertThat(m.clearFault(LINK, t))
          .containsExactly(
              new SendAdvert(255),
              new ClaimAddresses(),
              new Transition(
                  FAULT, MASTER, "fault cleared: " + LINK + " as address owner (priority 255)"));
      assertThat(m.nextDeadline()).hasValue(t + SECOND);
    }

    @Test
    void priorityChangedInFaultCountsWhenItClears() {
      VrrpMachine m = backup(params(100), T0);
      m.fault(LINK, T0);
      assertThat(m.adjustPriority(CHECK, -30, T0)).isEmpty();
      assertThat(m.setPriority(120, T0)).isEmpty();

      m.clearFault(LINK, T0 + SECOND);

      assertThat(m.effectivePriority()).isEqualTo(90);
      assertThat(m.nextDeadline()).hasValue(T0 + SECOND + 3_648_437_500L); // MDI at 90.
    }

    @Test
    void shutdownFromFaultGoesToInitializeAndKeepsTheFaults() {
      VrrpMachine m = backup(params(100), T0);
      m.fault(LINK, T0);
      m.fault(CHECK, T0);

      assertThat(m.shutdown(T0 + SECOND))
          .containsExactly(new Transition(FAULT, INITIALIZE, "shutdown"));
      assertThat(m.nextDeadline()).isEmpty();
      assertThat(m.faults()).containsExactly(CHECK, LINK);

      assertThat(m.startup(T0 + 2 * SECOND))
          .containsExactly(
              new Transition(INITIALIZE, FAULT, "startup in fault: " + CHECK + ", " + LINK));
      assertThat(m.nextDeadline()).isEmpty();
    }
  }

  @Nested
  class FaultBeforeStartup {
    @Test
    void isRecordedAndStartupEntersFault() {
      VrrpMachine m = new VrrpMachine(params(100));
      assertThat(m.fault(LINK, T0)).isEmpty();
      assertThat(m.state()).isEqualTo(INITIALIZE);

      assertThat(m.startup(T0))
          .containsExactly(new Transition(INITIALIZE, FAULT, "startup in fault: " + LINK));
      assertThat(m.clearFault(LINK, T0 + SECOND))
          .containsExactly(new Transition(FAULT, BACKUP, "fault cleared: " + LINK));
    }

    @Test
    void evenForTheAddressOwner() {
      VrrpMachine m = new VrrpMachine(params(255));
      m.fault(LINK, T0);
      assertThat(m.startup(T0))
          .containsExactly(new Transition(INITIALIZE, FAULT, "startup in fault: " + LINK));
    }

    @Test
    void clearedBeforeStartupLeavesANormalStartup() {
      VrrpMachine m = new VrrpMachine(params(100));
      m.fault(LINK, T0);
      assertThat(m.clearFault(LINK, T0)).isEmpty();
      assertThat(m.startup(T0)).containsExactly(new Transition(INITIALIZE, BACKUP, "startup"));
    }
  }

  @Nested
  class Tracking {
    @Test
    void backupAdjustmentChangesTimersButSendsNothing() {
      VrrpMachine m = backup(params(100), T0);

      assertThat(m.adjustPriority(CHECK, -30, T0 + SECOND)).isEmpty();

      assertThat(m.effectivePriority()).isEqualTo(70);
      assertThat(m.priority()).isEqualTo(70);
      assertThat(m.basePriority()).isEqualTo(100);
      assertThat(m.priorityAdjustments()).containsExactly(Map.entry(CHECK, -30));
      assertThat(m.masterDownIntervalNanos()).isEqualTo(MDI_70);
      assertThat(m.nextDeadline()).hasValue(T0 + MDI_100); // The running timer keeps its deadline.
    }

    @Test
    void masterAdvertisesTheEffectivePriorityAtOnce() {
      VrrpMachine m = master(params(100), T0);
      long t = deadline(m) + 250 * MS;

      assertThat(m.adjustPriority(CHECK, -30, t)).containsExactly(new SendAdvert(70));
      assertThat(m.nextDeadline()).hasValue(t + SECOND);
      assertThat(m.tick(t + SECOND)).containsExactly(new SendAdvert(70));

      assertThat(m.clearAdjustment(CHECK, t + SECOND)).containsExactly(new SendAdvert(100));
      assertThat(m.priorityAdjustments()).isEmpty();
    }

    @Test
    void adjustmentsAreIdempotentPerSource() {
      VrrpMachine m = master(params(100), T0);
      long t = deadline(m);

      assertThat(m.adjustPriority(CHECK, -30, t)).containsExactly(new SendAdvert(70));
      assertThat(m.adjustPriority(CHECK, -30, t)).isEmpty();
      assertThat(m.adjustPriority(CHECK, -20, t)).containsExactly(new SendAdvert(80)); // Replaces.
      assertThat(m.priorityAdjustments()).containsExactly(Map.entry(CHECK, -20));
      assertThat(m.clearAdjustment(CHECK, t)).containsExactly(new SendAdvert(100));
      assertThat(m.clearAdjustment(CHECK, t)).isEmpty();
      assertThat(m.clearAdjustment("never added", t)).isEmpty();
    }

    @Test
    void weightsFromSeveralSourcesAdd() {
      VrrpMachine m = backup(params(100), T0);
      m.adjustPriority(CHECK, -30, T0);
      m.adjustPriority("check db", 50, T0);
      m.adjustPriority("zero", 0, T0);

      assertThat(m.effectivePriority()).isEqualTo(120);
      assertThat(m.priorityAdjustments())
          .containsExactly(Map.entry("check db", 50), Map.entry(CHECK, -30), Map.entry("zero", 0));
      assertThat(m.priorityAdjustments().firstKey()).isEqualTo("check db"); // Sorted by source.
    }

    @Test
    void aChangeThatCancelsOutSendsNothing() {
      VrrpMachine m = master(params(100), T0);
      long t = deadline(m);
      m.adjustPriority("a", 10, t);
      m.adjustPriority("b", -10, t);
      assertThat(m.effectivePriority()).isEqualTo(100);
      assertThat(m.adjustPriority("c", 0, t)).isEmpty();
    }

    @Test
    void effectivePriorityIsClampedToOneTo254() {
      VrrpMachine m = backup(params(100), T0);
      m.adjustPriority("a", -254, T0);
      m.adjustPriority("b", -254, T0);
      assertThat(m.effectivePriority()).isEqualTo(1);

      m.clearAdjustment("a", T0);
      m.clearAdjustment("b", T0);
      m.adjustPriority("a", 254, T0);
      assertThat(m.effectivePriority()).isEqualTo(254); // Weights never make an owner.

      m.setPriority(250, T0);
      m.clearAdjustment("a", T0);
      m.adjustPriority("a", 10, T0);
      assertThat(m.effectivePriority()).isEqualTo(254);
    }

    @Test
    void theSumCannotOverflow() {
      List<Integer> many = java.util.Collections.nCopies(10_000_000, 254);
      assertThat(VrrpMachine.effectivePriorityOf(100, many)).isEqualTo(254);
      List<Integer> manyDown = java.util.Collections.nCopies(10_000_000, -254);
      assertThat(VrrpMachine.effectivePriorityOf(100, manyDown)).isEqualTo(1);
    }

    @Test
    void theAddressOwnerIsNeverMovedByWeights() {
      VrrpMachine m = new VrrpMachine(params(255));
      m.startup(T0);

      assertThat(m.adjustPriority(CHECK, -100, T0 + SECOND)).isEmpty();
      assertThat(m.effectivePriority()).isEqualTo(255);
      assertThat(m.priorityAdjustments()).containsExactly(Map.entry(CHECK, -100)); // Still shown.

      // Stop being the owner: the adjustment applies again.
      assertThat(m.setPriority(200, T0 + SECOND)).containsExactly(new SendAdvert(100));
      assertThat(m.setPriority(255, T0 + SECOND)).containsExactly(new SendAdvert(255));
    }

    @Test
    void setPriorityMovesTheBaseUnderTheAdjustments() {
      VrrpMachine m = master(params(100), T0);
      long t = deadline(m);
      m.adjustPriority(CHECK, -30, t);

      assertThat(m.setPriority(150, t)).containsExactly(new SendAdvert(120));
      assertThat(m.basePriority()).isEqualTo(150);
      assertThat(m.setPriority(150, t)).isEmpty();
    }

    @Test
    void adjustmentsAreValidated() {
      VrrpMachine m = backup(params(100), T0);
      assertThatThrownBy(() -> m.adjustPriority(CHECK, 255, T0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> m.adjustPriority(CHECK, -255, T0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> m.adjustPriority("", 10, T0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> m.clearAdjustment(null, T0))
          .isInstanceOf(NullPointerException.class);
      assertThat(m.priorityAdjustments()).isEmpty();
    }

    @Test
    void reasonsAreReadOnlySnapshots() {
      VrrpMachine m = backup(params(100), T0);
      m.adjustPriority(CHECK, -10, T0);
      m.fault(LINK, T0);
      var adjustments = m.priorityAdjustments();
      var faults = m.faults();

      assertThatThrownBy(() -> adjustments.put("x", 1))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> faults.add("x")).isInstanceOf(UnsupportedOperationException.class);
      m.clearFault(LINK, T0);
      assertThat(faults).containsExactly(LINK); // A snapshot, not a view.
      assertThat(m.toString())
          .isEqualTo("VrrpMachine[VRID 51, BACKUP, priority 90 (base 100, {check web=-10})]");
      m.fault(LINK, T0);
      assertThat(m.toString()).endsWith(", faults [link eth0 down]]");
    }
  }

  /** Two machines wired by hand: the actions of one become the events of the other. */
  @Nested
  class Preemption {
    final VrrpParams paramsA = VrrpParams.defaults(51, 150, HIGHER_ADDR);
    final VrrpParams paramsB = VrrpParams.defaults(51, 100, LOCAL);

    /** A is master at priority 150 and B its backup at 100, B having heard A at {@code t}. */
    long settle(VrrpMachine a, VrrpMachine b) {
      a.startup(T0);
      b.startup(T0);
      long t = deadline(a);
      assertThat(a.tick(t)).contains(new ClaimAddresses());
      b.advertReceived(HIGHER_ADDR, 150, 100, t);
      return t;
    }

    @Test
    void masterWhoseEffectivePriorityDropsBelowTheBackupIsPreempted() {
      VrrpMachine a = new VrrpMachine(paramsA);
      VrrpMachine b = new VrrpMachine(paramsB);
      long t = settle(a, b);

      List<Action> sent = a.adjustPriority(CHECK, -80, t + 100 * MS);
      assertThat(sent).containsExactly(new SendAdvert(70));
      b.advertReceived(HIGHER_ADDR, 70, 100, t + 100 * MS); // B preempts: discarded.
      long bDeadline = deadline(b);
      assertThat(bDeadline).isEqualTo(t + MDI_100); // Not reset by the lower advert.
      assertThat(a.tick(t + 1100 * MS)).containsExactly(new SendAdvert(70)); // Re-armed.
      b.advertReceived(HIGHER_ADDR, 70, 100, t + 1100 * MS);

      assertThat(b.tick(bDeadline))
          .containsExactly(
              new SendAdvert(100),
              new ClaimAddresses(),
              new Transition(
                  BACKUP,
                  MASTER,
                  "master down timer expired, preempting lower priority master 198.18.0.20"
                      + " (prio 70)"));
      assertThat(a.advertReceived(LOCAL, 100, 100, bDeadline))
          .containsExactly(
              new ReleaseAddresses(),
              new Transition(MASTER, BACKUP, "higher priority advert from 198.18.0.10 (prio 100)"));
    }

    @Test
    void plannedMoveTargetRaisesItselfAboveTheMaster() {
      VrrpMachine a = new VrrpMachine(paramsA);
      VrrpMachine b = new VrrpMachine(paramsB);
      long t = settle(a, b);

      assertThat(b.adjustPriority("move", 100, t)).isEmpty();
      assertThat(b.effectivePriority()).isEqualTo(200);
      long bDeadline = deadline(b);
      for (long at = t + SECOND; at - bDeadline < 0; at += SECOND) {
        a.tick(at);
        assertThat(b.advertReceived(HIGHER_ADDR, 150, 100, at)).isEmpty(); // Discarded.
      }
      assertThat(b.tick(bDeadline)).contains(new SendAdvert(200), new ClaimAddresses());
      // A still holds the addresses until it hears B: make, then break.
      assertThat(a.state()).isEqualTo(MASTER);
      assertThat(a.advertReceived(LOCAL, 200, 100, bDeadline + MS))
          .contains(new ReleaseAddresses());
      assertThat(a.state()).isEqualTo(BACKUP);
    }

    @Test
    void faultedMasterIsReplacedAfterSkewTime() {
      VrrpMachine a = new VrrpMachine(paramsA);
      VrrpMachine b = new VrrpMachine(paramsB);
      long t = settle(a, b);

      assertThat(a.fault(LINK, t + 100 * MS)).first().isEqualTo(new SendAdvert(0));
      b.advertReceived(HIGHER_ADDR, 0, 100, t + 100 * MS);

      assertThat(deadline(b)).isEqualTo(t + 100 * MS + b.skewTimeNanos());
      assertThat(b.tick(deadline(b))).contains(new ClaimAddresses());
    }
  }
}
