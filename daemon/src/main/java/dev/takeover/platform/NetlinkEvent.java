package dev.takeover.platform;

import java.net.InetAddress;

/** What the kernel told us about links and addresses (rtnetlink multicast groups). */
public sealed interface NetlinkEvent {

  /** A link's state changed; {@code up} as in {@link Links.LinkInfo#up()}. */
  record LinkChanged(int ifindex, String name, boolean up) implements NetlinkEvent {}

  record AddressAdded(int ifindex, InetAddress address, int prefixLength) implements NetlinkEvent {}

  record AddressRemoved(int ifindex, InetAddress address, int prefixLength)
      implements NetlinkEvent {}
}
