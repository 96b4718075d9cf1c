package dev.takeover.config;

import static dev.takeover.config.Diagnostics.quote;

import dev.takeover.config.ConfigNode.Entry;
import dev.takeover.config.ConfigNode.ListNode;
import dev.takeover.config.ConfigNode.MapNode;
import dev.takeover.config.ConfigNode.Scalar;
import dev.takeover.config.ConfigNode.ScalarKind;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The top-level {@code nodes} section: the cluster's node names and the addresses each advertises
 * from, so that {@code takeover move} and {@code status} can speak of nodes by name (VRRP adverts
 * carry addresses, not names). Optional; the same section may be shared by every node's file, this
 * node included.
 */
final class NodeRules {
  static final int MAX_NODES = 64;
  static final int MAX_ADDRESSES = 8;
  private static final String ALLOWED =
      "a mapping of node names to an address or a list of addresses, e.g. {beta: 198.18.0.2}";
  private static final String ADDRESS_ALLOWED =
      "a plain IPv4 or IPv6 address (the one the node advertises from), or a list of 1.."
          + MAX_ADDRESSES
          + " of them";

  private final Diagnostics diagnostics;
  private final Readers read;

  NodeRules(Diagnostics diagnostics, Readers read) {
    this.diagnostics = diagnostics;
    this.read = read;
  }

  /** The nodes in file order; empty when the section is left out; null after an error. */
  Map<String, List<InetAddress>> nodes(Section top, Pattern namePattern, String nameAllowed) {
    if (!top.has("nodes")) {
      return Map.of();
    }
    ConfigNode value = read.value(top, "nodes", ALLOWED);
    if (value == null) {
      return null;
    }
    if (!(value instanceof MapNode map)) {
      diagnostics.reject(value, "nodes", "is not a mapping", ALLOWED);
      return null;
    }
    if (map.entries().size() > MAX_NODES) {
      diagnostics.error(
          map, "nodes: " + map.entries().size() + " nodes; allowed: 1.." + MAX_NODES + " nodes");
      return null;
    }
    Map<String, List<InetAddress>> nodes = new LinkedHashMap<>();
    Map<InetAddress, String> owners = new HashMap<>();
    boolean valid = true;
    for (Entry e : map.entries()) {
      String path = "nodes." + e.key();
      if (!namePattern.matcher(e.key()).matches()) {
        diagnostics.error(
            e.line(),
            e.column(),
            "nodes: " + quote(e.key()) + " is not a valid node name; allowed: " + nameAllowed);
        valid = false;
        continue;
      }
      if (nodes.containsKey(e.key())) {
        diagnostics.error(
            e.line(),
            e.column(),
            "nodes: duplicate node " + quote(e.key()) + "; allowed: each once");
        valid = false;
        continue;
      }
      List<InetAddress> addresses = addresses(e, path, owners);
      if (addresses == null) {
        valid = false;
        continue;
      }
      nodes.put(e.key(), addresses);
    }
    return valid ? nodes : null;
  }

  private List<InetAddress> addresses(Entry e, String path, Map<InetAddress, String> owners) {
    ConfigNode value = e.value();
    if (value instanceof Scalar s && s.kind() == ScalarKind.NULL) {
      diagnostics.error(e.line(), e.column(), path + ": has no value; allowed: " + ADDRESS_ALLOWED);
      return null;
    }
    List<ConfigNode> items;
    List<String> paths = new ArrayList<>();
    if (value instanceof ListNode list) {
      if (list.items().isEmpty() || list.items().size() > MAX_ADDRESSES) {
        diagnostics.error(
            list, path + ": " + list.items().size() + " addresses; allowed: " + ADDRESS_ALLOWED);
        return null;
      }
      items = list.items();
      for (int i = 0; i < items.size(); i++) {
        paths.add(path + "[" + i + "]");
      }
    } else {
      items = List.of(value);
      paths.add(path);
    }
    List<InetAddress> out = new ArrayList<>();
    boolean valid = true;
    for (int i = 0; i < items.size(); i++) {
      ConfigNode item = items.get(i);
      if (!(item instanceof Scalar s) || s.kind() != ScalarKind.STRING) {
        diagnostics.reject(item, paths.get(i), "is not an address", ADDRESS_ALLOWED);
        valid = false;
        continue;
      }
      var parsed = IpLiterals.parse(s.text());
      if (parsed.isEmpty()) {
        diagnostics.reject(item, paths.get(i), IpLiterals.problem(s.text()), ADDRESS_ALLOWED);
        valid = false;
        continue;
      }
      InetAddress address = parsed.get();
      String owner = owners.putIfAbsent(address, e.key());
      if (owner != null) {
        diagnostics.error(
            item,
            paths.get(i)
                + ": "
                + IpLiterals.format(address)
                + " is already "
                + (owner.equals(e.key()) ? "listed" : "an address of " + owner)
                + "; allowed: each address once, for one node");
        valid = false;
        continue;
      }
      out.add(address);
    }
    return valid ? List.copyOf(out) : null;
  }
}
