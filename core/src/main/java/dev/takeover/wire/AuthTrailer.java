package dev.takeover.wire;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The auth_hmac trailer of draft-cassen-vrrp-auth-hmac-00 as keepalived 2.4.3 puts it on the wire:
 * 28 bytes appended after the VRRP message (after the last address), inside the same IP payload.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Type (1)     |    Key ID     |        Reserved (0)           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Sequence: UTC seconds since 1970 (32 bits)          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Sequence: 1/65536 s fraction |  Sequence: counter            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * |        HMAC-SHA256, truncated to its first 16 bytes           |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>What the HMAC covers, in this order (no IP header, so it survives TTL handling and NAT-free
 * routing alike):
 *
 * <ol>
 *   <li>a 20-byte pseudo-header: address family (4 or 6), VRRP version, VRID, a zero byte, the
 *       sender's IP source address, zero-padded: binds the advert to one virtual router and one
 *       sender, so a valid trailer cannot be spliced onto another instance or replayed as another
 *       source;
 *   <li>the VRRP message with its checksum field read as zero (the IPv6 checksum is written by the
 *       kernel after signing, and depends on the destination, which the HMAC must not);
 *   <li>the first 12 bytes of the trailer (type, key id, reserved, sequence);
 *   <li>16 zero bytes in place of the HMAC field.
 * </ol>
 *
 * <p>Checksums: over IPv4 the VRRP checksum covers the message only, not the trailer (keepalived
 * computes and verifies it over the message length); over IPv6 the kernel's {@code IPV6_CHECKSUM}
 * covers the whole payload, trailer included (RFC 8200 §8.1). {@link VrrpCodec#decode(byte[], int,
 * int, int, InetAddress, InetAddress, int, ChecksumMode)} checks both that way.
 *
 * <p>A trailer is recognised by length alone, as keepalived does: the payload is exactly the
 * message plus 28 bytes. Ethernet padding cannot imitate one: frames are padded to an IP packet of
 * 46 bytes, and a signed advert's IP packet is at least 20 + 8 + 28 = 56 bytes.
 */
public final class AuthTrailer {
  /** Bytes the trailer adds to each advert. */
  public static final int LENGTH = 28;

  /** Bytes of the HMAC kept: SHA-256 truncated to 128 bits. */
  public static final int HMAC_LENGTH = 16;

  /** Offset of the HMAC field inside the trailer. */
  public static final int HMAC_OFFSET = LENGTH - HMAC_LENGTH;

  /** The only scheme: HMAC-SHA256-128. */
  public static final int TYPE_HMAC_SHA256 = 1;

  static final int PSEUDO_HEADER_LENGTH = 20;
  private static final int CHECKSUM_OFFSET = 6;
  private static final byte[] ZEROS = new byte[HMAC_LENGTH];

  private AuthTrailer() {}

  /**
   * Whether {@code length} bytes at {@code offset} hold a VRRP message followed by exactly one
   * trailer, judged by the address count in the header (keepalived's rule).
   */
  public static boolean present(byte[] buf, int offset, int length, boolean ipv6) {
    if (buf == null || length < VrrpCodec.HEADER_LENGTH || offset < 0) {
      return false;
    }
    if (offset > buf.length - length) {
      return false;
    }
    int count = buf[offset + 3] & 0xff;
    return length == VrrpCodec.HEADER_LENGTH + count * (ipv6 ? 16 : 4) + LENGTH;
  }

  /**
   * The 64-bit sequence for a UTC instant: seconds in the top 32 bits, a 1/65536-second fraction in
   * the next 16, counter 0.
   */
  public static long clockSequence(long epochSecond, int nanoOfSecond) {
    long fraction = ((long) nanoOfSecond << 16) / 1_000_000_000L;
    return ((epochSecond & 0xffff_ffffL) << 32) | (fraction << 16);
  }

  /** RFC 1982 serial-number order over 64 bits: whether {@code a} comes after {@code b}. */
  public static boolean after(long a, long b) {
    return a - b > 0;
  }

  /** The seconds field of a sequence. */
  public static long seconds(long sequence) {
    return sequence >>> 32;
  }

  /**
   * Signed difference {@code a - b} of two 32-bit UTC second counts, in 32-bit arithmetic, so it
   * stays right across the field's wrap in 2106.
   */
  static int secondsBetween(long a, long b) {
    return (int) (a - b);
  }

  /** Reads the 64-bit sequence of the trailer at {@code at}. */
  public static long sequence(byte[] buf, int at) {
    long v = 0;
    for (int i = 4; i < 12; i++) {
      v = (v << 8) | (buf[at + i] & 0xff);
    }
    return v;
  }

  /** An HMAC-SHA256 engine keyed with {@code key}; one per thread (a {@link Mac} is not shared). */
  static Mac mac(AuthKey key) {
    byte[] secret = key.secret();
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      // Every Java SE runtime must provide HmacSHA256 (Java Security Standard Names).
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    } finally {
      AuthKey.wipe(secret);
    }
  }

  /**
   * Writes the trailer's 12 leading bytes at {@code buf[at]}: type, key id, reserved, sequence. The
   * HMAC field is zeroed.
   */
  static void writeHeader(byte[] buf, int at, int keyId, long sequence) {
    buf[at] = (byte) TYPE_HMAC_SHA256;
    buf[at + 1] = (byte) keyId;
    buf[at + 2] = 0;
    buf[at + 3] = 0;
    for (int i = 0; i < 8; i++) {
      buf[at + 4 + i] = (byte) (sequence >>> (56 - 8 * i));
    }
    System.arraycopy(ZEROS, 0, buf, at + HMAC_OFFSET, HMAC_LENGTH);
  }

  /**
   * The full 32-byte HMAC over a message of {@code messageLength} bytes at {@code offset} whose
   * trailer (its first 12 bytes at least) follows it in {@code trailer} at {@code trailerAt}. The
   * caller keeps the first {@link #HMAC_LENGTH} bytes.
   */
  static byte[] compute(
      Mac mac,
      int vrid,
      InetAddress source,
      byte[] message,
      int offset,
      int messageLength,
      byte[] trailer,
      int trailerAt,
      byte[] pseudo) {
    byte[] address = source.getAddress();
    java.util.Arrays.fill(pseudo, (byte) 0);
    pseudo[0] = (byte) (source instanceof Inet6Address ? 6 : 4);
    pseudo[1] = (byte) VrrpAdvert.VERSION;
    pseudo[2] = (byte) vrid;
    System.arraycopy(address, 0, pseudo, 4, address.length);
    mac.reset();
    mac.update(pseudo, 0, PSEUDO_HEADER_LENGTH);
    mac.update(message, offset, CHECKSUM_OFFSET);
    mac.update(ZEROS, 0, 2); // the checksum field, read as zero
    mac.update(message, offset + CHECKSUM_OFFSET + 2, messageLength - CHECKSUM_OFFSET - 2);
    mac.update(trailer, trailerAt, HMAC_OFFSET);
    mac.update(ZEROS, 0, HMAC_LENGTH); // the HMAC field, read as zero
    return mac.doFinal();
  }

  /** Constant-time comparison of the received truncated HMAC with the computed one. */
  static boolean matches(byte[] computed, byte[] buf, int hmacAt) {
    byte[] received = java.util.Arrays.copyOfRange(buf, hmacAt, hmacAt + HMAC_LENGTH);
    byte[] expected = java.util.Arrays.copyOf(computed, HMAC_LENGTH);
    return MessageDigest.isEqual(expected, received);
  }
}
