package dev.takeover.wire;

import java.net.Inet6Address;

/**
 * Neighbor Solicitations (RFC 4861 §4.3). The IPv6 counterpart of an ARP Probe: a Neighbor
 * Solicitation from the unspecified address, as Duplicate Address Detection sends it (RFC 4862
 * §5.4.2), built as a whole Ethernet frame for an {@code AF_PACKET} socket (a raw ICMPv6 socket
 * cannot send from {@code ::}); and the unicast solicitation of a gateway probe ({@link
 * #unicastProbe}), the ICMPv6 body alone for a raw ICMPv6 socket.
 *
 * <pre>
 * Ethernet: 33:33:ff:xx:xx:xx  ourMac  0x86dd
 * IPv6:     :: -> ff02::1:ffxx:xxxx (solicited-node multicast of the target), hop limit 255
 * ICMPv6:   type 135 | code 0 | checksum | reserved (4) | target (16); no source link-layer option
 *           (RFC 4861 §4.3: it must not be included when the source is unspecified)
 * </pre>
 *
 * <p>A node that has the target answers with a Neighbor Advertisement to all-nodes (RFC 4861
 * §7.2.4), which names its MAC.
 */
public final class NeighborSolicit {
  /** ICMPv6 type of a Neighbor Solicitation. */
  public static final int TYPE = 135;

  /** Ethernet type of IPv6. */
  public static final int ETHERTYPE_IPV6 = 0x86dd;

  /** Length of the NS message built here: 24 bytes, no options. */
  public static final int LENGTH = 24;

  private static final int IPV6_HEADER = 40;

  private NeighborSolicit() {}

  /** The whole Ethernet frame of a DAD probe for {@code target} from {@code senderMac}. */
  public static byte[] dadProbe(byte[] senderMac, Inet6Address target) {
    MacAddress sender = MacAddress.of(senderMac);
    byte[] t = target.getAddress();
    byte[] solicited = solicitedNode(t);
    byte[] frame = new byte[ArpFrame.ETHERNET_HEADER_LENGTH + IPV6_HEADER + LENGTH];
    // RFC 2464 §7: 33:33 followed by the last four bytes of the IPv6 multicast destination.
    frame[0] = 0x33;
    frame[1] = 0x33;
    System.arraycopy(solicited, 12, frame, 2, 4);
    sender.writeTo(frame, 6);
    frame[12] = (byte) (ETHERTYPE_IPV6 >>> 8);
    frame[13] = (byte) ETHERTYPE_IPV6;
    int ip = ArpFrame.ETHERNET_HEADER_LENGTH;
    frame[ip] = 0x60; // version 6, traffic class 0, flow label 0
    frame[ip + 4] = 0;
    frame[ip + 5] = LENGTH;
    frame[ip + 6] = (byte) NeighborAdvert.ICMPV6_PROTOCOL;
    frame[ip + 7] = (byte) NeighborAdvert.HOP_LIMIT; // RFC 4861 §7.1.1
    // ip + 8..23: source :: (zero)
    System.arraycopy(solicited, 0, frame, ip + 24, 16);
    int icmp = ip + IPV6_HEADER;
    frame[icmp] = (byte) TYPE;
    System.arraycopy(t, 0, frame, icmp + 8, 16);
    // RFC 8200 §8.1 pseudo-header: source, destination, length, next header.
    long sum = InternetChecksum.add(0, frame, ip + 8, 32);
    sum += LENGTH + NeighborAdvert.ICMPV6_PROTOCOL;
    int checksum = InternetChecksum.finish(InternetChecksum.add(sum, frame, icmp, LENGTH));
    frame[icmp + 2] = (byte) (checksum >>> 8);
    frame[icmp + 3] = (byte) checksum;
    return frame;
  }

  /** Length of {@link #unicastProbe}: the message and a Source Link-Layer Address option. */
  public static final int PROBE_LENGTH = LENGTH + 8;

  private static final int OPTION_SOURCE_LINK_LAYER_ADDRESS = 1;

  /**
   * The ICMPv6 body of a gateway probe's solicitation of {@code target}, checksum 0 (the kernel
   * computes it on a raw ICMPv6 socket), to be sent to {@code target} itself with hop limit 255:
   * the unicast solicitation of RFC 4861 §7.3.1's reachability confirmation (§7.2.2), which the
   * target answers with a solicited Neighbor Advertisement (§7.2.4). It carries the sender's MAC in
   * a Source Link-Layer Address option, which §4.3 says it SHOULD, so the target can answer without
   * resolving us first.
   */
  public static byte[] unicastProbe(Inet6Address target, byte[] senderMac) {
    MacAddress sender = MacAddress.of(senderMac);
    byte[] body = new byte[PROBE_LENGTH];
    body[0] = (byte) TYPE;
    // body[1] code 0, body[2..3] checksum 0, body[4..7] reserved
    System.arraycopy(target.getAddress(), 0, body, 8, 16);
    body[LENGTH] = OPTION_SOURCE_LINK_LAYER_ADDRESS;
    body[LENGTH + 1] = 1; // option length in units of 8 bytes
    sender.writeTo(body, LENGTH + 2);
    return body;
  }

  /** RFC 4291 §2.7.1: ff02::1:ff00:0/104 plus the low 24 bits of the address. */
  static byte[] solicitedNode(byte[] address) {
    byte[] s = new byte[16];
    s[0] = (byte) 0xff;
    s[1] = 0x02;
    s[11] = 0x01;
    s[12] = (byte) 0xff;
    System.arraycopy(address, 13, s, 13, 3);
    return s;
  }
}
