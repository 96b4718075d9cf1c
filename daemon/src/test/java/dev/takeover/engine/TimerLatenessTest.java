package dev.takeover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimerLatenessTest {
  private static final long US = 1_000;

  @Test
  void quantilesAreBucketUpperBoundsAndStallsAreCountedAndReported() {
    List<Long> stalls = new ArrayList<>();
    TimerLateness lateness = new TimerLateness(5_000 * US, stalls::add);
    long deadline = Long.MAX_VALUE - 1_000_000_000L; // the clock may be anywhere, even wrap
    for (int i = 0; i < 990; i++) {
      lateness.record(deadline, deadline + 50 * US);
    }
    for (int i = 0; i < 9; i++) {
      lateness.record(deadline, deadline + 900 * US);
    }
    lateness.record(deadline, deadline + 12_000 * US);
    lateness.record(deadline, deadline - 5); // early (never for a timer, but an advert's clock)

    TimerLateness.Summary s = lateness.summary();
    assertThat(s.timers()).isEqualTo(1001);
    assertThat(s.p50Us()).isEqualTo(64); // 50 µs is in the [32, 64) bucket
    assertThat(s.p99Us()).isEqualTo(64);
    assertThat(s.p999Us()).isEqualTo(1024);
    assertThat(s.maxUs()).isEqualTo(12_000);
    assertThat(s.stalls()).isEqualTo(1);
    assertThat(s.longestStallUs()).isEqualTo(12_000);
    assertThat(stalls).containsExactly(12_000 * US);
  }

  @Test
  void nothingMeasuredIsAllZero() {
    TimerLateness.Summary s = new TimerLateness(1, late -> {}).summary();
    assertThat(s).isEqualTo(new TimerLateness.Summary(0, 0, 0, 0, 0, 0, 0));
  }
}
