package dev.takeover.wire;

import java.util.Objects;
import java.util.Optional;

/**
 * Everything about a group's adverts on the wire that the codec needs beyond the advert itself: the
 * VRRP version and, per version, its checksum mode (VRRPv3 over IPv4) or its simple password
 * (VRRPv2). A group speaks one version only; an advert of the other is dropped as {@link
 * DropReason#BAD_VERSION}.
 *
 * @param version 2 (RFC 3768) or 3 (RFC 5798)
 * @param checksumMode the VRRPv3 IPv4 checksum; always {@link ChecksumMode#VRRP_ONLY} for VRRPv2,
 *     whose checksum never covered a pseudo-header (RFC 3768 §5.3.8)
 * @param password VRRPv2 simple-password authentication (Auth Type 1), or empty for none (Auth Type
 *     0); always empty for VRRPv3, which has no authentication field
 */
public record WireFormat(
    int version, ChecksumMode checksumMode, Optional<SimplePassword> password) {
  /** RFC 3768 §5.3.6: Auth Type 0, no authentication. */
  public static final int AUTH_NONE = 0;

  /** RFC 2338 §5.3.6.1 (kept by keepalived): Auth Type 1, simple text password. */
  public static final int AUTH_SIMPLE_PASSWORD = 1;

  /** keepalived's default: VRRPv3 with the pseudo-header in the IPv4 checksum. */
  public static final WireFormat DEFAULT = v3(ChecksumMode.PSEUDO_HEADER);

  public WireFormat {
    Objects.requireNonNull(checksumMode, "checksumMode");
    Objects.requireNonNull(password, "password");
    if (version != 2 && version != 3) {
      throw new IllegalArgumentException("version must be 2 or 3, got " + version);
    }
    if (version == 2 && checksumMode != ChecksumMode.VRRP_ONLY) {
      throw new IllegalArgumentException("VRRPv2 checksums the VRRP message only");
    }
    if (version == 3 && password.isPresent()) {
      throw new IllegalArgumentException("VRRPv3 has no authentication field");
    }
  }

  /** VRRPv3 with the given IPv4 checksum mode. */
  public static WireFormat v3(ChecksumMode checksumMode) {
    return new WireFormat(3, checksumMode, Optional.empty());
  }

  /** VRRPv2, with a simple password or without authentication. */
  public static WireFormat v2(Optional<SimplePassword> password) {
    return new WireFormat(2, ChecksumMode.VRRP_ONLY, password);
  }

  /** The Auth Type field a VRRPv2 advert carries in this format. */
  public int authType() {
    return password.isPresent() ? AUTH_SIMPLE_PASSWORD : AUTH_NONE;
  }

  /** Bytes after the addresses: VRRPv2's 8-byte Authentication Data, none in VRRPv3. */
  public int trailingBytes() {
    return version == 2 ? SimplePassword.LENGTH : 0;
  }
}
