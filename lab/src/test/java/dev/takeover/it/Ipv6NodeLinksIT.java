package dev.takeover.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.takeover.action.GroupState;
import dev.takeover.journal.EventType;
import dev.takeover.journal.JournalEvent;
import dev.takeover.lab.Lab;
import dev.takeover.lab.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Node links over IPv6 (docs/LINKS.md, DECISIONS 68, 69): the NodeLinksIT cut, on IPv6 LANs, and
 * gateway probes of IPv6 next hops (ICMPv6 echo, Neighbor Solicitation). Two nodes with IPv6 paths
 * on LAN A (eth0, 2001:db8::/64, the IPv6 VIP and VRRPv3) and LAN B (eth1, 2001:db8:2::/64), and an
 * IPv6 route to a client prefix behind a gateway on both. Cut n1's LAN A port: the VIP moves at
 * once on the FAULT n1 reports over LAN B, path A goes DOWN after misses × interval, the route
 * moves to LAN B; heal: path A UP after goods, the route back, once.
 */
class Ipv6NodeLinksIT {
  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  static final String VIP6 = "2001:db8::50";
  static final String CLIENT_PREFIX = "2001:db8:100::/64";
  static final String STALE_PREFIX = "2001:db8:200::/64";
  static final Duration HEARTBEAT = Duration.ofMillis(100);
  static final int MISSES = 3;
  static final int GOODS = 3;

  private Path keyFile() {
    try {
      Path file = cluster.logDir().resolve("conf").resolve("links.key");
      Files.createDirectories(file.getParent());
      Files.write(file, NodeLinksIT.KEY);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private NodeConfig config(String node, int priority) {
    return config(node, priority, "{interface: eth0, gateway: " + Lab.GATEWAY6_LAN_A + "}");
  }

  /** {@code hopA}: the route's first next hop, on LAN A (eth0), as a YAML flow map. */
  private NodeConfig config(String node, int priority, String hopA) {
    String peer = node.equals("n1") ? "n2" : "n1";
    String links =
        "links:\n"
            + "  key-file: \""
            + keyFile()
            + "\"\n"
            + "  interval: "
            + HEARTBEAT.toMillis()
            + "ms\n"
            + "  misses: "
            + MISSES
            + "\n"
            + "  goods: "
            + GOODS
            + "\n"
            + "  peers:\n"
            + "    "
            + peer
            + ":\n"
            + "      - {local: "
            + Lab.ipv6(node)
            + ", peer: "
            + Lab.ipv6(peer)
            + "}\n"
            + "      - {local: "
            + Lab.lanBIpv6(node)
            + ", peer: "
            + Lab.lanBIpv6(peer)
            + "}\n"
            + "  routes:\n"
            + "    - destination: "
            + CLIENT_PREFIX
            + "\n"
            + "      via:\n"
            + "        - "
            + hopA
            + "\n"
            + "        - {interface: eth1, gateway: "
            + Lab.GATEWAY6_LAN_B
            + "}\n";
    return NodeConfig.of(node, priority, Duration.ofSeconds(1), VIP6 + "/64").withGroupYaml(links);
  }

  private JsonNode status(String node) {
    return cluster.statusJson(node);
  }

  private String statusText(String node) {
    return cluster.statusText(node);
  }

  private String pathState(String node, int path) {
    return status(node).at("/links/paths/" + path + "/state").asText();
  }

  private List<JournalEvent> journal(String node, EventType type) {
    return cluster.journal(node, type);
  }

  private static double millis(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }

  private void awaitHolder(String holder, String other, Duration timeout) {
    Lab lab = cluster.lab();
    Poll.until(
        timeout,
        () -> lab.hasAddress(holder, VIP6) && !lab.hasAddress(other, VIP6),
        () -> holder + " alone to hold " + VIP6 + cluster.state());
  }

  @Test
  void aCutLanAPortMovesTheIpv6VipAtOnceAndTheIpv6RouteToLanBAndBack() {
    Lab lab = cluster.lab();
    lab.addSecondLan();
    lab.addSecondLanIpv6();
    // A killed earlier run's IPv6 route (ours by protocol, no longer configured): removed at start.
    lab.exec(
        "n1",
        "ip",
        "-6",
        "route",
        "add",
        STALE_PREFIX,
        "via",
        Lab.GATEWAY6_LAN_B,
        "dev",
        "eth1",
        "proto",
        "175");
    assertThat(lab.route("n1", STALE_PREFIX)).contains("proto 175");
    cluster.start(config("n1", 200));
    awaitHolder("n1", "n2", Cluster.STARTUP);
    assertThat(lab.route("n1", STALE_PREFIX)).isEmpty();
    cluster.start(config("n2", 100));
    Poll.until(
        Cluster.STARTUP,
        () ->
            List.of("n1", "n2").stream()
                .allMatch(n -> pathState(n, 0).equals("UP") && pathState(n, 1).equals("UP")),
        () -> "every IPv6 path UP; n1: " + statusText("n1") + "\nn2: " + statusText("n2"));
    Poll.until(
        Duration.ofSeconds(5),
        () -> cluster.daemon("n2").process().log().contains("-> BACKUP"),
        () -> "n2 in BACKUP" + cluster.state());
    Poll.until(
        Duration.ofSeconds(5),
        () -> lab.route("n1", CLIENT_PREFIX).contains("dev eth0"),
        () -> "n1's IPv6 route via eth0: " + lab.route("n1", CLIENT_PREFIX));
    assertThat(lab.route("n1", CLIENT_PREFIX)).contains("via " + Lab.GATEWAY6_LAN_A, "proto 175");
    lab.exec("n1", "ping", "-6", "-c", "1", "-W", "2", Lab.FAR_CLIENT6); // over LAN A

    // A steady state: n2 has heard n1's advert (1 s adverts; n2 started moments ago). Cut before
    // that, n2 probes before it claims and can take n1's last unsolicited NA for a conflict (seen
    // once; noted in the issue 11 note, left for the policy).
    Poll.until(
        Duration.ofSeconds(5),
        () -> status("n2").at("/groups/0/peers").size() > 0,
        () -> "n2 to hear n1's advert: " + statusText("n2"));
    Instant cut = Instant.now();
    lab.cutPort("n1");
    awaitHolder("n2", "n1", Duration.ofSeconds(3)); // well inside Master_Down_Interval
    Poll.until(
        Duration.ofSeconds(5),
        () -> lab.route("n1", CLIENT_PREFIX).contains("dev eth1"),
        () -> "n1's IPv6 route via eth1: " + lab.route("n1", CLIENT_PREFIX));
    assertThat(lab.route("n1", CLIENT_PREFIX)).contains("via " + Lab.GATEWAY6_LAN_B);
    Poll.until(
        Duration.ofSeconds(5),
        () -> pathState("n1", 0).equals("DOWN"),
        () -> "n1's IPv6 path A DOWN: " + statusText("n1"));
    assertThat(pathState("n1", 1)).isEqualTo("UP");
    lab.exec("n1", "ping", "-6", "-c", "1", "-W", "2", Lab.FAR_CLIENT6); // answered over LAN B

    JournalEvent claimed =
        journal("n2", EventType.STATE_CHANGED).stream()
            .filter(e -> GroupState.MASTER.name().equals(e.fields().get("to")))
            .reduce((a, b) -> b)
            .orElseThrow();
    JournalEvent down =
        journal("n1", EventType.LINK_PATH_CHANGED).stream()
            .filter(e -> "DOWN".equals(e.fields().get("to")) && e.time().isAfter(cut))
            .findFirst()
            .orElseThrow();
    List<JournalEvent> routes = journal("n1", EventType.ROUTE_CHANGED);
    Duration masterDown = Cluster.masterDownInterval(100, Duration.ofSeconds(1));
    double vipMs = millis(cut, claimed.time());
    double downMs = millis(cut, down.time());
    double routeMs = millis(cut, routes.getLast().time());
    System.out.printf(
        Locale.ROOT,
        "Ipv6NodeLinksIT: cut LAN A: IPv6 VIP on n2 after %.1f ms (Master_Down_Interval %d ms;"
            + " reason: %s); path A DOWN after %.1f ms (misses x interval = %d ms); IPv6 route via"
            + " LAN B after %.1f ms%n",
        vipMs,
        masterDown.toMillis(),
        claimed.fields().get("reason"),
        downMs,
        MISSES * HEARTBEAT.toMillis(),
        routeMs);
    assertThat(vipMs).isLessThan(masterDown.toMillis() / 2.0);
    assertThat(String.valueOf(claimed.fields().get("reason")))
        .contains("FAULT over the node links");
    // DOWN after misses × interval, ± one interval (and a little for the journal's own clock).
    assertThat(downMs)
        .isBetween(
            (MISSES - 1) * HEARTBEAT.toMillis() * 1.0, (MISSES + 1) * HEARTBEAT.toMillis() + 150.0);

    Instant heal = Instant.now();
    lab.healPort("n1");
    Poll.until(
        Duration.ofSeconds(10),
        () -> lab.route("n1", CLIENT_PREFIX).contains("dev eth0"),
        () -> "n1's IPv6 route back via eth0: " + lab.route("n1", CLIENT_PREFIX));
    Poll.until(
        Duration.ofSeconds(5),
        () -> pathState("n1", 0).equals("UP"),
        () -> "n1's IPv6 path A UP: " + statusText("n1"));
    JournalEvent up =
        journal("n1", EventType.LINK_PATH_CHANGED).stream()
            .filter(e -> "UP".equals(e.fields().get("to")) && e.time().isAfter(heal))
            .findFirst()
            .orElseThrow();
    awaitHolder("n1", "n2", Duration.ofSeconds(10)); // preempts back
    Poll.holdsFor(
        Duration.ofSeconds(2),
        () -> lab.route("n1", CLIENT_PREFIX).contains("dev eth0"),
        () -> "the IPv6 route stays on eth0");
    List<JournalEvent> after = journal("n1", EventType.ROUTE_CHANGED);
    System.out.printf(
        Locale.ROOT,
        "Ipv6NodeLinksIT: heal: path A UP after %.1f ms, IPv6 route back via LAN A after %.1f ms;"
            + " route changes: %s%n",
        millis(heal, up.time()),
        millis(heal, after.getLast().time()),
        after.stream().map(JournalEvent::message).toList());
    // start, to LAN B, back to LAN A: no flap.
    assertThat(after).hasSize(3);
  }

  private JournalEvent routeChange(String node, int count) {
    Poll.until(
        Duration.ofSeconds(5),
        () -> journal(node, EventType.ROUTE_CHANGED).size() >= count,
        () -> node + "'s journal to hold " + count + " route changes");
    return journal(node, EventType.ROUTE_CHANGED).get(count - 1);
  }

  /**
   * The gateway on LAN A stops answering one kind of IPv6 probe at a time (nftables in its
   * namespace drops what reaches its eth0), then answers again: n1 probes its global address with
   * ICMPv6 echoes, n2 its link-local address (scoped by the next hop's interface) with Neighbor
   * Solicitations, the default kind for an IPv6 gateway. Dropping echo requests moves only n1's
   * route to LAN B; dropping Neighbor Solicitations moves n2's; each comes back after goods, once.
   */
  @Test
  void ipv6GatewayProbesMoveTheirRoutesWhenTheGatewayStopsAnsweringAndBack() {
    Lab lab = cluster.lab();
    lab.addSecondLan();
    lab.addSecondLanIpv6();
    String linkLocal =
        lab.exec(Lab.GATEWAY, "ip", "-6", "-o", "addr", "show", "dev", "eth0", "scope", "link")
            .replaceAll("(?s).*inet6 (fe80::[0-9a-f:]+)/.*", "$1")
            .trim();
    assertThat(linkLocal).startsWith("fe80::");
    String settings =
        "interval: " + HEARTBEAT.toMillis() + "ms, misses: " + MISSES + ", goods: " + GOODS;
    cluster.start(
        config(
            "n1",
            200,
            "{interface: eth0, gateway: "
                + Lab.GATEWAY6_LAN_A
                + ", probe: {kind: icmp, "
                + settings
                + "}}"));
    awaitHolder("n1", "n2", Cluster.STARTUP);
    cluster.start(
        config(
            "n2",
            100,
            "{interface: eth0, gateway: \"" + linkLocal + "\", probe: {" + settings + "}}"));
    for (String node : List.of("n1", "n2")) {
      Poll.until(
          Cluster.STARTUP,
          () ->
              lab.route(node, CLIENT_PREFIX).contains("dev eth0")
                  && status(node).at("/links/hops/0/probe").asText().equals("UP"),
          () -> node + "'s IPv6 route via eth0 with its probe UP: " + statusText(node));
    }
    assertThat(status("n1").at("/links/hops/0/probeKind").asText()).isEqualTo("icmp");
    assertThat(status("n2").at("/links/hops/0/probeKind").asText()).isEqualTo("ndp");
    assertThat(lab.route("n2", CLIENT_PREFIX)).contains("via " + linkLocal + " dev eth0");
    int n1Before = journal("n1", EventType.ROUTE_CHANGED).size();
    int n2Before = journal("n2", EventType.ROUTE_CHANGED).size();

    int reps = 3;
    double[] echoAway = new double[reps];
    double[] echoBack = new double[reps];
    for (int rep = 0; rep < reps; rep++) {
      Instant mute = Instant.now();
      lab.dropIcmpv6In(Lab.GATEWAY, "eth0", "echo-request");
      Poll.until(
          Duration.ofSeconds(5),
          () -> lab.route("n1", CLIENT_PREFIX).contains("dev eth1"),
          () -> "n1's IPv6 route via eth1: " + statusText("n1"));
      JournalEvent moved = routeChange("n1", n1Before + 2 * rep + 1);
      echoAway[rep] = millis(mute, moved.time());
      assertThat(String.valueOf(moved.fields().get("reason")))
          .contains(
              "eth0 unhealthy: gateway probe DOWN (3 ICMP echo requests unanswered in a row)");
      assertThat(pathState("n1", 0)).isEqualTo("UP"); // LAN A itself is fine
      // Neighbor Solicitations are still answered: n2's probe and route stay.
      Poll.holdsFor(
          HEARTBEAT.multipliedBy(MISSES + 2),
          () ->
              status("n2").at("/links/hops/0/probe").asText().equals("UP")
                  && lab.route("n2", CLIENT_PREFIX).contains("dev eth0"),
          () -> "n2's NDP probe UP and route via eth0: " + statusText("n2"));
      lab.exec("n1", "ping", "-6", "-c", "1", "-W", "2", Lab.FAR_CLIENT6); // over LAN B
      Instant answer = Instant.now();
      lab.allowIcmpv6In(Lab.GATEWAY);
      Poll.until(
          Duration.ofSeconds(5),
          () -> lab.route("n1", CLIENT_PREFIX).contains("dev eth0"),
          () -> "n1's IPv6 route back via eth0: " + statusText("n1"));
      JournalEvent back = routeChange("n1", n1Before + 2 * rep + 2);
      echoBack[rep] = millis(answer, back.time());
      assertThat(String.valueOf(back.fields().get("reason")))
          .startsWith("switchback: eth0 healthy again");
      Poll.sleep(HEARTBEAT.multipliedBy(2));
    }
    assertThat(journal("n1", EventType.ROUTE_CHANGED)).hasSize(n1Before + 2 * reps);
    assertThat(journal("n2", EventType.ROUTE_CHANGED)).hasSize(n2Before);

    double[] nsAway = new double[reps];
    double[] nsBack = new double[reps];
    for (int rep = 0; rep < reps; rep++) {
      Instant mute = Instant.now();
      lab.dropIcmpv6In(Lab.GATEWAY, "eth0", "nd-neighbor-solicit");
      Poll.until(
          Duration.ofSeconds(5),
          () -> lab.route("n2", CLIENT_PREFIX).contains("dev eth1"),
          () -> "n2's IPv6 route via eth1: " + statusText("n2"));
      JournalEvent moved = routeChange("n2", n2Before + 2 * rep + 1);
      nsAway[rep] = millis(mute, moved.time());
      assertThat(String.valueOf(moved.fields().get("reason")))
          .contains(
              "eth0 unhealthy: gateway probe DOWN (3 Neighbor Solicitations unanswered in a row)");
      assertThat(pathState("n2", 0)).isEqualTo("UP");
      lab.exec("n2", "ping", "-6", "-c", "1", "-W", "2", Lab.FAR_CLIENT6); // over LAN B
      Instant answer = Instant.now();
      lab.allowIcmpv6In(Lab.GATEWAY);
      Poll.until(
          Duration.ofSeconds(5),
          () -> lab.route("n2", CLIENT_PREFIX).contains("dev eth0"),
          () -> "n2's IPv6 route back via eth0: " + statusText("n2"));
      JournalEvent back = routeChange("n2", n2Before + 2 * rep + 2);
      nsBack[rep] = millis(answer, back.time());
      assertThat(String.valueOf(back.fields().get("reason")))
          .startsWith("switchback: eth0 healthy again");
      Poll.sleep(HEARTBEAT.multipliedBy(2));
    }
    assertThat(journal("n2", EventType.ROUTE_CHANGED)).hasSize(n2Before + 2 * reps);
    assertThat(journal("n2", EventType.GATEWAY_PROBE_CHANGED))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.fields()).containsEntry("kind", "ndp"));
    assertThat(journal("n1", EventType.GATEWAY_PROBE_CHANGED))
        .allSatisfy(e -> assertThat(e.fields()).containsEntry("kind", "icmp"));
    System.out.println(
        "Ipv6NodeLinksIT: n2 status with an NDP gateway probe:\n" + statusText("n2"));
    System.out.printf(
        Locale.ROOT,
        "Ipv6NodeLinksIT: IPv6 gateway probes (every %d ms, misses %d, goods %d): ICMPv6 echo"
            + " dropped: n1's route via LAN B after %s ms (median %.1f), back after %s ms (median"
            + " %.1f); Neighbor Solicitations dropped: n2's route via LAN B after %s ms (median"
            + " %.1f), back after %s ms (median %.1f); drops n1 %s, n2 %s%n",
        HEARTBEAT.toMillis(),
        MISSES,
        GOODS,
        java.util.Arrays.toString(NodeLinksIT.round(echoAway)),
        NodeLinksIT.median(echoAway),
        java.util.Arrays.toString(NodeLinksIT.round(echoBack)),
        NodeLinksIT.median(echoBack),
        java.util.Arrays.toString(NodeLinksIT.round(nsAway)),
        NodeLinksIT.median(nsAway),
        java.util.Arrays.toString(NodeLinksIT.round(nsBack)),
        NodeLinksIT.median(nsBack),
        status("n1").at("/links/drops"),
        status("n2").at("/links/drops"));
    assertThat(NodeLinksIT.median(echoAway))
        .isBetween((MISSES - 1) * HEARTBEAT.toMillis() * 1.0, 2_000.0);
    assertThat(NodeLinksIT.median(nsAway))
        .isBetween((MISSES - 1) * HEARTBEAT.toMillis() * 1.0, 2_000.0);
    assertThat(NodeLinksIT.median(echoBack)).isLessThan(2_000.0);
    assertThat(NodeLinksIT.median(nsBack)).isLessThan(2_000.0);
  }
}
