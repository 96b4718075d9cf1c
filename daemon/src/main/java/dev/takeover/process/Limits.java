package dev.takeover.process;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a program may run and how much of it is kept.
 *
 * @param timeout from start; after it the whole process tree gets SIGTERM
 * @param killGrace between that SIGTERM and the SIGKILL of whatever is left of the tree
 * @param outputLimitBytes how much of the merged stdout and stderr (the end of it) is kept
 * @param outputDrain how long to go on reading output after the program ended; a background process
 *     that inherited the pipe must not hold the caller up
 */
public record Limits(
    Duration timeout, Duration killGrace, int outputLimitBytes, Duration outputDrain) {
  public Limits {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(killGrace, "killGrace");
    Objects.requireNonNull(outputDrain, "outputDrain");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    if (killGrace.isNegative() || outputDrain.isNegative()) {
      throw new IllegalArgumentException("kill grace and output drain must not be negative");
    }
    if (outputLimitBytes <= 0) {
      throw new IllegalArgumentException("output limit must be positive: " + outputLimitBytes);
    }
  }
}
