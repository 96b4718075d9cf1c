package dev.takeover.engine;

/** Monotonic time in nanoseconds. The engine is its only reader; tests replace it. */
@FunctionalInterface
public interface Clock {
  long nanoTime();

  Clock SYSTEM = System::nanoTime;
}
