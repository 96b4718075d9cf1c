package dev.takeover.platform;

import java.net.InetAddress;
import java.util.List;

/** The kernel's interface addresses (rtnetlink RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR). */
public interface AddressTable {

  /**
   * Adds an address. IPv6 addresses are added with IFA_F_NODAD so they are usable at once.
   *
   * @return false if the address was already there (EEXIST), true if it was added
   * @throws NativeException on any other failure
   */
  boolean add(int ifindex, InetAddress address, int prefixLength);

  /**
   * Adds an address with a label (IFA_LABEL, IPv4 only; null for none: the kernel then labels it
   * with the interface's name) and a scope (ifa_scope, RT_SCOPE_*). The default, for tables that
   * hold no labels or scopes (test fakes), is {@link #add(int, InetAddress, int)}.
   */
  default boolean add(int ifindex, InetAddress address, int prefixLength, String label, int scope) {
    return add(ifindex, address, prefixLength);
  }

  /**
   * Deletes an address.
   *
   * @return false if it was not there (EADDRNOTAVAIL/ENOENT), true if it was deleted
   * @throws NativeException on any other failure
   */
  boolean delete(int ifindex, InetAddress address, int prefixLength);

  /** The addresses on one interface, in the order the kernel lists them (primary first). */
  List<InterfaceAddress> list(int ifindex);

  /** One address on an interface. */
  record InterfaceAddress(int ifindex, InetAddress address, int prefixLength, boolean secondary) {}
}
