package dev.takeover.it;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting in integration tests: poll a condition until a deadline, never sleep-then-assert. */
final class Poll {
  private static final long INTERVAL_NANOS = Duration.ofMillis(10).toNanos();

  private Poll() {}

  /** Returns once {@code condition} holds; fails with {@code what} after {@code timeout}. */
  static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "timed out after " + timeout.toMillis() + " ms waiting for " + what.get());
      }
      LockSupport.parkNanos(INTERVAL_NANOS);
    }
  }

  /** Whether {@code condition} came to hold within {@code timeout}. */
  static boolean within(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      LockSupport.parkNanos(INTERVAL_NANOS);
    }
    return true;
  }

  /**
   * Checks that {@code condition} holds at every poll for the whole {@code window}: for "nothing
   * bad happens", which no deadline can prove.
   */
  static void holdsFor(Duration window, BooleanSupplier condition, Supplier<String> what) {
    long end = System.nanoTime() + window.toNanos();
    do {
      if (!condition.getAsBoolean()) {
        throw new AssertionError("stopped holding: " + what.get());
      }
      LockSupport.parkNanos(INTERVAL_NANOS);
    } while (System.nanoTime() - end < 0);
  }

  /** Waits a fixed time: only for letting something that must not happen have its chance. */
  static void sleep(Duration duration) {
    // parkNanos may return early ("for no reason", its contract says): park until the deadline.
    long end = System.nanoTime() + duration.toNanos();
    for (long left = duration.toNanos(); left > 0; left = end - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }
}
