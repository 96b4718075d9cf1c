package dev.takeover.links;

/**
 * One path's request/acknowledge heartbeat: an inquiry every interval; a path is DOWN after {@code
 * misses} unanswered inquiries in a row and UP again after {@code goods} answered ones in a row. An
 * inquiry counts as missed when the next one is due and no answer echoing its sequence came, so a
 * path that dies right after an answered inquiry goes DOWN {@code misses} intervals later. Only the
 * answer to the latest inquiry counts; a late answer to an older one is neither good nor bad.
 *
 * <p>Pure: times are parameters (monotonic nanoseconds, compared by difference so a clock near
 * {@code Long.MAX_VALUE} wraps safely). Not thread-safe.
 */
public final class PathMonitor {
  private long intervalNanos; // a reload may change these three (reconfigure)
  private int misses;
  private int goods;
  private final String asked; // what goes unanswered, for lastChange: "inquiries", "ARP requests"

  private PathStatus status = PathStatus.STARTING;
  private long nextInquiryAt;
  private long outstanding;
  private long outstandingAt;
  private boolean awaiting;
  private boolean inquired; // an inquiry went out (outstandingAt is its time)
  private int missed;
  private int answered;
  private long rttNanos = -1;
  private long lastHeardAt;
  private boolean heard;
  private String lastChange = "starting";

  public PathMonitor(long intervalNanos, int misses, int goods, long now) {
    this(intervalNanos, misses, goods, now, "inquiries");
  }

  /**
   * @param asked what is sent and answered, plural, for {@link #lastChange}: e.g. "ARP requests"
   */
  public PathMonitor(long intervalNanos, int misses, int goods, long now, String asked) {
    if (intervalNanos <= 0 || misses < 1 || goods < 1) {
      throw new IllegalArgumentException("interval, misses and goods must be positive");
    }
    this.intervalNanos = intervalNanos;
    this.misses = misses;
    this.goods = goods;
    this.asked = asked;
    this.nextInquiryAt = now;
  }

  /**
   * A reload changed the settings: the state, counts and round trip stay (UP stays UP), and the new
   * {@code misses} and {@code goods} apply from the next inquiry or answer, counting what is
   * already counted. The next inquiry is due one new interval after the last one went out, or as
   * planned if that is sooner, so a shorter interval applies at once and a longer one from the next
   * inquiry.
   */
  public void reconfigure(long intervalNanos, int misses, int goods) {
    if (intervalNanos <= 0 || misses < 1 || goods < 1) {
      throw new IllegalArgumentException("interval, misses and goods must be positive");
    }
    if (inquired) {
      long sooner = outstandingAt + intervalNanos;
      if (sooner - nextInquiryAt < 0) {
        nextInquiryAt = sooner;
      }
    }
    this.intervalNanos = intervalNanos;
    this.misses = misses;
    this.goods = goods;
  }

  /** Whether an inquiry is due by {@code now}. */
  public boolean due(long now) {
    return now - nextInquiryAt >= 0;
  }

  public long nextInquiryAt() {
    return nextInquiryAt;
  }

  /**
   * An inquiry with {@code sequence} goes out now: the previous one, if unanswered, is a miss.
   *
   * @return the new status if this changed it, else null
   */
  public PathStatus inquire(long sequence, long now) {
    PathStatus change = null;
    if (awaiting) {
      answered = 0;
      missed++;
      if (missed >= misses && status != PathStatus.DOWN) {
        status = PathStatus.DOWN;
        lastChange = missed + " " + asked + " unanswered in a row";
        change = status;
      }
    }
    outstanding = sequence;
    outstandingAt = now;
    awaiting = true;
    inquired = true;
    long next = nextInquiryAt + intervalNanos;
    nextInquiryAt = now - next >= 0 ? now + intervalNanos : next; // a whole interval late: restart
    return change;
  }

  /**
   * An answer echoing {@code echo} came in on this path.
   *
   * @return the new status if this changed it, else null
   */
  public PathStatus answer(long echo, long now) {
    heard(now);
    if (!awaiting || echo != outstanding) {
      return null;
    }
    awaiting = false;
    rttNanos = now - outstandingAt;
    missed = 0;
    answered++;
    if (answered >= goods && status != PathStatus.UP) {
      status = PathStatus.UP;
      lastChange = answered + " " + asked + " answered in a row";
      return status;
    }
    return null;
  }

  /** Any authenticated packet from the peer came in on this path. */
  public void heard(long now) {
    heard = true;
    lastHeardAt = now;
  }

  public PathStatus status() {
    return status;
  }

  /** The round-trip time of the latest answered inquiry; -1 before the first. */
  public long rttNanos() {
    return rttNanos;
  }

  /** Why the status is what it is, e.g. "3 inquiries unanswered in a row". */
  public String lastChange() {
    return lastChange;
  }

  /** Unanswered inquiries in a row (the current one not counted until the next is due). */
  public int missedInARow() {
    return missed;
  }

  public boolean heardAny() {
    return heard;
  }

  public long lastHeardAt() {
    return lastHeardAt;
  }

  public long intervalNanos() {
    return intervalNanos;
  }

  public int misses() {
    return misses;
  }

  public int goods() {
    return goods;
  }
}
