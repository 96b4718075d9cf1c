package dev.takeover.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.clock.ManualClock;
import dev.takeover.dns.TtlPlan.Phase;
import dev.takeover.dns.TtlPlan.Step;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Lowering the TTL ahead of a planned handover, on a fake clock that wraps during the plan. */
class TtlPlanTest {
  private static final long S = 1_000_000_000L;
  // Starts 10 s before Long.MAX_VALUE: every wait below crosses the wrap.
  private final ManualClock clock = new ManualClock(Long.MAX_VALUE - 10 * S, Instant.EPOCH);

  private long now() {
    return clock.nanoTime();
  }

  private void advance(long seconds) {
    clock.advance(Duration.ofSeconds(seconds));
  }

  /** TTL 60 lowered to 5, the wait capped at 120 s, restored 30 s after an unseen handover. */
  private static TtlPlan plan() {
    return new TtlPlan(60, 5, 120 * S, 30 * S);
  }

  @Test
  void lowersThenWaitsTheOldTtlFromTheConfirmationThenProceeds() {
    TtlPlan p = plan();
    assertThat(p.requested(now())).containsExactly(new Step.WriteTtl(5));
    assertThat(p.phase()).isEqualTo(Phase.LOWERING);
    advance(1);
    assertThat(p.confirmed(5, now())).isEmpty();
    assertThat(p.phase()).isEqualTo(Phase.WAITING);
    assertThat(p.deadline()).isEqualTo(now() + 60 * S);
    advance(60);
    assertThat(p.tick(now() - 1)).isEmpty();
    assertThat(p.tick(now()))
        .singleElement()
        .isInstanceOfSatisfying(
            Step.Proceed.class, s -> assertThat(s.why()).contains("old TTL (60 s) have run out"));
    assertThat(p.phase()).isEqualTo(Phase.PROCEEDED);
    // The new master writes its own TTL: nothing to restore once the handover is seen.
    assertThat(p.handedOver(now())).isEmpty();
    advance(3600);
    assertThat(p.tick(now())).isEmpty();
    assertThat(p.phase()).isEqualTo(Phase.IDLE);
  }

  @Test
  void aServerThatNeverConfirmsHoldsTheMoveOnlyUntilTheCap() {
    TtlPlan p = plan();
    p.requested(now());
    advance(119);
    assertThat(p.tick(now())).isEmpty();
    advance(1);
    assertThat(p.tick(now()))
        .singleElement()
        .isInstanceOfSatisfying(
            Step.Proceed.class, s -> assertThat(s.why()).contains("no server confirmed"));
  }

  @Test
  void aLateConfirmationWaitsOnlyUntilTheCap() {
    TtlPlan p = plan();
    p.requested(now());
    advance(100);
    assertThat(p.confirmed(5, now())).isEmpty();
    assertThat(p.deadline()).isEqualTo(now() + 20 * S);
    advance(20);
    assertThat(p.tick(now()))
        .singleElement()
        .isInstanceOfSatisfying(Step.Proceed.class, s -> assertThat(s.why()).contains("cap"));
  }

  @Test
  void aHandoverNotSeenGetsItsTtlBack() {
    TtlPlan p = plan();
    p.requested(now());
    p.confirmed(5, now());
    advance(60);
    assertThat(p.tick(now())).hasSize(1);
    advance(29);
    assertThat(p.tick(now())).isEmpty();
    advance(1);
    assertThat(p.tick(now())).containsExactly(new Step.WriteTtl(60));
    assertThat(p.phase()).isEqualTo(Phase.IDLE);
  }

  @Test
  void aCancelledHandoverGetsItsTtlBackAtOnce() {
    TtlPlan p = plan();
    p.requested(now());
    assertThat(p.cancelled(now())).containsExactly(new Step.WriteTtl(60));
    assertThat(p.cancelled(now())).isEmpty();
  }

  @Test
  void aSecondRequestDoesNotRestartTheWaitAndOneRightAfterDoesNotWaitAgain() {
    TtlPlan p = plan();
    p.requested(now());
    p.confirmed(5, now());
    advance(30);
    assertThat(p.requested(now())).isEmpty();
    assertThat(p.confirmed(5, now())).as("a repeated confirmation").isEmpty();
    advance(30);
    assertThat(p.tick(now())).hasSize(1);
    advance(5);
    assertThat(p.requested(now()))
        .singleElement()
        .isInstanceOfSatisfying(Step.Proceed.class, s -> assertThat(s.why()).contains("still"));
  }

  @Test
  void aTtlAlreadyLowProceedsAtOnceAndWritesNothing() {
    TtlPlan p = new TtlPlan(5, 5, 120 * S, 30 * S);
    assertThat(p.requested(now())).singleElement().isInstanceOf(Step.Proceed.class);
    advance(30);
    assertThat(p.tick(now())).isEmpty();
    assertThat(p.cancelled(now())).isEmpty();
  }

  @Test
  void aConfirmationOfAnotherTtlIsNotTheLoweredOne() {
    TtlPlan p = plan();
    p.requested(now());
    assertThat(p.confirmed(60, now())).isEmpty();
    assertThat(p.phase()).isEqualTo(Phase.LOWERING);
  }
}
