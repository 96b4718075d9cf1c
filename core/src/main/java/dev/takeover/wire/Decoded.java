package dev.takeover.wire;

import java.util.Objects;

/** The result of decoding a received VRRP packet: the advert, or why it was dropped. */
public sealed interface Decoded {

  /** A packet that passed every codec check. */
  record Ok(VrrpAdvert advert) implements Decoded {
    public Ok {
      Objects.requireNonNull(advert, "advert");
    }
  }

  /** A dropped packet: the reason to count, and details for the log. */
  record Dropped(DropReason reason, String detail) implements Decoded {
    public Dropped {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
