package dev.takeover.vrrp;

import static dev.takeover.action.GroupState.BACKUP;
import static dev.takeover.action.GroupState.INITIALIZE;
import static dev.takeover.action.GroupState.MASTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.takeover.action.Action;
import dev.takeover.action.Action.ClaimAddresses;
import dev.takeover.action.Action.ReleaseAddresses;
import dev.takeover.action.Action.SendAdvert;
import dev.takeover.action.Action.Transition;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every rule of RFC 5798 §6.4 (as updated by RFC 9568) against a fake clock. The clock starts just
 * below {@link Long#MAX_VALUE}, so most deadlines in these tests wrap to negative values.
 */
class VrrpMachineTest {

  static final long MS = 1_000_000L;
  static final long SECOND = 1_000 * MS;

  /** Fake clock origin: 2 s before the long wraps, so most deadlines here wrap. */
  static final long T0 = Long.MAX_VALUE - 2 * SECOND;

  /** 1 s, priority 100: Master_Down_Interval = 3 s + 156/256 s. */
  static final long MDI_100 = 3_609_375_000L;

  static final long SKEW_100 = 609_375_000L;

  static final InetAddress LOCAL = ip("198.18.0.10");
  static final InetAddress LOWER_ADDR = ip("198.18.0.9");
  static final InetAddress HIGHER_ADDR = ip("198.18.0.20");

  /** Higher than LOCAL only when the last byte (200) is compared unsigned. */
  static final InetAddress HIGHER_UNSIGNED = ip("198.18.0.200");

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal); // A literal: no lookup.
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static VrrpParams params(int priority) {
    return VrrpParams.defaults(51, priority, LOCAL);
  }

  static VrrpMachine backup(VrrpParams params, long now) {
    VrrpMachine m = new VrrpMachine(params);
    assertThat(m.startup(now)).containsExactly(new Transition(INITIALIZE, BACKUP, "startup"));
    return m;
  }

  static VrrpMachine master(VrrpParams params, long now) {
    VrrpMachine m = backup(params, now);
    long deadline = m.nextDeadline().orElseThrow();
    assertThat(m.tick(deadline)).hasSize(3);
    assertThat(m.state()).isEqualTo(MASTER);
    return m;
  }

  static long deadline(VrrpMachine m) {
    return m.nextDeadline().orElseThrow();
  }

  @Nested
  class Startup {
    @Test
    void nonOwnerBecomesBackupAndWaitsMasterDownInterval() {
      VrrpMachine m = new VrrpMachine(params(100));
      assertThat(m.state()).isEqualTo(INITIALIZE);
      assertThat(m.nextDeadline()).isEmpty();

      List<Action> actions = m.startup(T0);

      assertThat(actions).containsExactly(new Transition(INITIALIZE, BACKUP, "startup"));
      assertThat(m.state()).isEqualTo(BACKUP);
      assertThat(m.masterAdverIntervalNanos()).isEqualTo(SECOND);
      assertThat(m.skewTimeNanos()).isEqualTo(SKEW_100);
      assertThat(m.masterDownIntervalNanos()).isEqualTo(MDI_100);
      assertThat(m.nextDeadline()).hasValue(T0 + MDI_100);
      assertThat(T0 + MDI_100).isNegative(); // The deadline wrapped.
      assertThat(m.lastMaster()).isEmpty();
    }

    @Test
    void addressOwnerBecomesMasterAtOnce() {
      VrrpMachine m = new VrrpMachine(params(255));

      assertThat(m.startup(T0))
          .containsExactly(
              new SendAdvert(255),
              new ClaimAddresses(),
              new Transition(INITIALIZE, MASTER, "startup as address owner (priority 255)"));
      assertThat(m.state()).isEqualTo(MASTER);
      assertThat(m.nextDeadline()).hasValue(T0 + SECOND);
    }

    @Test
    void startupOutsideInitializeIsIgnored() {
      VrrpMachine m = backup(params(100), T0);
      assertThat(m.startup(T0 + SECOND)).isEmpty();
      assertThat(m.nextDeadline()).hasValue(T0 + MDI_100);
    }

    @Test
    void initializeIgnoresAdvertsAndTicks() {
      VrrpMachine m = new VrrpMachine(params(100));
      assertThat(m.advertReceived(HIGHER_ADDR, 200, 100, T0)).isEmpty();
      assertThat(m.tick(T0 + 100 * SECOND)).isEmpty();
      assertThat(m.state()).isEqualTo(INITIALIZE);
      assertThat(m.lastMaster()).isEmpty();
    }
  }

  @Nested
  class Backup {
    @Test
    void masterDownTimerExpiryMakesUsMaster() {
      VrrpMachine m = backup(params(100), T0);

      assertThat(m.tick(T0 + MDI_100 - 1)).isEmpty();
      assertThat(m.state()).isEqualTo(BACKUP);

      assertThat(m.tick(T0 + MDI_100))
          .containsExactly(
              new SendAdvert(100),
              new ClaimAddresses(),
              new Transition(BACKUP, MASTER, "master down timer expired"));
      assertThat(m.nextDeadline()).hasValue(T0 + MDI_100 + SECOND);
      assertThat(m.lastMaster()).isEmpty();
    }

    @Test
    void higherPriorityAdvertResetsTimerAndTeachesInterval() {
      VrrpMachine m = backup(params(100), T0);
      long t = T0 + 2 * SECOND;

      assertThat(m.advertReceived(HIGHER_ADDR, 200, 200, t)).isEmpty(); // Master advertises 2 s.

      assertThat(m.masterAdverIntervalNanos()).isEqualTo(2 * SECOND);
      assertThat(m.skewTimeNanos()).isEqualTo(2 * SKEW_100);
      assertThat(m.masterDownIntervalNanos()).isEqualTo(6 * SECOND + 2 * SKEW_100);
      assertThat(m.nextDeadline()).hasValue(t + 6 * SECOND + 2 * SKEW_100);
      assertThat(m.lastMaster()).contains(new ObservedMaster(HIGHER_ADDR, 200));
      assertThat(m.tick(T0 + MDI_100)).isEmpty(); // The old deadline no longer counts.
      assertThat(m.state()).isEqualTo(BACKUP);
    }

    @Test
    void equalPriorityAdvertIsAcceptedEvenFromLowerAddress() {
      VrrpMachine m = backup(params(100), T0);
      long t = T0 + SECOND;
      m.advertReceived(LOWER_ADDR, 100, 100, t);
      assertThat(m.nextDeadline()).hasValue(t + MDI_100);
    }

    @Test
    void steadyAdvertsKeepUsBackupForever() {
      VrrpMachine m = backup(params(100), T0);
      for (long t = T0; t - (T0 + 60 * SECOND) < 0; t += SECOND) {
        assertThat(m.tick(t)).isEmpty();
        m.advertReceived(HIGHER_ADDR, 150, 100, t);
      }
      assertThat(m.state()).isEqualTo(BACKUP);
    }

    @Test
    void preemptDiscardsLowerPriorityAdvertsAndTakesOver() {
      VrrpMachine m = backup(params(100), T0);
      long t = T0 + SECOND;

      assertThat(m.advertReceived(LOWER_ADDR, 50, 200, t)).isEmpty();

      assertThat(m.nextDeadline()).hasValue(T0 + MDI_100); // Not reset.
      assertThat(m.masterAdverIntervalNanos()).isEqualTo(SECOND); // Not learned.
      assertThat(m.lastMaster()).contains(new ObservedMaster(LOWER_ADDR, 50));
      assertThat(m.tick(T0 + MDI_100))
          .containsExactly(
              new SendAdvert(100),
              new ClaimAddresses(),
              new Transition(
                  BACKUP,
                  MASTER,
                  "master down timer expired, preempting lower priority master 198.18.0.9"
                      + " (prio 50)"));
    }

    @Test
    void withoutPreemptLowerPriorityAdvertsAreAccepted() {
      VrrpMachine m = backup(params(100).withPreempt(false, 0), T0);
      for (long t = T0; t - (T0 + 30 * SECOND) < 0; t += SECOND) {
        assertThat(m.tick(t)).isEmpty();
        m.advertReceived(LOWER_ADDR, 50, 100, t);
        assertThat(m.nextDeadline()).hasValue(t + MDI_100);
      }
      assertThat(m.state()).isEqualTo(BACKUP);
    }

    @Test
    void priorityZeroAdvertShortensTimerToSkewTime() {
      VrrpMachine m = backup(params(100), T0);
      long t = T0 + SECOND;
      m.advertReceived(HIGHER_ADDR, 200, 100, t);

      assertThat(m.advertReceived(HIGHER_ADDR, 0, 100, t + SECOND)).isEmpty();

      assertThat(m.nextDeadline()).hasValue(t + SECOND + SKEW_100);
      assertThat(m.lastMaster()).contains(new ObservedMaster(HIGHER_ADDR, 0));
      assertThat(m.tick(t + SECOND + SKEW_100 - 1)).isEmpty();
      assertThat(m.tick(t + SECOND + SKEW_100))
          .containsExactly(
              new SendAdvert(100),
              new ClaimAddresses(),
              new Transition(
                  BACKUP,
                  MASTER,
                  "master down timer expired after priority 0 advert from 198.18.0.20"));
    }

    @Test
    void priorityZeroUsesTheLearnedIntervalForSkew() {
      VrrpMachine m = backup(params(100), T0);
      m.advertReceived(HIGHER_ADDR, 200, 1, T0); // 10 ms master.
      m.advertReceived(HIGHER_ADDR, 0, 1, T0 + 10 * MS);
      assertThat(m.nextDeadline()).hasValue(T0 + 10 * MS + 6_093_750L);
    }

    @Test
    void addressOwnerPreemptsEvenWithPreemptOff() {
      // Two owners (a misconfiguration): the higher address wins the tie, so ours becomes backup.
      VrrpParams owner = new VrrpParams(51, 255, SECOND, false, 0, LOCAL);
      VrrpMachine m = new VrrpMachine(owner);
      m.startup(T0);
      m.advertReceived(HIGHER_ADDR, 255, 100, T0 + MS);
      assertThat(m.state()).isEqualTo(BACKUP);
      long deadline = deadline(m);

      m.advertReceived(HIGHER_ADDR, 200, 100, T0 + SECOND); // Its priority dropped below ours.

      assertThat(m.nextDeadline()).hasValue(deadline); // Discarded despite preempt off.
      assertThat(m.tick(deadline)).contains(new ClaimAddresses());
    }

    @Test
    void shutdownCancelsTheTimer() {
      VrrpMachine m = backup(params(100), T0);
      m.advertReceived(HIGHER_ADDR, 200, 100, T0);

      assertThat(m.shutdown(T0 + SECOND))
          .containsExactly(new Transition(BACKUP, INITIALIZE, "shutdown"));

      assertThat(m.state()).isEqualTo(INITIALIZE);
      assertThat(m.nextDeadline()).isEmpty();
      assertThat(m.lastMaster()).isEmpty();
      assertThat(m.tick(T0 + 100 * SECOND)).isEmpty();
    }
  }

  @Nested
  class Master {
    @Test
    void adverTimerSendsAdvertsEveryInterval() {
      VrrpMachine m = master(params(100), T0);
      long first = deadline(m);
      assertThat(m.tick(first - 1)).isEmpty();
      for (int i = 0; i < 10; i++) {
        assertThat(m.tick(first + i * SECOND)).containsExactly(new SendAdvert(100));
        assertThat(m.nextDeadline()).hasValue(first + (i + 1) * SECOND);
      }
    }

    @Test
    void lateTicksDoNotAccumulateDrift() {
      VrrpMachine m = master(params(100), T0);
      long first = deadline(m);
      for (int i = 0; i < 10; i++) {
        // Every tick arrives 300 ms late; the schedule stays on the whole seconds.
        assertThat(m.tick(first + i * SECOND + 300 * MS)).containsExactly(new SendAdvert(100));
        assertThat(m.nextDeadline()).hasValue(first + (i + 1) * SECOND);
      }
    }

    @Test
    void moreThanOneIntervalLateRestartsFromNowWithOneAdvert() {
      VrrpMachine m = master(params(100), T0);
      long first = deadline(m);
      long now = first + 2 * SECOND + 500 * MS; // A 2.5 s pause.

      assertThat(m.tick(now)).containsExactly(new SendAdvert(100));
      assertThat(m.nextDeadline()).hasValue(now + SECOND);
      assertThat(m.tick(now + SECOND - 1)).isEmpty();
    }

    @Test
    void exactlyOneIntervalLateRestartsFromNow() {
      VrrpMachine m = master(params(100), T0);
      long now = deadline(m) + SECOND;
      assertThat(m.tick(now)).containsExactly(new SendAdvert(100));
      assertThat(m.nextDeadline()).hasValue(now + SECOND);
    }

    @Test
    void higherPriorityAdvertMakesUsBackup() {
      VrrpMachine m = master(params(100), T0);
      long t = deadline(m) + 100 * MS;

      assertThat(m.advertReceived(HIGHER_ADDR, 200, 300, t))
          .containsExactly(
              new ReleaseAddresses(),
              new Transition(MASTER, BACKUP, "higher priority advert from 198.18.0.20 (prio 200)"));

      assertThat(m.state()).isEqualTo(BACKUP);
      assertThat(m.masterAdverIntervalNanos()).isEqualTo(3 * SECOND); // Learned.
      assertThat(m.nextDeadline()).hasValue(t + 9 * SECOND + 3 * SKEW_100);
      assertThat(m.lastMaster()).contains(new ObservedMaster(HIGHER_ADDR, 200));
    }

    @Test
    void higherPriorityAdvertFromLowerAddressStillWins() {
      VrrpMachine m = master(params(100), T0);
      assertThat(m.advertReceived(LOWER_ADDR, 101, 100, T0 + 5 * SECOND))
          .contains(new ReleaseAddresses());
      assertThat(m.state()).isEqualTo(BACKUP);
    }

    @Test
    void equalPriorityFromHigherAddressWinsTheTieComparedUnsigned() {
      VrrpMachine m = master(params(100), T0);

      assertThat(m.advertReceived(HIGHER_UNSIGNED, 100, 100, T0 + 5 * SECOND))
          .containsExactly(
              new ReleaseAddresses(),
              new Transition(
                  MASTER, BACKUP, "preempted by 198.18.0.200 (equal prio 100, higher address)"));
      assertThat(m.state()).isEqualTo(BACKUP);
    }

    @Test
    void equalPriorityFromLowerAddressIsDiscarded() {
      VrrpMachine m = master(params(100), T0);
      long deadline = deadline(m);
      assertThat(m.advertReceived(LOWER_ADDR, 100, 100, T0 + 5 * SECOND)).isEmpty();
      assertThat(m.advertReceived(LOCAL, 100, 100, T0 + 5 * SECOND)).isEmpty(); // Our own echo.
      assertThat(m.state()).isEqualTo(MASTER);
      assertThat(m.nextDeadline()).hasValue(deadline);
    }

    @Test
    void lowerPriorityAdvertIsDiscarded() {
      VrrpMachine m = master(params(100), T0);
      long deadline = deadline(m);
      assertThat(m.advertReceived(HIGHER_ADDR, 99, 100, T0 + 5 * SECOND)).isEmpty();
      assertThat(m.state()).isEqualTo(MASTER);
      assertThat(m.nextDeadline()).hasValue(deadline);
      assertThat(m.masterAdverIntervalNanos()).isEqualTo(SECOND);
    }

    @Test
    void ipv6TieBreakBothWays() {
      VrrpParams v6 = VrrpParams.defaults(51, 100, ip("2001:db8::10"));
      VrrpMachine keeps = master(v6, T0);
      assertThat(keeps.advertReceived(ip("2001:db8::f"), 100, 100, T0 + 5 * SECOND)).isEmpty();
      assertThat(keeps.state()).isEqualTo(MASTER);

      VrrpMachine yields = master(v6, T0);
      assertThat(yields.advertReceived(ip("2001:db8::ff00"), 100, 100, T0 + 5 * SECOND))
          .containsExactly(
              new ReleaseAddresses(),
              new Transition(
                  MASTER, BACKUP, "preempted by 2001:db8::ff00 (equal prio 100, higher address)"));
    }

    @Test
    void priorityZeroAdvertMakesUsAdvertiseAtOnce() {
      VrrpMachine m = master(params(100), T0);
      long t = deadline(m) + 400 * MS;

      assertThat(m.advertReceived(HIGHER_ADDR, 0, 100, t)).containsExactly(new SendAdvert(100));

      assertThat(m.state()).isEqualTo(MASTER);
      assertThat(m.nextDeadline()).hasValue(t + SECOND);
    }

    @Test
    void shutdownSendsPriorityZeroThenReleases() {
      VrrpMachine m = master(params(100), T0);

      assertThat(m.shutdown(T0 + 10 * SECOND))
          .containsExactly(
              new SendAdvert(0),
              new ReleaseAddresses(),
              new Transition(MASTER, INITIALIZE, "shutdown"));

      assertThat(m.state()).isEqualTo(INITIALIZE);
      assertThat(m.nextDeadline()).isEmpty();
      assertThat(m.tick(T0 + 100 * SECOND)).isEmpty();
    }

    @Test
    void shutdownInInitializeDoesNothing() {
      assertThat(new VrrpMachine(params(100)).shutdown(T0)).isEmpty();
    }

    @Test
    void restartAfterShutdownStartsAfresh() {
      VrrpMachine m = backup(params(100), T0);
      m.advertReceived(HIGHER_ADDR, 200, 300, T0);
      m.shutdown(T0 + SECOND);

      assertThat(m.startup(T0 + 2 * SECOND))
          .containsExactly(new Transition(INITIALIZE, BACKUP, "startup"));
      assertThat(m.masterAdverIntervalNanos()).isEqualTo(SECOND); // Forgotten: configured again.
      assertThat(m.nextDeadline()).hasValue(T0 + 2 * SECOND + MDI_100);
    }
  }

  @Nested
  class Priority {
    @Test
    void masterAdvertisesAChangedPriorityAtOnce() {
      VrrpMachine m = master(params(100), T0);
      long t = deadline(m) + 250 * MS;

      assertThat(m.setPriority(80, t)).containsExactly(new SendAdvert(80));

      assertThat(m.priority()).isEqualTo(80);
      assertThat(m.nextDeadline()).hasValue(t + SECOND);
      assertThat(m.tick(t + SECOND)).containsExactly(new SendAdvert(80));
    }

    @Test
    void unchangedPriorityDoesNothing() {
      VrrpMachine m = master(params(100), T0);
      long deadline = deadline(m);
      assertThat(m.setPriority(100, T0)).isEmpty();
      assertThat(m.nextDeadline()).hasValue(deadline);
    }

    @Test
    void backupRecomputesSkewAndKeepsItsRunningTimer() {
      VrrpMachine m = backup(params(100), T0);

      assertThat(m.setPriority(254, T0 + SECOND)).isEmpty();

      assertThat(m.skewTimeNanos()).isEqualTo(7_812_500L);
      assertThat(m.masterDownIntervalNanos()).isEqualTo(3_007_812_500L);
      assertThat(m.nextDeadline()).hasValue(T0 + MDI_100);
      m.advertReceived(HIGHER_ADDR, 255, 100, T0 + 2 * SECOND);
      assertThat(m.nextDeadline()).hasValue(T0 + 2 * SECOND + 3_007_812_500L);
    }

    @Test
    void backupWhosePriorityRisesAboveTheMasterPreempts() {
      VrrpMachine m = backup(params(100), T0);
      m.advertReceived(HIGHER_ADDR, 150, 100, T0);
      m.setPriority(200, T0 + SECOND);
      long deadline = deadline(m);

      m.advertReceived(HIGHER_ADDR, 150, 100, T0 + SECOND); // Now lower than us: discarded.

      assertThat(m.nextDeadline()).hasValue(deadline);
      assertThat(m.tick(deadline)).contains(new SendAdvert(200), new ClaimAddresses());
    }

    @Test
    void priorityIsValidated() {
      VrrpMachine m = new VrrpMachine(params(100));
      assertThatThrownBy(() -> m.setPriority(0, T0)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> m.setPriority(256, T0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void priorityChangedBeforeStartupDecidesOwnership() {
      VrrpMachine m = new VrrpMachine(params(100));
      assertThat(m.setPriority(255, T0)).isEmpty();
      assertThat(m.startup(T0)).contains(new ClaimAddresses());
    }
  }

  @Nested
  class PreemptDelay {
    final VrrpParams delayed = params(100).withPreempt(true, 5 * SECOND);

    /** A lower-priority master advertising every second from T0; returns when we took over. */
    long takeoverTime(VrrpMachine m, long until) {
      for (long t = T0; t - until < 0; t += MS) {
        if (!m.tick(t).isEmpty()) {
          return t;
        }
        if ((t - T0) % SECOND == 0) {
          m.advertReceived(LOWER_ADDR, 50, 100, t);
        }
      }
      throw new AssertionError("no takeover");
    }

    @Test
    void defersToLowerPriorityMasterForTheDelayThenTakesOver() {
      VrrpMachine m = backup(delayed, T0 - SECOND);
      // Adverts at T0..T0+4s are accepted (window opened at T0); from T0+5s they are discarded,
      // so Master_Down_Timer runs out one Master_Down_Interval after the one at T0+4s.
      // The loop ticks every whole millisecond, so it sees the 3.609375 s deadline at 3.610 s.
      assertThat(takeoverTime(m, T0 + 20 * SECOND)).isEqualTo(T0 + 4 * SECOND + 3_610 * MS);
    }

    @Test
    void exactDeadlineAfterTheDelay() {
      VrrpMachine m = backup(delayed, T0 - SECOND);
      for (int k = 0; k <= 4; k++) {
        m.advertReceived(LOWER_ADDR, 50, 100, T0 + k * SECOND);
        assertThat(m.nextDeadline()).hasValue(T0 + k * SECOND + MDI_100); // Accepted.
      }
      m.advertReceived(LOWER_ADDR, 50, 100, T0 + 5 * SECOND); // Delay over: discarded.
      assertThat(m.nextDeadline()).hasValue(T0 + 4 * SECOND + MDI_100);
      assertThat(m.tick(T0 + 4 * SECOND + MDI_100))
          .containsExactly(
              new SendAdvert(100),
              new ClaimAddresses(),
              new Transition(
                  BACKUP,
                  MASTER,
                  "master down timer expired, preempting lower priority master 198.18.0.9"
                      + " (prio 50)"));
    }

    @Test
    void higherOrEqualPriorityAdvertClosesTheWindow() {
      VrrpMachine m = backup(delayed, T0 - SECOND);
      for (int k = 0; k <= 3; k++) {
        m.advertReceived(LOWER_ADDR, 50, 100, T0 + k * SECOND);
      }
      m.advertReceived(HIGHER_ADDR, 100, 100, T0 + 4 * SECOND); // Closes the window.
      for (int k = 5; k <= 9; k++) { // A new window opens at T0+5s: accepted until T0+10s.
        m.advertReceived(LOWER_ADDR, 50, 100, T0 + k * SECOND);
        assertThat(m.nextDeadline()).hasValue(T0 + k * SECOND + MDI_100);
      }
      m.advertReceived(LOWER_ADDR, 50, 100, T0 + 10 * SECOND);
      assertThat(m.nextDeadline()).hasValue(T0 + 9 * SECOND + MDI_100);
    }

    @Test
    void stateChangeClosesTheWindow() {
      VrrpMachine m = backup(delayed, T0 - SECOND);
      for (int k = 0; k <= 5; k++) {
        m.advertReceived(LOWER_ADDR, 50, 100, T0 + k * SECOND);
      }
      m.shutdown(T0 + 6 * SECOND);
      m.startup(T0 + 6 * SECOND);
      m.advertReceived(LOWER_ADDR, 50, 100, T0 + 7 * SECOND); // New window: accepted.
      assertThat(m.nextDeadline()).hasValue(T0 + 7 * SECOND + MDI_100);
    }

    @Test
    void priorityZeroClosesTheWindow() {
      VrrpMachine m = backup(delayed, T0 - SECOND);
      for (int k = 0; k <= 4; k++) {
        m.advertReceived(LOWER_ADDR, 50, 100, T0 + k * SECOND);
      }
      m.advertReceived(LOWER_ADDR, 0, 100, T0 + 4 * SECOND + 1);
      m.advertReceived(HIGHER_ADDR, 60, 100, T0 + 4 * SECOND + 2); // Another lower master.
      assertThat(m.nextDeadline()).hasValue(T0 + 4 * SECOND + 2 + MDI_100); // Window reopened.
    }

    @Test
    void withoutPreemptTheDelayIsIrrelevant() {
      VrrpMachine m = backup(params(100).withPreempt(false, 5 * SECOND), T0 - SECOND);
      for (int k = 0; k <= 20; k++) {
        m.advertReceived(LOWER_ADDR, 50, 100, T0 + k * SECOND);
        assertThat(m.nextDeadline()).hasValue(T0 + k * SECOND + MDI_100);
      }
    }
  }

  @Nested
  class ClockWrap {
    @Test
    void deadlinesWrapPastLongMaxValue() {
      long start = Long.MAX_VALUE - 100 * MS;
      VrrpMachine m = backup(params(100), start);
      long deadline = deadline(m);
      assertThat(deadline).isNegative();

      assertThat(m.tick(Long.MAX_VALUE)).isEmpty(); // Numerically larger, but before the deadline.
      assertThat(m.tick(Long.MIN_VALUE)).isEmpty();
      assertThat(m.tick(deadline - 1)).isEmpty();
      assertThat(m.tick(deadline)).contains(new ClaimAddresses());

      for (int i = 1; i <= 5; i++) {
        assertThat(m.tick(deadline + i * SECOND)).containsExactly(new SendAdvert(100));
      }
    }

    @Test
    void masterScheduleCrossesTheWrapWithoutDrift() {
      long start = Long.MAX_VALUE - 3 * SECOND - 1;
      VrrpMachine m = master(params(100), start);
      long next = deadline(m);
      for (int i = 0; i < 10; i++) { // Crosses Long.MAX_VALUE on the way.
        assertThat(m.tick(next + 7 * MS)).containsExactly(new SendAdvert(100));
        next += SECOND;
        assertThat(m.nextDeadline()).hasValue(next);
      }
    }

    @Test
    void advertsAcrossTheWrapResetTheTimer() {
      VrrpMachine m = backup(params(100), Long.MAX_VALUE - SECOND);
      long t = Long.MAX_VALUE - SECOND;
      for (int i = 0; i < 5; i++, t += SECOND) {
        assertThat(m.tick(t)).isEmpty();
        m.advertReceived(HIGHER_ADDR, 200, 100, t);
      }
      assertThat(m.state()).isEqualTo(BACKUP);
      assertThat(m.nextDeadline()).hasValue(t - SECOND + MDI_100);
    }
  }

  @Nested
  class Validation {
    @Test
    void advertsOutsideTheWireRangesAreProgrammingErrors() {
      VrrpMachine m = backup(params(100), T0);
      assertThatThrownBy(() -> m.advertReceived(HIGHER_ADDR, 256, 100, T0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> m.advertReceived(HIGHER_ADDR, -1, 100, T0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> m.advertReceived(HIGHER_ADDR, 200, 0, T0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> m.advertReceived(HIGHER_ADDR, 200, 4096, T0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> m.advertReceived(ip("2001:db8::1"), 200, 100, T0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("family");
      assertThat(m.nextDeadline()).hasValue(T0 + MDI_100); // Untouched by the rejects.
    }

    @Test
    void accessorsDescribeTheMachine() {
      VrrpParams p = params(100);
      VrrpMachine m = new VrrpMachine(p);
      assertThat(m.params()).isSameAs(p);
      assertThat(m.priority()).isEqualTo(100);
      assertThat(m.toString()).contains("VRID 51", "INITIALIZE", "100");
    }
  }
}
