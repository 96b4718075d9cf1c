package dev.takeover.wire;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Encodes and decodes VRRPv3 advertisements (RFC 5798 §5.2) and VRRPv2 ones (RFC 3768 §5.3): the IP
 * payload only, since the kernel writes the IP header.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Type  | Virtual Rtr ID|   Priority    |Count IPvX Addr|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |(rsvd) |     Max Adver Int     |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IPvX Address(es)                        |
 * </pre>
 *
 * <p>VRRPv2 differs in the second word and what follows the addresses:
 *
 * <pre>
 * |   Auth Type   |   Adver Int   |          Checksum             |
 * |                         IP Address(es)                        |
 * |                     Authentication Data (1)                   |
 * |                     Authentication Data (2)                   |
 * </pre>
 *
 * The interval is whole seconds, the checksum covers the VRRP message only (RFC 3768 §5.3.8), and
 * keepalived always sends the 8 bytes of Authentication Data (zero without authentication, the
 * password with {@code auth_type PASS}, RFC 2338 §5.3.6.1), so both are part of the message. Which
 * version a group speaks is its {@link WireFormat}; a message of the other version is {@link
 * DropReason#BAD_VERSION}.
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li>The IP family comes from the source address: the packet itself does not say whether its
 *       addresses are 4 or 16 bytes.
 *   <li>IPv4 checksums follow the {@link ChecksumMode}; IPv6 always covers the pseudo-header (RFC
 *       5798 §5.2.8, RFC 8200 §8.1).
 *   <li>Hot path: adverts of one virtual router are identical except for priority changes, so the
 *       sender encodes once ({@link #encodeInto}) into a buffer it keeps and re-sends it; when the
 *       priority changes (tracking, or 0 at shutdown) {@link #patchPriority} rewrites the priority
 *       and updates the checksum incrementally (RFC 1624), allocating nothing and without needing
 *       the addresses or the mode again.
 *   <li>{@link #decode} never throws: every problem, including nonsense arguments, is a {@link
 *       Decoded.Dropped}.
 * </ul>
 */
public final class VrrpCodec {
  /** IP protocol number / IPv6 next header of VRRP (RFC 5798 §5.1.1.4). */
  public static final int IP_PROTOCOL = 112;

  /** Bytes before the addresses. */
  public static final int HEADER_LENGTH = 8;

  /** Largest possible message: 255 IPv6 addresses. */
  public static final int MAX_LENGTH = HEADER_LENGTH + VrrpAdvert.MAX_ADDRESSES * 16;

  /** RFC 5798 §5.1.1.3 / §5.1.2.3: adverts are sent, and must be received, with TTL 255. */
  public static final int REQUIRED_TTL = 255;

  private static final int PRIORITY_OFFSET = 2;
  private static final int CHECKSUM_OFFSET = 6;
  private static final HexFormat HEX = HexFormat.of();

  private VrrpCodec() {}

  /**
   * The VRRP message for {@code advert} sent from {@code source} to {@code destination}.
   *
   * @throws IllegalArgumentException if source, destination and addresses are not one family
   */
  public static byte[] encode(
      VrrpAdvert advert, InetAddress source, InetAddress destination, ChecksumMode mode) {
    return encode(advert, source, destination, WireFormat.v3(mode));
  }

  /**
   * The VRRP message for {@code advert} in {@code format} (whose version must be the advert's).
   *
   * @throws IllegalArgumentException if the families or versions differ
   */
  public static byte[] encode(
      VrrpAdvert advert, InetAddress source, InetAddress destination, WireFormat format) {
    byte[] out = new byte[encodedLength(advert, source)];
    encodeInto(advert, source, destination, format, out);
    return out;
  }

  /**
   * Writes the VRRP message into {@code out} from index 0 and returns its length. Allocates no
   * result array; for re-sending see {@link #patchPriority}.
   *
   * @throws IllegalArgumentException if the families differ or {@code out} is too small
   */
  public static int encodeInto(
      VrrpAdvert advert,
      InetAddress source,
      InetAddress destination,
      ChecksumMode mode,
      byte[] out) {
    return encodeInto(advert, source, destination, WireFormat.v3(mode), out);
  }

  /**
   * Writes the VRRP message in {@code format} into {@code out} from index 0 and returns its length.
   *
   * @throws IllegalArgumentException if the families or versions differ or {@code out} is too small
   */
  public static int encodeInto(
      VrrpAdvert advert,
      InetAddress source,
      InetAddress destination,
      WireFormat format,
      byte[] out) {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(format, "format");
    if (advert.version() != format.version()) {
      throw new IllegalArgumentException(
          "a version " + advert.version() + " advert in a version " + format.version() + " format");
    }
    ChecksumMode mode = format.checksumMode();
    int length = encodedLength(advert, Objects.requireNonNull(source, "source"));
    if (out.length < length) {
      throw new IllegalArgumentException("buffer holds " + out.length + " bytes, need " + length);
    }
    boolean ipv6 = source instanceof Inet6Address;
    if ((destination instanceof Inet6Address) != ipv6) {
      throw new IllegalArgumentException(
          "source " + source + " and destination " + destination + " differ in address family");
    }
    boolean v2 = advert.version() == VrrpAdvert.VERSION_2;
    out[0] = (byte) ((advert.version() << 4) | VrrpAdvert.TYPE_ADVERTISEMENT);
    out[1] = (byte) advert.vrid();
    out[PRIORITY_OFFSET] = (byte) advert.priority();
    out[3] = (byte) advert.addresses().size();
    if (v2) {
      // RFC 3768 §5.3.6, §5.3.7: Auth Type, then Adver Int in seconds.
      out[4] = (byte) format.authType();
      out[5] = (byte) (advert.maxAdverIntervalCentis() / 100);
    } else {
      // RFC 5798 §5.2.6: the 4 reserved bits are sent as zero.
      out[4] = (byte) (advert.maxAdverIntervalCentis() >>> 8);
      out[5] = (byte) advert.maxAdverIntervalCentis();
    }
    out[CHECKSUM_OFFSET] = 0;
    out[CHECKSUM_OFFSET + 1] = 0;
    int at = HEADER_LENGTH;
    for (InetAddress address : advert.addresses()) {
      byte[] raw = address.getAddress();
      System.arraycopy(raw, 0, out, at, raw.length);
      at += raw.length;
    }
    if (v2) {
      if (format.password().isPresent()) {
        format.password().get().writeField(out, at);
      } else {
        Arrays.fill(out, at, at + SimplePassword.LENGTH, (byte) 0);
      }
    }
    long sum =
        InternetChecksum.add(checksumSeed(source, destination, length, ipv6, mode), out, 0, length);
    int checksum = InternetChecksum.finish(sum);
    out[CHECKSUM_OFFSET] = (byte) (checksum >>> 8);
    out[CHECKSUM_OFFSET + 1] = (byte) checksum;
    return length;
  }

  /** Length of the message for {@code advert} when sent from {@code source}. */
  public static int encodedLength(VrrpAdvert advert, InetAddress source) {
    boolean ipv6 = source instanceof Inet6Address;
    if (!advert.addresses().isEmpty() && advert.carriesIpv6() != ipv6) {
      throw new IllegalArgumentException(
          "addresses " + advert.addresses() + " cannot be sent from " + source);
    }
    if (advert.version() == VrrpAdvert.VERSION_2 && ipv6) {
      throw new IllegalArgumentException("VRRPv2 is IPv4 only, cannot be sent from " + source);
    }
    return HEADER_LENGTH
        + advert.addresses().size() * (ipv6 ? 16 : 4)
        + (advert.version() == VrrpAdvert.VERSION_2 ? SimplePassword.LENGTH : 0);
  }

  /**
   * Rewrites the priority of an encoded message in place and updates its checksum incrementally
   * (RFC 1624 eqn. 3), so a sender can keep one encoded advert and re-send it. Works for every
   * checksum mode and family because the pseudo-header does not change.
   *
   * @param message a buffer holding a valid encoded message starting at {@code offset}
   */
  public static void patchPriority(byte[] message, int offset, int priority) {
    if (priority < 0 || priority > 255) {
      throw new IllegalArgumentException("priority must be 0..255, got " + priority);
    }
    int count = message[offset + PRIORITY_OFFSET + 1] & 0xff;
    int oldWord = ((message[offset + PRIORITY_OFFSET] & 0xff) << 8) | count;
    int newWord = (priority << 8) | count;
    int oldChecksum =
        ((message[offset + CHECKSUM_OFFSET] & 0xff) << 8)
            | (message[offset + CHECKSUM_OFFSET + 1] & 0xff);
    // RFC 1624 §3 eqn. 3: HC' = ~(~HC + ~m + m')
    long sum = (long) (~oldChecksum & 0xffff) + (~oldWord & 0xffff) + newWord;
    int checksum = ~InternetChecksum.fold(sum) & 0xffff;
    message[offset + PRIORITY_OFFSET] = (byte) priority;
    message[offset + CHECKSUM_OFFSET] = (byte) (checksum >>> 8);
    message[offset + CHECKSUM_OFFSET + 1] = (byte) checksum;
  }

  /**
   * Decodes a received VRRP message ({@code length} bytes at {@code offset}: the IP payload) that
   * arrived from {@code source} to {@code destination} with the given TTL / hop limit. Runs the
   * checks of RFC 5798 §7.1 that need no configuration, in the order of {@link DropReason}.
   */
  public static Decoded decode(
      byte[] buf,
      int offset,
      int length,
      InetAddress source,
      InetAddress destination,
      int ttlOrHopLimit,
      ChecksumMode mode) {
    return decode(buf, offset, length, 0, source, destination, ttlOrHopLimit, mode);
  }

  /**
   * Decodes a VRRP message followed by {@code trailerLength} bytes that are not part of it (an
   * auth_hmac trailer, {@link AuthTrailer}): {@code length} counts both. The message is checked as
   * by {@link #decode(byte[], int, int, InetAddress, InetAddress, int, ChecksumMode)}, except the
   * checksum: over IPv6 it covers the trailer too (the kernel's {@code IPV6_CHECKSUM} sums the
   * whole payload, RFC 8200 §8.1), over IPv4 only the message, as keepalived 2.4.3 computes it.
   */
  public static Decoded decode(
      byte[] buf,
      int offset,
      int length,
      int trailerLength,
      InetAddress source,
      InetAddress destination,
      int ttlOrHopLimit,
      ChecksumMode mode) {
    return decode(
        buf,
        offset,
        length,
        trailerLength,
        source,
        destination,
        ttlOrHopLimit,
        TtlRange.STRICT,
        WireFormat.v3(mode));
  }

  /**
   * Decodes a message in the group's {@code format}, accepting the TTL / hop limit range {@code
   * accepted} ({@link TtlRange#STRICT}, 255 only, unless the group's peers sit behind routers): as
   * {@link #decode(byte[], int, int, int, InetAddress, InetAddress, int, ChecksumMode)} for VRRPv3;
   * for VRRPv2 the RFC 3768 §7.1 checks (IPv4 only, whole-second interval, checksum over the
   * message) and keepalived's authentication checks: the Auth Type must be the group's ({@link
   * DropReason#AUTH_TYPE_MISMATCH}) and with a password the Authentication Data must be it ({@link
   * DropReason#AUTH_BAD_PASSWORD}).
   */
  public static Decoded decode(
      byte[] buf,
      int offset,
      int length,
      int trailerLength,
      InetAddress source,
      InetAddress destination,
      int ttlOrHopLimit,
      TtlRange accepted,
      WireFormat format) {
    if (format == null) {
      return drop(DropReason.BAD_VERSION, "no wire format");
    }
    if (trailerLength < 0
        || trailerLength > length
        || (buf != null && offset >= 0 && length >= 0 && offset > buf.length - length)) {
      return drop(
          DropReason.TOO_SHORT, length + " bytes cannot hold a " + trailerLength + "-byte trailer");
    }
    int payloadLength = length;
    length -= trailerLength;
    // RFC 5798 §7.1: TTL / hop limit 255, so the packet cannot have been routed here; a group
    // configured for peers behind routers accepts its range instead (TtlRange).
    if (accepted == null || !accepted.accepts(ttlOrHopLimit)) {
      return drop(
          DropReason.BAD_TTL,
          "TTL/hop limit " + ttlOrHopLimit + ", need " + (accepted == null ? "255" : accepted));
    }
    if (buf == null || offset < 0 || length < 0 || offset > buf.length - length) {
      return drop(
          DropReason.TOO_SHORT,
          "no such byte range: offset "
              + offset
              + ", length "
              + length
              + " in "
              + (buf == null ? "null" : buf.length + " bytes"));
    }
    if (length < HEADER_LENGTH) {
      return drop(DropReason.TOO_SHORT, length + " bytes: " + hex(buf, offset, length));
    }
    int version = (buf[offset] & 0xff) >>> 4;
    if (version != format.version()) {
      return drop(
          DropReason.BAD_VERSION,
          "version "
              + version
              + ((version == 2 || version == 3)
                  ? " (a VRRPv" + version + " router on this link?), configured " + format.version()
                  : ""));
    }
    if (version == VrrpAdvert.VERSION_2) {
      return decodeV2(buf, offset, length, source, destination, format);
    }
    ChecksumMode mode = format.checksumMode();
    int type = buf[offset] & 0x0f;
    if (type != VrrpAdvert.TYPE_ADVERTISEMENT) {
      return drop(DropReason.BAD_TYPE, "type " + type);
    }
    int vrid = buf[offset + 1] & 0xff;
    if (vrid == 0) {
      return drop(DropReason.BAD_VRID, "VRID 0");
    }
    if (source == null || destination == null) {
      return drop(
          DropReason.ADDRESS_FAMILY_MISMATCH,
          "source " + source + " or destination " + destination + " unknown");
    }
    boolean ipv6 = source instanceof Inet6Address;
    if ((destination instanceof Inet6Address) != ipv6) {
      return drop(
          DropReason.ADDRESS_FAMILY_MISMATCH,
          "source " + source.getHostAddress() + ", destination " + destination.getHostAddress());
    }

    // RFC 5798 §7.1: the packet holds the complete message, count × address-size bytes of
    // addresses.
    int count = buf[offset + 3] & 0xff;
    int addressSize = ipv6 ? 16 : 4;
    int addressBytes = length - HEADER_LENGTH;
    if (addressBytes != count * addressSize) {
      int otherSize = ipv6 ? 4 : 16;
      if (count > 0 && addressBytes == count * otherSize) {
        return drop(
            DropReason.ADDRESS_FAMILY_MISMATCH,
            count
                + " address(es) of "
                + otherSize
                + " bytes sent over "
                + (ipv6 ? "IPv6" : "IPv4")
                + " from "
                + source.getHostAddress());
      }
      String detail =
          "count "
              + count
              + " needs "
              + count * addressSize
              + " address bytes, packet has "
              + addressBytes;
      return drop(
          addressBytes < count * addressSize
              ? DropReason.TRUNCATED
              : DropReason.ADDRESS_COUNT_MISMATCH,
          detail);
    }

    // RFC 5798 §7.1, §5.2.8: verify the checksum; tell a peer in the other mode from damage.
    int summed = ipv6 ? payloadLength : length;
    long message = InternetChecksum.add(0, buf, offset, summed);
    if (!InternetChecksum.verifies(
        message + checksumSeed(source, destination, summed, ipv6, mode))) {
      int received =
          ((buf[offset + CHECKSUM_OFFSET] & 0xff) << 8)
              | (buf[offset + CHECKSUM_OFFSET + 1] & 0xff);
      if (!ipv6) {
        ChecksumMode other =
            mode == ChecksumMode.PSEUDO_HEADER
                ? ChecksumMode.VRRP_ONLY
                : ChecksumMode.PSEUDO_HEADER;
        if (InternetChecksum.verifies(
            message + checksumSeed(source, destination, length, false, other))) {
          return drop(
              DropReason.CHECKSUM_MODE_MISMATCH,
              String.format(
                  "checksum 0x%04x from %s verifies as %s, configured %s",
                  received, source.getHostAddress(), other, mode));
        }
      }
      return drop(
          DropReason.BAD_CHECKSUM,
          String.format("checksum 0x%04x from %s (%s)", received, source.getHostAddress(), mode));
    }

    // RFC 5798 §5.2.7: the interval is in centiseconds, 0 is not an interval. Reserved bits
    // ignored.
    int interval = ((buf[offset + 4] & 0x0f) << 8) | (buf[offset + 5] & 0xff);
    if (interval == 0) {
      return drop(DropReason.BAD_INTERVAL, "Max Adver Int 0 from " + source.getHostAddress());
    }

    List<InetAddress> addresses = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] raw = new byte[addressSize];
      System.arraycopy(buf, offset + HEADER_LENGTH + i * addressSize, raw, 0, addressSize);
      addresses.add(toAddress(raw));
    }
    int priority = buf[offset + PRIORITY_OFFSET] & 0xff;
    return new Decoded.Ok(new VrrpAdvert(vrid, priority, interval, addresses));
  }

  /**
   * Decodes a whole array; see {@link #decode(byte[], int, int, InetAddress, InetAddress, int,
   * ChecksumMode)}.
   */
  public static Decoded decode(
      byte[] message,
      InetAddress source,
      InetAddress destination,
      int ttlOrHopLimit,
      ChecksumMode mode) {
    return decode(
        message, 0, message == null ? 0 : message.length, source, destination, ttlOrHopLimit, mode);
  }

  /** RFC 3768 §7.1 after TTL, length and version; the message ends with 8 bytes of auth data. */
  private static Decoded decodeV2(
      byte[] buf,
      int offset,
      int length,
      InetAddress source,
      InetAddress destination,
      WireFormat format) {
    int type = buf[offset] & 0x0f;
    if (type != VrrpAdvert.TYPE_ADVERTISEMENT) {
      return drop(DropReason.BAD_TYPE, "type " + type);
    }
    int vrid = buf[offset + 1] & 0xff;
    if (vrid == 0) {
      return drop(DropReason.BAD_VRID, "VRID 0");
    }
    if (source == null || destination == null) {
      return drop(
          DropReason.ADDRESS_FAMILY_MISMATCH,
          "source " + source + " or destination " + destination + " unknown");
    }
    if (source instanceof Inet6Address || destination instanceof Inet6Address) {
      return drop(
          DropReason.ADDRESS_FAMILY_MISMATCH,
          "VRRPv2 is IPv4 only, got one from " + source.getHostAddress());
    }
    int count = buf[offset + 3] & 0xff;
    int expected = HEADER_LENGTH + count * 4 + SimplePassword.LENGTH;
    if (length != expected) {
      String detail =
          "count " + count + " needs " + expected + " bytes with auth data, packet has " + length;
      return drop(
          length < expected ? DropReason.TRUNCATED : DropReason.ADDRESS_COUNT_MISMATCH, detail);
    }
    // RFC 3768 §5.3.8: over the VRRP message only (auth data included), no pseudo-header.
    if (!InternetChecksum.verifies(InternetChecksum.add(0, buf, offset, length))) {
      int received =
          ((buf[offset + CHECKSUM_OFFSET] & 0xff) << 8)
              | (buf[offset + CHECKSUM_OFFSET + 1] & 0xff);
      return drop(
          DropReason.BAD_CHECKSUM,
          String.format("VRRPv2 checksum 0x%04x from %s", received, source.getHostAddress()));
    }
    // keepalived 2.2.7 drops an Auth Type other than its own, then a password other than its own.
    int authType = buf[offset + 4] & 0xff;
    if (authType != format.authType()) {
      return drop(
          DropReason.AUTH_TYPE_MISMATCH,
          "auth type "
              + authType
              + " from "
              + source.getHostAddress()
              + ", configured "
              + format.authType());
    }
    int authAt = offset + HEADER_LENGTH + count * 4;
    if (format.password().isPresent() && !format.password().get().matches(buf, authAt)) {
      return drop(DropReason.AUTH_BAD_PASSWORD, "wrong password from " + source.getHostAddress());
    }
    // RFC 3768 §5.3.7: whole seconds; 0 is not an interval.
    int seconds = buf[offset + 5] & 0xff;
    if (seconds == 0) {
      return drop(DropReason.BAD_INTERVAL, "Adver Int 0 from " + source.getHostAddress());
    }
    List<InetAddress> addresses = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] raw = new byte[4];
      System.arraycopy(buf, offset + HEADER_LENGTH + i * 4, raw, 0, 4);
      addresses.add(toAddress(raw));
    }
    int priority = buf[offset + PRIORITY_OFFSET] & 0xff;
    return new Decoded.Ok(VrrpAdvert.v2(vrid, priority, seconds, addresses));
  }

  /** The part of the checksum sum that precedes the message: the pseudo-header, if any. */
  private static long checksumSeed(
      InetAddress source, InetAddress destination, int length, boolean ipv6, ChecksumMode mode) {
    if (!ipv6 && mode == ChecksumMode.VRRP_ONLY) {
      return 0; // RFC 9568 §5.2.8: IPv4 checksum over the VRRP message only, as in VRRPv2
    }
    return InternetChecksum.pseudoHeader(source, destination, length, IP_PROTOCOL);
  }

  private static InetAddress toAddress(byte[] raw) {
    try {
      // Inet6Address.getByAddress keeps IPv4-mapped addresses IPv6; InetAddress.getByAddress would
      // turn ::ffff:a.b.c.d into an Inet4Address and mix families in one IPv6 advert.
      return raw.length == 16
          ? Inet6Address.getByAddress(null, raw, -1)
          : InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always an address", e);
    }
  }

  private static Decoded drop(DropReason reason, String detail) {
    return new Decoded.Dropped(reason, detail);
  }

  private static String hex(byte[] buf, int offset, int length) {
    return HEX.formatHex(buf, offset, offset + length);
  }
}
