package dev.takeover.config;

import java.net.InetAddress;
import java.util.Objects;

/** A virtual address with the prefix length it is added to the interface with. */
public record VirtualAddress(InetAddress address, int prefixLength) {

  public VirtualAddress {
    Objects.requireNonNull(address, "address");
    int max = AddressFamily.of(address) == AddressFamily.IPV4 ? 32 : 128;
    if (prefixLength < 0 || prefixLength > max) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " outside 0.." + max);
    }
  }

  public AddressFamily family() {
    return AddressFamily.of(address);
  }

  /**
   * CIDR notation with the RFC 5952 form for IPv6, e.g. {@code 198.18.0.50/24}, {@code
   * 2001:db8::50/64}.
   */
  @Override
  public String toString() {
    return IpLiterals.format(address) + "/" + prefixLength;
  }
}
