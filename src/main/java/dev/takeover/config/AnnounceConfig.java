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
 */
public record AnnounceConfig(int garpCount, Duration garpInterval, Duration refreshInterval) {

  public static final int DEFAULT_GARP_COUNT = 5;
  public static final Duration DEFAULT_GARP_INTERVAL = Duration.ofMillis(200);
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(60);

  /** The values used when the {@code announce} section is left out. */
  public static final AnnounceConfig DEFAULTS =
      new AnnounceConfig(DEFAULT_GARP_COUNT, DEFAULT_GARP_INTERVAL, DEFAULT_REFRESH_INTERVAL);

  public AnnounceConfig {
    Objects.requireNonNull(garpInterval, "garpInterval");
    Objects.requireNonNull(refreshInterval, "refreshInterval");
  }

  /** Whether announcements are repeated while master. */
  public boolean refreshes() {
    return !refreshInterval.isZero();
  }
}
