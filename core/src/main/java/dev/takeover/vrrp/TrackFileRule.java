package dev.takeover.vrrp;

import java.util.Optional;

/**
 * What a tracked file's value does to its group: keepalived 2.2.7's {@code track_file} rule
 * (keepalived.conf(5), "VRRP track files"), as a pure function of the value read.
 *
 * <ul>
 *   <li>weight 0: a non-zero value is a fault, zero is OK;
 *   <li>otherwise the value is multiplied by the weight ({@code reverse}: by minus the weight); a
 *       result below -253 is a fault, zero does nothing, anything else is added to the priority (at
 *       most ±253 here; the machine clamps the effective priority to 1..254 as keepalived does).
 * </ul>
 *
 * The read itself (missing or unreadable file, text that is not an integer: value 0, logged by the
 * reader) is an effect outside the core.
 */
public final class TrackFileRule {
  /** Below this the result is a fault (keepalived: "less than -253"). */
  public static final int FAULT_BELOW = -253;

  private TrackFileRule() {}

  /** The impact of {@code value} under {@code weight}, or empty when it changes nothing. */
  public static Optional<Impact> impact(long value, int weight, boolean reverse) {
    if (weight == 0) {
      return value == 0 ? Optional.empty() : Optional.of(new Impact.Fault());
    }
    // Saturating: a file may hold any 64-bit value, and nonsense must not wrap into a raise.
    long product = saturatingMultiply(value, reverse ? -(long) weight : weight);
    if (product < FAULT_BELOW) {
      return Optional.of(new Impact.Fault());
    }
    if (product == 0) {
      return Optional.empty();
    }
    return Optional.of(new Impact.Adjust((int) Math.min(product, -FAULT_BELOW)));
  }

  private static long saturatingMultiply(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    if ((high == 0 && low >= 0) || (high == -1 && low < 0)) {
      return low;
    }
    return (a < 0) == (b < 0) ? Long.MAX_VALUE : Long.MIN_VALUE;
  }
}
