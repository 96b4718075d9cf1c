package dev.takeover.api;

import java.util.List;

/**
 * Where the cluster view learns the other nodes' state. Today {@link HttpPeerStatusSource} asks
 * each peer's API; the node links (issue 11) carry the same summary and can be plugged in here
 * without touching the view.
 */
public interface PeerStatusSource {
  /** One summary per known peer, heard or not, in a stable order. */
  List<PeerSummary> peers();

  /** One node as another sees it. */
  record PeerSummary(
      String node,
      boolean heard,
      long lastHeardMillisAgo,
      String error,
      String configHash,
      boolean maintenance,
      List<GroupSummary> groups) {
    public PeerSummary {
      groups = List.copyOf(groups);
    }
  }

  /**
   * One group on one node: the shape of the node links' summary (name, VRID, state, priority,
   * maintenance).
   */
  record GroupSummary(
      String name, int vrid, String state, int priority, boolean maintenance, String vipOwner) {}
}
