package dev.takeover.wire;

/**
 * The IPv4 TTL / IPv6 hop limit a group accepts its adverts with: {@link #STRICT} (255 only, RFC
 * 5798 §5.1.1.3, §5.1.2.3, §7.1) for every group, unless it is a unicast group configured with
 * {@code accept-ttl} to hear peers behind routers (docs/DNS.md, name-only groups). Each router on
 * the way takes one off the 255 the sender set, so {@code 250..255} accepts peers up to five hops
 * away; the unicast peer list, checked after decoding, is then the only thing that says who may
 * speak, which is why the range is allowed only with unicast peers (the config rules say so).
 *
 * @param min lowest TTL accepted, 1..255
 * @param max highest TTL accepted, min..255
 */
public record TtlRange(int min, int max) {

  /** RFC 5798 §7.1: "MUST verify that the IPv4 TTL is 255", and the same of the hop limit. */
  public static final TtlRange STRICT =
      new TtlRange(VrrpCodec.REQUIRED_TTL, VrrpCodec.REQUIRED_TTL);

  public TtlRange {
    if (min < 1 || max > 255 || min > max) {
      throw new IllegalArgumentException(
          "TTL range must be 1..255 with min <= max: " + min + ".." + max);
    }
  }

  /** Whether an advert that arrived with this TTL / hop limit passes. */
  public boolean accepts(int ttlOrHopLimit) {
    return ttlOrHopLimit >= min && ttlOrHopLimit <= max;
  }

  /** Whether this is the RFC's rule, 255 only. */
  public boolean strict() {
    return this.equals(STRICT);
  }

  /** {@code 255}, or {@code 250-255}: the config syntax. */
  @Override
  public String toString() {
    return min == max ? Integer.toString(min) : min + "-" + max;
  }
}
