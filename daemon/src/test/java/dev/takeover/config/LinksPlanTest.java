package dev.takeover.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.config.LinksConfig.LinkPath;
import dev.takeover.config.LinksConfig.LinkRoute;
import dev.takeover.config.LinksConfig.NextHop;
import dev.takeover.config.LinksConfig.Probe;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a reload does with a changed {@code links} section: matched, kept, added, removed. */
class LinksPlanTest {
  static final Duration I = Duration.ofMillis(100);
  static final LinkPath A = path("198.18.1.1", "198.18.1.2");
  static final LinkPath B = path("198.18.2.1", "198.18.2.2");
  static final NextHop VIA_A = new NextHop("eth0", ip("198.18.1.254"));
  static final NextHop VIA_B = new NextHop("eth1", ip("198.18.2.254"));
  static final LinkRoute CLIENTS = route("198.18.100.0", 24, VIA_A, VIA_B);
  static final LinkRoute OTHERS = route("198.18.101.0", 24, VIA_B);

  static InetAddress ip(String s) {
    return InetAddress.ofLiteral(s);
  }

  static LinkPath path(String local, String peer) {
    return new LinkPath("beta", ip(local), ip(peer), I, 3, 2);
  }

  static LinkRoute route(String destination, int length, NextHop... via) {
    return new LinkRoute(ip(destination), length, List.of(via));
  }

  static LinksConfig links(List<LinkPath> paths, List<LinkRoute> routes) {
    return links(7370, "/etc/takeover/links.key", paths, routes, Set.of());
  }

  static LinksConfig links(
      int port, String key, List<LinkPath> paths, List<LinkRoute> routes, Set<String> guard) {
    return new LinksConfig(port, Optional.of(Path.of(key)), paths, routes, guard);
  }

  @Test
  void theSameSectionChangesNothing() {
    LinksPlan plan =
        LinksPlan.between(
            links(List.of(A, B), List.of(CLIENTS)), links(List.of(A, B), List.of(CLIENTS)), false);
    assertThat(plan.scope()).isEqualTo(LinksPlan.Scope.UNCHANGED);
    assertThat(plan.descriptions()).isEmpty();
    assertThat(LinksPlan.between(LinksConfig.NONE, LinksConfig.NONE, false).scope())
        .isEqualTo(LinksPlan.Scope.UNCHANGED);
  }

  @Test
  void anAddedPathStartsAndTheOthersAreContinued() {
    LinksPlan plan =
        LinksPlan.between(
            links(List.of(A), List.of(CLIENTS)), links(List.of(A, B), List.of(CLIENTS)), false);
    assertThat(plan.scope()).isEqualTo(LinksPlan.Scope.CHANGED);
    assertThat(plan.pathFrom()).containsExactly(0, -1);
    assertThat(plan.routeFrom()).containsExactly(0);
    assertThat(plan.routesRemoved()).isEmpty();
    assertThat(plan.probesChanged()).isFalse();
    assertThat(plan.portChanged()).isFalse();
    assertThat(plan.keyChanged()).isFalse();
    assertThat(plan.descriptions())
        .containsExactly("links: added path to beta 198.18.2.1 -> 198.18.2.2");
  }

  @Test
  void aRemovedPathStopsAndPathsAreMatchedByAddressesNotPlace() {
    LinkPath c = path("198.18.3.1", "198.18.3.2");
    LinksPlan plan =
        LinksPlan.between(
            links(List.of(A, B, c), List.of()), links(List.of(c, A), List.of()), false);
    assertThat(plan.pathFrom()).containsExactly(2, 0);
    assertThat(plan.descriptions())
        .containsExactly("links: removed path to beta 198.18.2.1 -> 198.18.2.2");
  }

  @Test
  void changedSettingsKeepThePath() {
    LinkPath slower = new LinkPath("beta", A.local(), A.peer(), Duration.ofSeconds(1), 5, 2);
    LinksPlan plan =
        LinksPlan.between(
            links(List.of(A, B), List.of()), links(List.of(slower, B), List.of()), false);
    assertThat(plan.pathFrom()).containsExactly(0, 1);
    assertThat(plan.descriptions())
        .containsExactly(
            "links: changed path to beta 198.18.1.1 -> 198.18.1.2 in place: interval 100ms -> 1s,"
                + " misses 3 -> 5");
  }

  @Test
  void aPathToAnotherPeerWithTheSameAddressesIsAnotherPath() {
    LinkPath toGamma = new LinkPath("gamma", A.local(), A.peer(), I, 3, 2);
    LinksPlan plan =
        LinksPlan.between(links(List.of(A), List.of()), links(List.of(toGamma), List.of()), false);
    assertThat(plan.pathFrom()).containsExactly(-1);
    assertThat(plan.descriptions())
        .containsExactly(
            "links: added path to gamma 198.18.1.1 -> 198.18.1.2",
            "links: removed path to beta 198.18.1.1 -> 198.18.1.2");
  }

  @Test
  void routesAreMatchedByDestinationAndRemovedOnesAreDeleted() {
    LinkRoute reordered = route("198.18.100.0", 24, VIA_B, VIA_A);
    LinkRoute added = route("198.18.102.0", 24, VIA_A);
    LinksPlan plan =
        LinksPlan.between(
            links(List.of(A), List.of(CLIENTS, OTHERS)),
            links(List.of(A), List.of(added, reordered)),
            false);
    assertThat(plan.routeFrom()).containsExactly(-1, 0);
    assertThat(plan.routesRemoved()).containsExactly(OTHERS);
    assertThat(plan.descriptions())
        .containsExactly(
            "links: added route 198.18.102.0/24 via eth0 198.18.1.254",
            "links: changed route 198.18.100.0/24: via eth0 198.18.1.254, eth1 198.18.2.254 ->"
                + " eth1 198.18.2.254, eth0 198.18.1.254",
            "links: removed route 198.18.101.0/24 (deleted)");
  }

  @Test
  void anIpv4AndAnIpv6DefaultAreTwoRoutes() {
    LinkRoute v4 = route("0.0.0.0", 0, VIA_A);
    LinkRoute v6 = route("::", 0, new NextHop("eth0", ip("fe80::1")));
    LinksPlan plan =
        LinksPlan.between(links(List.of(A), List.of(v4)), links(List.of(A), List.of(v6)), false);
    assertThat(plan.routeFrom()).containsExactly(-1);
    assertThat(plan.routesRemoved()).containsExactly(v4);
  }

  @Test
  void aChangedRouteKeepsItsActiveNextHopIfStillListed() {
    assertThat(LinksPlan.hopFrom(List.of(VIA_A, VIA_B), 1, List.of(VIA_B, VIA_A))).isZero();
    assertThat(LinksPlan.hopFrom(List.of(VIA_A, VIA_B), 0, List.of(VIA_B))).isEqualTo(-1);
    assertThat(LinksPlan.hopFrom(List.of(VIA_A), -1, List.of(VIA_A))).isEqualTo(-1);
    // A probe added to the next hop does not make it another next hop.
    NextHop probed = new NextHop("eth0", VIA_A.gateway(), Optional.of(new Probe("arp", I, 3, 3)));
    assertThat(LinksPlan.hopFrom(List.of(VIA_A), 0, List.of(probed))).isZero();
  }

  @Test
  void probesAreMatchedByInterfaceGatewayAndKind() {
    Probe arp = new Probe("arp", I, 3, 3);
    NextHop arpA = new NextHop("eth0", VIA_A.gateway(), Optional.of(arp));
    NextHop slowArpA =
        new NextHop(
            "eth0", VIA_A.gateway(), Optional.of(new Probe("arp", I.multipliedBy(2), 3, 3)));
    NextHop icmpB = new NextHop("eth1", VIA_B.gateway(), Optional.of(new Probe("icmp", I, 3, 3)));
    NextHop arpB = new NextHop("eth1", VIA_B.gateway(), Optional.of(arp));
    LinksConfig before =
        links(List.of(A), List.of(new LinkRoute(ip("198.18.100.0"), 24, List.of(arpA, icmpB))));
    LinksPlan same = LinksPlan.between(before, before, false);
    assertThat(same.probesChanged()).isFalse();
    // The same gateways: eth0's probe slower (kept, new settings), eth1's another kind (new).
    LinksPlan plan =
        LinksPlan.between(
            before,
            links(
                List.of(A),
                List.of(new LinkRoute(ip("198.18.100.0"), 24, List.of(slowArpA, arpB)))),
            false);
    assertThat(plan.probesChanged()).isTrue();
    assertThat(plan.probeFrom()).containsExactly(0, -1);
    // Numbered as the daemon numbers them: first mention, once per interface and gateway.
    LinksConfig twice =
        links(
            List.of(A),
            List.of(
                new LinkRoute(ip("198.18.100.0"), 24, List.of(arpB)),
                new LinkRoute(ip("198.18.101.0"), 24, List.of(arpA, arpB))));
    assertThat(LinksPlan.probes(twice))
        .extracting(LinksPlan.ProbeKey::interfaceName)
        .containsExactly("eth1", "eth0");
  }

  @Test
  void portKeyAndGuardChangesAreSaid() {
    LinksPlan plan =
        LinksPlan.between(
            links(7370, "/etc/takeover/links.key", List.of(A), List.of(), Set.of()),
            links(7371, "/etc/takeover/new.key", List.of(A), List.of(), Set.of("web")),
            true);
    assertThat(plan.scope()).isEqualTo(LinksPlan.Scope.CHANGED);
    assertThat(plan.portChanged()).isTrue();
    assertThat(plan.keyChanged()).isTrue();
    assertThat(plan.pathFrom()).containsExactly(0);
    assertThat(plan.descriptions())
        .containsExactly(
            "links: port 7370 -> 7371 (every path's socket bound anew; paths keep their state)",
            "links: key changed: sent with the new key, the replaced one still accepted (and"
                + " answered in) until every peer uses the new one",
            "links: key-file /etc/takeover/links.key -> /etc/takeover/new.key",
            "links: guard [] -> [web]");
    // A renamed file with the same bytes is no new key.
    LinksPlan renamed =
        LinksPlan.between(
            links(7370, "/etc/takeover/links.key", List.of(A), List.of(), Set.of()),
            links(7370, "/etc/takeover/new.key", List.of(A), List.of(), Set.of()),
            false);
    assertThat(renamed.keyChanged()).isFalse();
    assertThat(renamed.descriptions())
        .containsExactly(
            "links: key-file /etc/takeover/links.key -> /etc/takeover/new.key (the same key)");
    // The key file rewritten in place.
    LinksPlan rewritten =
        LinksPlan.between(links(List.of(A), List.of()), links(List.of(A), List.of()), true);
    assertThat(rewritten.scope()).isEqualTo(LinksPlan.Scope.CHANGED);
    assertThat(rewritten.keyChanged()).isTrue();
  }

  @Test
  void aSectionAddedStartsTheLinksAndOneRemovedStopsThemAndDeletesTheRoutes() {
    LinksConfig on = links(List.of(A, B), List.of(CLIENTS));
    LinksPlan started = LinksPlan.between(LinksConfig.NONE, on, false);
    assertThat(started.scope()).isEqualTo(LinksPlan.Scope.STARTED);
    assertThat(started.pathFrom()).containsExactly(-1, -1);
    assertThat(started.descriptions()).containsExactly("links started: 2 path(s), 1 route(s)");
    LinksPlan stopped = LinksPlan.between(on, LinksConfig.NONE, false);
    assertThat(stopped.scope()).isEqualTo(LinksPlan.Scope.STOPPED);
    assertThat(stopped.routesRemoved()).containsExactly(CLIENTS);
    assertThat(stopped.descriptions())
        .containsExactly("links stopped: 2 path(s) closed, 1 route(s) deleted");
  }
}
