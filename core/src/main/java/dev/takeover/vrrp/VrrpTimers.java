package dev.takeover.vrrp;

/**
 * The VRRPv3 timer formulas (RFC 5798 §6.1, unchanged by RFC 9568), in one place.
 *
 * <p>Implementation note: the RFC states every interval in centiseconds, and a literal reading
 * computes Skew_Time with integer centisecond arithmetic (1 s at priority 100 would give 60 cs). We
 * keep nanoseconds inside instead, so Skew_Time is exact to the nanosecond ({@code 156/256 s =
 * 609.375 ms}); only the division by 256 rounds down, by less than one nanosecond. keepalived does
 * the same in microseconds. Centiseconds appear only at the edge, where the advert's 12-bit Max
 * Adver Int field is read or written ({@link #centisToNanos}, {@link #nanosToCentis}).
 *
 * <p>All values here are durations, never points in time, so plain {@code <}/{@code >} on them is
 * fine; points in time are compared by subtraction in {@link VrrpMachine}.
 */
public final class VrrpTimers {

  /** One centisecond in nanoseconds, the unit of the advert's Max Adver Int field. */
  public static final long NANOS_PER_CENTI = 10_000_000L;

  /** Smallest Max Adver Int the 12-bit field can carry (RFC 5798 §5.2.7). 0 is not an interval. */
  public static final int MIN_ADVER_INTERVAL_CENTIS = 1;

  /** Largest Max Adver Int the 12-bit field can carry (RFC 5798 §5.2.7): 40.95 s. */
  public static final int MAX_ADVER_INTERVAL_CENTIS = 4095;

  /** Priority of the router that owns the virtual addresses (RFC 5798 §5.2.4). */
  public static final int OWNER_PRIORITY = 255;

  /** Priority a master sends when it gives up mastership (RFC 5798 §5.2.4). */
  public static final int STOP_PRIORITY = 0;

  private VrrpTimers() {}

  /**
   * Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256 (RFC 5798 §6.1). Lets the
   * highest-priority backup time out first, so backups do not all claim at once.
   *
   * @param priority the local priority, 1..255
   * @param masterAdverIntervalNanos Master_Adver_Interval, in nanoseconds
   */
  public static long skewTimeNanos(int priority, long masterAdverIntervalNanos) {
    requirePriority(priority);
    requirePositive(masterAdverIntervalNanos);
    // At most 255 * 40.95 s in ns ~ 1.04e13: far from overflowing a long.
    return ((256L - priority) * masterAdverIntervalNanos) / 256L;
  }

  /** Master_Down_Interval = (3 * Master_Adver_Interval) + Skew_Time (RFC 5798 §6.1). */
  public static long masterDownIntervalNanos(int priority, long masterAdverIntervalNanos) {
    return 3L * masterAdverIntervalNanos + skewTimeNanos(priority, masterAdverIntervalNanos);
  }

  /** An advert's Max Adver Int (centiseconds) as nanoseconds. */
  public static long centisToNanos(int centis) {
    if (centis < MIN_ADVER_INTERVAL_CENTIS || centis > MAX_ADVER_INTERVAL_CENTIS) {
      throw new IllegalArgumentException(
          "advertisement interval must be "
              + MIN_ADVER_INTERVAL_CENTIS
              + ".."
              + MAX_ADVER_INTERVAL_CENTIS
              + " centiseconds, got "
              + centis);
    }
    return centis * NANOS_PER_CENTI;
  }

  /**
   * An interval in nanoseconds as the advert's Max Adver Int (centiseconds). Rejects values the
   * field cannot carry exactly, rather than rounding: a rounded interval on the wire would make
   * backups compute a different Master_Down_Interval from the one the master runs.
   */
  public static int nanosToCentis(long nanos) {
    if (!isAdvertisableInterval(nanos)) {
      throw new IllegalArgumentException(
          "advertisement interval must be a whole number of centiseconds between 10 ms and"
              + " 40.95 s, got "
              + nanos
              + " ns");
    }
    return (int) (nanos / NANOS_PER_CENTI);
  }

  /** Whether the advert's 12-bit centisecond field can carry this interval exactly. */
  public static boolean isAdvertisableInterval(long nanos) {
    return nanos % NANOS_PER_CENTI == 0
        && nanos >= MIN_ADVER_INTERVAL_CENTIS * NANOS_PER_CENTI
        && nanos <= MAX_ADVER_INTERVAL_CENTIS * NANOS_PER_CENTI;
  }

  private static void requirePriority(int priority) {
    if (priority < 1 || priority > OWNER_PRIORITY) {
      throw new IllegalArgumentException("priority must be 1..255, got " + priority);
    }
  }

  private static void requirePositive(long intervalNanos) {
    if (intervalNanos <= 0) {
      throw new IllegalArgumentException("interval must be positive, got " + intervalNanos);
    }
  }
}
