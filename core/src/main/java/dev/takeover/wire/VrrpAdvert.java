package dev.takeover.wire;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A VRRPv3 advertisement as it is on the wire (RFC 5798 §5.2), without the IP header.
 *
 * <p>Only version 3 advertisements exist in this type: the codec drops anything else before it gets
 * here. The four reserved bits before the interval are not kept (sent as zero, ignored on receipt,
 * RFC 5798 §5.2.6).
 *
 * @param version always {@link #VERSION} (RFC 5798 §5.2.1)
 * @param type always {@link #TYPE_ADVERTISEMENT} (RFC 5798 §5.2.2)
 * @param vrid Virtual Router Identifier, 1..255 (RFC 5798 §5.2.3)
 * @param priority 0..255; 0 means the master is stopping, 255 the address owner (RFC 5798 §5.2.4)
 * @param maxAdverIntervalCentis Max Advertise Interval in centiseconds, 12 bits (RFC 5798 §5.2.7);
 *     0 can be represented but receivers drop it ({@link DropReason#BAD_INTERVAL})
 * @param addresses the virtual addresses, all IPv4 or all IPv6, at most 255 (RFC 5798 §5.2.5,
 *     §5.2.9). RFC 5798 says at least one; an empty list is allowed because keepalived (2.2.8+,
 *     {@code no_virtual_ipaddress}) sends such adverts
 */
public record VrrpAdvert(
    int version,
    int type,
    int vrid,
    int priority,
    int maxAdverIntervalCentis,
    List<InetAddress> addresses) {

  /** The only VRRP version this codec speaks. */
  public static final int VERSION = 3;

  /** The only VRRP packet type (RFC 5798 §5.2.2). */
  public static final int TYPE_ADVERTISEMENT = 1;

  /** Largest Max Advertise Interval: 12 bits of centiseconds, 40.95 s. */
  public static final int MAX_INTERVAL_CENTIS = 0xfff;

  /** Most addresses one advert can carry: the count field is one byte. */
  public static final int MAX_ADDRESSES = 255;

  public VrrpAdvert {
    if (version != VERSION) {
      throw new IllegalArgumentException("version must be 3, got " + version);
    }
    if (type != TYPE_ADVERTISEMENT) {
      throw new IllegalArgumentException("type must be 1 (advertisement), got " + type);
    }
    if (vrid < 1 || vrid > 255) {
      throw new IllegalArgumentException("vrid must be 1..255, got " + vrid);
    }
    if (priority < 0 || priority > 255) {
      throw new IllegalArgumentException("priority must be 0..255, got " + priority);
    }
    if (maxAdverIntervalCentis < 0 || maxAdverIntervalCentis > MAX_INTERVAL_CENTIS) {
      throw new IllegalArgumentException(
          "maxAdverIntervalCentis must be 0..4095, got " + maxAdverIntervalCentis);
    }
    addresses = List.copyOf(Objects.requireNonNull(addresses, "addresses"));
    if (addresses.size() > MAX_ADDRESSES) {
      throw new IllegalArgumentException("at most 255 addresses, got " + addresses.size());
    }
    long v4 = addresses.stream().filter(a -> a instanceof Inet4Address).count();
    if (v4 != 0 && v4 != addresses.size()) {
      throw new IllegalArgumentException("addresses mix IPv4 and IPv6: " + addresses);
    }
  }

  /** An advertisement with version 3 and type 1. */
  public VrrpAdvert(
      int vrid, int priority, int maxAdverIntervalCentis, List<? extends InetAddress> addresses) {
    this(
        VERSION,
        TYPE_ADVERTISEMENT,
        vrid,
        priority,
        maxAdverIntervalCentis,
        List.copyOf(Objects.requireNonNull(addresses, "addresses")));
  }

  /** The same advertisement with another priority (e.g. 0 when stopping as master). */
  public VrrpAdvert withPriority(int newPriority) {
    return new VrrpAdvert(version, type, vrid, newPriority, maxAdverIntervalCentis, addresses);
  }

  /** Whether the addresses are IPv6; false for IPv4 and for an empty list. */
  public boolean carriesIpv6() {
    return !addresses.isEmpty() && addresses.getFirst() instanceof Inet6Address;
  }
}
