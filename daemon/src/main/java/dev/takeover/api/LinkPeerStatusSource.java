package dev.takeover.api;

import dev.takeover.control.LinksView;
import dev.takeover.control.StatusView;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The cluster view's peers as the node links hear them (docs/LINKS.md): every peer's summary rides
 * in each heartbeat, over every LAN, so this view needs no request to the peers and keeps working
 * when a peer's API or one LAN is gone. Used instead of {@link HttpPeerStatusSource} when the
 * configuration has node links (issue 13: "from the node links' summaries, or, where no links are
 * configured, by asking the peers' APIs").
 *
 * <p>It reads {@code status} (the links part is built on the engine thread), so it decides nothing
 * and holds nothing: a peer is heard while one of its paths is UP.
 */
public final class LinkPeerStatusSource implements PeerStatusSource {
  private final Supplier<StatusView> status;

  public LinkPeerStatusSource(Supplier<StatusView> status) {
    this.status = status;
  }

  @Override
  public List<PeerSummary> peers() {
    LinksView links = status.get().links();
    if (links == null) {
      return List.of();
    }
    return of(links);
  }

  /** The peers of one links view, in its (configuration) order. */
  static List<PeerSummary> of(LinksView links) {
    List<PeerSummary> out = new ArrayList<>();
    for (LinksView.NodeView n : links.nodes()) {
      List<GroupSummary> groups = new ArrayList<>();
      boolean allInMaintenance = !n.states().isEmpty();
      for (LinksView.PeerGroup g : n.states()) {
        // The links' summary has no owner field: a peer's MASTER group holds its own VIPs.
        groups.add(
            new GroupSummary(
                g.name(),
                g.vrid(),
                g.state(),
                g.priority(),
                g.maintenance(),
                g.state().equals("MASTER") ? n.node() : null));
        allInMaintenance &= g.maintenance();
      }
      out.add(
          new PeerSummary(
              n.node(),
              n.reachable(),
              n.lastHeardMillisAgo(),
              n.reachable()
                  ? null
                  : n.lastHeardMillisAgo() < 0
                      ? "no node-link packet heard yet"
                      : "no node-link path is UP",
              n.configHash(),
              allInMaintenance,
              groups));
    }
    return out;
  }
}
