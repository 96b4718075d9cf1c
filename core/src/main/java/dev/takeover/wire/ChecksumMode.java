package dev.takeover.wire;

/**
 * How the VRRPv3 checksum over IPv4 is computed. IPv6 always includes the pseudo-header.
 *
 * <p>RFC 5798 §5.2.8 says the checksum includes the IPv4 pseudo-header; keepalived and FRR do so by
 * default. RFC 9568 §5.2.8 clarifies the IPv4 checksum as VRRPv2 did it, over the VRRP message only
 * (keepalived's {@code v3_checksum_as_v2}). Both are in use, so both are supported.
 */
public enum ChecksumMode {
  /** Checksum over the IPv4 pseudo-header and the VRRP message (RFC 5798; keepalived's default). */
  PSEUDO_HEADER,
  /** Checksum over the VRRP message only, as VRRPv2 (RFC 9568; keepalived v3_checksum_as_v2). */
  VRRP_ONLY
}
