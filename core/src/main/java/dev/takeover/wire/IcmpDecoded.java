package dev.takeover.wire;

import java.util.Objects;

/** The result of decoding a received ICMP packet: the echo message, or why it was dropped. */
public sealed interface IcmpDecoded {

  /** A well-formed ICMP echo or echo reply. */
  record Ok(IcmpEcho echo) implements IcmpDecoded {
    public Ok {
      Objects.requireNonNull(echo, "echo");
    }
  }

  /** A dropped packet: the reason to count, and details for the log. */
  record Dropped(IcmpDropReason reason, String detail) implements IcmpDecoded {
    public Dropped {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
