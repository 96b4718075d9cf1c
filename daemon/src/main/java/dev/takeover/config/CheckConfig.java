package dev.takeover.config;

import java.time.Duration;
import java.util.Objects;

/**
 * One health check of the service a group fronts. A check is UP after {@code rise} consecutive
 * passes and DOWN after {@code fall} consecutive failures; while DOWN, {@code weight} applies to
 * the group.
 *
 * @param name unique within its group; how logs, metrics and the journal call the check
 * @param interval time from the start of one probe to the start of the next
 * @param timeout a probe that has not passed by then fails; always shorter than {@code interval}
 */
public record CheckConfig(
    String name,
    Duration interval,
    Duration timeout,
    int rise,
    int fall,
    Weight weight,
    CheckTarget target) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

  /** The timeout when none is written, unless that would not be shorter than the interval. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

  public static final int DEFAULT_RISE = 2;
  public static final int DEFAULT_FALL = 3;

  public CheckConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(weight, "weight");
    Objects.requireNonNull(target, "target");
    if (timeout.compareTo(interval) >= 0) {
      throw new IllegalArgumentException("check " + name + ": timeout must be below interval");
    }
  }

  /**
   * The timeout used when the file gives none: {@link #DEFAULT_TIMEOUT}, or half the interval when
   * the interval is 1s or less (the timeout must stay below the interval).
   */
  public static Duration defaultTimeout(Duration interval) {
    return interval.compareTo(DEFAULT_TIMEOUT) > 0 ? DEFAULT_TIMEOUT : interval.dividedBy(2);
  }
}
