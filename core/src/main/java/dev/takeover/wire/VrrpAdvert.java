package dev.takeover.wire;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A VRRPv3 (RFC 5798 §5.2) or VRRPv2 (RFC 3768 §5.3) advertisement as it is on the wire, without
 * the IP header.
 *
 * <p>The four reserved bits before the VRRPv3 interval are not kept (sent as zero, ignored on
 * receipt, RFC 5798 §5.2.6). A VRRPv2 advert's Auth Type and Authentication Data are not kept
 * either: they are the group's {@link WireFormat}, which the codec checks and writes. Its interval,
 * whole seconds on the wire (RFC 3768 §5.3.7), is kept in centiseconds like VRRPv3's, so everything
 * past the codec sees one unit.
 *
 * @param version {@link #VERSION} (RFC 5798 §5.2.1) or {@link #VERSION_2} (RFC 3768 §5.3.1; IPv4
 *     only, interval a whole number of seconds 0..255)
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

  /** VRRPv3, RFC 5798. */
  public static final int VERSION = 3;

  /** VRRPv2, RFC 3768: IPv4 only, whole-second intervals. */
  public static final int VERSION_2 = 2;

  /** Largest VRRPv2 Adver Int: one byte of seconds (RFC 3768 §5.3.7), in centiseconds. */
  public static final int MAX_V2_INTERVAL_CENTIS = 255 * 100;

  /** The only VRRP packet type (RFC 5798 §5.2.2). */
  public static final int TYPE_ADVERTISEMENT = 1;

  /** Largest Max Advertise Interval: 12 bits of centiseconds, 40.95 s. */
  public static final int MAX_INTERVAL_CENTIS = 0xfff;

  /** Most addresses one advert can carry: the count field is one byte. */
  public static final int MAX_ADDRESSES = 255;

  public VrrpAdvert {
    if (version != VERSION && version != VERSION_2) {
      throw new IllegalArgumentException("version must be 2 or 3, got " + version);
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
    if (version == VERSION
        && (maxAdverIntervalCentis < 0 || maxAdverIntervalCentis > MAX_INTERVAL_CENTIS)) {
      throw new IllegalArgumentException(
          "maxAdverIntervalCentis must be 0..4095, got " + maxAdverIntervalCentis);
    }
    if (version == VERSION_2
        && (maxAdverIntervalCentis < 0
            || maxAdverIntervalCentis > MAX_V2_INTERVAL_CENTIS
            || maxAdverIntervalCentis % 100 != 0)) {
      throw new IllegalArgumentException(
          "a VRRPv2 interval is 0..255 whole seconds, got "
              + maxAdverIntervalCentis
              + " centiseconds");
    }
    addresses = List.copyOf(Objects.requireNonNull(addresses, "addresses"));
    if (addresses.size() > MAX_ADDRESSES) {
      throw new IllegalArgumentException("at most 255 addresses, got " + addresses.size());
    }
    int v4 = 0; // a loop, not a stream: this runs for every advert received (issue 15)
    for (InetAddress a : addresses) {
      if (a instanceof Inet4Address) {
        v4++;
      }
    }
    if (v4 != 0 && v4 != addresses.size()) {
      throw new IllegalArgumentException("addresses mix IPv4 and IPv6: " + addresses);
    }
    if (version == VERSION_2 && v4 != addresses.size()) {
      throw new IllegalArgumentException("VRRPv2 carries IPv4 addresses only: " + addresses);
    }
  }

  /** A VRRPv2 advertisement (RFC 3768 §5.3): IPv4 addresses, the interval in whole seconds. */
  public static VrrpAdvert v2(
      int vrid, int priority, int adverIntSeconds, List<? extends InetAddress> addresses) {
    return new VrrpAdvert(
        VERSION_2,
        TYPE_ADVERTISEMENT,
        vrid,
        priority,
        adverIntSeconds * 100,
        List.copyOf(Objects.requireNonNull(addresses, "addresses")));
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
