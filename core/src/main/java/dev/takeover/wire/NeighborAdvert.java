package dev.takeover.wire;

import java.net.Inet6Address;
import java.net.UnknownHostException;

/**
 * The ICMPv6 body of an unsolicited Neighbor Advertisement (RFC 4861 §4.4, §7.2.6), sent after
 * claiming an IPv6 address so neighbours update their caches at once; and what a received one says
 * to a gateway probe ({@link #check}).
 *
 * <pre>
 * type 136 | code 0 | checksum
 * R S O reserved (32 bits): Router 0, Solicited 0, Override 1
 * target address (16)
 * option: type 2 (Target Link-Layer Address) | length 1 (8 bytes) | MAC (6)
 * </pre>
 *
 * <p>The IPv6 header (hop limit 255, RFC 4861 §7.1.2; destination {@link #ALL_NODES}) is the
 * socket's job.
 */
public final class NeighborAdvert {
  /** ICMPv6 type of a Neighbor Advertisement. */
  public static final int TYPE = 136;

  /** IPv6 next header of ICMPv6. */
  public static final int ICMPV6_PROTOCOL = 58;

  /** RFC 4861 §7.1.2: sent, and accepted, only with hop limit 255. */
  public static final int HOP_LIMIT = 255;

  /** The fixed part of an advertisement: type to target (RFC 4861 §4.4). */
  public static final int MESSAGE_LENGTH = 24;

  /** Length of the body built here: 24 bytes of message and an 8-byte option. */
  public static final int LENGTH = 32;

  /** ff02::1, the all-nodes address unsolicited advertisements go to (RFC 4861 §7.2.6). */
  public static final Inet6Address ALL_NODES = allNodes();

  private static final int FLAG_OVERRIDE = 0x20; // R=0x80, S=0x40, O=0x20 in the first flag byte
  private static final int OPTION_TARGET_LINK_LAYER_ADDRESS = 2;

  private NeighborAdvert() {}

  /**
   * The body with checksum 0, for a raw ICMPv6 socket: the kernel always computes ICMPv6 checksums
   * there.
   */
  public static byte[] unsolicited(Inet6Address target, byte[] mac) {
    MacAddress link = MacAddress.of(mac);
    byte[] body = new byte[LENGTH];
    body[0] = (byte) TYPE;
    // body[1] code 0, body[2..3] checksum 0
    // RFC 4861 §7.2.6: Override set so caches take the new MAC; not a router; not solicited.
    body[4] = (byte) FLAG_OVERRIDE;
    System.arraycopy(target.getAddress(), 0, body, 8, 16);
    body[24] = OPTION_TARGET_LINK_LAYER_ADDRESS;
    body[25] = 1; // option length in units of 8 bytes
    link.writeTo(body, 26);
    return body;
  }

  /** The body with its checksum over the IPv6 pseudo-header from {@code source} to ff02::1. */
  public static byte[] unsolicitedWithChecksum(
      Inet6Address source, Inet6Address target, byte[] mac) {
    byte[] body = unsolicited(target, mac);
    long sum = InternetChecksum.pseudoHeader(source, ALL_NODES, LENGTH, ICMPV6_PROTOCOL);
    int checksum = InternetChecksum.finish(InternetChecksum.add(sum, body, 0, LENGTH));
    body[2] = (byte) (checksum >>> 8);
    body[3] = (byte) checksum;
    return body;
  }

  /** What a received Neighbor Advertisement is to a gateway probe ({@link #check}). */
  public enum Verdict {
    /** A valid solicited advertisement for the probed address: the gateway answered. */
    ANSWER,
    /** A valid advertisement, but unsolicited or for another target: not an answer. */
    NOT_AN_ANSWER,
    /** Fails RFC 4861 §7.1.2's validity checks (or is no advertisement): to be counted. */
    INVALID
  }

  private static final int FLAG_SOLICITED = 0x40;

  /**
   * Whether the ICMPv6 message of {@code length} bytes at {@code offset} (as a raw ICMPv6 socket
   * delivers it: checksum verified by the kernel, no IPv6 header) answers a solicitation for the
   * 16-byte address at {@code targetOffset} in {@code target}. RFC 4861 §7.1.2's checks that the
   * message itself can show: type 136, code 0, at least 24 bytes, every option's length above 0,
   * received with hop limit 255 ({@code hopLimit}, from the socket's ancillary data; -1 when not
   * known, which fails). An answer (§7.2.4, §7.2.5) has the Solicited flag and the target. Pure;
   * never throws.
   */
  public static Verdict check(
      byte[] buf, int offset, int length, int hopLimit, byte[] target, int targetOffset) {
    if (buf == null
        || offset < 0
        || length < MESSAGE_LENGTH
        || offset > buf.length - length
        || (buf[offset] & 0xff) != TYPE
        || buf[offset + 1] != 0
        || hopLimit != HOP_LIMIT) {
      return Verdict.INVALID;
    }
    for (int option = offset + MESSAGE_LENGTH; option < offset + length; ) {
      if (option + 2 > offset + length) {
        return Verdict.INVALID;
      }
      int optionLength = (buf[option + 1] & 0xff) * 8;
      if (optionLength == 0 || optionLength > offset + length - option) {
        return Verdict.INVALID; // RFC 4861 §4.6: a zero length is invalid; so is a cut one
      }
      option += optionLength;
    }
    if ((buf[offset + 4] & FLAG_SOLICITED) == 0
        || !java.util.Arrays.equals(
            buf, offset + 8, offset + 24, target, targetOffset, targetOffset + 16)) {
      return Verdict.NOT_AN_ANSWER;
    }
    return Verdict.ANSWER;
  }

  private static Inet6Address allNodes() {
    byte[] raw = new byte[16];
    raw[0] = (byte) 0xff;
    raw[1] = 0x02;
    raw[15] = 1;
    try {
      return Inet6Address.getByAddress(null, raw, -1);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
