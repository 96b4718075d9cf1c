package dev.takeover.links;

import dev.takeover.action.GroupState;
import java.util.List;
import java.util.Objects;

/**
 * What one node tells the others about itself in every heartbeat: its name, a hash of its
 * configuration (so nodes can see they run different files) and the state of each of its groups.
 * Small on purpose: it rides in every node-link packet ({@link HeartbeatCodec}), so a peer learns a
 * group's new state within one packet's flight, over every path that still works.
 *
 * <p>Also the record other parts read (the cluster view of the HTTP API, issue 13): it is immutable
 * and its shape is documented in docs/LINKS.md.
 *
 * @param node the sender's node name ({@code node:} of its configuration)
 * @param configHash the first 8 bytes of the sender's {@code config.ConfigHash}: what the nodes
 *     must agree on
 * @param groups the sender's groups in its file order, at most {@link HeartbeatCodec#MAX_GROUPS}
 */
public record NodeSummary(String node, long configHash, List<GroupEntry> groups) {

  public NodeSummary {
    Objects.requireNonNull(node, "node");
    groups = List.copyOf(groups);
  }

  /**
   * One group as its node reports it.
   *
   * @param name the group's name, by which nodes match groups (names are per cluster)
   * @param vrid its VRID, 1..255, shown so a mismatch is visible
   * @param state its state on the sender
   * @param priority its effective priority on the sender, 0..255
   * @param maintenance whether the sender has it in maintenance
   */
  public record GroupEntry(
      String name, int vrid, GroupState state, int priority, boolean maintenance) {
    public GroupEntry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(state, "state");
      if (vrid < 0 || vrid > 255 || priority < 0 || priority > 255) {
        throw new IllegalArgumentException("vrid and priority are one byte each");
      }
    }
  }

  /** The entry for {@code group}, or null when the sender has no such group. */
  public GroupEntry group(String group) {
    for (GroupEntry g : groups) {
      if (g.name().equals(group)) {
        return g;
      }
    }
    return null;
  }
}
