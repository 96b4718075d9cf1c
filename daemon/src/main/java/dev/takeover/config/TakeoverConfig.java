package dev.takeover.config;

import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole, validated configuration. Only {@link ConfigLoader} builds these from files; every value
 * in here has passed the checks documented in {@code docs/CONFIG.md}.
 *
 * @param node this node's name, used in logs, metrics and the journal
 * @param nodes the cluster's nodes by name (this one may be among them), in file order, with the
 *     addresses each advertises from: how {@code move} and {@code status} name nodes; may be empty
 * @param groups the VRRP groups, in file order
 * @param dns DNS servers and the names that follow groups (docs/DNS.md)
 * @param syncGroups sets of groups that are master together (keepalived's vrrp_sync_group)
 * @param links node links and the routes that follow them (docs/LINKS.md)
 * @param api the HTTP API, metrics, dashboard and webhooks (docs/API.md)
 */
public record TakeoverConfig(
    String node,
    Map<String, List<InetAddress>> nodes,
    List<GroupConfig> groups,
    AnnounceConfig announce,
    DaemonConfig daemon,
    DnsConfig dns,
    List<SyncGroupConfig> syncGroups,
    LinksConfig links,
    ApiConfig api) {

  public TakeoverConfig {
    Objects.requireNonNull(node, "node");
    Map<String, List<InetAddress>> copy = new LinkedHashMap<>();
    nodes.forEach((name, addresses) -> copy.put(name, List.copyOf(addresses)));
    nodes = Collections.unmodifiableMap(copy);
    groups = List.copyOf(groups);
    Objects.requireNonNull(announce, "announce");
    Objects.requireNonNull(daemon, "daemon");
    Objects.requireNonNull(dns, "dns");
    syncGroups = List.copyOf(syncGroups);
    Objects.requireNonNull(links, "links");
    Objects.requireNonNull(api, "api");
  }

  /** With the API at its defaults. */
  public TakeoverConfig(
      String node,
      Map<String, List<InetAddress>> nodes,
      List<GroupConfig> groups,
      AnnounceConfig announce,
      DaemonConfig daemon,
      DnsConfig dns,
      List<SyncGroupConfig> syncGroups,
      LinksConfig links) {
    this(node, nodes, groups, announce, daemon, dns, syncGroups, links, ApiConfig.DEFAULTS);
  }

  /** Without sync groups and node links. */
  public TakeoverConfig(
      String node,
      Map<String, List<InetAddress>> nodes,
      List<GroupConfig> groups,
      AnnounceConfig announce,
      DaemonConfig daemon,
      DnsConfig dns,
      ApiConfig api) {
    this(node, nodes, groups, announce, daemon, dns, List.of(), LinksConfig.NONE, api);
  }

  /** Without node links. */
  public TakeoverConfig(
      String node,
      Map<String, List<InetAddress>> nodes,
      List<GroupConfig> groups,
      AnnounceConfig announce,
      DaemonConfig daemon,
      DnsConfig dns,
      List<SyncGroupConfig> syncGroups) {
    this(node, nodes, groups, announce, daemon, dns, syncGroups, LinksConfig.NONE);
  }

  /** Without sync groups. */
  public TakeoverConfig(
      String node,
      Map<String, List<InetAddress>> nodes,
      List<GroupConfig> groups,
      AnnounceConfig announce,
      DaemonConfig daemon,
      DnsConfig dns,
      LinksConfig links) {
    this(node, nodes, groups, announce, daemon, dns, List.of(), links);
  }

  /** Without sync groups, node links and API settings. */
  public TakeoverConfig(
      String node,
      Map<String, List<InetAddress>> nodes,
      List<GroupConfig> groups,
      AnnounceConfig announce,
      DaemonConfig daemon,
      DnsConfig dns) {
    this(node, nodes, groups, announce, daemon, dns, List.of(), LinksConfig.NONE);
  }

  /** The sync group {@code group} is a member of, if any. */
  public Optional<SyncGroupConfig> syncGroupOf(String group) {
    return syncGroups.stream().filter(s -> s.groups().contains(group)).findFirst();
  }

  /** Whether {@code group} follows the first member of its sync group. */
  public boolean syncFollower(String group) {
    return syncGroupOf(group).map(s -> !s.groups().getFirst().equals(group)).orElse(false);
  }

  /** For a file without the sections that name the cluster's nodes and DNS names. */
  public TakeoverConfig(
      String node, List<GroupConfig> groups, AnnounceConfig announce, DaemonConfig daemon) {
    this(node, Map.of(), groups, announce, daemon, DnsConfig.NONE);
  }

  /** For a file without DNS names. */
  public TakeoverConfig(
      String node,
      Map<String, List<InetAddress>> nodes,
      List<GroupConfig> groups,
      AnnounceConfig announce,
      DaemonConfig daemon) {
    this(node, nodes, groups, announce, daemon, DnsConfig.NONE);
  }

  /** For a file without the section that names the cluster's nodes. */
  public TakeoverConfig(
      String node,
      List<GroupConfig> groups,
      AnnounceConfig announce,
      DaemonConfig daemon,
      DnsConfig dns) {
    this(node, Map.of(), groups, announce, daemon, dns);
  }

  /** The name the {@code nodes} section gives {@code address}, if any. */
  public Optional<String> nodeNamed(InetAddress address) {
    return nodes.entrySet().stream()
        .filter(e -> e.getValue().contains(address))
        .map(Map.Entry::getKey)
        .findFirst();
  }

  /** The group with this name, if any. */
  public Optional<GroupConfig> group(String name) {
    return groups.stream().filter(g -> g.name().equals(name)).findFirst();
  }
}
