package dev.takeover.health;

import dev.takeover.clock.Clock;
import java.time.Duration;

/** When a probe started, on the clock that times it. */
record Stopwatch(Clock clock, long startNanos) {

  static Stopwatch start(Clock clock) {
    return new Stopwatch(clock, clock.nanoTime());
  }

  Duration elapsed() {
    return Duration.ofNanos(clock.nanoTime() - startNanos);
  }
}
