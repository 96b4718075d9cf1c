package dev.takeover.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Ethernet frames carrying ARP (RFC 826): builds gratuitous ARP announcements and decodes received
 * ARP for conflict detection (RFC 5227).
 *
 * <p>Implementation note: frames are built with their Ethernet header for an {@code AF_PACKET}
 * {@code SOCK_RAW} socket and padded to the 60-byte Ethernet minimum ourselves, since a raw socket
 * sends exactly what it is given. A {@code SOCK_DGRAM} packet socket delivers the ARP packet
 * without the Ethernet header: decode that with {@link #decodePayload}.
 */
public final class ArpFrame {
  /** Ethernet type of ARP. */
  public static final int ETHERTYPE_ARP = 0x0806;

  /** Ethernet header: destination, source, type. */
  public static final int ETHERNET_HEADER_LENGTH = 14;

  /** ARP packet for Ethernet hardware and IPv4 addresses (RFC 826). */
  public static final int ARP_LENGTH = 28;

  /** Minimum Ethernet frame without the FCS. */
  public static final int MIN_FRAME_LENGTH = 60;

  private static final int HARDWARE_ETHERNET = 1;
  private static final int PROTOCOL_IPV4 = 0x0800;

  private static final Inet4Address UNSPECIFIED = ipv4(new byte[4], 0);

  private ArpFrame() {}

  /**
   * A gratuitous ARP as RFC 5227 §3 ARP Announcement: a broadcast request whose sender and target
   * IP are both {@code address}, target MAC all zero, padded to 60 bytes.
   */
  public static byte[] gratuitous(byte[] senderMac, Inet4Address address) {
    return request(senderMac, address, address);
  }

  /**
   * An ARP Probe (RFC 5227 §2.1.1): a broadcast request for {@code target} whose sender IP is
   * 0.0.0.0, so that no receiver's ARP cache learns anything from it, and whose target MAC is zero.
   * A host using {@code target} answers with a reply (Linux does, as RFC 5227 §2.1.1 asks), which
   * names its MAC.
   */
  public static byte[] probe(byte[] senderMac, Inet4Address target) {
    return request(senderMac, UNSPECIFIED, target);
  }

  /**
   * An ordinary ARP request (RFC 826) from {@code senderIp} for {@code target}: broadcast, target
   * MAC zero (RFC 5227 §2.1.1: ignored, SHOULD be zero), padded to 60 bytes. The owner of {@code
   * target} answers with a reply addressed to {@code senderMac}: how a gateway probe asks whether
   * the gateway is alive (docs/LINKS.md).
   */
  public static byte[] request(byte[] senderMac, Inet4Address senderIp, Inet4Address target) {
    MacAddress sender = MacAddress.of(senderMac);
    byte[] frame = new byte[MIN_FRAME_LENGTH]; // the zero tail is the Ethernet padding
    MacAddress.BROADCAST.writeTo(frame, 0);
    sender.writeTo(frame, 6);
    putShort(frame, 12, ETHERTYPE_ARP);
    int arp = ETHERNET_HEADER_LENGTH;
    putShort(frame, arp, HARDWARE_ETHERNET);
    putShort(frame, arp + 2, PROTOCOL_IPV4);
    frame[arp + 4] = MacAddress.LENGTH;
    frame[arp + 5] = 4;
    putShort(frame, arp + 6, ArpPacket.REQUEST);
    sender.writeTo(frame, arp + 8);
    System.arraycopy(senderIp.getAddress(), 0, frame, arp + 14, 4);
    // arp + 18: target hardware address stays zero
    System.arraycopy(target.getAddress(), 0, frame, arp + 24, 4);
    return frame;
  }

  /** Decodes the first {@code length} bytes of an Ethernet frame. Never throws. */
  public static ArpDecoded decode(byte[] frame, int length) {
    if (frame == null || length < 0 || length > frame.length) {
      return drop(
          ArpDropReason.TOO_SHORT,
          "no such byte range: length "
              + length
              + " in "
              + (frame == null ? "null" : frame.length + " bytes"));
    }
    if (length < ETHERNET_HEADER_LENGTH + ARP_LENGTH) {
      return drop(ArpDropReason.TOO_SHORT, length + " bytes");
    }
    int ethertype = getShort(frame, 12);
    if (ethertype != ETHERTYPE_ARP) {
      return drop(ArpDropReason.NOT_ARP, String.format("Ethernet type 0x%04x", ethertype));
    }
    return decodePayload(frame, ETHERNET_HEADER_LENGTH, length - ETHERNET_HEADER_LENGTH);
  }

  /**
   * Decodes an ARP packet without Ethernet header ({@code length} bytes at {@code offset}); bytes
   * after the 28 of the packet (Ethernet padding) are ignored. Never throws.
   */
  public static ArpDecoded decodePayload(byte[] buf, int offset, int length) {
    if (buf == null || offset < 0 || length < 0 || offset > buf.length - length) {
      return drop(
          ArpDropReason.TOO_SHORT,
          "no such byte range: offset "
              + offset
              + ", length "
              + length
              + " in "
              + (buf == null ? "null" : buf.length + " bytes"));
    }
    if (length < ARP_LENGTH) {
      return drop(ArpDropReason.TOO_SHORT, "ARP packet of " + length + " bytes");
    }
    int hardware = getShort(buf, offset);
    int hardwareLength = buf[offset + 4] & 0xff;
    if (hardware != HARDWARE_ETHERNET || hardwareLength != MacAddress.LENGTH) {
      return drop(
          ArpDropReason.UNSUPPORTED_HARDWARE,
          "hardware type " + hardware + ", length " + hardwareLength);
    }
    int protocol = getShort(buf, offset + 2);
    int protocolLength = buf[offset + 5] & 0xff;
    if (protocol != PROTOCOL_IPV4 || protocolLength != 4) {
      return drop(
          ArpDropReason.UNSUPPORTED_PROTOCOL,
          String.format("protocol type 0x%04x, length %d", protocol, protocolLength));
    }
    int operation = getShort(buf, offset + 6);
    if (operation != ArpPacket.REQUEST && operation != ArpPacket.REPLY) {
      return drop(ArpDropReason.UNKNOWN_OPERATION, "operation " + operation);
    }
    return new ArpDecoded.Ok(
        new ArpPacket(
            operation,
            MacAddress.of(buf, offset + 8),
            ipv4(buf, offset + 14),
            MacAddress.of(buf, offset + 18),
            ipv4(buf, offset + 24)));
  }

  private static Inet4Address ipv4(byte[] buf, int offset) {
    byte[] raw = new byte[4];
    System.arraycopy(buf, offset, raw, 0, 4);
    try {
      return (Inet4Address) InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 bytes are always an IPv4 address", e);
    }
  }

  private static ArpDecoded drop(ArpDropReason reason, String detail) {
    return new ArpDecoded.Dropped(reason, detail);
  }

  private static void putShort(byte[] buf, int offset, int value) {
    buf[offset] = (byte) (value >>> 8);
    buf[offset + 1] = (byte) value;
  }

  private static int getShort(byte[] buf, int offset) {
    return ((buf[offset] & 0xff) << 8) | (buf[offset + 1] & 0xff);
  }
}
