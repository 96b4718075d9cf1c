package dev.takeover.clock;

import java.time.Duration;
import java.time.Instant;

/**
 * A clock that moves only when told to: for tests and simulations. Its monotonic reading starts
 * near {@link Long#MAX_VALUE} by default, so code that compares times other than by subtraction
 * breaks at once instead of after 292 years of uptime. Not thread-safe beyond volatile reads.
 */
public final class ManualClock implements Clock {
  private volatile long nanos;
  private volatile Instant wall;

  /** Starts 10 s before the monotonic reading wraps, at 2026-01-01T00:00:00Z. */
  public ManualClock() {
    this(Long.MAX_VALUE - Duration.ofSeconds(10).toNanos(), Instant.parse("2026-01-01T00:00:00Z"));
  }

  public ManualClock(long startNanos, Instant startWall) {
    this.nanos = startNanos;
    this.wall = startWall;
  }

  @Override
  public long nanoTime() {
    return nanos;
  }

  @Override
  public Instant instant() {
    return wall;
  }

  /** Moves both readings forward together. */
  public synchronized void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("a monotonic clock does not go back: " + by);
    }
    nanos += by.toNanos();
    wall = wall.plus(by);
  }

  public void advanceNanos(long by) {
    advance(Duration.ofNanos(by));
  }

  /** Steps only the wall clock (an NTP step, a manual date change); monotonic time is unmoved. */
  public synchronized void stepWall(Duration by) {
    wall = wall.plus(by);
  }
}
