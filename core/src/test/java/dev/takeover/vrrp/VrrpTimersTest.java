package dev.takeover.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VrrpTimersTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long TEN_MS = 10_000_000L;

  /** RFC 5798 §6.1, exact in nanoseconds; the division by 256 rounds down. */
  @ParameterizedTest(name = "interval {0} ns, priority {1}")
  @CsvSource({
    // interval,  prio, Skew_Time,  Master_Down_Interval
    "1000000000, 1,   996093750, 3996093750", // 255/256 s
    "1000000000, 100, 609375000, 3609375000", // 156/256 s = 609.375 ms
    "1000000000, 254, 7812500,   3007812500", // 2/256 s
    "1000000000, 255, 3906250,   3003906250", // 1/256 s
    "10000000,   1,   9960937,   39960937", // 9.9609375 ms, rounded down
    "10000000,   100, 6093750,   36093750",
    "10000000,   254, 78125,     30078125",
    "10000000,   255, 39062,     30039062", // 39.0625 µs, rounded down
  })
  void formulasAtOneSecondAndTenMilliseconds(
      long interval, int priority, long skew, long masterDown) {
    assertThat(VrrpTimers.skewTimeNanos(priority, interval)).isEqualTo(skew);
    assertThat(VrrpTimers.masterDownIntervalNanos(priority, interval)).isEqualTo(masterDown);
  }

  @Test
  void largestIntervalDoesNotOverflow() {
    long max = VrrpTimers.centisToNanos(4095);
    assertThat(max).isEqualTo(40_950_000_000L);
    assertThat(VrrpTimers.skewTimeNanos(1, max)).isEqualTo(255L * max / 256);
    assertThat(VrrpTimers.masterDownIntervalNanos(1, max)).isEqualTo(3 * max + 255L * max / 256);
  }

  @Test
  void formulasRejectOutOfRangeInput() {
    assertThatThrownBy(() -> VrrpTimers.skewTimeNanos(0, SECOND))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VrrpTimers.skewTimeNanos(256, SECOND))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VrrpTimers.masterDownIntervalNanos(100, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void centisecondConversions() {
    assertThat(VrrpTimers.centisToNanos(1)).isEqualTo(TEN_MS);
    assertThat(VrrpTimers.centisToNanos(100)).isEqualTo(SECOND);
    assertThat(VrrpTimers.nanosToCentis(SECOND)).isEqualTo(100);
    assertThat(VrrpTimers.nanosToCentis(TEN_MS)).isEqualTo(1);
    assertThat(VrrpTimers.nanosToCentis(40_950_000_000L)).isEqualTo(4095);
    for (int centis = 1; centis <= 4095; centis++) {
      assertThat(VrrpTimers.nanosToCentis(VrrpTimers.centisToNanos(centis))).isEqualTo(centis);
    }
  }

  @Test
  void conversionsRejectWhatTheWireCannotCarry() {
    assertThatThrownBy(() -> VrrpTimers.centisToNanos(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VrrpTimers.centisToNanos(4096))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VrrpTimers.nanosToCentis(15_000_000L)) // 1.5 cs
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VrrpTimers.nanosToCentis(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VrrpTimers.nanosToCentis(40_960_000_000L))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void paramsValidateAndNeverClamp() throws Exception {
    InetAddress a = InetAddress.getByName("198.18.0.1");
    VrrpParams ok = VrrpParams.defaults(51, 100, a);
    assertThat(ok.advertisementIntervalNanos()).isEqualTo(SECOND);
    assertThat(ok.preempt()).isTrue();
    assertThat(ok.isAddressOwner()).isFalse();
    assertThat(VrrpParams.defaults(51, 255, a).isAddressOwner()).isTrue();

    assertThatThrownBy(() -> VrrpParams.defaults(0, 100, a))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vrid");
    assertThatThrownBy(() -> VrrpParams.defaults(256, 100, a))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VrrpParams.defaults(51, 0, a))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("priority");
    assertThatThrownBy(() -> VrrpParams.defaults(51, 256, a))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ok.withAdvertisementIntervalNanos(5_000_000L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("centiseconds");
    assertThatThrownBy(() -> ok.withPreempt(true, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VrrpParams.defaults(51, 100, null))
        .isInstanceOf(NullPointerException.class);
  }
}
