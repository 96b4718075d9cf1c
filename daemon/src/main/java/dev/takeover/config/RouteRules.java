package dev.takeover.config;

import dev.takeover.config.ConfigNode.ListNode;
import dev.takeover.config.ConfigNode.Scalar;
import dev.takeover.config.Readers.IntRule;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A group's {@code routes} (keepalived's {@code virtual_routes}): installed while the group is
 * master. Whether an interface exists or a gateway is on-link is not checked here: the kernel
 * decides when the route is installed, and says so in the log.
 */
final class RouteRules {
  static final int MAX_ROUTES = 16;
  static final List<String> ROUTE_KEYS =
      List.of("destination", "gateway", "interface", "metric", "table", "source");

  private static final Pattern PREFIX = Pattern.compile("([0-9A-Fa-f:.]+)/([0-9]{1,3})");
  private static final String DESTINATION =
      "default or a prefix, e.g. 198.18.100.0/24 or 2001:db8:100::/48";
  private static final String GATEWAY = "a unicast address of the destination's family";
  private static final String SOURCE =
      "a unicast address of the destination's family, usually one of the group's addresses";
  // rtm_priority is a u32; kept to what an int holds. Table 0 is "unspecified", 253 the kernel's
  // "default" and 255 its "local" table: a route there would shadow the kernel's own.
  private static final IntRule METRIC = new IntRule(0, Integer.MAX_VALUE);
  private static final IntRule TABLE = new IntRule(1, Integer.MAX_VALUE);
  private static final String TABLE_ALLOWED = "1..2147483647 except 253 (default) and 255 (local)";

  private final Readers read;
  private final Diagnostics diagnostics;

  /** Every group's routes so far, by the kernel's key: where each was first written. */
  private final Map<String, String> otherGroups = new HashMap<>();

  RouteRules(Readers read) {
    this.read = read;
    this.diagnostics = read.diagnostics;
  }

  /** Empty without the key; null if it has an error. {@code family} is null if unknown. */
  List<VirtualRoute> routes(Section s, AddressFamily family) {
    if (!s.has("routes")) {
      return List.of();
    }
    String allowed =
        "a list of 0.."
            + MAX_ROUTES
            + " routes, e.g. [{destination: 198.18.100.0/24, gateway: 198.18.0.1}]";
    ListNode list = read.listOf(s, "routes", allowed);
    if (list == null) {
      return null;
    }
    boolean valid = read.counted(list, s.path("routes"), "route", 0, MAX_ROUTES, "routes");
    List<VirtualRoute> out = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      Section r = read.mapping(list.items().get(i), s.path("routes") + "[" + i + "]", ROUTE_KEYS);
      if (r == null) {
        valid = false;
        continue;
      }
      Scalar dest = read.scalarText(r, "destination", DESTINATION);
      InetAddress destination = null;
      int length = -1;
      if (dest != null && dest.text().equals("default")) {
        if (family != null) {
          destination =
              IpLiterals.parse(family == AddressFamily.IPV4 ? "0.0.0.0" : "::").orElseThrow();
          length = 0;
        }
      } else if (dest != null) {
        Matcher m = PREFIX.matcher(dest.text());
        Optional<InetAddress> parsed =
            m.matches() ? IpLiterals.parse(m.group(1)) : Optional.empty();
        int max = parsed.isPresent() && parsed.get() instanceof Inet4Address ? 32 : 128;
        length = m.matches() ? Integer.parseInt(m.group(2)) : -1;
        if (parsed.isEmpty() || length > max) {
          diagnostics.reject(dest, r.path("destination"), "is not a prefix", DESTINATION);
        } else if (!isNetwork(parsed.get(), length)) {
          diagnostics.reject(
              dest,
              r.path("destination"),
              "has host bits set (the kernel refuses it)",
              "the network address of the prefix, e.g. 198.18.100.0/24");
        } else {
          destination = parsed.get();
        }
      }
      Optional<InetAddress> gateway = Optional.empty();
      boolean gatewayOk = true;
      if (r.has("gateway")) {
        Scalar g = read.scalarText(r, "gateway", GATEWAY);
        Optional<InetAddress> parsed = g == null ? Optional.empty() : IpLiterals.parse(g.text());
        if (g != null && parsed.isEmpty()) {
          diagnostics.reject(g, r.path("gateway"), IpLiterals.problem(g.text()), GATEWAY);
        } else if (g != null
            && destination != null
            && (parsed.get() instanceof Inet4Address) != (destination instanceof Inet4Address)) {
          diagnostics.reject(g, r.path("gateway"), "is not of the destination's family", GATEWAY);
        } else if (g != null
            && (parsed.get().isAnyLocalAddress()
                || parsed.get().isLoopbackAddress()
                || parsed.get().isMulticastAddress())) {
          diagnostics.reject(g, r.path("gateway"), "is not a unicast address", GATEWAY);
        } else if (g != null) {
          gateway = parsed;
        }
        gatewayOk = gateway.isPresent();
      }
      Optional<InetAddress> source = Optional.empty();
      boolean sourceOk = true;
      if (r.has("source")) {
        Scalar a = read.scalarText(r, "source", SOURCE);
        Optional<InetAddress> parsed = a == null ? Optional.empty() : IpLiterals.parse(a.text());
        if (a != null && parsed.isEmpty()) {
          diagnostics.reject(a, r.path("source"), IpLiterals.problem(a.text()), SOURCE);
        } else if (a != null
            && destination != null
            && (parsed.get() instanceof Inet4Address) != (destination instanceof Inet4Address)) {
          diagnostics.reject(a, r.path("source"), "is not of the destination's family", SOURCE);
        } else if (a != null && AddressRules.unusableKind(parsed.get()) != null) {
          diagnostics.reject(
              a, r.path("source"), "is " + AddressRules.unusableKind(parsed.get()), SOURCE);
        } else if (a != null) {
          source = parsed;
        }
        sourceOk = source.isPresent();
      }
      String ifname = r.has("interface") ? read.interfaceName(r) : "";
      boolean defaultV4 = destination == null || destination instanceof Inet4Address;
      Integer metric =
          read.integer(
              r,
              "metric",
              METRIC,
              defaultV4 ? VirtualRoute.IPV4_DEFAULT_METRIC : VirtualRoute.IPV6_DEFAULT_METRIC);
      Integer table = read.integer(r, "table", TABLE, VirtualRoute.MAIN_TABLE);
      if (table != null && (table == 253 || table == 255)) {
        diagnostics.reject(
            r.entry("table").value(), r.path("table"), "is a kernel table", TABLE_ALLOWED);
        table = null;
      }
      if (destination == null
          || !gatewayOk
          || !sourceOk
          || ifname == null
          || metric == null
          || table == null) {
        valid = false;
        continue;
      }
      VirtualRoute route =
          new VirtualRoute(
              destination,
              length,
              gateway,
              ifname.isEmpty() ? Optional.empty() : Optional.of(ifname),
              metric,
              table,
              source);
      // The kernel keys a route by destination, table and metric: two entries with the same key
      // would replace each other.
      String key = destination + "/" + length + " table " + table + " metric " + metric;
      Integer earlier = seen.putIfAbsent(key, i);
      if (earlier != null) {
        diagnostics.error(
            dest,
            r.path("destination")
                + ": "
                + Diagnostics.quote(dest.text())
                + " is already routed by routes["
                + earlier
                + "] in the same table with the same metric; allowed: each destination once per"
                + " table and metric");
        valid = false;
        continue;
      }
      // Two groups on one node with the same key would replace each other's route.
      String here = r.path("destination") + " (line " + dest.line() + ")";
      String other = otherGroups.get(key);
      if (other != null && !other.startsWith(s.path("routes") + "[")) {
        diagnostics.error(
            dest,
            r.path("destination")
                + ": "
                + Diagnostics.quote(dest.text())
                + " in the same table with the same metric is already a route of "
                + other
                + "; allowed: each destination once per table and metric on a node (the kernel"
                + " keeps one)");
        valid = false;
        continue;
      }
      otherGroups.putIfAbsent(key, here);
      out.add(route);
    }
    return valid ? out : null;
  }

  private static boolean isNetwork(InetAddress address, int length) {
    byte[] b = address.getAddress();
    for (int bit = length; bit < b.length * 8; bit++) {
      if ((b[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        return false;
      }
    }
    return true;
  }
}
