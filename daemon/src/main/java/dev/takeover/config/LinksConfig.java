package dev.takeover.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code links} section (docs/LINKS.md): heartbeats between this node and the others on every
 * path, and routes that follow the paths' health.
 *
 * @param port the UDP port every node listens and sends on
 * @param keyFile the shared HMAC key (absent when the section is left out)
 * @param paths every path, in file order
 * @param routes routes with ordered next hops
 * @param guard the groups whose backup stays BACKUP while the master reports MASTER over the links
 */
public record LinksConfig(
    int port,
    Optional<Path> keyFile,
    List<LinkPath> paths,
    List<LinkRoute> routes,
    Set<String> guard) {

  public static final int DEFAULT_PORT = 7370;
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
  public static final int DEFAULT_MISSES = 3;
  public static final int DEFAULT_GOODS = 2;

  /** No {@code links} section: no node links, no routes. */
  public static final LinksConfig NONE =
      new LinksConfig(DEFAULT_PORT, Optional.empty(), List.of(), List.of(), Set.of());

  public LinksConfig {
    Objects.requireNonNull(keyFile, "keyFile");
    paths = List.copyOf(paths);
    routes = List.copyOf(routes);
    guard = Set.copyOf(guard);
  }

  public boolean enabled() {
    return !paths.isEmpty();
  }

  /**
   * One path to one peer; {@code local} and {@code peer} are of one family (IPv4 or IPv6).
   *
   * @param node the peer's node name
   * @param local this node's address on the path
   * @param peer the peer's address on the path
   * @param interval between inquiries
   * @param misses unanswered inquiries in a row that make it DOWN
   * @param goods answered inquiries in a row that make it UP
   */
  public record LinkPath(
      String node, InetAddress local, InetAddress peer, Duration interval, int misses, int goods) {}

  /**
   * A route whose next hop follows the paths' health.
   *
   * @param destination the destination prefix's address (0.0.0.0 or :: for {@code default}: the
   *     family is the gateways')
   * @param prefixLength its prefix length
   * @param via next hops in order of preference
   */
  public record LinkRoute(InetAddress destination, int prefixLength, List<NextHop> via) {
    public LinkRoute {
      via = List.copyOf(via);
    }

    /**
     * The destination: {@code default} (IPv4), {@code ::/0} (IPv6's default, so that a dual-stack
     * node's two defaults read apart in status and the journal) or {@code address/length}.
     */
    public String text() {
      return prefixLength == 0 && destination instanceof java.net.Inet4Address
          ? "default"
          : IpLiterals.format(destination) + "/" + prefixLength;
    }
  }

  /**
   * One next hop: a gateway on an interface. It is healthy while its interface is up, a node-link
   * path whose local address is on {@code interfaceName} is not DOWN (if there is one), and its
   * gateway probe is not DOWN (if it has one).
   *
   * @param probe the gateway probe, if configured
   */
  public record NextHop(String interfaceName, InetAddress gateway, Optional<Probe> probe) {
    public NextHop {
      Objects.requireNonNull(probe, "probe");
    }

    /** A next hop without a gateway probe. */
    public NextHop(String interfaceName, InetAddress gateway) {
      this(interfaceName, gateway, Optional.empty());
    }
  }

  /**
   * A next hop's gateway probe (docs/LINKS.md, "Gateway probes").
   *
   * @param kind how: {@link #ARP}, an ARP request for the gateway on the next hop's interface (IPv4
   *     gateways); {@link #NDP}, a unicast Neighbor Solicitation for it there (IPv6 gateways);
   *     {@link #ICMP}, an ICMP or ICMPv6 echo request to it out of that interface
   * @param interval between requests
   * @param misses unanswered requests in a row that make the next hop unhealthy
   * @param goods answered requests in a row that make it healthy again
   */
  public record Probe(String kind, Duration interval, int misses, int goods) {
    public static final String ARP = "arp";
    public static final String ICMP = "icmp";
    public static final String NDP = "ndp";

    /** Every kind, as written in the configuration. */
    public static final List<String> KINDS = List.of(ARP, ICMP, NDP);
  }
}
