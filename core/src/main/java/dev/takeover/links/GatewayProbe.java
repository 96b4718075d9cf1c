package dev.takeover.links;

/**
 * A next hop's gateway probe (docs/LINKS.md, "Gateway probes"): a request to the gateway every
 * interval (an ARP request, RFC 826, a Neighbor Solicitation, RFC 4861, or an ICMP or ICMPv6 echo,
 * RFC 792, RFC 4443), DOWN after {@code misses} unanswered in a row, UP again after {@code goods}
 * answered in a row. The counting is a node-link path's ({@link PathMonitor}). The caller numbers
 * its requests ({@link #sequence()}) and hands a request's number back with its answer ({@link
 * #reply}). An ARP reply does not say which request it answers, so for ARP the caller remembers the
 * latest outstanding number where replies come in and hands that back with the first reply after
 * it: a reply that comes after the next request went out counts for that next one, as it would for
 * {@code arping}. An ICMP echo reply names its request (identifier, sequence number and data), so
 * only a reply to the outstanding request counts. A Neighbor Advertisement names no request either:
 * NDP counts as ARP does.
 *
 * <p>Pure: times are parameters (monotonic nanoseconds, compared by difference). Not thread-safe.
 */
public final class GatewayProbe {
  /** How a probe asks. */
  public enum Kind {
    /** An ARP request (RFC 826) for the gateway's address. */
    ARP("arp", "ARP requests"),
    /** An ICMP echo (RFC 792; ICMPv6: RFC 4443 §4.1) to the gateway's address. */
    ICMP("icmp", "ICMP echo requests"),
    /**
     * A unicast Neighbor Solicitation (RFC 4861 §7.2.2) for the gateway's IPv6 address: ARP's
     * counterpart on IPv6, answered like ARP by the first solicited advertisement after it.
     */
    NDP("ndp", "Neighbor Solicitations");

    private final String configName;
    private final String asked;

    Kind(String configName, String asked) {
      this.configName = configName;
      this.asked = asked;
    }

    /** As the configuration, the journal and {@code status} name it: "arp", "icmp". */
    public String configName() {
      return configName;
    }

    /** What goes unanswered, plural, for {@link #lastChange}: "ARP requests". */
    public String asked() {
      return asked;
    }

    /** The kind named {@code name} in the configuration; throws for another name. */
    public static Kind of(String name) {
      for (Kind k : values()) {
        if (k.configName.equals(name)) {
          return k;
        }
      }
      throw new IllegalArgumentException("no gateway probe kind " + name);
    }
  }

  private final Kind kind;
  private final PathMonitor monitor;
  private long sequence;

  /** An ARP probe. */
  public GatewayProbe(long intervalNanos, int misses, int goods, long now) {
    this(Kind.ARP, intervalNanos, misses, goods, now);
  }

  public GatewayProbe(Kind kind, long intervalNanos, int misses, int goods, long now) {
    this.kind = kind;
    this.monitor = new PathMonitor(intervalNanos, misses, goods, now, kind.asked());
  }

  public Kind kind() {
    return kind;
  }

  /** A reload changed the settings: the state stays ({@link PathMonitor#reconfigure}). */
  public void reconfigure(long intervalNanos, int misses, int goods) {
    monitor.reconfigure(intervalNanos, misses, goods);
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
   * An answer to request {@code sequence}: for ARP the first reply from the gateway after it went
   * out (for NDP the first solicited advertisement), for ICMP the echo reply that names it. Counts
   * only for the latest request: one for an older request is neither good nor bad.
   *
   * @return the new status if this changed it, else null
   */
  public PathStatus reply(long sequence, long now) {
    return monitor.answer(sequence, now);
  }

  public PathStatus status() {
    return monitor.status();
  }

  /** Why the status is what it is, e.g. "3 ICMP echo requests unanswered in a row". */
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
