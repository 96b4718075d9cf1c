package dev.takeover.wire;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of
 * 16-bit big-endian words. Used by VRRP, ICMPv6 and anything else that needs it.
 *
 * <p>Sums are accumulated unfolded in a {@code long} (each word adds at most 0xffff, so it cannot
 * overflow for any packet) and folded once at the end. Pieces added one after another must each
 * start at an even offset of the checksummed data; a trailing odd byte is padded with zero, so only
 * the last piece may have odd length.
 */
public final class InternetChecksum {
  private InternetChecksum() {}

  /**
   * Adds {@code length} bytes from {@code buf[offset]} as big-endian 16-bit words to {@code sum}.
   */
  public static long add(long sum, byte[] buf, int offset, int length) {
    int end = offset + length;
    int i = offset;
    for (; i + 1 < end; i += 2) {
      sum += ((buf[i] & 0xff) << 8) | (buf[i + 1] & 0xff);
    }
    if (i < end) {
      sum += (buf[i] & 0xff) << 8; // RFC 1071 §1: pad an odd byte with zero on the right
    }
    return sum;
  }

  /** Adds one 16-bit value. */
  public static long addWord(long sum, int word) {
    return sum + (word & 0xffff);
  }

  /**
   * The sum of the pseudo-header for an upper-layer protocol over IPv4 (RFC 768 style: source,
   * destination, zero, protocol, 16-bit length) or IPv6 (RFC 8200 §8.1: source, destination, 32-bit
   * length, three zero bytes, next header). Both reduce to the same word sum.
   *
   * @throws IllegalArgumentException if the addresses are not of the same family
   */
  public static long pseudoHeader(
      InetAddress source, InetAddress destination, int upperLayerLength, int protocol) {
    if ((source instanceof Inet4Address) != (destination instanceof Inet4Address)) {
      throw new IllegalArgumentException(
          "source " + source + " and destination " + destination + " differ in address family");
    }
    byte[] src = source.getAddress();
    byte[] dst = destination.getAddress();
    long sum = add(0, src, 0, src.length);
    sum = add(sum, dst, 0, dst.length);
    sum += (upperLayerLength >>> 16) + (upperLayerLength & 0xffff);
    return sum + (protocol & 0xff);
  }

  /** Folds a sum into 16 bits with end-around carry. */
  public static int fold(long sum) {
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) sum;
  }

  /** The checksum to store: the one's complement of the folded sum (taken with the field zero). */
  public static int finish(long sum) {
    return ~fold(sum) & 0xffff;
  }

  /** The checksum of a byte range. */
  public static int of(byte[] buf, int offset, int length) {
    return finish(add(0, buf, offset, length));
  }

  /**
   * Whether a sum taken over data that includes its stored checksum verifies: it folds to all ones
   * (RFC 1071 §1 (4)). Accepts either representation of zero in the checksum field.
   */
  public static boolean verifies(long sumIncludingChecksum) {
    return fold(sumIncludingChecksum) == 0xffff;
  }
}
