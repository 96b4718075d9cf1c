package dev.takeover.wire;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * What an Ethernet frame seen on a watched link says about who uses which address: ARP (RFC 826,
 * RFC 5227), IPv6 Neighbor Solicitations and Advertisements (RFC 4861 §4.3, §4.4), and VRRP adverts
 * with the MAC they came from (RFC 5798 §5.1), so that the MACs of the group's peers are known.
 * Everything else is {@link Ignored}. {@link #decode} never throws: frames come from the wire.
 */
public sealed interface LinkFrame {

  /** An ARP packet; {@code ethernetSource} is the frame's sender. */
  record Arp(MacAddress ethernetSource, ArpPacket packet) implements LinkFrame {}

  /**
   * A Neighbor Advertisement: {@code mac} answers for {@code target} (its Target Link-Layer Address
   * option, else the frame's sender).
   */
  record NeighborAdvertisement(MacAddress mac, Inet6Address target) implements LinkFrame {}

  /**
   * A Neighbor Solicitation for {@code target}; {@code source} is {@code ::} for Duplicate Address
   * Detection (RFC 4862 §5.4.2), otherwise the address the sender uses, which it thereby claims.
   */
  record NeighborSolicitation(MacAddress mac, Inet6Address source, Inet6Address target)
      implements LinkFrame {}

  /**
   * A VRRP packet (IP protocol 112): its IP source, destination and TTL / hop limit, and where its
   * VRRP message is in the frame, for {@link VrrpCodec#decode}.
   */
  record Vrrp(
      MacAddress mac,
      InetAddress source,
      InetAddress destination,
      int ttl,
      int payloadOffset,
      int payloadLength)
      implements LinkFrame {}

  /** Nothing of the above (or too short or malformed to tell). */
  record Ignored() implements LinkFrame {}

  /** The one {@link Ignored}. */
  LinkFrame IGNORED = new Ignored();

  /** Ethernet type of IPv4. */
  int ETHERTYPE_IPV4 = 0x0800;

  /** IP protocol / IPv6 next header of VRRP (RFC 5798 §5.1.1.3). */
  int VRRP_PROTOCOL = 112;

  /** Decodes the first {@code length} bytes of an Ethernet frame. */
  static LinkFrame decode(byte[] frame, int length) {
    if (frame == null || length < ArpFrame.ETHERNET_HEADER_LENGTH || length > frame.length) {
      return IGNORED;
    }
    MacAddress sender = MacAddress.of(frame, 6);
    int type = Decoding.u16(frame, 12);
    int at = ArpFrame.ETHERNET_HEADER_LENGTH;
    return switch (type) {
      case ArpFrame.ETHERTYPE_ARP ->
          ArpFrame.decode(frame, length) instanceof ArpDecoded.Ok ok
              ? new Arp(sender, ok.packet())
              : IGNORED;
      case ETHERTYPE_IPV4 -> Decoding.ipv4(frame, at, length, sender);
      case NeighborSolicit.ETHERTYPE_IPV6 -> Decoding.ipv6(frame, at, length, sender);
      default -> IGNORED;
    };
  }

  /** The decoding steps, kept out of the interface's public surface. */
  final class Decoding {
    private static final int IPV6_HEADER = 40;
    private static final int OPTION_TARGET_LINK_LAYER_ADDRESS = 2;

    private Decoding() {}

    static LinkFrame ipv4(byte[] f, int ip, int end, MacAddress sender) {
      if (end - ip < 20 || (f[ip] & 0xf0) != 0x40) {
        return IGNORED;
      }
      int headerLength = (f[ip] & 0x0f) * 4;
      int total = u16(f, ip + 2);
      if (headerLength < 20 || total < headerLength || ip + headerLength > end) {
        return IGNORED;
      }
      if ((f[ip + 9] & 0xff) != VRRP_PROTOCOL) {
        return IGNORED;
      }
      int payload = ip + headerLength;
      int payloadLength = Math.min(total, end - ip) - headerLength;
      return new Vrrp(
          sender,
          address(f, ip + 12, 4),
          address(f, ip + 16, 4),
          f[ip + 8] & 0xff,
          payload,
          payloadLength);
    }

    static LinkFrame ipv6(byte[] f, int ip, int end, MacAddress sender) {
      if (end - ip < IPV6_HEADER || (f[ip] & 0xf0) != 0x60) {
        return IGNORED;
      }
      int payload = ip + IPV6_HEADER;
      int payloadLength = Math.min(u16(f, ip + 4), end - payload);
      int next = f[ip + 6] & 0xff;
      int hopLimit = f[ip + 7] & 0xff;
      if (next == VRRP_PROTOCOL) {
        return new Vrrp(
            sender,
            address(f, ip + 8, 16),
            address(f, ip + 24, 16),
            hopLimit,
            payload,
            payloadLength);
      }
      // RFC 4861 §7.1.1, §7.1.2: Neighbor Discovery comes with hop limit 255 and at least 24 bytes.
      if (next != NeighborAdvert.ICMPV6_PROTOCOL || hopLimit != 255 || payloadLength < 24) {
        return IGNORED;
      }
      int icmpType = f[payload] & 0xff;
      Inet6Address target = (Inet6Address) address(f, payload + 8, 16);
      if (icmpType == NeighborSolicit.TYPE) {
        return new NeighborSolicitation(sender, (Inet6Address) address(f, ip + 8, 16), target);
      }
      if (icmpType != NeighborAdvert.TYPE) {
        return IGNORED;
      }
      MacAddress mac = sender;
      int option = payload + 24;
      int optionsEnd = payload + payloadLength;
      while (option + 8 <= optionsEnd) {
        int optionLength = (f[option + 1] & 0xff) * 8;
        if (optionLength == 0) {
          break; // RFC 4861 §4.6: a zero length is invalid; stop rather than loop
        }
        if ((f[option] & 0xff) == OPTION_TARGET_LINK_LAYER_ADDRESS) {
          mac = MacAddress.of(f, option + 2);
          break;
        }
        option += optionLength;
      }
      return new NeighborAdvertisement(mac, target);
    }

    static int u16(byte[] b, int at) {
      return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    static InetAddress address(byte[] b, int at, int length) {
      byte[] raw = new byte[length];
      System.arraycopy(b, at, raw, 0, length);
      try {
        return length == 4
            ? (Inet4Address) InetAddress.getByAddress(raw)
            : Inet6Address.getByAddress(null, raw, -1);
      } catch (UnknownHostException e) {
        throw new AssertionError("4 or 16 bytes are always an address", e);
      }
    }
  }
}
