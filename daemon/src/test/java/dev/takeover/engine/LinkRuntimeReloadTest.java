package dev.takeover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.clock.ManualClock;
import dev.takeover.links.Heartbeat;
import dev.takeover.links.HeartbeatCodec;
import dev.takeover.links.NodeLinks;
import dev.takeover.links.NodeSummary;
import dev.takeover.platform.RouteTable;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A reload carried out on the running node links ({@link LinkRuntime#reconfigure}): kept paths stay
 * UP, new ones are inquired, removed ones fall silent; kept routes are not touched in the kernel,
 * removed ones are deleted, new ones installed; a new key is rolled over without a silent peer.
 */
class LinkRuntimeReloadTest {
  static final long MS = 1_000_000L;
  static final long I = 100 * MS;
  static final byte[] KEY = "reload-test-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  static final byte[] NEW_KEY =
      "reload-test-key-fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
  static final InetAddress A_LOCAL = ip("198.18.1.1");
  static final InetAddress A_PEER = ip("198.18.1.2");
  static final InetAddress B_LOCAL = ip("198.18.2.1");
  static final InetAddress B_PEER = ip("198.18.2.2");
  static final NodeLinks.PathSpec PATH_A = new NodeLinks.PathSpec("beta", A_LOCAL, A_PEER, I, 3, 2);
  static final NodeLinks.PathSpec PATH_B = new NodeLinks.PathSpec("beta", B_LOCAL, B_PEER, I, 3, 2);
  static final LinkRuntime.Route CLIENTS =
      new LinkRuntime.Route(
          "198.18.100.0/24",
          ip("198.18.100.0"),
          24,
          List.of(
              new LinkRuntime.Hop("eth0", 2, ip("198.18.1.254"), Set.of(A_LOCAL)),
              new LinkRuntime.Hop("eth1", 3, ip("198.18.2.254"), Set.of(B_LOCAL))));
  static final LinkRuntime.Route OTHERS =
      new LinkRuntime.Route(
          "198.18.101.0/24",
          ip("198.18.101.0"),
          24,
          List.of(new LinkRuntime.Hop("eth1", 3, ip("198.18.2.254"), Set.of(B_LOCAL))));

  static InetAddress ip(String s) {
    return InetAddress.ofLiteral(s);
  }

  final ManualClock clock = new ManualClock();
  final List<String> kernel = new ArrayList<>();
  final List<String> sent = new ArrayList<>();
  final List<byte[]> packets = new ArrayList<>();
  final List<Event> posted = new ArrayList<>();

  final RouteTable routes =
      new RouteTable() {
        @Override
        public void replace(InetAddress destination, int length, InetAddress gateway, int ifindex) {
          kernel.add("replace " + destination.getHostAddress() + "/" + length + " dev " + ifindex);
        }

        @Override
        public boolean delete(InetAddress destination, int length) {
          kernel.add("delete " + destination.getHostAddress() + "/" + length);
          return true;
        }

        @Override
        public List<Route> ours() {
          return List.of();
        }

        @Override
        public void replace(Spec route) {
          throw new UnsupportedOperationException();
        }

        @Override
        public boolean delete(Key route) {
          throw new UnsupportedOperationException();
        }

        @Override
        public List<Key> oursEverywhere() {
          return List.of();
        }
      };

  LinkRuntime.PathSender sender(List<NodeLinks.PathSpec> paths) {
    return (path, packet, length) -> {
      sent.add(paths.get(path).local().getHostAddress());
      packets.add(java.util.Arrays.copyOf(packet, length));
    };
  }

  final LinkPacketIntake intake = new LinkPacketIntake(new HeartbeatCodec(KEY), posted::add, clock);
  final NodeLinks links = new NodeLinks("alpha", List.of(PATH_A), 1000, clock.nanoTime());
  final LinkRuntime runtime =
      new LinkRuntime(
          "alpha",
          7,
          links,
          new HeartbeatCodec(KEY),
          sender(List.of(PATH_A)),
          routes,
          List.of(CLIENTS, OTHERS),
          Set.of(),
          GatewayProbes.NONE,
          draft -> "1");

  {
    runtime.intake(intake);
  }

  /** Beta's packet of {@code kind} as it arrives on {@code path}, encoded with {@code key}. */
  void fromBeta(
      NodeLinks.PathSpec path, Heartbeat.Kind kind, long sequence, long echo, byte[] key) {
    byte[] buffer = new byte[HeartbeatCodec.MAX_PACKET];
    int n =
        new HeartbeatCodec(key)
            .encode(kind, sequence, echo, new NodeSummary("beta", 7, List.of()), buffer);
    posted.clear();
    intake.onPacket(buffer, n, path.local(), path.peer());
    for (Event e : posted) {
      runtime.received((Event.LinkPacket) e, clock.nanoTime());
    }
  }

  /** Path A UP: two inquiries answered. */
  void pathAUp() {
    runtime.start(List.of(), clock.nanoTime());
    for (int k = 0; k < 2; k++) {
      byte[] last = packets.getLast();
      long inquiry =
          ((HeartbeatCodec.Decoded.Accepted) new HeartbeatCodec(KEY).decode(last, last.length))
              .heartbeat()
              .sequence();
      fromBeta(PATH_A, Heartbeat.Kind.ANSWER, 50 + k, inquiry, KEY);
      clock.advance(java.time.Duration.ofNanos(I));
      runtime.tick(clock.nanoTime());
    }
    runtime.afterPass(List.of(), clock.nanoTime());
    assertThat(links.monitor(0).status().name()).isEqualTo("UP");
  }

  LinkRuntime.Setup setup(
      List<NodeLinks.PathSpec> paths, List<LinkRuntime.Route> routes, byte[] key) {
    return new LinkRuntime.Setup(
        paths,
        sender(paths),
        routes,
        Set.of(),
        GatewayProbes.NONE,
        key == null ? null : new HeartbeatCodec(key),
        key == null ? null : new HeartbeatCodec(key),
        intake,
        Set.of());
  }

  @Test
  void anAddedPathIsInquiredAndTheKeptRouteIsNotTouchedWhileARemovedOneIsDeleted() {
    pathAUp();
    assertThat(kernel)
        .containsExactly("replace 198.18.100.0/24 dev 2", "replace 198.18.101.0/24 dev 3");
    kernel.clear();
    sent.clear();
    List<NodeLinks.PathSpec> paths = List.of(PATH_A, PATH_B);
    runtime.reconfigure(
        setup(paths, List.of(CLIENTS), null),
        List.of(0, -1),
        List.of(0),
        List.of(),
        false,
        List.of(),
        clock.nanoTime());
    runtime.tick(clock.nanoTime());
    runtime.afterPass(List.of(), clock.nanoTime());
    assertThat(kernel).containsExactly("delete 198.18.101.0/24");
    assertThat(links.monitor(0).status().name()).isEqualTo("UP");
    assertThat(links.monitor(1).status().name()).isEqualTo("STARTING");
    assertThat(sent).containsExactly("198.18.2.1"); // the new path's first inquiry, at once
    assertThat(runtime.view(clock.nanoTime()).routes().getFirst().reason()).isEqualTo("start");
  }

  @Test
  void anAddedRouteIsInstalledAndAChangedOneKeepsItsNextHopIfListed() {
    pathAUp();
    kernel.clear();
    LinkRuntime.Route reordered =
        new LinkRuntime.Route(
            CLIENTS.destination(),
            CLIENTS.address(),
            24,
            List.of(CLIENTS.hops().get(1), CLIENTS.hops().get(0)));
    LinkRuntime.Route added =
        new LinkRuntime.Route(
            "198.18.102.0/24",
            ip("198.18.102.0"),
            24,
            List.of(new LinkRuntime.Hop("eth0", 2, ip("198.18.1.254"), Set.of(A_LOCAL))));
    runtime.reconfigure(
        setup(List.of(PATH_A), List.of(OTHERS, added, reordered), null),
        List.of(0),
        List.of(1, -1, 0),
        List.of(),
        false,
        List.of(),
        clock.nanoTime());
    runtime.afterPass(List.of(), clock.nanoTime());
    // The reordered route keeps eth0 (still listed): RouteSelector then prefers the healthy first
    // next hop, eth1, as it would have at start: one replace, journaled as a switchback.
    assertThat(kernel)
        .containsExactly("replace 198.18.102.0/24 dev 2", "replace 198.18.100.0/24 dev 3");
    assertThat(runtime.view(clock.nanoTime()).routes())
        .extracting(r -> r.reason())
        .containsExactly("start", "reload", "switchback: eth1 healthy again (interface up)");
  }

  @Test
  void aNewKeyIsUsedAtOnceAndThePeerIsAnsweredInTheOldOneUntilItHasTheNew() {
    pathAUp();
    runtime.reconfigure(
        setup(List.of(PATH_A), List.of(CLIENTS, OTHERS), NEW_KEY),
        List.of(0),
        List.of(0, 1),
        List.of(),
        false,
        List.of(),
        clock.nanoTime());
    packets.clear();
    clock.advance(java.time.Duration.ofNanos(I));
    runtime.tick(clock.nanoTime());
    assertThat(new HeartbeatCodec(NEW_KEY).decode(packets.getLast(), packets.getLast().length))
        .isInstanceOf(HeartbeatCodec.Decoded.Accepted.class);
    // Beta, not reloaded yet, inquires with the old key: taken, and answered in the old key.
    packets.clear();
    fromBeta(PATH_A, Heartbeat.Kind.INQUIRY, 60, 0, KEY);
    assertThat(posted).singleElement().matches(e -> ((Event.LinkPacket) e).previousKey());
    assertThat(new HeartbeatCodec(KEY).decode(packets.getLast(), packets.getLast().length))
        .isInstanceOf(HeartbeatCodec.Decoded.Accepted.class);
    // Beta reloads: its packets come with the new key; ours follow, and the old key is forgotten.
    fromBeta(PATH_A, Heartbeat.Kind.INQUIRY, 61, 0, NEW_KEY);
    assertThat(new HeartbeatCodec(NEW_KEY).decode(packets.getLast(), packets.getLast().length))
        .isInstanceOf(HeartbeatCodec.Decoded.Accepted.class);
    fromBeta(PATH_A, Heartbeat.Kind.INQUIRY, 62, 0, KEY);
    assertThat(posted).isEmpty(); // dropped: BAD_MAC
    assertThat(intake.drops(dev.takeover.links.LinkDropReason.BAD_MAC)).isEqualTo(1);
    assertThat(links.monitor(0).status().name()).isEqualTo("UP");
  }

  @Test
  void stoppingDeletesTheInstalledRoutes() {
    pathAUp();
    kernel.clear();
    runtime.stop(List.of(), Set.of(new RouteTable.Route(ip("198.18.101.0"), 24)), clock.nanoTime());
    assertThat(kernel).containsExactly("delete 198.18.100.0/24");
  }

  @Test
  void aProbeThatStaysKeepsItsStateAndItsOutstandingRequestWithTheNewSettings() {
    java.net.Inet4Address gwA = (java.net.Inet4Address) ip("198.18.1.254");
    java.net.Inet4Address gwB = (java.net.Inet4Address) ip("198.18.2.254");
    GatewayProbes.FrameSender frames = (ifindex, frame, length) -> {};
    GatewayProbes running =
        new GatewayProbes(
            List.of(new GatewayProbes.Spec("eth0", 2, gwA, new byte[42], I, 3, 2)),
            frames,
            clock.nanoTime());
    GatewayProbes.Output out = (probe, from, to, why) -> {};
    for (int k = 0; k < 2; k++) {
      running.tick(clock.nanoTime(), out);
      running.reply(0, running.probe(0).sequence(), clock.nanoTime() + MS, out);
      clock.advance(java.time.Duration.ofNanos(I));
    }
    running.tick(clock.nanoTime(), out); // a request outstanding
    assertThat(running.probe(0).status().name()).isEqualTo("UP");
    GatewayProbes next =
        new GatewayProbes(
            List.of(
                new GatewayProbes.Spec("eth1", 3, gwB, new byte[42], I, 3, 2),
                new GatewayProbes.Spec("eth0", 2, gwA, new byte[42], 2 * I, 5, 2)),
            frames,
            clock.nanoTime());
    next.adopt(running, List.of(-1, 0));
    assertThat(next.probe(0).status().name()).isEqualTo("STARTING");
    assertThat(next.probe(1).status().name()).isEqualTo("UP");
    assertThat(next.probe(1).misses()).isEqualTo(5);
    assertThat(next.probe(1).intervalNanos()).isEqualTo(2 * I);
    assertThat(next.outstanding().get(1)).isEqualTo(running.outstanding().get(0)).isNotZero();
    // The reply to the request sent before the reload still counts.
    next.reply(1, next.outstanding().get(1), clock.nanoTime() + MS, out);
    assertThat(next.probe(1).rttNanos()).isEqualTo(MS);
  }

  /**
   * Both nodes reloaded, and each heard the other in the old key first: the inquiries in the old
   * key carry a notice in the new one, so the peer learns we have it and neither stays on the old
   * key for good.
   */
  @Test
  void aPeerHeardOnlyInTheOldKeyIsAlsoSentANoticeInTheNewOne() {
    pathAUp();
    runtime.reconfigure(
        setup(List.of(PATH_A), List.of(CLIENTS, OTHERS), NEW_KEY),
        List.of(0),
        List.of(0, 1),
        List.of(),
        false,
        List.of(),
        clock.nanoTime());
    fromBeta(PATH_A, Heartbeat.Kind.NOTICE, 60, 0, KEY);
    packets.clear();
    clock.advance(java.time.Duration.ofNanos(I));
    runtime.tick(clock.nanoTime());
    assertThat(packets).hasSize(2);
    HeartbeatCodec.Decoded inquiry =
        new HeartbeatCodec(KEY).decode(packets.get(0), packets.get(0).length);
    HeartbeatCodec.Decoded notice =
        new HeartbeatCodec(NEW_KEY).decode(packets.get(1), packets.get(1).length);
    assertThat(((HeartbeatCodec.Decoded.Accepted) inquiry).heartbeat().kind())
        .isEqualTo(Heartbeat.Kind.INQUIRY);
    Heartbeat n = ((HeartbeatCodec.Decoded.Accepted) notice).heartbeat();
    assertThat(n.kind()).isEqualTo(Heartbeat.Kind.NOTICE);
    assertThat(n.sequence())
        .isNotEqualTo(((HeartbeatCodec.Decoded.Accepted) inquiry).heartbeat().sequence());
    // Beta, which has the new key too, now sends it: the rollover ends.
    fromBeta(PATH_A, Heartbeat.Kind.NOTICE, 61, 0, NEW_KEY);
    fromBeta(PATH_A, Heartbeat.Kind.NOTICE, 62, 0, KEY);
    assertThat(posted).isEmpty(); // the old key is forgotten
  }
}
