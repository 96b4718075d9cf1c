package dev.takeover.bench;

import java.time.Duration;
import java.util.List;

/**
 * What to measure and how long, as {@code takeover bench} was asked to (after {@code --quick}).
 * Durations are milliseconds so that the JSON results stay plain.
 *
 * @param scenarios a subset of {@link #ALL_SCENARIOS}, in that order
 */
public record BenchOptions(
    int reps,
    List<Integer> intervalsMs,
    List<String> scenarios,
    long loadDurationMs,
    long idleWindowMs,
    long settleMs,
    int startupSamples,
    boolean realtime,
    boolean quick) {

  /** The failover cycle's scenarios, then the measurements that run on their own. */
  public static final List<String> CYCLE_SCENARIOS =
      List.of("link", "kill", "graceful", "preempt-back", "move");

  public static final List<String> ALL_SCENARIOS =
      List.of(
          "link",
          "kill",
          "graceful",
          "preempt-back",
          "move",
          "footprint",
          "startup",
          "cli",
          "name",
          "links",
          "routes",
          "split-brain",
          "heartbeat-cost",
          "scale",
          "load");

  public static final List<Integer> DEFAULT_INTERVALS_MS = List.of(1000, 100, 10);

  public BenchOptions {
    if (reps < 1) {
      throw new IllegalArgumentException("--reps must be at least 1: " + reps);
    }
    if (intervalsMs.isEmpty()) {
      throw new IllegalArgumentException("--intervals needs at least one interval");
    }
    for (int ms : intervalsMs) {
      // RFC 5798 §5.2.7: Max Advertise Interval is in centiseconds, 1..4095.
      if (ms < 10 || ms > 40_950 || ms % 10 != 0) {
        throw new IllegalArgumentException(
            "advert intervals are whole centiseconds from 10 ms to 40950 ms: " + ms);
      }
    }
    for (String s : scenarios) {
      if (!ALL_SCENARIOS.contains(s)) {
        throw new IllegalArgumentException(
            "unknown scenario '" + s + "'; known: " + String.join(",", ALL_SCENARIOS));
      }
    }
    scenarios = ALL_SCENARIOS.stream().filter(scenarios::contains).toList();
    intervalsMs = List.copyOf(intervalsMs);
  }

  public boolean has(String scenario) {
    return scenarios.contains(scenario);
  }

  /** Whether any failover-cycle scenario is asked for. */
  public boolean anyCycle() {
    return scenarios.stream().anyMatch(CYCLE_SCENARIOS::contains);
  }

  public Duration loadDuration() {
    return Duration.ofMillis(loadDurationMs);
  }

  public Duration idleWindow() {
    return Duration.ofMillis(idleWindowMs);
  }

  public Duration settle() {
    return Duration.ofMillis(settleMs);
  }
}
