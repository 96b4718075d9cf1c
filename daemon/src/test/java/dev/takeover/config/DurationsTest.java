package dev.takeover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "0ms, 0",
    "0s, 0",
    "10ms, 10",
    "100ms, 100",
    "1s, 1000",
    "1.5s, 1500",
    "1.50s, 1500",
    "40.95s, 40950",
    "2m, 120000",
    "1.5m, 90000",
    "1h, 3600000"
  })
  void parsesNumberAndUnit(String text, long millis) throws Exception {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1 | has no unit",
        "1.5 | has no unit",
        "100us | has an unknown unit",
        "5d | has an unknown unit",
        "1S | has an unknown unit",
        "-1s | is not a duration",
        "1 s | is not a duration",
        "s | is not a duration",
        "1s500ms | is not a duration",
        "0.5ms | is finer than 1ms",
        "1.0001s | is finer than 1ms",
        "99999999999h | is too long"
      })
  void rejectsWithAReason(String text, String reason) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(Durations.InvalidDurationException.class)
        .hasMessage(reason);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0s",
    "10, 10ms",
    "999, 999ms",
    "1000, 1s",
    "1500, 1.5s",
    "40950, 40.95s",
    "60000, 1m",
    "90000, 90s",
    "3600000, 1h"
  })
  void formatsTheWayTheFileWritesIt(long millis, String text) {
    assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
  }
}
