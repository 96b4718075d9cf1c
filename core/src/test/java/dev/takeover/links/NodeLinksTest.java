package dev.takeover.links;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.action.GroupState;
import dev.takeover.links.NodeSummary.GroupEntry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two paths to one peer, driven by hand: sends, answers, drops, path and peer changes. */
class NodeLinksTest {
  static final long MS = 1_000_000L;
  static final long T0 = Long.MAX_VALUE - 10_000 * MS;
  static final long I = 100 * MS;
  static final InetAddress A_LOCAL = ip("198.18.1.1");
  static final InetAddress A_PEER = ip("198.18.1.2");
  static final InetAddress B_LOCAL = ip("198.18.2.1");
  static final InetAddress B_PEER = ip("198.18.2.2");

  final List<String> out = new ArrayList<>();
  final NodeLinks.LinkOutput output =
      new NodeLinks.LinkOutput() {
        @Override
        public void send(int path, Heartbeat.Kind kind, long sequence, long echo) {
          out.add("send " + path + " " + kind + " " + sequence + " " + echo);
        }

        @Override
        public void pathChanged(int path, PathStatus from, PathStatus to, String reason) {
          out.add("path " + path + " " + from + " -> " + to);
        }

        @Override
        public void peerChanged(String node) {
          out.add("peer " + node);
        }
      };

  final NodeLinks links =
      new NodeLinks(
          "alpha",
          List.of(
              new NodeLinks.PathSpec("beta", A_LOCAL, A_PEER, I, 3, 2),
              new NodeLinks.PathSpec("beta", B_LOCAL, B_PEER, I, 3, 2)),
          1000,
          T0);

  static NodeSummary beta(GroupState state) {
    return new NodeSummary("beta", 9, List.of(new GroupEntry("web", 51, state, 100, false)));
  }

  static Heartbeat answer(long seq, long echo) {
    return new Heartbeat(Heartbeat.Kind.ANSWER, seq, echo, beta(GroupState.MASTER));
  }

  @Test
  void inquiriesGoOutOnEveryPathAndAnswersBringThemUp() {
    links.tick(T0, output);
    assertThat(out).containsExactly("send 0 INQUIRY 1001 0", "send 1 INQUIRY 1002 0");
    out.clear();
    assertThat(links.nextDeadline()).isEqualTo(T0 + I);
    assertThat(links.received(A_LOCAL, A_PEER, answer(50, 1001), T0 + MS, output)).isNull();
    assertThat(out).containsExactly("peer beta");
    out.clear();
    links.tick(T0 + I, output);
    links.received(A_LOCAL, A_PEER, answer(51, 1003), T0 + I + MS, output);
    assertThat(out)
        .containsExactly(
            "send 0 INQUIRY 1003 0", "send 1 INQUIRY 1004 0", "path 0 STARTING -> UP", "peer beta");
    assertThat(links.peers())
        .containsExactly(new NodeLinks.Peer("beta", true, beta(GroupState.MASTER), T0 + I + MS));
    assertThat(links.upFrom(A_LOCAL)).isTrue();
    assertThat(links.upFrom(B_LOCAL)).isFalse();
  }

  @Test
  void anInquiryIsAnsweredOnThePathItCameIn() {
    Heartbeat inquiry = new Heartbeat(Heartbeat.Kind.INQUIRY, 77, 0, beta(GroupState.BACKUP));
    links.received(B_LOCAL, B_PEER, inquiry, T0, output);
    assertThat(out).containsExactly("peer beta", "send 1 ANSWER 1001 77");
  }

  @Test
  void replaysUnknownNodesWrongPathsAndOurselvesAreDroppedAndCounted() {
    Heartbeat inquiry = new Heartbeat(Heartbeat.Kind.INQUIRY, 77, 0, beta(GroupState.BACKUP));
    links.received(B_LOCAL, B_PEER, inquiry, T0, output);
    out.clear();
    assertThat(links.received(A_LOCAL, A_PEER, inquiry, T0, output))
        .isEqualTo(LinkDropReason.REPLAY);
    assertThat(links.received(A_LOCAL, B_PEER, answer(78, 0), T0, output))
        .isEqualTo(LinkDropReason.WRONG_PATH);
    NodeSummary gamma = new NodeSummary("gamma", 0, List.of());
    assertThat(
            links.received(
                A_LOCAL, A_PEER, new Heartbeat(Heartbeat.Kind.INQUIRY, 1, 0, gamma), T0, output))
        .isEqualTo(LinkDropReason.UNKNOWN_NODE);
    NodeSummary self = new NodeSummary("alpha", 0, List.of());
    assertThat(
            links.received(
                A_LOCAL, A_PEER, new Heartbeat(Heartbeat.Kind.INQUIRY, 1, 0, self), T0, output))
        .isEqualTo(LinkDropReason.SELF);
    links.decodeDropped(LinkDropReason.BAD_MAC);
    assertThat(out).isEmpty();
    assertThat(links.drops(LinkDropReason.REPLAY)).isEqualTo(1);
    assertThat(links.drops(LinkDropReason.WRONG_PATH)).isEqualTo(1);
    assertThat(links.drops(LinkDropReason.UNKNOWN_NODE)).isEqualTo(1);
    assertThat(links.drops(LinkDropReason.SELF)).isEqualTo(1);
    assertThat(links.drops(LinkDropReason.BAD_MAC)).isEqualTo(1);
  }

  @Test
  void aPeerIsReachableWhileAnyPathIsUp() {
    long seq = 100;
    long now = T0;
    for (int round = 0; round < 2; round++, now += I) {
      links.tick(now, output);
      links.received(A_LOCAL, A_PEER, answer(++seq, 1001 + 2L * round), now + MS, output);
      links.received(B_LOCAL, B_PEER, answer(++seq, 1002 + 2L * round), now + MS, output);
    }
    assertThat(links.peers().getFirst().reachable()).isTrue();
    out.clear();
    // Path A dies: only B answers from now on.
    for (int round = 2; round < 6; round++, now += I) {
      links.tick(now, output);
      links.received(B_LOCAL, B_PEER, answer(++seq, 1002 + 2L * round), now + MS, output);
    }
    assertThat(out).contains("path 0 UP -> DOWN").doesNotContain("peer beta");
    assertThat(links.peers().getFirst().reachable()).isTrue();
  }

  @Test
  void aSummaryChangeGoesOutAsANoticeOnEveryPath() {
    links.summaryChanged(output);
    assertThat(out).containsExactly("send 0 NOTICE 1001 0", "send 1 NOTICE 1002 0");
  }

  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A dual-stack peer: an IPv4 path and an IPv6 one. Nothing in the links depends on the family; a
   * packet is matched to its path by its addresses, whose bytes the IPv6 socket reports without a
   * scope (DECISIONS 68).
   */
  @Test
  void anIpv6PathBesideAnIpv4OneIsMatchedByItsAddresses() throws UnknownHostException {
    InetAddress v6Local = ip("2001:db8:2::1");
    InetAddress v6Peer = ip("2001:db8:2::2");
    NodeLinks dual =
        new NodeLinks(
            "alpha",
            List.of(
                new NodeLinks.PathSpec("beta", A_LOCAL, A_PEER, I, 3, 2),
                new NodeLinks.PathSpec("beta", v6Local, v6Peer, I, 3, 1)),
            1000,
            T0);
    dual.tick(T0, output);
    // As a LinkSocket reports them: built from the raw 16 bytes.
    InetAddress local = InetAddress.getByAddress(v6Local.getAddress());
    InetAddress source = InetAddress.getByAddress(v6Peer.getAddress());
    assertThat(dual.received(local, source, answer(50, 1002), T0 + MS, output)).isNull();
    assertThat(dual.upFrom(v6Local)).isTrue();
    assertThat(dual.upFrom(A_LOCAL)).isFalse();
    // The IPv4 peer address on the IPv6 path's local: not one of beta's paths.
    assertThat(dual.received(local, A_PEER, answer(51, 0), T0 + 2 * MS, output))
        .isEqualTo(LinkDropReason.WRONG_PATH);
  }

  /**
   * A reload adds a path, changes one and removes one: the kept path stays UP without a change
   * reported, the new one starts as STARTING and is inquired at once, the sequence goes on.
   */
  @Test
  void reconfigureKeepsTheStateOfPathsThatStayAndStartsNewOnes() {
    links.tick(T0, output);
    links.received(A_LOCAL, A_PEER, answer(50, 1001), T0 + MS, output);
    links.tick(T0 + I, output);
    links.received(A_LOCAL, A_PEER, answer(51, 1003), T0 + I + MS, output);
    assertThat(links.monitor(0).status()).isEqualTo(PathStatus.UP);
    out.clear();
    InetAddress cLocal = ip("198.18.3.1");
    InetAddress cPeer = ip("198.18.3.2");
    // New order: C (new), A (kept, misses 3 -> 5); B removed.
    links.reconfigure(
        List.of(
            new NodeLinks.PathSpec("beta", cLocal, cPeer, I, 3, 2),
            new NodeLinks.PathSpec("beta", A_LOCAL, A_PEER, I, 5, 2)),
        List.of(-1, 0),
        T0 + I + 2 * MS,
        output);
    assertThat(out).isEmpty(); // beta stays reachable over A: nothing to report
    assertThat(links.monitor(1).status()).isEqualTo(PathStatus.UP);
    assertThat(links.monitor(1).misses()).isEqualTo(5);
    assertThat(links.monitor(0).status()).isEqualTo(PathStatus.STARTING);
    assertThat(links.peers()).extracting(NodeLinks.Peer::reachable).containsExactly(true);
    links.tick(T0 + I + 2 * MS, output);
    assertThat(out).containsExactly("send 0 INQUIRY 1005 0");
    // B's address is no path any more; A is matched at its new index.
    assertThat(links.received(B_LOCAL, B_PEER, answer(52, 0), T0 + I + 3 * MS, output))
        .isEqualTo(LinkDropReason.WRONG_PATH);
    out.clear();
    links.tick(T0 + 2 * I, output);
    assertThat(out).containsExactly("send 1 INQUIRY 1006 0");
    // The replay window was kept: an old sequence of beta's is still a replay.
    assertThat(links.received(A_LOCAL, A_PEER, answer(51, 1006), T0 + 2 * I + MS, output))
        .isEqualTo(LinkDropReason.REPLAY);
  }

  @Test
  void removingAPeersOnlyUpPathsMakesItUnreachableAndAnAddedPeerIsReported() {
    links.tick(T0, output);
    links.received(A_LOCAL, A_PEER, answer(50, 1001), T0 + MS, output);
    links.tick(T0 + I, output);
    links.received(A_LOCAL, A_PEER, answer(51, 1003), T0 + I + MS, output);
    out.clear();
    InetAddress gLocal = ip("198.18.1.1");
    InetAddress gPeer = ip("198.18.1.3");
    links.reconfigure(
        List.of(new NodeLinks.PathSpec("gamma", gLocal, gPeer, I, 3, 2)),
        List.of(-1),
        T0 + I + 2 * MS,
        output);
    assertThat(out).containsExactly("peer beta", "peer gamma");
    assertThat(links.peers()).extracting(NodeLinks.Peer::node).containsExactly("gamma");
    assertThat(links.peers()).extracting(NodeLinks.Peer::reachable).containsExactly(false);
  }
}
