package dev.takeover.control;

import java.util.List;
import java.util.Map;

/**
 * What {@code takeover status} shows of the node links (docs/LINKS.md): every path with its state
 * and round-trip time, every peer as the links see it, every route with its active next hop, and
 * the packets dropped by reason.
 */
public record LinksView(
    List<PathView> paths,
    List<NodeView> nodes,
    List<RouteView> routes,
    Map<String, Long> drops,
    List<HopView> hops) {
  public LinksView {
    paths = ControlProtocol.copy(paths);
    nodes = ControlProtocol.copy(nodes);
    routes = ControlProtocol.copy(routes);
    drops = drops == null ? Map.of() : Map.copyOf(drops);
    hops = ControlProtocol.copy(hops);
  }

  /** Without next-hop details. */
  public LinksView(
      List<PathView> paths, List<NodeView> nodes, List<RouteView> routes, Map<String, Long> drops) {
    this(paths, nodes, routes, drops, List.of());
  }

  /**
   * One next hop of one route: whether it is healthy and why ({@code links.NextHopHealth}), whether
   * the route uses it, and its gateway probe (empty {@code probe} without one).
   *
   * @param probeKind how the probe asks ("arp", "icmp"), or empty
   * @param probe the probe's state (STARTING, UP, DOWN), or empty
   * @param probeReason why, e.g. "3 ARP requests unanswered in a row"
   * @param probeRttMs the latest answered request's round trip; negative before the first
   */
  public record HopView(
      String destination,
      String interfaceName,
      String gateway,
      boolean active,
      boolean healthy,
      String reason,
      String probeKind,
      String probe,
      String probeReason,
      double probeRttMs,
      long probeIntervalMs,
      int probeMisses,
      int probeGoods) {}

  /**
   * One path.
   *
   * @param rttMs the last answered inquiry's round trip; negative before the first
   * @param reason why it is in its state, e.g. "3 inquiries unanswered in a row"
   */
  public record PathView(
      String node,
      String local,
      String peer,
      String state,
      double rttMs,
      String reason,
      long intervalMs,
      int misses,
      int goods) {}

  /**
   * One peer: reachable while a path is UP; its groups as it reports them ({@code name STATE
   * priority}), and the same as records in {@code states}; whether its configuration hash differs
   * from ours, and the hash ({@code config.ConfigHash#hex}, empty before its first packet); how
   * long ago an authenticated packet of it came in (negative: never).
   */
  public record NodeView(
      String node,
      boolean reachable,
      boolean configDiffers,
      List<String> groups,
      long lastHeardMillisAgo,
      String configHash,
      List<PeerGroup> states) {
    public NodeView {
      groups = ControlProtocol.copy(groups);
      states = ControlProtocol.copy(states);
      configHash = configHash == null ? "" : configHash;
    }
  }

  /** One group as a peer reports it over the node links (links.NodeSummary.GroupEntry). */
  public record PeerGroup(String name, int vrid, String state, int priority, boolean maintenance) {}

  /** One route: its active next hop (empty before the first choice) and why. */
  public record RouteView(
      String destination, String interfaceName, String gateway, String reason) {}
}
