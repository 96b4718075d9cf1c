package dev.takeover.health;

import java.time.Duration;
import java.util.Objects;

/**
 * One named check and how often and how stubbornly to run it.
 *
 * @param interval from the start of one probe to the start of the next; a probe never overlaps the
 *     previous one of the same check, so a probe that takes longer than this delays the next
 * @param rise consecutive successes to become healthy
 * @param fall consecutive failures to become unhealthy
 * @param initial the state before the first verdict; {@link CheckState#UNKNOWN} counts as down
 */
public record CheckSchedule(
    String name, HealthCheck check, Duration interval, int rise, int fall, CheckState initial) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
  public static final int DEFAULT_RISE = 2;
  public static final int DEFAULT_FALL = 3;

  public CheckSchedule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(initial, "initial");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a check needs a name");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    if (rise < 1 || fall < 1) {
      throw new IllegalArgumentException("rise and fall must be at least 1");
    }
  }

  /** The defaults: every 2 s, up after 2 successes, down after 3 failures, UNKNOWN at start. */
  public static CheckSchedule of(String name, HealthCheck check) {
    return new CheckSchedule(
        name, check, DEFAULT_INTERVAL, DEFAULT_RISE, DEFAULT_FALL, CheckState.UNKNOWN);
  }
}
