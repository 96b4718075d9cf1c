package dev.takeover.wire;

/**
 * Why a received VRRP packet was dropped. The codec's checks come first, in the order they run (RFC
 * 5798 §7.1); the last two are for the receiving virtual router, which knows its configuration.
 * Meant to be counted per reason and logged with a per-reason rate limit.
 */
public enum DropReason {
  /**
   * RFC 5798 §7.1: the IPv4 TTL / IPv6 Hop Limit must be 255 (the packet came from this link), or
   * within the group's {@code accept-ttl} range ({@link TtlRange}) for a group with routed peers.
   */
  BAD_TTL("TTL or hop limit is not 255, or outside accept-ttl (packet was routed or forged)"),
  /** Shorter than the 8-byte fixed VRRP header. */
  TOO_SHORT("shorter than the 8-byte VRRP header"),
  /**
   * RFC 5798 §7.1, RFC 3768 §7.1: the version is not the group's (3, or 2 for a {@code version: 2}
   * group). Never mixed: a VRRPv2 router on a VRRPv3 group's link is a misconfiguration.
   */
  BAD_VERSION("VRRP version is not the group's"),
  /** RFC 5798 §5.2.2: the only type is 1, advertisement. */
  BAD_TYPE("VRRP type is not 1 (advertisement)"),
  /** RFC 5798 §5.2.3: VRID 0 is not a valid virtual router. */
  BAD_VRID("VRID is 0"),
  /**
   * The packet's IP family does not fit: source and destination differ, or the address bytes fit
   * the other family's address size (an IPv6 address list over IPv4 or the reverse).
   */
  ADDRESS_FAMILY_MISMATCH("address family does not match the IP packet's family"),
  /** RFC 5798 §7.1: the packet ends before the count of addresses it announces. */
  TRUNCATED("packet ends before the announced number of addresses"),
  /** The packet holds more bytes than the fixed header plus count × address size. */
  ADDRESS_COUNT_MISMATCH("packet length does not match the address count"),
  /** RFC 5798 §7.1: the checksum verifies under neither checksum mode. */
  BAD_CHECKSUM("checksum does not verify"),
  /**
   * The IPv4 checksum verifies only under the other {@link ChecksumMode}: the peer includes (or
   * leaves out) the pseudo-header where this router does not. Configuration mismatch, not damage.
   */
  CHECKSUM_MODE_MISMATCH("checksum verifies only in the other checksum mode (peer misconfigured?)"),
  /** RFC 5798 §5.2.7: the Max Advertise Interval is at least 1 centisecond. */
  BAD_INTERVAL("advertisement interval is 0"),
  /**
   * RFC 5798 §7.1: no virtual router with this VRID is configured on the interface. (The same
   * section also drops adverts for a VRID this router owns with priority 255.)
   */
  UNKNOWN_VRID("no virtual router with this VRID is configured here"),
  /** RFC 5798 §7.1: the address owner (priority 255) discards adverts for its own VRID. */
  ADDRESS_OWNER("we are the address owner of this VRID"),
  /** In unicast mode only the configured peers are heard (as keepalived does). */
  NOT_A_PEER("source is not one of the configured unicast peers"),
  /**
   * RFC 5798 §7.1 (an optional check): the advertised addresses differ from the configured ones.
   * Counted and logged (rate limited) as a misconfiguration; the advert is still accepted, so a
   * mismatch cannot make two masters.
   */
  ADDRESS_LIST_MISMATCH("advertised addresses differ from the configured ones"),
  // The auth_hmac checks (draft-cassen-vrrp-auth-hmac, see AuthResult) run after NOT_A_PEER, only
  // for a group with an auth section; each outcome is its own reason, as keepalived counts them, so
  // clock drift (STALE) can be told from a wrong key or a forgery (BAD_HMAC).
  /** The group enforces auth_hmac and the advert carries no trailer. */
  AUTH_MISSING("no auth_hmac trailer, and the group enforces authentication"),
  /** The trailer's type is not HMAC-SHA256 or its reserved field is not zero. */
  AUTH_MALFORMED("auth_hmac trailer of an unknown type or with a non-zero reserved field"),
  /** The trailer names a key id the group does not have. */
  AUTH_UNKNOWN_KEY("auth_hmac trailer names a key id not configured here"),
  /** The HMAC does not verify: a different key, or a forged or altered advert. */
  AUTH_BAD_HMAC("auth_hmac HMAC does not verify (different key, or forged)"),
  /**
   * VRRPv2: the Auth Type is not the group's (none vs. simple password), which keepalived 2.2.7
   * also drops.
   */
  AUTH_TYPE_MISMATCH("VRRPv2 auth type differs from the group's (password on one side only?)"),
  /**
   * VRRPv2 simple password (keepalived {@code auth_type PASS}): the password is not the group's.
   */
  AUTH_BAD_PASSWORD("VRRPv2 password does not match"),
  /** The trailer's time is outside the freshness window: clock skew, or an old capture. */
  AUTH_STALE("auth_hmac sequence outside the time window (clock skew or an old capture)"),
  /** The sequence does not grow over the sender's last accepted one: a replayed advert. */
  AUTH_REPLAY("auth_hmac sequence not newer than the sender's last one (replayed)");

  /** Whether this is an authentication failure (any {@code AUTH_*} reason). */
  public boolean authentication() {
    return name().startsWith("AUTH_");
  }

  private final String description;

  DropReason(String description) {
    this.description = description;
  }

  /** A short human description, for logs and the CLI. */
  public String description() {
    return description;
  }
}
