package dev.takeover.links;

/**
 * A next hop's gateway probe (docs/LINKS.md, "Gateway probes"): a request to the gateway every
 * interval (an ARP request, RFC 826), DOWN after {@code misses} unanswered in a row, UP again after
 * {@code goods} answered in a row. The counting is a node-link path's ({@link PathMonitor}); what
 * differs is the echo: an ARP reply does not say which request it answers, so the caller numbers
 * its requests, remembers the latest outstanding one where replies come in, and hands that number
 * back with the first reply after it ({@link #reply}). A reply that comes after the next request
 * went out counts for that next one, as it would for {@code arping}.
 *
 * <p>Pure: times are parameters (monotonic nanoseconds, compared by difference). Not thread-safe.
 */
public final class GatewayProbe {
  private final PathMonitor monitor;
  private long sequence;

  public GatewayProbe(long intervalNanos, int misses, int goods, long now) {
    this.monitor = new PathMonitor(intervalNanos, misses, goods, now, "ARP requests");
  }

  /** Whether a request is due by {@code now}. */
  public boolean due(long now) {
    return monitor.due(now);
  }

  public long nextRequestAt() {
    return monitor.nextInquiryAt();
  }

  /**
   * A request goes out now, numbered {@link #sequence()} afterwards (1, 2, ...; never 0, which
   * callers may use for "none outstanding"); the previous one, if unanswered, is a miss.
   *
   * @return the new status if this changed it, else null
   */
  public PathStatus request(long now) {
    sequence++;
    if (sequence == 0) {
      sequence = 1; // after 2^64 requests: 0 stays "none"
    }
    return monitor.inquire(sequence, now);
  }

  /** The number of the latest request. */
  public long sequence() {
    return sequence;
  }

  /**
   * The first reply from the gateway after request {@code sequence} went out. Counts only for the
   * latest request: one for an older request is neither good nor bad.
   *
   * @return the new status if this changed it, else null
   */
  public PathStatus reply(long sequence, long now) {
    return monitor.answer(sequence, now);
  }

  public PathStatus status() {
    return monitor.status();
  }

  /** Why the status is what it is, e.g. "3 ARP requests unanswered in a row". */
  public String lastChange() {
    return monitor.lastChange();
  }

  /** The round trip of the latest answered request; -1 before the first. */
  public long rttNanos() {
    return monitor.rttNanos();
  }

  public long intervalNanos() {
    return monitor.intervalNanos();
  }

  public int misses() {
    return monitor.misses();
  }

  public int goods() {
    return monitor.goods();
  }
}
