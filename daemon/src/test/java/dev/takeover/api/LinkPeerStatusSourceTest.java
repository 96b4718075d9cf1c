package dev.takeover.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.api.PeerStatusSource.GroupSummary;
import dev.takeover.api.PeerStatusSource.PeerSummary;
import dev.takeover.control.LinksView;
import dev.takeover.control.StatusView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinkPeerStatusSourceTest {

  private static LinksView.NodeView node(
      String name, boolean reachable, long ago, List<LinksView.PeerGroup> states) {
    return new LinksView.NodeView(name, reachable, false, List.of(), ago, "0123456789ab", states);
  }

  @Test
  void aReachablePeerIsHeardWithItsGroupsAndTheOwnerOfWhatItMasters() {
    LinksView view =
        new LinksView(
            List.of(),
            List.of(
                node(
                    "beta",
                    true,
                    120,
                    List.of(
                        new LinksView.PeerGroup("web", 51, "MASTER", 100, false),
                        new LinksView.PeerGroup("db", 52, "BACKUP", 90, false)))),
            List.of(),
            Map.of());
    assertThat(LinkPeerStatusSource.of(view))
        .containsExactly(
            new PeerSummary(
                "beta",
                true,
                120,
                null,
                "0123456789ab",
                false,
                List.of(
                    new GroupSummary("web", 51, "MASTER", 100, false, "beta"),
                    new GroupSummary("db", 52, "BACKUP", 90, false, null))));
  }

  @Test
  void anUnreachablePeerIsUnheardWithWhatItLastSaidAndWhy() {
    LinksView view =
        new LinksView(
            List.of(),
            List.of(
                node(
                    "beta",
                    false,
                    4_000,
                    List.of(new LinksView.PeerGroup("web", 51, "BACKUP", 0, true))),
                node("gamma", false, -1, List.of())),
            List.of(),
            Map.of());
    List<PeerSummary> peers = LinkPeerStatusSource.of(view);
    assertThat(peers.get(0).heard()).isFalse();
    assertThat(peers.get(0).lastHeardMillisAgo()).isEqualTo(4_000);
    assertThat(peers.get(0).error()).isEqualTo("no node-link path is UP");
    assertThat(peers.get(0).maintenance()).isTrue(); // every group it reported is in maintenance
    assertThat(peers.get(1).error()).isEqualTo("no node-link packet heard yet");
    assertThat(peers.get(1).maintenance()).isFalse();
  }

  @Test
  void noLinksNoPeers() {
    StatusView withoutLinks = new StatusView("alpha", List.of(), List.of(), null, List.of());
    assertThat(new LinkPeerStatusSource(() -> withoutLinks).peers()).isEmpty();
  }
}
