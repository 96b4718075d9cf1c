package dev.takeover.api;

import dev.takeover.api.PeerStatusSource.GroupSummary;
import dev.takeover.api.PeerStatusSource.PeerSummary;
import dev.takeover.control.GroupView;
import dev.takeover.control.StatusView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster as this node sees it: itself (from its own status) and every peer (from a {@link
 * PeerStatusSource}), nodes × groups, and the disagreements an operator must see: two masters of
 * one group, config hashes that differ, a node no one hears. Pure: built from values.
 *
 * @param node this node's name
 * @param nodes every node, this one first
 * @param groups every group name any node has, with each node's state
 * @param problems the disagreements, one sentence each; empty when all agree
 */
public record ClusterView(
    String node, List<NodeEntry> nodes, List<GroupEntry> groups, List<String> problems) {

  /** One node. {@code lastHeardMillisAgo} is 0 for this node and -1 for a peer never heard. */
  public record NodeEntry(
      String node,
      boolean self,
      boolean heard,
      long lastHeardMillisAgo,
      String error,
      String configHash,
      boolean maintenance,
      List<GroupSummary> groups) {}

  /** One group across the nodes: each node's state and priority, and the masters. */
  public record GroupEntry(
      String name,
      int vrid,
      Map<String, String> states,
      Map<String, Integer> priorities,
      List<String> masters) {}

  public static ClusterView of(
      StatusView self, String configHash, boolean maintenance, List<PeerSummary> peers) {
    List<NodeEntry> nodes = new ArrayList<>();
    List<GroupSummary> own = new ArrayList<>();
    for (GroupView g : self.groups()) {
      own.add(
          new GroupSummary(
              g.name(), g.vrid(), g.state(), g.effectivePriority(), maintenance, g.vipOwner()));
    }
    nodes.add(new NodeEntry(self.node(), true, true, 0, null, configHash, maintenance, own));
    for (PeerSummary p : peers) {
      nodes.add(
          new NodeEntry(
              p.node(),
              false,
              p.heard(),
              p.lastHeardMillisAgo(),
              p.error(),
              p.configHash(),
              p.maintenance(),
              p.groups()));
    }
    Map<String, GroupEntry> groups = new LinkedHashMap<>();
    for (NodeEntry n : nodes) {
      for (GroupSummary g : n.groups()) {
        GroupEntry e =
            groups.computeIfAbsent(
                g.name(),
                k ->
                    new GroupEntry(
                        k,
                        g.vrid(),
                        new LinkedHashMap<>(),
                        new LinkedHashMap<>(),
                        new ArrayList<>()));
        // An unheard node's last state is shown but not counted as a master now.
        e.states().put(n.node(), n.heard() ? g.state() : "UNHEARD");
        e.priorities().put(n.node(), g.priority());
        if (n.heard() && "MASTER".equals(g.state())) {
          e.masters().add(n.node());
        }
      }
    }
    List<String> problems = new ArrayList<>();
    for (GroupEntry g : groups.values()) {
      if (g.masters().size() > 1) {
        problems.add(
            "group "
                + g.name()
                + " has "
                + g.masters().size()
                + " masters: "
                + String.join(", ", g.masters()));
      }
    }
    Set<String> hashes = new LinkedHashSet<>();
    for (NodeEntry n : nodes) {
      if (!n.configHash().isEmpty()) {
        hashes.add(n.configHash());
      }
    }
    if (hashes.size() > 1) {
      List<String> each = new ArrayList<>();
      nodes.forEach(
          n -> each.add(n.node() + " " + (n.configHash().isEmpty() ? "?" : n.configHash())));
      problems.add("config hashes differ: " + String.join(", ", each));
    }
    for (NodeEntry n : nodes) {
      if (!n.heard()) {
        problems.add(
            "node "
                + n.node()
                + " unheard"
                + (n.lastHeardMillisAgo() < 0
                    ? " (never heard)"
                    : " for " + n.lastHeardMillisAgo() + " ms")
                + (n.error() == null ? "" : ": " + n.error()));
      }
    }
    return new ClusterView(self.node(), List.copyOf(nodes), List.copyOf(groups.values()), problems);
  }
}
