package dev.takeover.config;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A virtual address with the prefix length it is added to the interface with.
 *
 * @param interfaceName the interface it lives on when not the group's (keepalived's {@code dev}),
 *     empty for the group's interface
 * @param label its IPv4 label (IFA_LABEL, keepalived's {@code label}), e.g. {@code eth1:vip}; empty
 *     for none (the kernel then labels it with the interface's name)
 * @param scope its scope (ifa_scope, rtnetlink's RT_SCOPE_*): {@link #SCOPE_GLOBAL} unless set
 */
public record VirtualAddress(
    InetAddress address,
    int prefixLength,
    Optional<String> interfaceName,
    Optional<String> label,
    int scope) {

  /** RT_SCOPE_UNIVERSE: what {@code ip addr add} gives without {@code scope}. */
  public static final int SCOPE_GLOBAL = 0;

  public static final int SCOPE_SITE = 200;
  public static final int SCOPE_LINK = 253;
  public static final int SCOPE_HOST = 254;

  public VirtualAddress {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(interfaceName, "interfaceName");
    Objects.requireNonNull(label, "label");
    int max = AddressFamily.of(address) == AddressFamily.IPV4 ? 32 : 128;
    if (prefixLength < 0 || prefixLength > max) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " outside 0.." + max);
    }
    if (scope < 0 || scope > 255) {
      throw new IllegalArgumentException("scope " + scope + " outside 0..255");
    }
  }

  /** An address on the group's interface, without label, scope global. */
  public VirtualAddress(InetAddress address, int prefixLength) {
    this(address, prefixLength, Optional.empty(), Optional.empty(), SCOPE_GLOBAL);
  }

  public AddressFamily family() {
    return AddressFamily.of(address);
  }

  /** The interface it lives on: its own, or else {@code groupInterface}. */
  public String interfaceOr(String groupInterface) {
    return interfaceName.orElse(groupInterface);
  }

  /** The scope's name as {@code ip addr} prints it, or its number. */
  public static String scopeName(int scope) {
    return switch (scope) {
      case SCOPE_GLOBAL -> "global";
      case SCOPE_SITE -> "site";
      case SCOPE_LINK -> "link";
      case SCOPE_HOST -> "host";
      default -> Integer.toString(scope);
    };
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
