package dev.takeover.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * What {@code check --host} and {@code run} need to know of this machine. The daemon answers from
 * rtnetlink; the config package stays free of native code.
 */
public interface HostFacts {

  /** The addresses on the named interface, or empty if this host has no such interface. */
  Optional<List<HostAddress>> interfaceAddresses(String name);

  /** The names of all interfaces, for "interfaces here: ..." hints. */
  List<String> interfaceNames();

  /** Every address on every interface, with the interface that holds it. */
  List<HostAddress> localAddresses();

  /** One address of this host and its prefix length. */
  record HostAddress(String interfaceName, InetAddress address, int prefixLength) {
    @Override
    public String toString() {
      return address.getHostAddress() + "/" + prefixLength;
    }
  }
}
