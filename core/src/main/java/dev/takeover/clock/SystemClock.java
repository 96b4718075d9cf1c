package dev.takeover.clock;

import java.time.Instant;

/** The real clocks; the only place outside the platform layer that reads them. */
enum SystemClock implements Clock {
  INSTANCE;

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant instant() {
    return Instant.now();
  }
}
