package dev.takeover.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A group's auth_hmac settings, as keepalived 2.4 names them (keepalived.conf(5), {@code auth_hmac}
 * block): the keys by id, the one that signs, the rollout mode, and the anti-replay rule.
 *
 * @param keys every key this group verifies with, ids unique; several during a rotation
 * @param activeKey the id of the key that signs what this group sends (must be in {@code keys})
 * @param mode how strictly adverts are signed and checked (see {@link Mode})
 * @param antiReplay whether freshness is judged against the clock or only by growth
 * @param timeWindowSeconds the freshness window, 1..300 s; used by {@link AntiReplay#TIME} only
 */
public record AuthSettings(
    List<AuthKey> keys, int activeKey, Mode mode, AntiReplay antiReplay, int timeWindowSeconds) {

  public static final int MIN_WINDOW_SECONDS = 1;
  public static final int MAX_WINDOW_SECONDS = 300;

  /** keepalived's floor when the window is derived from the advert interval. */
  public static final int WINDOW_FLOOR_SECONDS = 5;

  /**
   * The rollout modes of keepalived's {@code mode} keyword. Only a missing trailer is treated
   * differently: a trailer that is present is always verified, and a bad one always drops the
   * advert, in every mode.
   */
  public enum Mode {
    /** Sends no trailer; accepts adverts without one; verifies those that carry one. */
    RECEIVE_ONLY("receive-only"),
    /** Signs what it sends; still accepts adverts without a trailer. */
    PERMISSIVE("permissive"),
    /** Signs what it sends; drops every advert without a valid trailer (keepalived's default). */
    ENFORCE("enforce");

    private final String keyword;

    Mode(String keyword) {
      this.keyword = keyword;
    }

    /** As written in the configuration (keepalived's spelling). */
    public String keyword() {
      return keyword;
    }

    public boolean signs() {
      return this != RECEIVE_ONLY;
    }

    public boolean acceptsUnsigned() {
      return this != ENFORCE;
    }
  }

  /** keepalived's {@code anti_replay}. */
  public enum AntiReplay {
    /**
     * The sequence's seconds must lie within the window of this node's UTC clock, and grow per
     * sender: needs clocks in sync (NTP). keepalived's default.
     */
    TIME("time"),
    /** Only strict growth per sender; no common clock needed, no freshness guarantee. */
    MONOTONIC("monotonic");

    private final String keyword;

    AntiReplay(String keyword) {
      this.keyword = keyword;
    }

    public String keyword() {
      return keyword;
    }
  }

  public AuthSettings {
    keys = List.copyOf(keys);
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(antiReplay, "antiReplay");
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one key");
    }
    List<Integer> ids = new ArrayList<>();
    for (AuthKey k : keys) {
      if (ids.contains(k.id())) {
        throw new IllegalArgumentException("duplicate key id " + k.id());
      }
      ids.add(k.id());
    }
    if (!ids.contains(activeKey)) {
      throw new IllegalArgumentException("active key " + activeKey + " is not one of " + ids);
    }
    if (timeWindowSeconds < MIN_WINDOW_SECONDS || timeWindowSeconds > MAX_WINDOW_SECONDS) {
      throw new IllegalArgumentException("time window must be 1..300 s, got " + timeWindowSeconds);
    }
  }

  /**
   * keepalived's default window: max(3 × advert interval, 5 s), capped at 300 s, computed as
   * keepalived does (3 × the interval's whole seconds), so both sides of a mixed cluster agree.
   */
  public static int defaultWindowSeconds(long advertIntervalNanos) {
    long threeIntervals = 3 * (advertIntervalNanos / 1_000_000_000L);
    return (int) Math.min(MAX_WINDOW_SECONDS, Math.max(WINDOW_FLOOR_SECONDS, threeIntervals));
  }

  public Optional<AuthKey> key(int id) {
    for (AuthKey k : keys) {
      if (k.id() == id) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** The key that signs. */
  public AuthKey signingKey() {
    return key(activeKey).orElseThrow();
  }
}
