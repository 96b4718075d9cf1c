package dev.takeover.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the config file writes them: a decimal number and a unit, {@code 100ms}, {@code 1s},
 * {@code 1.5s}, {@code 2m}, {@code 1h}. The resolution is one millisecond.
 */
final class Durations {
  private Durations() {}

  /** What a valid duration looks like, for error messages. */
  static final String SYNTAX = "a number with unit ms, s, m or h, e.g. 100ms, 1s, 1.5s";

  private static final Pattern DURATION = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");
  // Far beyond any configured range; keeps the arithmetic away from overflow.
  private static final BigDecimal MAX_MILLIS = BigDecimal.valueOf(1_000L * 86_400 * 365 * 100);

  /** Why a text is not a duration. */
  static final class InvalidDurationException extends Exception {
    InvalidDurationException(String reason) {
      super(reason, null, false, false);
    }
  }

  static Duration parse(String text) throws InvalidDurationException {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      if (text.matches("[0-9]+(\\.[0-9]+)?")) {
        throw new InvalidDurationException("has no unit");
      }
      if (text.matches("[0-9]+(\\.[0-9]+)?[A-Za-zµ]+")) {
        throw new InvalidDurationException("has an unknown unit");
      }
      throw new InvalidDurationException("is not a duration");
    }
    BigDecimal unitMillis =
        switch (m.group(2)) {
          case "ms" -> BigDecimal.ONE;
          case "s" -> BigDecimal.valueOf(1_000);
          case "m" -> BigDecimal.valueOf(60_000);
          case "h" -> BigDecimal.valueOf(3_600_000);
          default -> throw new IllegalStateException("unit " + m.group(2));
        };
    BigDecimal millis = new BigDecimal(m.group(1)).multiply(unitMillis);
    if (millis.compareTo(MAX_MILLIS) > 0) {
      throw new InvalidDurationException("is too long");
    }
    if (millis.stripTrailingZeros().scale() > 0) {
      throw new InvalidDurationException("is finer than 1ms");
    }
    return Duration.ofMillis(millis.longValueExact());
  }

  /**
   * The shortest way the config file can write {@code d}: {@code 10ms}, {@code 40.95s}, {@code 1h}.
   */
  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms < 1_000) {
      return ms + "ms";
    }
    return BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + "s";
  }
}
