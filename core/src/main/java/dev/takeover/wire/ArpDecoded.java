package dev.takeover.wire;

import java.util.Objects;

/** The result of decoding a received ARP frame: the packet, or why it was dropped. */
public sealed interface ArpDecoded {

  /** A well-formed Ethernet/IPv4 ARP packet. */
  record Ok(ArpPacket packet) implements ArpDecoded {
    public Ok {
      Objects.requireNonNull(packet, "packet");
    }
  }

  /** A dropped frame: the reason to count, and details for the log. */
  record Dropped(ArpDropReason reason, String detail) implements ArpDecoded {
    public Dropped {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
