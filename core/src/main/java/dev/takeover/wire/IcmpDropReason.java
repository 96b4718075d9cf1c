package dev.takeover.wire;

/** Why a received IPv4 packet is not an ICMP echo message this codec understands. */
public enum IcmpDropReason {
  /** Shorter than the fixed IPv4 header (RFC 791 §3.1: 20 bytes). */
  TOO_SHORT("shorter than an IPv4 header"),
  /** RFC 791 §3.1: the version field is not 4. */
  NOT_IPV4("IP version is not 4"),
  /** RFC 791 §3.1: IHL below 5 words, or a header longer than the packet. */
  BAD_HEADER_LENGTH("IPv4 header length out of range"),
  /** RFC 791 §3.1: Total Length shorter than the header, or longer than what arrived. */
  BAD_TOTAL_LENGTH("IPv4 total length out of range"),
  /** The IPv4 protocol is not 1 (ICMP, RFC 792). */
  NOT_ICMP("IP protocol is not ICMP (1)"),
  /** A fragment (More Fragments or an offset): the kernel reassembles before raw delivery. */
  FRAGMENT("an IPv4 fragment"),
  /** Shorter than the 8 bytes of an echo message's header (RFC 792). */
  TRUNCATED("shorter than an ICMP echo header"),
  /** RFC 792: the checksum over the ICMP message does not verify. */
  BAD_CHECKSUM("ICMP checksum does not verify"),
  /** RFC 792: not an echo (type 8, code 0) or echo reply (type 0, code 0). */
  NOT_ECHO("not an ICMP echo or echo reply");

  private final String description;

  IcmpDropReason(String description) {
    this.description = description;
  }

  /** A short human description, for logs and the CLI. */
  public String description() {
    return description;
  }
}
