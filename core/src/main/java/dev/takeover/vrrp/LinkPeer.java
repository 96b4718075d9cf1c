package dev.takeover.vrrp;

import dev.takeover.action.GroupState;
import java.util.Objects;

/**
 * Another node as the node links show it, for one group: whether any path to it is UP, and the
 * state and priority it reports for this group (INITIALIZE and 0 when it has not said, or has no
 * such group). The group policy's guard decides on these (docs/LINKS.md).
 *
 * @param node the peer's node name
 * @param reachable whether any node-link path to it is UP
 * @param state the state it reports for this group
 * @param priority the priority it reports for this group
 */
public record LinkPeer(String node, boolean reachable, GroupState state, int priority) {
  public LinkPeer {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(state, "state");
  }

  boolean reportsMaster() {
    return reachable && state == GroupState.MASTER && priority > 0;
  }
}
