package dev.takeover.wire;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * One shared auth_hmac key: an id (1..255, carried in the trailer so a receiver knows which key to
 * verify with) and 32..64 secret bytes (draft-cassen-vrrp-auth-hmac; keepalived 2.4's bounds: 32
 * keeps a 128-bit margin against a quantum search).
 *
 * <p>The secret never leaves this object except to compute an HMAC: {@link #toString} redacts it,
 * and {@link #equals} compares in constant time, so a reload's "did the key change" check leaks
 * nothing through timing either.
 */
public final class AuthKey {
  public static final int MIN_ID = 1;
  public static final int MAX_ID = 255;
  public static final int MIN_LENGTH = 32;
  public static final int MAX_LENGTH = 64;

  private final int id;
  private final byte[] secret;

  public AuthKey(int id, byte[] secret) {
    if (id < MIN_ID || id > MAX_ID) {
      throw new IllegalArgumentException("key id must be 1..255, got " + id);
    }
    if (secret.length < MIN_LENGTH || secret.length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "key " + id + " has " + secret.length + " bytes, need 32..64");
    }
    this.id = id;
    this.secret = secret.clone();
  }

  public int id() {
    return id;
  }

  /** A copy of the secret, for the HMAC engine only. */
  byte[] secret() {
    return secret.clone();
  }

  public int length() {
    return secret.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuthKey k && k.id == id && MessageDigest.isEqual(k.secret, secret);
  }

  @Override
  public int hashCode() {
    return id; // never the secret
  }

  @Override
  public String toString() {
    return "key " + id + " (" + secret.length + " bytes, redacted)";
  }

  /** Overwrites the secret, for callers that decoded it into a temporary array. */
  static void wipe(byte[] bytes) {
    Arrays.fill(bytes, (byte) 0);
  }
}
