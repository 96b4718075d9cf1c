package dev.takeover.wire;

import java.net.InetAddress;
import java.util.Objects;
import javax.crypto.Mac;

/**
 * Checks the auth_hmac trailers of the adverts one virtual router receives, and keeps the
 * anti-replay marks of its senders. Used by one thread (the receive loop's).
 *
 * <p>The checks, in keepalived 2.4.3's order: a missing trailer (only {@code enforce} drops it);
 * type and reserved field; freshness window (time mode; before the HMAC, so a flood of old captures
 * costs no digest each, and it only rejects, never trusts); key id; HMAC (constant-time compare);
 * then the sender's mark, which moves only on a verified advert.
 */
public final class AdvertVerifier {
  /** Senders remembered per virtual router; a VRRP router has a handful, the policy keeps 64. */
  public static final int DEFAULT_SENDERS = 64;

  private final AuthSettings settings;
  private final Mac[] macs = new Mac[AuthKey.MAX_ID + 1];
  private final ReplayTable replay;
  private final byte[] pseudo = new byte[AuthTrailer.PSEUDO_HEADER_LENGTH];
  private int lastSkewSeconds;

  public AdvertVerifier(AuthSettings settings) {
    this(settings, DEFAULT_SENDERS);
  }

  public AdvertVerifier(AuthSettings settings, int senders) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.replay = new ReplayTable(senders);
    for (AuthKey k : settings.keys()) {
      macs[k.id()] = AuthTrailer.mac(k);
    }
  }

  /**
   * Checks one received advert: the VRRP message of {@code messageLength} bytes at {@code
   * buf[offset]}, followed by its trailer when {@code signed}.
   *
   * @param epochSecond this node's UTC clock, for the freshness window
   */
  public AuthResult verify(
      byte[] buf,
      int offset,
      int messageLength,
      boolean signed,
      int vrid,
      InetAddress source,
      long epochSecond) {
    lastSkewSeconds = 0;
    if (!signed) {
      return settings.mode().acceptsUnsigned() ? AuthResult.OK : AuthResult.MISSING;
    }
    int at = offset + messageLength;
    if ((buf[at] & 0xff) != AuthTrailer.TYPE_HMAC_SHA256 || buf[at + 2] != 0 || buf[at + 3] != 0) {
      return AuthResult.MALFORMED;
    }
    long sequence = AuthTrailer.sequence(buf, at);
    boolean time = settings.antiReplay() == AuthSettings.AntiReplay.TIME;
    int window = settings.timeWindowSeconds();
    if (time) {
      lastSkewSeconds =
          AuthTrailer.secondsBetween(epochSecond & 0xffff_ffffL, AuthTrailer.seconds(sequence));
      if (lastSkewSeconds > window || lastSkewSeconds < -window) {
        return AuthResult.STALE;
      }
    }
    Mac mac = macs[buf[at + 1] & 0xff];
    if (mac == null) {
      return AuthResult.UNKNOWN_KEY;
    }
    byte[] computed =
        AuthTrailer.compute(mac, vrid, source, buf, offset, messageLength, buf, at, pseudo);
    if (!AuthTrailer.matches(computed, buf, at + AuthTrailer.HMAC_OFFSET)) {
      return AuthResult.BAD_HMAC;
    }
    if (!replay.accept(source, sequence, epochSecond & 0xffff_ffffL, time ? window : -1)) {
      return AuthResult.REPLAY;
    }
    return AuthResult.OK;
  }

  /**
   * This node's clock minus the sender's, in seconds, of the last trailer checked in time mode (0
   * otherwise): past half the window it is the early warning to fix NTP.
   */
  public int lastSkewSeconds() {
    return lastSkewSeconds;
  }

  public AuthSettings settings() {
    return settings;
  }

  /** Senders currently remembered (bounded by the capacity given at construction). */
  public int sendersRemembered() {
    return replay.size();
  }
}
