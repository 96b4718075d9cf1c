package dev.takeover.wire;

import java.net.InetAddress;
import java.util.Objects;
import javax.crypto.Mac;

/**
 * Signs one virtual router's adverts with the auth_hmac trailer ({@link AuthTrailer}). Keeps the
 * last sequence sent, so it is one per group and used by one thread (the engine's).
 *
 * <p>Sequence (draft-cassen-vrrp-auth-hmac, as keepalived 2.4.3 builds it): the clock's UTC reading
 * ({@link AuthTrailer#clockSequence}), or the last sequence plus one when the clock has not moved
 * past it, so it always grows even for several adverts within 1/65536 s. In time mode a sequence
 * stranded more than the window ahead of the clock (the clock was stepped back) restarts from the
 * clock, since receivers would reject it as stale anyway; monotonic mode keeps growing, its only
 * guarantee. Nothing is persisted: a restarted node stays monotonic as long as its clock moved
 * forward across the restart.
 *
 * <p>Time is a parameter (UTC seconds and nanoseconds): the core reads no clock.
 */
public final class AdvertSigner {
  private final AuthSettings settings;
  private final int keyId;
  private final Mac mac;
  private final byte[] pseudo = new byte[AuthTrailer.PSEUDO_HEADER_LENGTH];
  private long lastSequence;

  public AdvertSigner(AuthSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.keyId = settings.activeKey();
    this.mac = AuthTrailer.mac(settings.signingKey());
  }

  /**
   * Writes the trailer for the VRRP message of {@code messageLength} bytes at {@code
   * message[offset]} into {@code trailer[trailerAt..+28]}. One call per advert: the copies sent to
   * several unicast peers carry the same trailer, since the HMAC does not cover the destination.
   */
  public void sign(
      byte[] message,
      int offset,
      int messageLength,
      int vrid,
      InetAddress source,
      long epochSecond,
      int nanoOfSecond,
      byte[] trailer,
      int trailerAt) {
    long sequence = nextSequence(epochSecond, nanoOfSecond);
    AuthTrailer.writeHeader(trailer, trailerAt, keyId, sequence);
    byte[] hmac =
        AuthTrailer.compute(
            mac, vrid, source, message, offset, messageLength, trailer, trailerAt, pseudo);
    System.arraycopy(
        hmac, 0, trailer, trailerAt + AuthTrailer.HMAC_OFFSET, AuthTrailer.HMAC_LENGTH);
  }

  /** Signs in place: the trailer goes right after the message; returns the new length. */
  public int sign(
      byte[] buf,
      int messageLength,
      int vrid,
      InetAddress source,
      long epochSecond,
      int nanoOfSecond) {
    sign(buf, 0, messageLength, vrid, source, epochSecond, nanoOfSecond, buf, messageLength);
    return messageLength + AuthTrailer.LENGTH;
  }

  long nextSequence(long epochSecond, int nanoOfSecond) {
    long clock = AuthTrailer.clockSequence(epochSecond, nanoOfSecond);
    if (AuthTrailer.after(clock, lastSequence)) {
      lastSequence = clock;
      return lastSequence;
    }
    int ahead =
        AuthTrailer.secondsBetween(AuthTrailer.seconds(lastSequence), AuthTrailer.seconds(clock));
    if (settings.antiReplay() == AuthSettings.AntiReplay.TIME
        && ahead > settings.timeWindowSeconds()) {
      lastSequence = clock;
    } else {
      lastSequence++;
    }
    return lastSequence;
  }

  /** Sets the last sequence sent, for tests of a stepped clock. */
  void lastSequence(long sequence) {
    lastSequence = sequence;
  }

  public AuthSettings settings() {
    return settings;
  }
}
