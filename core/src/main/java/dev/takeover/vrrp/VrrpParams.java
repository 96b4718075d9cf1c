package dev.takeover.vrrp;

import java.net.InetAddress;
import java.util.Objects;

/**
 * The configured parameters of one virtual router (RFC 5798 §6.1), validated on construction.
 * Out-of-range values are rejected, never clamped.
 *
 * @param vrid Virtual Router Identifier, 1..255
 * @param priority configured priority, 1..255; 255 means this router owns the addresses
 * @param advertisementIntervalNanos Advertisement_Interval: how often this router advertises as
 *     master. A whole number of centiseconds, 10 ms..40.95 s, because that is what the wire carries
 * @param preempt Preempt_Mode: whether a higher-priority backup takes over from a lower-priority
 *     master. The address owner preempts regardless (RFC 5798 §6.1)
 * @param preemptDelayNanos keepalived's {@code preempt_delay}: how long a backup keeps deferring to
 *     a lower-priority master before it starts to preempt; 0 for none. See {@link VrrpMachine}
 * @param primaryAddress this router's primary address on the interface, the source of its adverts;
 *     breaks ties between equal priorities (RFC 5798 §6.4.3)
 */
public record VrrpParams(
    int vrid,
    int priority,
    long advertisementIntervalNanos,
    boolean preempt,
    long preemptDelayNanos,
    InetAddress primaryAddress) {

  /** One second, the default Advertisement_Interval (RFC 5798 §6.1). */
  public static final long DEFAULT_ADVERTISEMENT_INTERVAL_NANOS = 1_000_000_000L;

  /** Default priority for a backup router (RFC 5798 §6.1). */
  public static final int DEFAULT_PRIORITY = 100;

  public VrrpParams {
    if (vrid < 1 || vrid > 255) {
      throw new IllegalArgumentException("vrid must be 1..255, got " + vrid);
    }
    if (priority < 1 || priority > VrrpTimers.OWNER_PRIORITY) {
      throw new IllegalArgumentException("priority must be 1..255, got " + priority);
    }
    if (!VrrpTimers.isAdvertisableInterval(advertisementIntervalNanos)) {
      throw new IllegalArgumentException(
          "advertisement interval must be a whole number of centiseconds between 10 ms and"
              + " 40.95 s, got "
              + advertisementIntervalNanos
              + " ns");
    }
    if (preemptDelayNanos < 0) {
      throw new IllegalArgumentException(
          "preempt delay must not be negative, got " + preemptDelayNanos + " ns");
    }
    Objects.requireNonNull(primaryAddress, "primaryAddress");
  }

  /** Defaults from RFC 5798 §6.1 (1 s, preempt on) for this group and address. */
  public static VrrpParams defaults(int vrid, int priority, InetAddress primaryAddress) {
    return new VrrpParams(
        vrid, priority, DEFAULT_ADVERTISEMENT_INTERVAL_NANOS, true, 0L, primaryAddress);
  }

  /** Whether this router owns the virtual addresses (priority 255). */
  public boolean isAddressOwner() {
    return priority == VrrpTimers.OWNER_PRIORITY;
  }

  public VrrpParams withPreempt(boolean preempt, long preemptDelayNanos) {
    return new VrrpParams(
        vrid, priority, advertisementIntervalNanos, preempt, preemptDelayNanos, primaryAddress);
  }

  public VrrpParams withAdvertisementIntervalNanos(long advertisementIntervalNanos) {
    return new VrrpParams(
        vrid, priority, advertisementIntervalNanos, preempt, preemptDelayNanos, primaryAddress);
  }
}
