package dev.takeover.wire;

import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A 48-bit Ethernet MAC address as a value (byte arrays compare by identity, so records hold this).
 *
 * @param bits the address in the low 48 bits, first byte on the wire most significant
 */
public record MacAddress(long bits) {
  /** Bytes in a MAC address. */
  public static final int LENGTH = 6;

  /** ff:ff:ff:ff:ff:ff. */
  public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);

  /** 00:00:00:00:00:00, e.g. the ignored target hardware address of an ARP request. */
  public static final MacAddress ZERO = new MacAddress(0);

  private static final Pattern TEXT =
      Pattern.compile("\\p{XDigit}{2}([:-])\\p{XDigit}{2}(\\1\\p{XDigit}{2}){4}");

  public MacAddress {
    if ((bits >>> 48) != 0) {
      throw new IllegalArgumentException("more than 48 bits: 0x" + Long.toHexString(bits));
    }
  }

  /** The address in {@code buf[offset..offset+5]}. */
  public static MacAddress of(byte[] buf, int offset) {
    Objects.checkFromIndexSize(offset, LENGTH, buf.length);
    long bits = 0;
    for (int i = 0; i < LENGTH; i++) {
      bits = (bits << 8) | (buf[offset + i] & 0xff);
    }
    return new MacAddress(bits);
  }

  /** The address in a 6-byte array. */
  public static MacAddress of(byte[] mac) {
    if (mac.length != LENGTH) {
      throw new IllegalArgumentException("a MAC address has 6 bytes, got " + mac.length);
    }
    return of(mac, 0);
  }

  /** Parses {@code 02:00:00:00:00:01} (also with {@code -} separators). */
  public static MacAddress parse(String text) {
    if (!TEXT.matcher(text).matches()) {
      throw new IllegalArgumentException("not a MAC address: " + text);
    }
    return of(HexFormat.of().parseHex(text.replace(text.substring(2, 3), "")));
  }

  /** Writes the 6 bytes at {@code buf[offset]}. */
  public void writeTo(byte[] buf, int offset) {
    for (int i = 0; i < LENGTH; i++) {
      buf[offset + i] = (byte) (bits >>> (8 * (LENGTH - 1 - i)));
    }
  }

  /** A new 6-byte array. */
  public byte[] toBytes() {
    byte[] out = new byte[LENGTH];
    writeTo(out, 0);
    return out;
  }

  @Override
  public String toString() {
    return HexFormat.ofDelimiter(":").formatHex(toBytes());
  }
}
