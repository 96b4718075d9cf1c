package dev.takeover.vrrp;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Set;

/**
 * Another node of a group as the operator knows it: a name and the addresses it advertises from on
 * this group's family (VRRP adverts carry addresses, not names). The addresses may be empty when
 * the configuration names the node without one of this family.
 */
public record NodeRef(String name, Set<InetAddress> addresses) {
  public NodeRef {
    Objects.requireNonNull(name, "name");
    addresses = Set.copyOf(addresses);
  }

  /** Whether {@code address} is one of this node's. */
  public boolean has(InetAddress address) {
    return addresses.contains(address);
  }
}
