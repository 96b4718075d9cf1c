package dev.takeover.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A route the group installs while it is master and removes when it stops being master
 * (keepalived's {@code virtual_routes}), marked with Takeover's route protocol (docs/CONFIG.md).
 *
 * @param destination the network address of the destination prefix ({@code 0.0.0.0} / {@code ::}
 *     for {@code default})
 * @param prefixLength 0..32 or 0..128
 * @param gateway the next hop, of the destination's family; empty for a route straight onto the
 *     interface (scope link)
 * @param interfaceName the interface the route leaves by; empty for the group's interface
 * @param metric the route's priority ({@code ip route ... metric N}); the kernel's default when
 *     left out: 0 for IPv4, 1024 for IPv6, said explicitly so our routes can be recognised
 * @param table the routing table, {@link #MAIN_TABLE} unless set
 * @param source the preferred source address (RTA_PREFSRC, {@code ip route ... src A}, keepalived's
 *     {@code src}), of the destination's family; empty to let the kernel choose
 */
public record VirtualRoute(
    InetAddress destination,
    int prefixLength,
    Optional<InetAddress> gateway,
    Optional<String> interfaceName,
    int metric,
    int table,
    Optional<InetAddress> source) {

  public static final int MAIN_TABLE = 254;
  public static final int IPV4_DEFAULT_METRIC = 0;
  public static final int IPV6_DEFAULT_METRIC = 1024;

  public VirtualRoute {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(interfaceName, "interfaceName");
    Objects.requireNonNull(source, "source");
    int max = destination instanceof Inet4Address ? 32 : 128;
    if (prefixLength < 0 || prefixLength > max) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " outside 0.." + max);
    }
    if (gateway.isPresent()
        && (gateway.get() instanceof Inet4Address) != (destination instanceof Inet4Address)) {
      throw new IllegalArgumentException("gateway and destination of different families");
    }
  }

  /** A route without a preferred source. */
  public VirtualRoute(
      InetAddress destination,
      int prefixLength,
      Optional<InetAddress> gateway,
      Optional<String> interfaceName,
      int metric,
      int table) {
    this(destination, prefixLength, gateway, interfaceName, metric, table, Optional.empty());
  }

  /** The family of the destination. */
  public AddressFamily family() {
    return AddressFamily.of(destination);
  }

  /** The interface the route leaves by: its own, else the group's. */
  public String interfaceOr(String groupInterface) {
    return interfaceName.orElse(groupInterface);
  }

  /**
   * As {@code ip route} would show it, for logs, the journal and status: {@code 198.18.100.0/24 via
   * 198.18.0.1 dev eth1 metric 10 table 100} (dev only when set, metric and table only when not the
   * default).
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append(prefixLength == 0 ? "default" : IpLiterals.format(destination) + "/" + prefixLength);
    gateway.ifPresent(g -> b.append(" via ").append(IpLiterals.format(g)));
    interfaceName.ifPresent(i -> b.append(" dev ").append(i));
    int defaultMetric =
        destination instanceof Inet4Address ? IPV4_DEFAULT_METRIC : IPV6_DEFAULT_METRIC;
    if (metric != defaultMetric) {
      b.append(" metric ").append(Integer.toUnsignedString(metric));
    }
    if (table != MAIN_TABLE) {
      b.append(" table ").append(table);
    }
    source.ifPresent(a -> b.append(" src ").append(IpLiterals.format(a)));
    return b.toString();
  }
}
