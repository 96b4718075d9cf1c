package dev.takeover.config;

import dev.takeover.config.ConfigNode.Entry;
import dev.takeover.config.ConfigNode.ListNode;
import dev.takeover.config.ConfigNode.MapNode;
import dev.takeover.config.ConfigNode.Scalar;
import dev.takeover.config.Readers.DurationRule;
import dev.takeover.config.Readers.IntRule;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The top-level {@code links} section: node-link paths to the other nodes and routes that follow
 * them (docs/LINKS.md). Paths and routes are IPv4 or IPv6, each of one family (DECISIONS 68): a
 * path's two addresses, a route's destination and all its gateways. Whether the key file exists and
 * is not world-readable is a host rule ({@link HostRules}); here only that its path is absolute.
 */
final class LinkRules {
  static final List<String> LINKS_KEYS =
      List.of("port", "key-file", "interval", "misses", "goods", "peers", "routes", "guard");
  static final List<String> PATH_KEYS = List.of("local", "peer", "interval", "misses", "goods");
  static final List<String> ROUTE_KEYS = List.of("destination", "via");
  static final List<String> VIA_KEYS = List.of("interface", "gateway", "probe");
  static final List<String> PROBE_KEYS = List.of("kind", "interval", "misses", "goods");

  static final int MAX_PATHS = 16;
  static final int MAX_ROUTES = 64;
  static final int MAX_VIA = 8;
  private static final IntRule PORT = new IntRule(1, 65535);
  private static final IntRule COUNT = new IntRule(1, 100);
  private static final DurationRule INTERVAL =
      new DurationRule(Duration.ofMillis(10), Duration.ofSeconds(60), 1, false);
  private static final String ADDRESS =
      "a plain IPv4 or IPv6 address, e.g. 198.18.1.1 or 2001:db8:1::1";
  private static final String PATH_ADDRESS =
      "a plain IPv4 or global IPv6 address, e.g. 198.18.1.1 or 2001:db8:1::1";
  private static final String DESTINATION =
      "default or an IPv4 or IPv6 prefix, e.g. 198.18.100.0/24 or 2001:db8:100::/64";
  private static final Pattern PREFIX = Pattern.compile("([0-9A-Fa-f.:]+)/([0-9]{1,3})");

  private final Diagnostics diagnostics;
  private final Readers read;

  LinkRules(Readers read) {
    this.read = read;
    this.diagnostics = read.diagnostics;
  }

  /** The section; {@link LinksConfig#NONE} when left out; null after an error. */
  LinksConfig links(Section top, String self, List<String> groupNames) {
    int groupCount = groupNames.size();
    if (!top.has("links")) {
      return LinksConfig.NONE;
    }
    Section s = read.subsection(top, "links", LINKS_KEYS);
    if (s == null) {
      return null;
    }
    Integer port = read.integer(s, "port", PORT, LinksConfig.DEFAULT_PORT);
    Duration interval = read.duration(s, "interval", INTERVAL, LinksConfig.DEFAULT_INTERVAL);
    Integer misses = read.integer(s, "misses", COUNT, LinksConfig.DEFAULT_MISSES);
    Integer goods = read.integer(s, "goods", COUNT, LinksConfig.DEFAULT_GOODS);
    Path keyFile = keyFile(s);
    List<LinksConfig.LinkPath> paths = new ArrayList<>();
    boolean valid = port != null && interval != null && misses != null && goods != null;
    valid &= keyFile != null;
    if (valid) {
      valid = peers(s, self, interval, misses, goods, paths);
    }
    List<LinksConfig.LinkRoute> routes =
        interval == null || misses == null || goods == null
            ? null
            : routes(s, new LinksConfig.Probe(LinksConfig.Probe.ARP, interval, misses, goods));
    if (groupCount > dev.takeover.links.HeartbeatCodec.MAX_GROUPS) {
      diagnostics.error(
          s.map,
          "links: "
              + groupCount
              + " groups; allowed: at most "
              + dev.takeover.links.HeartbeatCodec.MAX_GROUPS
              + " groups with node links (each heartbeat carries every group's state)");
      valid = false;
    }
    Set<String> guard = guard(s, groupNames);
    if (!valid || routes == null || guard == null) {
      return null;
    }
    return new LinksConfig(port, Optional.of(keyFile), paths, routes, guard);
  }

  private Set<String> guard(Section s, List<String> groupNames) {
    if (!s.has("guard")) {
      return Set.of();
    }
    String allowed = "a list of group names, e.g. [web]";
    ListNode list = read.listOf(s, "guard", allowed);
    if (list == null) {
      return null;
    }
    Set<String> out = new HashSet<>();
    boolean valid = true;
    for (int i = 0; i < list.items().size(); i++) {
      ConfigNode item = list.items().get(i);
      String p = "links.guard[" + i + "]";
      if (!(item instanceof Scalar sc) || !groupNames.contains(sc.text())) {
        diagnostics.reject(
            item, p, "is not one of the groups", "one of " + String.join(", ", groupNames));
        valid = false;
      } else if (!out.add(sc.text())) {
        diagnostics.reject(item, p, "is a duplicate", "each group once");
        valid = false;
      }
    }
    return valid ? out : null;
  }

  private Path keyFile(Section s) {
    Scalar value = read.scalarText(s, "key-file", "an absolute path to a key file (16+ bytes)");
    if (value == null) {
      return null;
    }
    if (!value.text().startsWith("/")) {
      diagnostics.reject(
          value, s.path("key-file"), "is not an absolute path", "an absolute path to a key file");
      return null;
    }
    return Path.of(value.text());
  }

  private boolean peers(
      Section s,
      String self,
      Duration interval,
      int misses,
      int goods,
      List<LinksConfig.LinkPath> out) {
    String allowed =
        "a mapping of peer node names to a list of paths, e.g. {beta: [{local: 198.18.1.1, peer: 198.18.1.2}]}";
    ConfigNode node = read.value(s, "peers", allowed);
    if (node == null) {
      return false;
    }
    if (!(node instanceof MapNode map) || map.entries().isEmpty()) {
      diagnostics.reject(node, s.path("peers"), "is not a non-empty mapping", allowed);
      return false;
    }
    boolean valid = true;
    Set<String> seen = new HashSet<>();
    for (Entry e : map.entries()) {
      String path = "links.peers." + e.key();
      if (e.key().equals(self)) {
        diagnostics.error(
            e.line(), e.column(), path + ": is this node; allowed: the other nodes' names");
        valid = false;
        continue;
      }
      if (!e.key().matches("[A-Za-z0-9._-]{1,64}")) {
        diagnostics.error(
            e.line(),
            e.column(),
            path
                + ": is not a valid node name; allowed: 1..64 characters from A-Z, a-z, 0-9, '.', '_', '-'");
        valid = false;
        continue;
      }
      if (!(e.value() instanceof ListNode list)
          || !read.counted(list, path, "path", 1, MAX_PATHS, "paths")) {
        if (!(e.value() instanceof ListNode)) {
          diagnostics.reject(
              e.value(), path, "is not a list", "a list of 1.." + MAX_PATHS + " paths");
        }
        valid = false;
        continue;
      }
      for (int i = 0; i < list.items().size(); i++) {
        String p = path + "[" + i + "]";
        Section ps = read.mapping(list.items().get(i), p, PATH_KEYS);
        if (ps == null) {
          valid = false;
          continue;
        }
        InetAddress local = pathAddress(ps, "local");
        InetAddress peer = pathAddress(ps, "peer");
        Duration iv = read.duration(ps, "interval", INTERVAL, interval);
        Integer m = read.integer(ps, "misses", COUNT, misses);
        Integer g = read.integer(ps, "goods", COUNT, goods);
        if (local == null || peer == null || iv == null || m == null || g == null) {
          valid = false;
          continue;
        }
        if (local.getClass() != peer.getClass()) {
          diagnostics.error(
              ps.map,
              p
                  + ": local "
                  + IpLiterals.format(local)
                  + " and peer "
                  + IpLiterals.format(peer)
                  + " are of different families; allowed: two IPv4 or two IPv6 addresses");
          valid = false;
          continue;
        }
        if (!seen.add(local + " " + peer)) {
          diagnostics.error(
              ps.map,
              p
                  + ": duplicate path "
                  + IpLiterals.format(local)
                  + " -> "
                  + IpLiterals.format(peer)
                  + "; allowed: each path once");
          valid = false;
          continue;
        }
        out.add(new LinksConfig.LinkPath(e.key(), local, peer, iv, m, g));
      }
    }
    return valid;
  }

  private List<LinksConfig.LinkRoute> routes(Section s, LinksConfig.Probe defaults) {
    if (!s.has("routes")) {
      return List.of();
    }
    String allowed = "a list of 0.." + MAX_ROUTES + " routes {destination, via}";
    ListNode list = read.listOf(s, "routes", allowed);
    if (list == null || !read.counted(list, "links.routes", "route", 0, MAX_ROUTES, "routes")) {
      return null;
    }
    List<LinksConfig.LinkRoute> out = new ArrayList<>();
    Set<String> destinations = new HashSet<>();
    java.util.Map<String, LinksConfig.NextHop> probed = new java.util.HashMap<>();
    boolean valid = true;
    for (int i = 0; i < list.items().size(); i++) {
      String p = "links.routes[" + i + "]";
      Section r = read.mapping(list.items().get(i), p, ROUTE_KEYS);
      if (r == null) {
        valid = false;
        continue;
      }
      Scalar dest = read.scalarText(r, "destination", DESTINATION);
      InetAddress address = null; // null for default: its family is the gateways'
      int length = 0;
      boolean destinationValid = dest != null;
      if (dest != null && !dest.text().equals("default")) {
        var m = PREFIX.matcher(dest.text());
        Optional<InetAddress> parsed =
            m.matches() ? IpLiterals.parse(m.group(1)) : Optional.empty();
        length = m.matches() ? Integer.parseInt(m.group(2)) : -1;
        int max = parsed.isPresent() && parsed.get() instanceof Inet6Address ? 128 : 32;
        if (parsed.isEmpty() || length < 0 || length > max) {
          diagnostics.reject(
              dest, r.path("destination"), "is not an IPv4 or IPv6 prefix", DESTINATION);
          destinationValid = false;
          valid = false;
        } else {
          address = parsed.get();
        }
      }
      ListNode via =
          read.listOf(
              r, "via", "a list of 1.." + MAX_VIA + " next hops {interface, gateway, probe}");
      List<LinksConfig.NextHop> hops = new ArrayList<>();
      if (via != null && read.counted(via, r.path("via"), "next hop", 1, MAX_VIA, "next hops")) {
        for (int j = 0; j < via.items().size(); j++) {
          Section h = read.mapping(via.items().get(j), r.path("via") + "[" + j + "]", VIA_KEYS);
          if (h == null) {
            valid = false;
            continue;
          }
          String ifname = read.interfaceName(h);
          InetAddress gateway = address(h, "gateway");
          Optional<LinksConfig.Probe> probe = probe(h, defaults, gateway);
          if (ifname == null || gateway == null || probe == null) {
            valid = false;
            continue;
          }
          // One family per route: the destination's, or for default the first gateway's.
          InetAddress family =
              address != null ? address : hops.isEmpty() ? null : hops.get(0).gateway();
          if (family != null && family.getClass() != gateway.getClass()) {
            diagnostics.reject(
                h.entry("gateway").value(),
                h.prefix + ".gateway",
                "is an " + familyName(gateway) + " address in an " + familyName(family) + " route",
                "an " + familyName(family) + " gateway (one family per route)");
            valid = false;
            continue;
          }
          LinksConfig.NextHop hop = new LinksConfig.NextHop(ifname, gateway, probe);
          // One probe per gateway on an interface, however many routes use it (docs/LINKS.md).
          LinksConfig.NextHop same = probed.putIfAbsent(ifname + " " + gateway, hop);
          if (same != null && !same.probe().equals(probe)) {
            diagnostics.error(
                h.map,
                h.prefix
                    + ": another next hop via "
                    + IpLiterals.format(gateway)
                    + " on "
                    + ifname
                    + " has a different probe; allowed: the same probe (or none) for each"
                    + " gateway on an interface");
            valid = false;
            continue;
          }
          hops.add(hop);
        }
      } else {
        valid = false;
      }
      if (destinationValid && address == null && !hops.isEmpty()) {
        address = defaultOf(hops.get(0).gateway());
      }
      if (destinationValid && address != null) {
        LinksConfig.LinkRoute route = new LinksConfig.LinkRoute(address, length, hops);
        if (!destinations.add(route.text())) {
          diagnostics.reject(
              dest, r.path("destination"), "is a duplicate destination", "each destination once");
          valid = false;
        }
        if (valid) {
          out.add(route);
        }
      }
    }
    return valid ? out : null;
  }

  /**
   * A next hop's {@code probe}: empty when left out; null after an error. Its interval, misses and
   * goods default to the section's, like a path's. Its kind defaults to the gateway's family's
   * neighbour probe, {@code arp} for IPv4 and {@code ndp} for IPv6 (DECISIONS 69), and must be one
   * of that family's ({@code gateway} null: not known, no check).
   */
  private Optional<LinksConfig.Probe> probe(
      Section hop, LinksConfig.Probe defaults, InetAddress gateway) {
    if (!hop.has("probe")) {
      return Optional.empty();
    }
    Section p = read.subsection(hop, "probe", PROBE_KEYS);
    if (p == null) {
      return null;
    }
    boolean ipv6 = gateway instanceof Inet6Address;
    String kind = ipv6 ? LinksConfig.Probe.NDP : LinksConfig.Probe.ARP;
    if (p.has("kind")) {
      Scalar k = read.scalarText(p, "kind", String.join(", ", LinksConfig.Probe.KINDS));
      if (k == null) {
        return null;
      }
      if (!LinksConfig.Probe.KINDS.contains(k.text())) {
        diagnostics.reject(
            k, p.path("kind"), "is not a probe kind", String.join(", ", LinksConfig.Probe.KINDS));
        return null;
      }
      kind = k.text();
      // ARP resolves IPv4 addresses only, Neighbor Discovery IPv6 ones (RFC 826, RFC 4861).
      if (gateway != null && kind.equals(ipv6 ? LinksConfig.Probe.ARP : LinksConfig.Probe.NDP)) {
        diagnostics.reject(
            k,
            p.path("kind"),
            "does not probe an " + familyName(gateway) + " gateway",
            ipv6 ? "ndp, icmp" : "arp, icmp");
        return null;
      }
    }
    Duration interval = read.duration(p, "interval", INTERVAL, defaults.interval());
    Integer misses = read.integer(p, "misses", COUNT, defaults.misses());
    Integer goods = read.integer(p, "goods", COUNT, defaults.goods());
    if (interval == null || misses == null || goods == null) {
      return null;
    }
    return Optional.of(new LinksConfig.Probe(kind, interval, misses, goods));
  }

  private InetAddress address(Section s, String key) {
    Scalar value = read.scalarText(s, key, ADDRESS);
    if (value == null) {
      return null;
    }
    Optional<InetAddress> parsed = IpLiterals.parse(value.text());
    if (parsed.isEmpty() || parsed.get().isMulticastAddress() || parsed.get().isAnyLocalAddress()) {
      diagnostics.reject(value, s.path(key), "is not a plain unicast IP address", ADDRESS);
      return null;
    }
    return parsed.get();
  }

  /**
   * A path's address. A link-local IPv6 address is refused: it means nothing without the interface
   * as its scope, which a path does not name, and the same fe80:: address may be on every LAN
   * (DECISIONS 68).
   */
  private InetAddress pathAddress(Section s, String key) {
    Scalar value = read.scalarText(s, key, PATH_ADDRESS);
    if (value == null) {
      return null;
    }
    Optional<InetAddress> parsed = IpLiterals.parse(value.text());
    if (parsed.isEmpty() || parsed.get().isMulticastAddress() || parsed.get().isAnyLocalAddress()) {
      diagnostics.reject(value, s.path(key), "is not a plain unicast IP address", PATH_ADDRESS);
      return null;
    }
    if (parsed.get().isLinkLocalAddress()) {
      diagnostics.reject(
          value,
          s.path(key),
          "is a link-local IPv6 address (it needs an interface as its scope, which paths do not"
              + " name)",
          PATH_ADDRESS);
      return null;
    }
    return parsed.get();
  }

  private static String familyName(InetAddress address) {
    return address instanceof Inet4Address ? "IPv4" : "IPv6";
  }

  /** {@code default} in the gateways' family: 0.0.0.0/0 or ::/0. */
  private static InetAddress defaultOf(InetAddress gateway) {
    return IpLiterals.parse(gateway instanceof Inet4Address ? "0.0.0.0" : "::").orElseThrow();
  }
}
