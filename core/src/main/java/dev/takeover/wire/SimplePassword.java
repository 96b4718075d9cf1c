package dev.takeover.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * VRRPv2 simple-text password authentication (RFC 2338 §5.3.6.1; keepalived's {@code auth_type
 * PASS}): the password's bytes in the 8-byte Authentication Data field, zero-padded, exactly as
 * keepalived 2.2.7 copies {@code auth_pass} into it. It protects against a misconfigured router on
 * the link, not an attacker: it travels in clear (RFC 3768 §10 removed it for that reason, and
 * keepalived still sends it).
 *
 * <p>{@link #toString} never shows the password.
 */
public final class SimplePassword {
  /** Size of the Authentication Data field of a VRRPv2 advert (RFC 2338 §5.3.10). */
  public static final int LENGTH = 8;

  private final byte[] field;

  private SimplePassword(byte[] field) {
    this.field = field;
  }

  /**
   * The password of 1..8 bytes.
   *
   * @throws IllegalArgumentException if it is empty or longer than 8 bytes (never truncated)
   */
  public static SimplePassword of(byte[] password) {
    Objects.requireNonNull(password, "password");
    if (password.length < 1 || password.length > LENGTH) {
      throw new IllegalArgumentException(
          "a VRRPv2 password has 1..8 bytes, got " + password.length);
    }
    return new SimplePassword(Arrays.copyOf(password, LENGTH));
  }

  /** Writes the 8-byte Authentication Data field at {@code offset}. */
  void writeField(byte[] out, int offset) {
    System.arraycopy(field, 0, out, offset, LENGTH);
  }

  /** Whether the 8 bytes at {@code offset} are this password's field; constant time. */
  boolean matches(byte[] buf, int offset) {
    int diff = 0;
    for (int i = 0; i < LENGTH; i++) {
      diff |= field[i] ^ buf[offset + i];
    }
    return diff == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SimplePassword p && Arrays.equals(field, p.field);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(field);
  }

  @Override
  public String toString() {
    return "SimplePassword[hidden]";
  }
}
