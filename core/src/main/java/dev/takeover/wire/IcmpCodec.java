package dev.takeover.wire;

import java.net.Inet4Address;

/**
 * ICMPv4 echo and echo reply (RFC 792), and ICMPv6 echo request and reply (RFC 4443 §4.1, §4.2):
 * builds the echo requests of an ICMP gateway probe (docs/LINKS.md, "Gateway probes") and decodes
 * what a raw IPv4 ICMP socket receives (the IPv4 header, then the ICMP message) or a raw ICMPv6
 * socket receives (the ICMPv6 message alone). Both echoes have the same layout; only the types
 * differ.
 *
 * <pre>
 *  0      type (8 echo, 0 echo reply)   1 code (0)   2 checksum (2)
 *  4      identifier (2)                6 sequence number (2)
 *  8      data: returned unchanged in the reply
 * </pre>
 *
 * <p>Implementation notes. The checksum is the Internet checksum (RFC 1071) over the whole ICMP
 * message with the field zero; unlike ICMPv6, a raw IPv4 ICMP socket leaves it to the sender and
 * delivers received messages without checking it, so both directions are done here. The identifier
 * and sequence number are what RFC 792 gives "to aid in matching echos and replies"; a probe also
 * puts its whole 64-bit request number into the data, which RFC 1122 §3.2.2.6 requires the reply to
 * carry back entirely, so a reply names its request beyond the 16 bits of the sequence number.
 * Decoding is a sequence of named checks that each return a reason ({@link IcmpDropReason}); it
 * never throws and allocates only the result. ICMPv6 differs in the checksum: it covers an IPv6
 * pseudo-header (RFC 4443 §2.3), and on a raw ICMPv6 socket the kernel always computes it when
 * sending and verifies it before queueing (RFC 3542 §3.1), so the ICMPv6 side leaves it alone.
 */
public final class IcmpCodec {
  /** IPv4 protocol number of ICMP (RFC 792). */
  public static final int IP_PROTOCOL = 1;

  /** RFC 792: Echo Reply. */
  public static final int ECHO_REPLY = 0;

  /** RFC 792: Echo (request). */
  public static final int ECHO_REQUEST = 8;

  /** RFC 4443 §4.1: Echo Request. */
  public static final int ECHO6_REQUEST = 128;

  /** RFC 4443 §4.2: Echo Reply. */
  public static final int ECHO6_REPLY = 129;

  /** Type, code, checksum, identifier, sequence number. */
  public static final int HEADER_LENGTH = 8;

  /** A probe's data: its 64-bit request number. */
  public static final int PROBE_DATA_LENGTH = 8;

  /** A probe's whole echo request. */
  public static final int PROBE_LENGTH = HEADER_LENGTH + PROBE_DATA_LENGTH;

  /** RFC 791 §3.1: the fixed part of the IPv4 header. */
  public static final int MIN_IPV4_HEADER = 20;

  private IcmpCodec() {}

  /**
   * An echo message of {@code type} with the checksum set: the general encoder, for tests and for
   * round trips of what {@link #decodeMessage} accepted.
   */
  public static byte[] echo(int type, int identifier, int sequence, byte[] data) {
    byte[] message = new byte[HEADER_LENGTH + data.length];
    message[0] = (byte) type;
    putShort(message, 4, identifier);
    putShort(message, 6, sequence);
    System.arraycopy(data, 0, message, HEADER_LENGTH, data.length);
    putShort(message, 2, InternetChecksum.of(message, 0, message.length));
    return message;
  }

  /**
   * Writes a gateway probe's echo request into {@code out} (at least {@link #PROBE_LENGTH} bytes,
   * reused from one request to the next): identifier, the low 16 bits of {@code request} as the
   * sequence number, all 64 bits of it as the data, and the checksum. Allocates nothing.
   *
   * @return the message length, {@link #PROBE_LENGTH}
   */
  public static int writeProbeRequest(byte[] out, int identifier, long request) {
    writeEcho(out, ECHO_REQUEST, identifier, request);
    putShort(out, 2, InternetChecksum.of(out, 0, PROBE_LENGTH));
    return PROBE_LENGTH;
  }

  /**
   * Writes a gateway probe's ICMPv6 echo request into {@code out} as {@link #writeProbeRequest}
   * does, with the checksum left 0: the kernel fills it in on a raw ICMPv6 socket (RFC 3542 §3.1).
   *
   * @return the message length, {@link #PROBE_LENGTH}
   */
  public static int writeProbeRequest6(byte[] out, int identifier, long request) {
    writeEcho(out, ECHO6_REQUEST, identifier, request);
    return PROBE_LENGTH;
  }

  private static void writeEcho(byte[] out, int type, int identifier, long request) {
    out[0] = (byte) type;
    out[1] = 0;
    putShort(out, 2, 0);
    putShort(out, 4, identifier);
    putShort(out, 6, (int) request);
    for (int i = 0; i < 8; i++) {
      out[HEADER_LENGTH + i] = (byte) (request >>> (56 - 8 * i));
    }
  }

  /**
   * The request number a probe's reply carries back in its data ({@link #writeProbeRequest}), or 0
   * (never a request's number) when the data is shorter than a probe's.
   */
  public static long probeRequest(byte[] buf, IcmpEcho echo) {
    if (echo.dataLength() < PROBE_DATA_LENGTH) {
      return 0;
    }
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (buf[echo.dataOffset() + i] & 0xff);
    }
    return value;
  }

  /**
   * Whether {@code echo} answers a probe's request: an echo reply with the probe's identifier whose
   * sequence number and data both name {@code request}.
   */
  public static boolean answers(byte[] buf, IcmpEcho echo, int identifier, long request) {
    return echo.isReply()
        && echo.identifier() == (identifier & 0xffff)
        && echo.sequence() == (int) (request & 0xffff)
        && probeRequest(buf, echo) == request;
  }

  /** An IPv4 address as the big-endian int {@link IcmpEcho#source} holds. */
  public static int ipv4(Inet4Address address) {
    byte[] a = address.getAddress();
    return ((a[0] & 0xff) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff);
  }

  /**
   * Decodes the first {@code length} bytes of {@code packet}, an IPv4 packet as a raw IPv4 socket
   * delivers it (RFC 791 header, then the ICMP message). Never throws.
   */
  public static IcmpDecoded decodeIpv4(byte[] packet, int length) {
    if (packet == null || length < 0 || length > packet.length) {
      return drop(
          IcmpDropReason.TOO_SHORT,
          "no such byte range: length "
              + length
              + " in "
              + (packet == null ? "null" : packet.length + " bytes"));
    }
    if (length < MIN_IPV4_HEADER) {
      return drop(IcmpDropReason.TOO_SHORT, length + " bytes");
    }
    // RFC 791 §3.1: version and IHL in byte 0, total length at 2, flags and fragment offset at 6,
    // protocol at 9, source at 12.
    int version = (packet[0] & 0xff) >>> 4;
    if (version != 4) {
      return drop(IcmpDropReason.NOT_IPV4, "version " + version);
    }
    int headerLength = (packet[0] & 0x0f) * 4;
    if (headerLength < MIN_IPV4_HEADER || headerLength > length) {
      return drop(
          IcmpDropReason.BAD_HEADER_LENGTH,
          "header of " + headerLength + " bytes in a packet of " + length);
    }
    int totalLength = getShort(packet, 2);
    if (totalLength < headerLength || totalLength > length) {
      return drop(
          IcmpDropReason.BAD_TOTAL_LENGTH,
          "total length " + totalLength + ", header " + headerLength + ", received " + length);
    }
    int protocol = packet[9] & 0xff;
    if (protocol != IP_PROTOCOL) {
      return drop(IcmpDropReason.NOT_ICMP, "protocol " + protocol);
    }
    int fragment = getShort(packet, 6);
    if ((fragment & 0x3fff) != 0) { // More Fragments, or a fragment offset
      return drop(IcmpDropReason.FRAGMENT, String.format("flags and offset 0x%04x", fragment));
    }
    int source =
        ((packet[12] & 0xff) << 24)
            | ((packet[13] & 0xff) << 16)
            | ((packet[14] & 0xff) << 8)
            | (packet[15] & 0xff);
    return decodeMessage(packet, headerLength, totalLength - headerLength, source);
  }

  /**
   * Decodes an ICMP message without IP header ({@code length} bytes at {@code offset}) that came
   * from {@code source} (a big-endian IPv4 address, see {@link #ipv4}). Never throws.
   */
  public static IcmpDecoded decodeMessage(byte[] buf, int offset, int length, int source) {
    IcmpDecoded range = checkRange(buf, offset, length);
    if (range != null) {
      return range;
    }
    // RFC 792: the checksum covers the whole ICMP message; a sum that includes it folds to ones.
    if (!InternetChecksum.verifies(InternetChecksum.add(0, buf, offset, length))) {
      return drop(
          IcmpDropReason.BAD_CHECKSUM, String.format("checksum 0x%04x", getShort(buf, offset + 2)));
    }
    return echoOf(buf, offset, length, source, ECHO_REQUEST, ECHO_REPLY);
  }

  /**
   * Decodes an ICMPv6 message ({@code length} bytes at {@code offset}) as a raw ICMPv6 socket
   * delivers it: no IPv6 header, the checksum already verified by the kernel. The echo's source is
   * 0: the socket gives the address beside the message. Never throws.
   */
  public static IcmpDecoded decodeMessage6(byte[] buf, int offset, int length) {
    IcmpDecoded range = checkRange(buf, offset, length);
    if (range != null) {
      return range;
    }
    return echoOf(buf, offset, length, 0, ECHO6_REQUEST, ECHO6_REPLY);
  }

  private static IcmpDecoded checkRange(byte[] buf, int offset, int length) {
    if (buf == null || offset < 0 || length < 0 || offset > buf.length - length) {
      return drop(
          IcmpDropReason.TRUNCATED,
          "no such byte range: offset "
              + offset
              + ", length "
              + length
              + " in "
              + (buf == null ? "null" : buf.length + " bytes"));
    }
    if (length < HEADER_LENGTH) {
      return drop(IcmpDropReason.TRUNCATED, "ICMP message of " + length + " bytes");
    }
    return null;
  }

  private static IcmpDecoded echoOf(
      byte[] buf, int offset, int length, int source, int requestType, int replyType) {
    int type = buf[offset] & 0xff;
    int code = buf[offset + 1] & 0xff;
    if ((type != requestType && type != replyType) || code != 0) {
      return drop(IcmpDropReason.NOT_ECHO, "type " + type + ", code " + code);
    }
    return new IcmpDecoded.Ok(
        new IcmpEcho(
            type,
            getShort(buf, offset + 4),
            getShort(buf, offset + 6),
            source,
            offset + HEADER_LENGTH,
            length - HEADER_LENGTH));
  }

  private static IcmpDecoded drop(IcmpDropReason reason, String detail) {
    return new IcmpDecoded.Dropped(reason, detail);
  }

  private static void putShort(byte[] buf, int offset, int value) {
    buf[offset] = (byte) (value >>> 8);
    buf[offset + 1] = (byte) value;
  }

  private static int getShort(byte[] buf, int offset) {
    return ((buf[offset] & 0xff) << 8) | (buf[offset + 1] & 0xff);
  }
}
