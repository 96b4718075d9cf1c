package dev.takeover.clock;

import java.time.Instant;
import java.time.InstantSource;
import java.util.function.LongSupplier;

/**
 * The one source of time in Takeover. Every component that needs the time is handed a {@code
 * Clock}; tests hand in a {@link ManualClock}. Only {@link #system()} reads the real clocks.
 *
 * <p>Two readings, never mixed: {@link #nanoTime()} is monotonic and drives every timer and
 * interval (RFC 5798 timers, hold times, check schedules); {@link #instant()} is wall time, for
 * what people read (journal time stamps, the "at" of a transition in {@code status}) and for the
 * one protocol field defined as UTC: the auth_hmac sequence (draft-cassen-vrrp-auth-hmac), whose
 * freshness window compares the sender's clock with the receiver's.
 */
public interface Clock extends InstantSource {

  /** Monotonic nanoseconds with an arbitrary origin; compare only by subtraction. */
  long nanoTime();

  /** The real clocks: {@link System#nanoTime()} and {@link Instant#now()}. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }

  /** A clock from two readings, for tests that drive time themselves. */
  static Clock of(LongSupplier monotonicNanos, InstantSource wall) {
    return new Clock() {
      @Override
      public long nanoTime() {
        return monotonicNanos.getAsLong();
      }

      @Override
      public Instant instant() {
        return wall.instant();
      }
    };
  }
}
