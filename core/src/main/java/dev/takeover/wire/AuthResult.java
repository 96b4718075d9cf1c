package dev.takeover.wire;

/**
 * The outcome of checking an advert's auth_hmac trailer, in the order the checks run (keepalived
 * 2.4.3 counts the same outcomes apart, so clock drift can be told from an attack).
 */
public enum AuthResult {
  /** Verified, fresh, and newer than anything this sender sent before. */
  OK(null),
  /** No trailer, where the mode requires one (enforce). */
  MISSING(DropReason.AUTH_MISSING),
  /** Unknown scheme type or non-zero reserved field. */
  MALFORMED(DropReason.AUTH_MALFORMED),
  /** The trailer names a key id this group does not have. */
  UNKNOWN_KEY(DropReason.AUTH_UNKNOWN_KEY),
  /** The HMAC does not verify: another key, or a forged or altered advert. */
  BAD_HMAC(DropReason.AUTH_BAD_HMAC),
  /** The sequence's time lies outside the freshness window (anti-replay time only). */
  STALE(DropReason.AUTH_STALE),
  /** The sequence does not grow over the last one accepted from this sender: a replay. */
  REPLAY(DropReason.AUTH_REPLAY);

  private final DropReason dropReason;

  AuthResult(DropReason dropReason) {
    this.dropReason = dropReason;
  }

  /** The reason to count the dropped advert under; null for {@link #OK}. */
  public DropReason dropReason() {
    return dropReason;
  }
}
