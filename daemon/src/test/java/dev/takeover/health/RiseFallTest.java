package dev.takeover.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.takeover.health.RiseFall.Transition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RiseFallTest {

  @Test
  void unknownGoesDownOnTheFirstFailureAndUpOnlyAfterRiseSuccesses() {
    RiseFall rf = new RiseFall(2, 3, CheckState.UNKNOWN);
    assertThat(rf.record(true)).isEmpty();
    assertThat(rf.state()).isEqualTo(CheckState.UNKNOWN);
    assertThat(rf.state().isUp()).isFalse();
    assertThat(rf.record(true)).contains(new Transition(CheckState.UNKNOWN, CheckState.UP, 2));

    RiseFall fresh = new RiseFall(2, 3, CheckState.UNKNOWN);
    assertThat(fresh.record(false))
        .contains(new Transition(CheckState.UNKNOWN, CheckState.DOWN, 1));
  }

  @Test
  void upGoesDownAfterFallConsecutiveFailures() {
    RiseFall rf = new RiseFall(2, 3, CheckState.UP);
    assertThat(rf.record(false)).isEmpty();
    assertThat(rf.record(false)).isEmpty();
    assertThat(rf.record(true)).isEmpty(); // breaks the streak
    assertThat(rf.record(false)).isEmpty();
    assertThat(rf.record(false)).isEmpty();
    assertThat(rf.record(false)).contains(new Transition(CheckState.UP, CheckState.DOWN, 3));
    assertThat(rf.record(false)).isEmpty(); // already down
    assertThat(rf.failures()).isEqualTo(4);
  }

  @Test
  void downComesUpAfterRiseConsecutiveSuccesses() {
    RiseFall rf = new RiseFall(3, 1, CheckState.DOWN);
    rf.record(true);
    rf.record(true);
    rf.record(false);
    assertThat(rf.successes()).isZero();
    rf.record(true);
    rf.record(true);
    assertThat(rf.record(true)).contains(new Transition(CheckState.DOWN, CheckState.UP, 3));
    assertThat(rf.record(false)).contains(new Transition(CheckState.UP, CheckState.DOWN, 1));
  }

  @Test
  void rejectsRiseOrFallBelowOne() {
    assertThatIllegalArgumentException().isThrownBy(() -> new RiseFall(0, 1, CheckState.UP));
    assertThatIllegalArgumentException().isThrownBy(() -> new RiseFall(1, 0, CheckState.UP));
  }

  /**
   * Every sequence of up to 10 results, for rise and fall 1..4 and every initial state, against a
   * model written from the documented rules: the streak is the run of equal results at the end of
   * the history, not a counter.
   */
  @Test
  void matchesTheRulesForEverySequence() {
    int checked = 0;
    for (CheckState initial : CheckState.values()) {
      for (int rise = 1; rise <= 4; rise++) {
        for (int fall = 1; fall <= 4; fall++) {
          for (int length = 0; length <= 10; length++) {
            for (int bits = 0; bits < (1 << length); bits++) {
              verify(initial, rise, fall, length, bits);
              checked++;
            }
          }
        }
      }
    }
    assertThat(checked).isEqualTo(3 * 4 * 4 * ((1 << 11) - 1));
  }

  private static void verify(CheckState initial, int rise, int fall, int length, int bits) {
    RiseFall rf = new RiseFall(rise, fall, initial);
    List<Boolean> history = new ArrayList<>();
    CheckState expected = initial;
    for (int i = 0; i < length; i++) {
      boolean ok = (bits >> i & 1) == 1;
      history.add(ok);
      int streak = trailingRun(history);
      CheckState before = expected;
      if (ok && expected != CheckState.UP && streak >= rise) {
        expected = CheckState.UP;
      } else if (!ok
          && (expected == CheckState.UNKNOWN || (expected == CheckState.UP && streak >= fall))) {
        expected = CheckState.DOWN;
      }
      Optional<Transition> t = rf.record(ok);
      String where = initial + " rise=" + rise + " fall=" + fall + " history=" + history;
      if (expected == before) {
        assertThat(t).as(where).isEmpty();
      } else {
        assertThat(t).as(where).contains(new Transition(before, expected, streak));
      }
      assertThat(rf.state()).as(where).isEqualTo(expected);
      assertThat(ok ? rf.successes() : rf.failures()).as(where).isEqualTo(streak);
      assertThat(ok ? rf.failures() : rf.successes()).as(where).isZero();
    }
  }

  private static int trailingRun(List<Boolean> history) {
    boolean last = history.getLast();
    int run = 0;
    for (int i = history.size() - 1; i >= 0 && history.get(i) == last; i--) {
      run++;
    }
    return run;
  }
}
