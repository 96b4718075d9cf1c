package dev.takeover.links;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Misses-to-fail and goods-to-recover against a fake clock near the wrap of the nanosecond clock.
 */
class PathMonitorTest {
  static final long MS = 1_000_000L;
  static final long T0 = Long.MAX_VALUE - 5_000 * MS;
  static final long I = 100 * MS;

  long seq;

  /** Sends the inquiry due at {@code now}; answers it if {@code answered}. */
  PathStatus round(PathMonitor m, long now, boolean answered) {
    assertThat(m.due(now)).isTrue();
    PathStatus change = m.inquire(++seq, now);
    if (answered) {
      PathStatus up = m.answer(seq, now + MS);
      return up != null ? up : change;
    }
    return change;
  }

  @Test
  void upAfterGoodsAnsweredThenDownAfterMissesUnanswered() {
    PathMonitor m = new PathMonitor(I, 3, 2, T0);
    assertThat(m.status()).isEqualTo(PathStatus.STARTING);
    assertThat(round(m, T0, true)).isNull();
    assertThat(round(m, T0 + I, true)).isEqualTo(PathStatus.UP);
    assertThat(m.rttNanos()).isEqualTo(MS);
    // The path dies after the inquiry at 2I was answered: inquiries at 3I, 4I, 5I go unanswered;
    // the third miss is counted when the inquiry at 6I is due.
    assertThat(round(m, T0 + 2 * I, true)).isNull();
    assertThat(round(m, T0 + 3 * I, false)).isNull();
    assertThat(round(m, T0 + 4 * I, false)).isNull();
    assertThat(round(m, T0 + 5 * I, false)).isNull();
    assertThat(round(m, T0 + 6 * I, false)).isEqualTo(PathStatus.DOWN);
    assertThat(m.lastChange()).isEqualTo("3 inquiries unanswered in a row");
  }

  @Test
  void aMissBetweenGoodsStartsTheCountAgain() {
    PathMonitor m = new PathMonitor(I, 3, 3, T0);
    for (int i = 0; i < 4; i++) {
      round(m, T0 + i * I, false);
    }
    assertThat(m.status()).isEqualTo(PathStatus.DOWN);
    round(m, T0 + 4 * I, true);
    round(m, T0 + 5 * I, true);
    round(m, T0 + 6 * I, false);
    assertThat(round(m, T0 + 7 * I, true)).isNull(); // the miss at 6I counted here
    assertThat(round(m, T0 + 8 * I, true)).isNull();
    assertThat(round(m, T0 + 9 * I, true)).isEqualTo(PathStatus.UP);
  }

  @Test
  void aLateAnswerToAnOlderInquiryDoesNotCount() {
    PathMonitor m = new PathMonitor(I, 3, 1, T0);
    m.inquire(1, T0);
    m.inquire(2, T0 + I);
    assertThat(m.answer(1, T0 + I + MS)).isNull();
    assertThat(m.status()).isEqualTo(PathStatus.STARTING);
    assertThat(m.answer(2, T0 + I + MS)).isEqualTo(PathStatus.UP);
  }

  @Test
  void aFlappingPathWithOneMissInThreeNeverGoesDown() {
    PathMonitor m = new PathMonitor(I, 2, 2, T0);
    for (int i = 0; i < 30; i++) {
      round(m, T0 + i * I, i % 3 != 0);
      assertThat(m.status()).isNotEqualTo(PathStatus.DOWN);
    }
  }

  @Test
  void theScheduleKeepsItsCadenceAndRestartsAfterALongStall() {
    PathMonitor m = new PathMonitor(I, 3, 2, T0);
    m.inquire(1, T0 + 5 * MS); // 5 ms late: the next is still due at T0 + I
    assertThat(m.nextInquiryAt()).isEqualTo(T0 + I);
    m.inquire(2, T0 + 5 * I); // stalled for several intervals: restart from now
    assertThat(m.nextInquiryAt()).isEqualTo(T0 + 6 * I);
  }

  /** A reload's new settings: the state and counts stay, the new ones count from there. */
  @Test
  void reconfigureKeepsTheStateAndCountsWithTheNewSettings() {
    PathMonitor m = new PathMonitor(I, 3, 2, T0);
    round(m, T0, true);
    assertThat(round(m, T0 + I, true)).isEqualTo(PathStatus.UP);
    assertThat(round(m, T0 + 2 * I, false)).isNull();
    // Misses 3 -> 2, interval 100 ms -> 50 ms: still UP, the next inquiry due 50 ms after the last.
    m.reconfigure(I / 2, 2, 4);
    assertThat(m.status()).isEqualTo(PathStatus.UP);
    assertThat(m.rttNanos()).isEqualTo(MS);
    assertThat(m.nextInquiryAt()).isEqualTo(T0 + 2 * I + I / 2);
    assertThat(m.intervalNanos()).isEqualTo(I / 2);
    // The miss already counted and one more: DOWN at the second miss, by the new setting.
    assertThat(round(m, T0 + 2 * I + I / 2, false)).isNull();
    assertThat(round(m, T0 + 3 * I, false)).isEqualTo(PathStatus.DOWN);
    // Goods 4: three answered are not enough.
    for (int k = 1; k <= 3; k++) {
      assertThat(round(m, T0 + 3 * I + k * I / 2, true)).isNull();
    }
    assertThat(round(m, T0 + 5 * I, true)).isEqualTo(PathStatus.UP);
  }

  @Test
  void aLongerIntervalAppliesFromTheNextInquiry() {
    PathMonitor m = new PathMonitor(I, 3, 2, T0);
    round(m, T0, true);
    m.reconfigure(4 * I, 3, 2);
    assertThat(m.nextInquiryAt()).isEqualTo(T0 + I); // as planned
    round(m, T0 + I, true);
    assertThat(m.nextInquiryAt()).isEqualTo(T0 + 5 * I);
  }
}
