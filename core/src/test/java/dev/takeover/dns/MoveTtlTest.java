package dev.takeover.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.clock.ManualClock;
import dev.takeover.dns.MoveTtl.Lowering;
import dev.takeover.dns.MoveTtl.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A group's planned handover held for its names' lowered TTLs, on a clock that wraps meanwhile. */
class MoveTtlTest {
  private static final long S = 1_000_000_000L;
  private static final String WWW = "www.dns.test./A";
  private static final String API = "api.dns.test./A";
  private final ManualClock clock = new ManualClock(Long.MAX_VALUE - 10 * S, Instant.EPOCH);

  private long now() {
    return clock.nanoTime();
  }

  private void advance(long seconds) {
    clock.advance(Duration.ofSeconds(seconds));
  }

  /** www: TTL 60 lowered to 5, capped at 120 s; api: TTL 20 lowered to 2, capped at 30 s. */
  private static MoveTtl two() {
    return new MoveTtl(
        List.of(new Lowering(WWW, 60, 5, 120 * S), new Lowering(API, 20, 2, 30 * S)));
  }

  @Test
  void theMoveWaitsForEveryNameThenProceedsOnce() {
    MoveTtl m = two();
    assertThat(m.requested(now(), 10 * S))
        .containsExactly(new Step.Write(WWW, 5), new Step.Write(API, 2));
    assertThat(m.holding()).isTrue();
    assertThat(m.holdsAtMostUntil()).isEqualTo(now() + 120 * S);
    advance(1);
    assertThat(m.confirmed(API, 2, now())).isEmpty();
    assertThat(m.confirmed(WWW, 5, now())).isEmpty();
    assertThat(m.deadline()).isEqualTo(now() + 20 * S); // api's old TTL runs out first
    advance(20);
    assertThat(m.tick(now())).as("api may go, www not yet").isEmpty();
    assertThat(m.holding()).isTrue();
    advance(40);
    List<Step> steps = m.tick(now());
    assertThat(steps).singleElement().isInstanceOf(Step.Proceed.class);
    assertThat(((Step.Proceed) steps.getFirst()).why())
        .contains(WWW + ": caches of the old TTL (60 s)")
        .contains(API + ": caches of the old TTL (20 s)");
    assertThat(m.holding()).isFalse();
    // The handover is seen (this node released): nothing to restore, ever.
    assertThat(m.released(now())).isEmpty();
    advance(3600);
    assertThat(m.tick(now())).isEmpty();
    assertThat(m.active()).isFalse();
  }

  @Test
  void aServerDownHoldsTheMoveUntilTheLongestCap() {
    MoveTtl m = two();
    m.requested(now(), 10 * S);
    advance(30);
    assertThat(m.tick(now())).as("api's cap, www still waits").isEmpty();
    advance(90);
    assertThat(m.tick(now())).singleElement().isInstanceOf(Step.Proceed.class);
  }

  @Test
  void aRefusedMovePutsTheTtlsBack() {
    MoveTtl m = two();
    m.requested(now(), 10 * S);
    m.confirmed(WWW, 5, now());
    assertThat(m.cancelled(now()))
        .containsExactly(new Step.Write(WWW, 60), new Step.Write(API, 20));
    assertThat(m.holding()).isFalse();
    assertThat(m.tick(now() + 1000 * S)).isEmpty();
  }

  @Test
  void aHandoverNotSeenAfterProceedingGetsItsTtlsBack() {
    MoveTtl m = new MoveTtl(List.of(new Lowering(WWW, 60, 5, 120 * S)));
    m.requested(now(), 10 * S);
    m.confirmed(WWW, 5, now());
    advance(60);
    assertThat(m.tick(now())).singleElement().isInstanceOf(Step.Proceed.class);
    advance(9);
    assertThat(m.tick(now())).isEmpty();
    advance(1);
    assertThat(m.tick(now())).containsExactly(new Step.Write(WWW, 60));
  }

  @Test
  void aSecondMoveWhileStillLoweredProceedsAtOnce() {
    MoveTtl m = new MoveTtl(List.of(new Lowering(WWW, 60, 5, 120 * S)));
    m.requested(now(), 10 * S);
    m.confirmed(WWW, 5, now());
    advance(60);
    m.tick(now());
    advance(1);
    List<Step> again = m.requested(now(), 10 * S);
    assertThat(again).singleElement().isInstanceOf(Step.Proceed.class);
    assertThat(((Step.Proceed) again.getFirst()).why()).contains("still lowered");
  }

  @Test
  void aRequestWhileHeldChangesNothing() {
    MoveTtl m = new MoveTtl(List.of(new Lowering(WWW, 60, 5, 120 * S)));
    m.requested(now(), 10 * S);
    long until = m.holdsAtMostUntil();
    advance(5);
    assertThat(m.requested(now(), 10 * S)).isEmpty();
    assertThat(m.holdsAtMostUntil()).isEqualTo(until);
  }

  @Test
  void aReleaseWhileHeldLetsTheEngineDecide() {
    MoveTtl m = new MoveTtl(List.of(new Lowering(WWW, 60, 5, 120 * S)));
    m.requested(now(), 10 * S);
    assertThat(m.released(now()))
        .containsExactly(new Step.Proceed("the group was released meanwhile"));
    assertThat(m.active()).isFalse();
    // Claimed again later: written with the configured TTL by the claim; nothing pending here.
    m.claimed(now());
    assertThat(m.cancelled(now())).isEmpty();
  }
}
