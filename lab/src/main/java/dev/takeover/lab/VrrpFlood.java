package dev.takeover.lab;

import dev.takeover.platform.VrrpReceiver;
import dev.takeover.wire.ChecksumMode;
import dev.takeover.wire.InternetChecksum;
import dev.takeover.wire.VrrpAdvert;
import dev.takeover.wire.VrrpCodec;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Builds the Ethernet frames of a spoofed-source VRRPv3 flood: valid adverts (right version, TTL
 * 255, checksum, address list) for one VRID, each from a different source address, as a rogue or a
 * broken host on the LAN could send them. The lab's {@code flood} tool sends them through an
 * AF_PACKET socket, which is what lets it choose the IP source.
 *
 * <p>Sources: IPv4 walks 198.18.0.0/15 (RFC 2544's benchmarking block), skipping 198.18.0.0/24
 * where the lab's hosts live, so {@value #IPV4_SOURCES} distinct addresses; IPv6 walks
 * 2001:db8:f::/48 (RFC 3849's documentation block, away from the lab's 2001:db8::/64).
 *
 * <p>The VRRP message comes from the daemon's own codec ({@link VrrpCodec#encodeInto}), so the
 * flood is exactly what a daemon would accept: the IP header is the only thing built here.
 */
public final class VrrpFlood {
  /** Distinct IPv4 sources: 198.18.1.0 … 198.19.255.255. */
  public static final int IPV4_SOURCES = (1 << 17) - 256;

  private static final int ETHERNET = 14;
  private static final int IPV4_HEADER = 20;
  private static final int IPV6_HEADER = 40;
  private static final InetAddress IPV4_GROUP = literal(VrrpReceiver.IPV4_GROUP);
  private static final InetAddress IPV6_GROUP = literal(VrrpReceiver.IPV6_GROUP);

  private final boolean ipv6;
  private final VrrpAdvert advert;
  private final byte[] frame;
  private final byte[] payload = new byte[VrrpCodec.MAX_LENGTH];
  private final byte[] source;
  private final int length;

  /**
   * @param senderMac the Ethernet source (the sending interface's MAC: one MAC, so the switch's
   *     forwarding table does not grow; only the IP source is spoofed)
   * @param addresses the advert's address list (the group's VIPs, so the advert is valid)
   */
  public VrrpFlood(
      byte[] senderMac, int vrid, int priority, int intervalCentis, List<InetAddress> addresses) {
    this.ipv6 = !addresses.isEmpty() && addresses.getFirst() instanceof Inet6Address;
    this.advert = new VrrpAdvert(vrid, priority, intervalCentis, addresses);
    this.source = new byte[ipv6 ? 16 : 4];
    int ipHeader = ipv6 ? IPV6_HEADER : IPV4_HEADER;
    int vrrpLength = VrrpCodec.HEADER_LENGTH + addresses.size() * (ipv6 ? 16 : 4);
    this.length = ETHERNET + ipHeader + vrrpLength;
    this.frame = new byte[length];
    // RFC 5798 §5.1.1.2 / §5.1.2.2: the group MAC for 224.0.0.18 / ff02::12 (RFC 1112, RFC 2464).
    byte[] groupMac =
        ipv6 ? new byte[] {0x33, 0x33, 0, 0, 0, 0x12} : new byte[] {0x01, 0x00, 0x5e, 0, 0, 0x12};
    System.arraycopy(groupMac, 0, frame, 0, 6);
    System.arraycopy(senderMac, 0, frame, 6, 6);
    frame[12] = (byte) (ipv6 ? 0x86 : 0x08);
    frame[13] = (byte) (ipv6 ? 0xdd : 0x00);
  }

  public int length() {
    return length;
  }

  /** How many distinct sources this family offers. */
  public int sourceSpace() {
    return ipv6 ? Integer.MAX_VALUE : IPV4_SOURCES;
  }

  /** The {@code i}-th spoofed source (0-based), as raw bytes. */
  public byte[] source(int i) {
    byte[] out = new byte[ipv6 ? 16 : 4];
    writeSource(i, out);
    return out;
  }

  private void writeSource(int i, byte[] out) {
    if (ipv6) {
      // 2001:db8:f::/48, the index in the low 32 bits.
      out[0] = 0x20;
      out[1] = 0x01;
      out[2] = 0x0d;
      out[3] = (byte) 0xb8;
      out[5] = 0x0f;
      out[12] = (byte) (i >>> 24);
      out[13] = (byte) (i >>> 16);
      out[14] = (byte) (i >>> 8);
      out[15] = (byte) i;
    } else {
      int host = 256 + Math.floorMod(i, IPV4_SOURCES); // past 198.18.0.0/24
      out[0] = (byte) 198;
      out[1] = (byte) (18 + (host >>> 16));
      out[2] = (byte) (host >>> 8);
      out[3] = (byte) host;
    }
  }

  /** Fills the frame for the {@code i}-th source and returns it; valid until the next call. */
  public byte[] frame(int i) {
    writeSource(i, source);
    InetAddress from;
    try {
      from = ipv6 ? Inet6Address.getByAddress(null, source, -1) : InetAddress.getByAddress(source);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always an address", e);
    }
    InetAddress to = ipv6 ? IPV6_GROUP : IPV4_GROUP;
    int vrrpLength = VrrpCodec.encodeInto(advert, from, to, ChecksumMode.PSEUDO_HEADER, payload);
    int at = ETHERNET;
    if (ipv6) {
      frame[at] = 0x60; // version 6, traffic class and flow label 0
      frame[at + 1] = 0;
      frame[at + 2] = 0;
      frame[at + 3] = 0;
      frame[at + 4] = (byte) (vrrpLength >>> 8);
      frame[at + 5] = (byte) vrrpLength;
      frame[at + 6] = (byte) VrrpCodec.IP_PROTOCOL;
      frame[at + 7] = (byte) VrrpCodec.REQUIRED_TTL; // RFC 5798 §5.1.2.3: hop limit 255
      System.arraycopy(source, 0, frame, at + 8, 16);
      System.arraycopy(to.getAddress(), 0, frame, at + 24, 16);
      at += IPV6_HEADER;
    } else {
      int total = IPV4_HEADER + vrrpLength;
      frame[at] = 0x45;
      frame[at + 1] = (byte) 0xc0; // internetwork control, as VRRP routers send it
      frame[at + 2] = (byte) (total >>> 8);
      frame[at + 3] = (byte) total;
      frame[at + 4] = 0;
      frame[at + 5] = 0;
      frame[at + 6] = 0;
      frame[at + 7] = 0;
      frame[at + 8] = (byte) VrrpCodec.REQUIRED_TTL; // RFC 5798 §5.1.1.3: TTL 255
      frame[at + 9] = (byte) VrrpCodec.IP_PROTOCOL;
      frame[at + 10] = 0;
      frame[at + 11] = 0;
      System.arraycopy(source, 0, frame, at + 12, 4);
      System.arraycopy(to.getAddress(), 0, frame, at + 16, 4);
      int checksum = InternetChecksum.of(frame, at, IPV4_HEADER);
      frame[at + 10] = (byte) (checksum >>> 8);
      frame[at + 11] = (byte) checksum;
      at += IPV4_HEADER;
    }
    System.arraycopy(payload, 0, frame, at, vrrpLength);
    return frame;
  }

  private static InetAddress literal(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
