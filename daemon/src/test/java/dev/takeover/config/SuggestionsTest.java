package dev.takeover.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuggestionsTest {

  private static final List<String> KEYS =
      List.of("vrid", "priority", "preempt", "preempt-delay", "advert-interval", "accept-mode");

  @ParameterizedTest
  @CsvSource({
    "advert_interval, advert-interval",
    "advertInterval, advert-interval",
    "Advert-Interval, advert-interval",
    "preempt-dely, preempt-delay",
    "priorty, priority",
    "proirity, priority", // transposition counts as one mistake
    "vird, vrid",
    "preemt, preempt",
    "accept, ''",
    "interval, ''",
    "xyz, ''"
  })
  void suggestsOnlyPlausibleTypos(String wrong, String expected) {
    assertThat(Suggestions.closest(wrong, KEYS).orElse("")).isEqualTo(expected);
  }
}
