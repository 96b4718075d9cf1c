package dev.takeover.wire;

/** Why a received frame is not an ARP packet this codec understands. */
public enum ArpDropReason {
  /** Shorter than an Ethernet header plus a 28-byte Ethernet/IPv4 ARP packet. */
  TOO_SHORT("shorter than an Ethernet/IPv4 ARP packet"),
  /** The Ethernet type is not 0x0806 (e.g. an 802.1Q tag the kernel left in). */
  NOT_ARP("Ethernet type is not ARP (0x0806)"),
  /** RFC 826: hardware type must be 1 (Ethernet) with 6-byte addresses. */
  UNSUPPORTED_HARDWARE("hardware type is not Ethernet with 6-byte addresses"),
  /** RFC 826: protocol type must be 0x0800 (IPv4) with 4-byte addresses. */
  UNSUPPORTED_PROTOCOL("protocol type is not IPv4 with 4-byte addresses"),
  /** Only requests (1) and replies (2) are understood. */
  UNKNOWN_OPERATION("operation is neither request nor reply");

  private final String description;

  ArpDropReason(String description) {
    this.description = description;
  }

  /** A short human description, for logs and the CLI. */
  public String description() {
    return description;
  }
}
