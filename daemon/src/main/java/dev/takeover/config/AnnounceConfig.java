package dev.takeover.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How a new master tells its neighbours that the virtual addresses moved: gratuitous ARP for IPv4,
 * unsolicited neighbour advertisements for IPv6.
 *
 * @param garpCount announcements per burst after becoming master
 * @param garpInterval time between the announcements of one burst
 * @param refreshInterval how often a single announcement is repeated while master; {@link
 *     Duration#ZERO} means never
 * @param handoverHold how long an old master keeps the addresses, silently, after a new master took
 *     over in a planned handover (preempt, move, graceful stop), so packets still on their way to
 *     the old MAC are answered; {@link Duration#ZERO} releases at once
 */
public record AnnounceConfig(
    int garpCount, Duration garpInterval, Duration refreshInterval, Duration handoverHold) {

  public static final int DEFAULT_GARP_COUNT = 5;
  public static final Duration DEFAULT_GARP_INTERVAL = Duration.ofMillis(200);
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(60);
  // Covers a client that sent just before the new master's first announcement reached it, and
  // a scheduling hiccup on either node; short enough that a real conflict is not prolonged.
  public static final Duration DEFAULT_HANDOVER_HOLD = Duration.ofMillis(100);

  /** The values used when the {@code announce} section is left out. */
  public static final AnnounceConfig DEFAULTS =
      new AnnounceConfig(
          DEFAULT_GARP_COUNT,
          DEFAULT_GARP_INTERVAL,
          DEFAULT_REFRESH_INTERVAL,
          DEFAULT_HANDOVER_HOLD);

  public AnnounceConfig {
    Objects.requireNonNull(garpInterval, "garpInterval");
    Objects.requireNonNull(refreshInterval, "refreshInterval");
    Objects.requireNonNull(handoverHold, "handoverHold");
  }

  /** Whether announcements are repeated while master. */
  public boolean refreshes() {
    return !refreshInterval.isZero();
  }
}
