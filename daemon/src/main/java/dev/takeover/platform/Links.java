package dev.takeover.platform;

import java.util.Optional;

/** The kernel's network interfaces (rtnetlink RTM_GETLINK). */
public interface Links {

  Optional<LinkInfo> byName(String name);

  Optional<LinkInfo> byIndex(int ifindex);

  /**
   * One interface.
   *
   * @param up administratively up and the carrier is present (IFF_UP and IFF_LOWER_UP)
   * @param mac hardware address, 6 bytes for Ethernet
   */
  record LinkInfo(int index, String name, byte[] mac, boolean up, int mtu) {}
}
