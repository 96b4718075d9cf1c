package dev.takeover.config;

/**
 * What a failed health check or a tracked interface that is down does to its group.
 *
 * <p>{@link Fault} puts the group in FAULT: it releases its addresses and stops advertising, like
 * its own interface going down. {@link Adjust} keeps the group running and adds {@code delta} to
 * its priority while the condition lasts, so a healthier backup can preempt (keepalived's {@code
 * weight}).
 */
public sealed interface Weight {

  /** The default: a failure puts the group in FAULT. */
  Weight FAULT = new Fault();

  /** The lowest and highest priority adjustment: enough to move any priority across 1..254. */
  int MIN_DELTA = -254;

  int MAX_DELTA = 254;

  /** The failure puts the group in FAULT: addresses released. */
  record Fault() implements Weight {}

  /**
   * The failure adds {@code delta} to the group's priority (usually negative). Like keepalived, the
   * user of this value should keep the sum within 1..254: an adjusted priority must never mean
   * "owner" (255) or "resign" (0), RFC 5798 §5.2.4.
   */
  record Adjust(int delta) implements Weight {
    public Adjust {
      if (delta < MIN_DELTA || delta > MAX_DELTA) {
        throw new IllegalArgumentException(
            "weight " + delta + " outside " + MIN_DELTA + ".." + MAX_DELTA);
      }
    }
  }
}
