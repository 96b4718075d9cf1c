package dev.takeover.it;

import static dev.takeover.it.Cluster.VIP;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.takeover.action.GroupState;
import dev.takeover.journal.EventType;
import dev.takeover.journal.JournalEvent;
import dev.takeover.lab.Lab;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.ProbeEvent;
import dev.takeover.lab.ProbeFollower;
import dev.takeover.links.Heartbeat;
import dev.takeover.links.HeartbeatCodec;
import dev.takeover.links.NodeSummary;
import dev.takeover.platform.IcmpSocket;
import dev.takeover.platform.Netns;
import dev.takeover.platform.PacketSocket;
import dev.takeover.wire.ArpFrame;
import dev.takeover.wire.ArpPacket;
import dev.takeover.wire.IcmpCodec;
import dev.takeover.wire.MacAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
 * Node links (issue 11, docs/LINKS.md) with real daemons on two LANs: LAN A (eth0) carries the VIP
 * and VRRP, LAN B (eth1) only heartbeats and the second next hop of a route to a client subnet.
 * Times are measured from the journals (wall clock, same host) and printed for the note and the
 * docs.
 */
class NodeLinksIT {
  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  static final byte[] KEY = "it-node-link-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  static final Duration HEARTBEAT = Duration.ofMillis(100);
  static final int MISSES = 3;
  static final int GOODS = 3;

  private Path keyFile() {
    try {
      Path file = cluster.logDir().resolve("conf").resolve("links.key");
      Files.createDirectories(file.getParent());
      Files.write(file, KEY);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private NodeConfig config(String node, int priority, Duration adverts, boolean guard) {
    return config(node, priority, adverts, guard, "");
  }

  /** {@code probe}: what follows LAN A's next hop in its flow mapping, e.g. ", probe: {}". */
  private NodeConfig config(
      String node, int priority, Duration adverts, boolean guard, String probe) {
    String extra =
        (guard ? "  guard: [web]\n" : "")
            + "  routes:\n"
            + "    - destination: 198.18.100.0/24\n"
            + "      via:\n"
            + "        - {interface: eth0, gateway: "
            + Lab.GATEWAY_LAN_A
            + probe
            + "}\n"
            + "        - {interface: eth1, gateway: "
            + Lab.GATEWAY_LAN_B
            + "}\n";
    return NodeConfig.of(node, priority, adverts, VIP + "/24")
        .withGroupYaml(
            NodeConfig.twoLanLinksYaml(node, keyFile(), HEARTBEAT, MISSES, GOODS, extra));
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

  /**
   * The node's {@code count}-th route change, once its journal has it: the route is in the kernel
   * before the journal writer has the event on disk, so the last event read at once can still be
   * the one before (CI once read a switchback there).
   */
  private JournalEvent routeChange(String node, int count) {
    Poll.until(
        Duration.ofSeconds(5),
        () -> journal(node, EventType.ROUTE_CHANGED).size() >= count,
        () -> node + "'s journal to hold " + count + " route changes");
    return journal(node, EventType.ROUTE_CHANGED).get(count - 1);
  }

  private void startBoth(boolean guard, Duration adverts) {
    secondLan();
    cluster.start(config("n1", 200, adverts, guard));
    cluster.awaitMaster("n1", Cluster.STARTUP);
    cluster.start(config("n2", 100, adverts, guard));
    awaitPathsUp();
  }

  private boolean secondLan;

  private void secondLan() {
    if (!secondLan) {
      secondLan = true;
      cluster.lab().addSecondLan();
    }
  }

  /** Both nodes started (n1 master) with the client probing the VIP; returns the probe. */
  private ProbeFollower startBothProbed(Duration adverts) {
    secondLan();
    ProbeFollower probe =
        cluster.startPair(config("n1", 200, adverts, false), config("n2", 100, adverts, false));
    awaitPathsUp();
    return probe;
  }

  private void awaitPathsUp() {
    Poll.until(
        Cluster.STARTUP,
        () ->
            List.of("n1", "n2").stream()
                .allMatch(n -> pathState(n, 0).equals("UP") && pathState(n, 1).equals("UP")),
        () -> "every path UP; n1: " + statusText("n1") + "\nn2: " + statusText("n2"));
    Poll.until(
        Duration.ofSeconds(5),
        () -> cluster.daemon("n2").process().log().contains("-> BACKUP"),
        () -> "n2 in BACKUP" + cluster.state());
  }

  private static double millis(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }

  /**
   * Cut n1's LAN A port with 1 s adverts: n1's group goes to FAULT at the link-down and says so
   * over LAN B at once, so n2 claims long before Master_Down_Interval (3.61 s); path A goes DOWN
   * after misses × interval; the route to the client subnet moves to LAN B and back after the heal,
   * once.
   */
  @Test
  void aCutLanAPortMovesTheVipAtOnceAndTheRouteToLanBAndBack() {
    ProbeFollower probe = startBothProbed(Duration.ofSeconds(1));
    Lab lab = cluster.lab();
    Poll.until(
        Duration.ofSeconds(5),
        () -> lab.route("n1", "198.18.100.0/24").contains("dev eth0"),
        () -> "n1's route via eth0: " + lab.route("n1", "198.18.100.0/24"));
    assertThat(lab.route("n1", "198.18.100.0/24")).contains("proto 175");

    int mark = probe.mark();
    Instant cut = Instant.now();
    lab.cutPort("n1");
    cluster.awaitMaster("n2", Duration.ofSeconds(3)); // well inside Master_Down_Interval
    probe.awaitAnswerer(mark, "n2", Duration.ofSeconds(3));
    Poll.sleep(Duration.ofMillis(300)); // an outage is reported once it ends
    double clientOutageMs =
        probe.since(mark, ProbeEvent.Outage.class).stream()
            .mapToDouble(ProbeEvent.Outage::durationMs)
            .max()
            .orElse(0);
    Poll.until(
        Duration.ofSeconds(5),
        () -> lab.route("n1", "198.18.100.0/24").contains("dev eth1"),
        () -> "n1's route via eth1: " + lab.route("n1", "198.18.100.0/24"));
    Poll.until(
        Duration.ofSeconds(5),
        () -> pathState("n1", 0).equals("DOWN"),
        () -> "n1's path A DOWN: " + statusText("n1"));
    lab.exec("n1", "ping", "-c", "1", "-W", "2", Lab.FAR_CLIENT); // answered over LAN B

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
        "NodeLinksIT: cut LAN A: VIP on n2 after %.1f ms, client outage %.1f ms"
            + " (Master_Down_Interval %d ms; reason: %s);"
            + " path A DOWN after %.1f ms (misses x interval = %d ms); route via LAN B after %.1f"
            + " ms%n",
        vipMs,
        clientOutageMs,
        masterDown.toMillis(),
        claimed.fields().get("reason"),
        downMs,
        MISSES * HEARTBEAT.toMillis(),
        routeMs);
    assertThat(vipMs).isLessThan(masterDown.toMillis() / 2.0);
    assertThat(clientOutageMs).isLessThan(masterDown.toMillis() / 2.0);
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
        () -> lab.route("n1", "198.18.100.0/24").contains("dev eth0"),
        () -> "n1's route back via eth0: " + lab.route("n1", "198.18.100.0/24"));
    Poll.until(
        Duration.ofSeconds(5),
        () -> pathState("n1", 0).equals("UP"),
        () -> "n1's path A UP: " + statusText("n1"));
    cluster.awaitMaster("n1", Duration.ofSeconds(10)); // preempts back
    Poll.holdsFor(
        Duration.ofSeconds(2),
        () -> lab.route("n1", "198.18.100.0/24").contains("dev eth0"),
        () -> "the route stays on eth0");
    List<JournalEvent> after = journal("n1", EventType.ROUTE_CHANGED);
    System.out.printf(
        Locale.ROOT,
        "NodeLinksIT: heal: route back via LAN A after %.1f ms; route changes: %s%n",
        millis(heal, after.getLast().time()),
        after.stream().map(JournalEvent::message).toList());
    // start, to LAN B, back to LAN A: no flap.
    assertThat(after).hasSize(3);
  }

  /**
   * VRRP blocked on LAN A while both run: with the guard the backup stays BACKUP (the master is
   * alive over LAN B) and shows a VIP-path fault; 0 s with the VIP on both.
   */
  @Test
  void withTheGuardBlockedVrrpMakesNoSecondMaster() {
    startBoth(true, Cluster.ADVERT_INTERVAL);
    cluster.lab().blockVrrpMulticast("n2");
    Duration watch = Duration.ofSeconds(3);
    Poll.holdsFor(
        watch,
        () -> cluster.holdsVip("n1") && !cluster.holdsVip("n2"),
        () -> "only n1 holds the VIP" + cluster.state());
    JsonNode n2 = status("n2");
    List<String> kinds = n2.at("/groups/0/conflicts").findValuesAsText("kind");
    System.out.printf(
        Locale.ROOT,
        "NodeLinksIT: VRRP blocked, guard on: 0 ms with two masters over %d ms; n2 conflicts %s%n",
        watch.toMillis(),
        kinds);
    assertThat(kinds).contains("vip-path-fault");
    // n2's cluster view comes from the links' summaries (no api.peers configured): n1 heard over
    // LAN B as MASTER of web, and the same config hash although the priorities differ.
    try (NsForward api = NsForward.to(cluster.lab().nsName("n2"), "127.0.0.1", Api.PORT)) {
      Api.Answer a = Api.get(api.base(), "/v1/cluster");
      assertThat(a.status()).as("%s", a).isEqualTo(200);
      JsonNode view = a.json();
      JsonNode n1 = null;
      for (JsonNode n : view.get("nodes")) {
        if (n.get("node").asText().equals("n1")) {
          n1 = n;
        }
      }
      assertThat(n1).as("n1 in %s", view).isNotNull();
      assertThat(n1.get("heard").asBoolean()).as("%s", view).isTrue();
      assertThat(n1.get("lastHeardMillisAgo").asLong()).as("%s", view).isBetween(0L, 1_000L);
      assertThat(n1.at("/groups/0/state").asText()).as("%s", view).isEqualTo("MASTER");
      assertThat(view.get("problems").toString()).as("%s", view).doesNotContain("config hashes");
    }
  }

  /** The same without the guard: today's behaviour, both hold the VIP; both see the conflict. */
  @Test
  void withoutTheGuardBlockedVrrpMakesTwoMastersAndAConflict() {
    startBoth(false, Cluster.ADVERT_INTERVAL);
    Instant blocked = Instant.now();
    cluster.lab().blockVrrpMulticast("n2");
    cluster.awaitMaster("n2", Duration.ofSeconds(5));
    double ms = millis(blocked, Instant.now());
    assertThat(cluster.holdsVip("n1")).isTrue();
    Poll.until(
        Duration.ofSeconds(5),
        () ->
            status("n1")
                .at("/groups/0/conflicts")
                .findValuesAsText("kind")
                .contains("link-dual-master"),
        () -> "n1 to show link-dual-master: " + statusText("n1"));
    System.out.printf(
        Locale.ROOT,
        "NodeLinksIT: VRRP blocked, guard off: both hold the VIP from %.0f ms on%n",
        ms);
  }

  /**
   * Bad heartbeats sent to n1 from n2's LAN A address: junk, a bad HMAC, an unknown node, a
   * replayed sequence. Each is dropped and counted by reason; nothing else changes.
   */
  @Test
  void badHeartbeatsAreDroppedAndCounted() throws Exception {
    // A route of ours (protocol 175) that a killed earlier run left: removed at start.
    secondLan();
    cluster
        .lab()
        .exec(
            "n1", "ip", "route", "add", "198.18.99.0/24", "via", Lab.GATEWAY_LAN_A, "proto", "175");
    startBoth(false, Cluster.ADVERT_INTERVAL);
    assertThat(cluster.lab().route("n1", "198.18.99.0/24")).isEmpty();
    HeartbeatCodec codec = new HeartbeatCodec(KEY);
    byte[] buf = new byte[HeartbeatCodec.MAX_PACKET];
    NodeSummary n2 =
        new NodeSummary(
            "n2", 0, List.of(new NodeSummary.GroupEntry("web", 51, GroupState.FAULT, 0, false)));
    int replayLength = codec.encode(Heartbeat.Kind.NOTICE, 1, 0, n2, buf);
    byte[] replay = java.util.Arrays.copyOf(buf, replayLength);
    byte[] badMac = replay.clone();
    badMac[badMac.length - 1] ^= 1;
    int unknownLength =
        codec.encode(Heartbeat.Kind.INQUIRY, 5, 0, new NodeSummary("n9", 0, List.of()), buf);
    byte[] unknown = java.util.Arrays.copyOf(buf, unknownLength);
    byte[] junk = "not a heartbeat at all. ".repeat(4).getBytes(StandardCharsets.US_ASCII);
    Netns.call(
        cluster.lab().nsName("n2"),
        () -> {
          try (DatagramSocket s =
              new DatagramSocket(new InetSocketAddress(InetAddress.getByName(Lab.ipv4("n2")), 0))) {
            InetSocketAddress n1 =
                new InetSocketAddress(InetAddress.getByName(Lab.ipv4("n1")), 7370);
            for (byte[] p : List.of(junk, badMac, unknown, replay)) {
              s.send(new DatagramPacket(p, p.length, n1));
            }
          }
          return null;
        });
    Poll.until(
        Duration.ofSeconds(5),
        () -> {
          JsonNode drops = status("n1").at("/links/drops");
          return drops.path("BAD_MAGIC").asLong() == 1
              && drops.path("BAD_MAC").asLong() == 1
              && drops.path("UNKNOWN_NODE").asLong() == 1
              && drops.path("REPLAY").asLong() == 1;
        },
        () -> "n1 to count each drop: " + status("n1").at("/links/drops"));
    Poll.holdsFor(
        Duration.ofSeconds(1),
        () -> cluster.holdsVip("n1") && !cluster.holdsVip("n2"),
        () -> "nothing else changes" + cluster.state());
    assertThat(pathState("n1", 0)).isEqualTo("UP");
    System.out.println("NodeLinksIT: n1 status after bad heartbeats:\n" + statusText("n1"));
  }

  static final Duration PROBE_INTERVAL = Duration.ofMillis(100);

  /**
   * Gateway probes (docs/LINKS.md, "Gateway probes"): the gateway stops answering ARP on LAN A
   * while LAN A itself and the node-link paths on it stay UP. Only the probe can tell: the route
   * moves to LAN B after misses × interval and back after goods × interval, each time, without
   * flapping. A flood of extra replies from the gateway is only counted.
   */
  @Test
  void aGatewayThatStopsAnsweringArpMovesTheRouteWhileThePathsStayUp() throws Exception {
    secondLan();
    String probe =
        ", probe: {kind: arp, interval: "
            + PROBE_INTERVAL.toMillis()
            + "ms, misses: "
            + MISSES
            + ", goods: "
            + GOODS
            + "}";
    Duration adverts = Cluster.ADVERT_INTERVAL;
    cluster.start(config("n1", 200, adverts, false, probe));
    cluster.awaitMaster("n1", Cluster.STARTUP);
    cluster.start(config("n2", 100, adverts, false, probe));
    awaitPathsUp();
    Lab lab = cluster.lab();
    Poll.until(
        Duration.ofSeconds(5),
        () ->
            lab.route("n1", "198.18.100.0/24").contains("dev eth0")
                && status("n1").at("/links/hops/0/probe").asText().equals("UP"),
        () -> "n1's route via eth0 with its probe UP: " + statusText("n1"));

    // A flood of replies from the gateway's address that answer no request: counted, no more.
    String n1Mac = lab.exec("n1", "cat", "/sys/class/net/eth0/address").trim();
    String gwMac = lab.exec(Lab.GATEWAY, "cat", "/sys/class/net/eth0/address").trim();
    int ifindex =
        Integer.parseInt(lab.exec(Lab.GATEWAY, "cat", "/sys/class/net/eth0/ifindex").trim());
    byte[] reply =
        ArpFrame.request(
            MacAddress.parse(gwMac).toBytes(),
            (Inet4Address) InetAddress.ofLiteral(Lab.GATEWAY_LAN_A),
            (Inet4Address) InetAddress.ofLiteral(Lab.ipv4("n1")));
    reply[21] = ArpPacket.REPLY;
    MacAddress.parse(n1Mac).writeTo(reply, 0); // unicast to n1
    MacAddress.parse(n1Mac).writeTo(reply, 32);
    int flood = 2000;
    Netns.call(
        lab.nsName(Lab.GATEWAY),
        () -> {
          try (PacketSocket socket = PacketSocket.open()) {
            for (int i = 0; i < flood; i++) {
              socket.send(ifindex, reply, reply.length);
              if (i % 100 == 99) {
                Thread.sleep(5); // bursts: the watch's socket buffer holds a few hundred
              }
            }
          }
          return null;
        });
    Poll.until(
        Duration.ofSeconds(5),
        () -> status("n1").at("/links/drops/ARP_UNSOLICITED").asLong() >= flood / 2,
        () -> "n1 to count the flood: " + status("n1").at("/links/drops"));
    assertThat(status("n1").at("/links/hops/0/probe").asText()).isEqualTo("UP");
    assertThat(lab.route("n1", "198.18.100.0/24")).contains("dev eth0");
    int changesBefore = journal("n1", EventType.ROUTE_CHANGED).size();

    int reps = 5;
    double[] switches = new double[reps];
    double[] switchbacks = new double[reps];
    for (int rep = 0; rep < reps; rep++) {
      Instant mute = Instant.now();
      lab.exec(Lab.GATEWAY, "ip", "link", "set", "dev", "eth0", "arp", "off");
      Poll.until(
          Duration.ofSeconds(5),
          () -> lab.route("n1", "198.18.100.0/24").contains("dev eth1"),
          () -> "n1's route via eth1: " + statusText("n1"));
      JournalEvent moved = routeChange("n1", changesBefore + 2 * rep + 1);
      switches[rep] = millis(mute, moved.time());
      assertThat(String.valueOf(moved.fields().get("reason")))
          .contains("eth0 unhealthy: gateway probe DOWN (3 ARP requests unanswered in a row)");
      assertThat(pathState("n1", 0)).isEqualTo("UP"); // LAN A itself is fine
      lab.exec("n1", "ping", "-c", "1", "-W", "2", Lab.FAR_CLIENT); // answered over LAN B

      Instant answer = Instant.now();
      lab.exec(Lab.GATEWAY, "ip", "link", "set", "dev", "eth0", "arp", "on");
      Poll.until(
          Duration.ofSeconds(5),
          () -> lab.route("n1", "198.18.100.0/24").contains("dev eth0"),
          () -> "n1's route back via eth0: " + statusText("n1"));
      JournalEvent back = routeChange("n1", changesBefore + 2 * rep + 2);
      switchbacks[rep] = millis(answer, back.time());
      assertThat(String.valueOf(back.fields().get("reason")))
          .startsWith("switchback: eth0 healthy again");
      Poll.sleep(PROBE_INTERVAL.multipliedBy(2)); // settle before the next round
    }
    List<JournalEvent> changes = journal("n1", EventType.ROUTE_CHANGED);
    assertThat(changes).hasSize(changesBefore + 2 * reps); // each round: away and back, no flap
    List<JournalEvent> probes = journal("n1", EventType.GATEWAY_PROBE_CHANGED);
    System.out.println("NodeLinksIT: n1 status with gateway probes:\n" + statusText("n1"));
    System.out.printf(
        Locale.ROOT,
        "NodeLinksIT: gateway probe (ARP every %d ms, misses %d, goods %d): route via LAN B after"
            + " %s ms (median %.1f), back after %s ms (median %.1f); %d probe changes; flood of %d"
            + " replies counted %d%n",
        PROBE_INTERVAL.toMillis(),
        MISSES,
        GOODS,
        java.util.Arrays.toString(round(switches)),
        median(switches),
        java.util.Arrays.toString(round(switchbacks)),
        median(switchbacks),
        probes.size(),
        flood,
        status("n1").at("/links/drops/ARP_UNSOLICITED").asLong());
    // misses × interval, ± one interval, plus slack for a busy 2-core host and forking ip.
    assertThat(median(switches)).isBetween((MISSES - 1) * PROBE_INTERVAL.toMillis() * 1.0, 2_000.0);
    assertThat(median(switchbacks)).isLessThan(2_000.0);
  }

  /**
   * ICMP gateway probes (docs/LINKS.md, "Gateway probes"): the gateway keeps answering ARP on LAN A
   * but drops the pings that reach it there (nftables), as a router whose IP stack no longer
   * answers while its ARP still does. n1 probes it with {@code kind: icmp}, n2 with {@code kind:
   * arp}: n1's probe goes DOWN after misses × interval and its route moves to LAN B, while n2's ARP
   * probe stays UP and its route stays on LAN A; once pings are answered again, n1's probe is UP
   * after goods and its route comes back, once per round.
   */
  @Test
  void aGatewayThatAnswersArpButNotPingsMovesOnlyTheIcmpProbedRoute() throws Exception {
    secondLan();
    String settings =
        ", interval: "
            + PROBE_INTERVAL.toMillis()
            + "ms, misses: "
            + MISSES
            + ", goods: "
            + GOODS
            + "}";
    Duration adverts = Cluster.ADVERT_INTERVAL;
    cluster.start(config("n1", 200, adverts, false, ", probe: {kind: icmp" + settings));
    cluster.awaitMaster("n1", Cluster.STARTUP);
    cluster.start(config("n2", 100, adverts, false, ", probe: {kind: arp" + settings));
    awaitPathsUp();
    Lab lab = cluster.lab();
    for (String node : List.of("n1", "n2")) {
      Poll.until(
          Duration.ofSeconds(5),
          () ->
              lab.route(node, "198.18.100.0/24").contains("dev eth0")
                  && status(node).at("/links/hops/0/probe").asText().equals("UP"),
          () -> node + "'s route via eth0 with its probe UP: " + statusText(node));
    }
    assertThat(status("n1").at("/links/hops/0/probeKind").asText()).isEqualTo("icmp");
    assertThat(status("n2").at("/links/hops/0/probeKind").asText()).isEqualTo("arp");
    assertThat(statusText("n1")).contains("icmp probe UP");

    // Echo replies from the gateway with n1's identifier that name no outstanding request (the
    // number of one already answered): counted, nothing else. The identifier is random per run,
    // so it is read off one of n1's requests as the gateway receives it.
    String captured =
        lab.exec(
            Lab.GATEWAY,
            "tcpdump",
            "-i",
            "eth0",
            "-nn",
            "-l",
            "-x",
            "-c",
            "1",
            "icmp[icmptype] == icmp-echo and src host " + Lab.ipv4("n1"));
    StringBuilder hex = new StringBuilder();
    for (String line : captured.lines().toList()) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("^\\s+0x[0-9a-f]+:\\s+(.*)$").matcher(line);
      if (m.matches()) {
        hex.append(m.group(1).replace(" ", ""));
      }
    }
    byte[] request = java.util.HexFormat.of().parseHex(hex.toString());
    assertThat(request.length).as(captured).isEqualTo(20 + IcmpCodec.PROBE_LENGTH);
    byte[] stale =
        IcmpCodec.echo(
            IcmpCodec.ECHO_REPLY,
            ((request[24] & 0xff) << 8) | (request[25] & 0xff),
            ((request[26] & 0xff) << 8) | (request[27] & 0xff),
            java.util.Arrays.copyOfRange(request, 28, 36));
    int gwIndex =
        Integer.parseInt(lab.exec(Lab.GATEWAY, "cat", "/sys/class/net/eth0/ifindex").trim());
    int flood = 500;
    Netns.call(
        lab.nsName(Lab.GATEWAY),
        () -> {
          try (IcmpSocket socket =
              IcmpSocket.open(gwIndex, (Inet4Address) InetAddress.ofLiteral(Lab.GATEWAY_LAN_A))) {
            Inet4Address n1 = (Inet4Address) InetAddress.ofLiteral(Lab.ipv4("n1"));
            for (int i = 0; i < flood; i++) {
              socket.sendWithoutWaiting(stale, stale.length, n1);
              if (i % 100 == 99) {
                Thread.sleep(5); // bursts: the probe socket's buffer holds a few hundred
              }
            }
          }
          return null;
        });
    Poll.until(
        Duration.ofSeconds(5),
        () -> status("n1").at("/links/drops/ICMP_UNSOLICITED").asLong() >= flood / 2,
        () -> "n1 to count the stale replies: " + status("n1").at("/links/drops"));
    assertThat(status("n1").at("/links/hops/0/probe").asText()).isEqualTo("UP");
    assertThat(lab.route("n1", "198.18.100.0/24")).contains("dev eth0");
    int changesBefore = journal("n1", EventType.ROUTE_CHANGED).size();
    int n2ChangesBefore = journal("n2", EventType.ROUTE_CHANGED).size();

    int reps = 3;
    double[] switches = new double[reps];
    double[] switchbacks = new double[reps];
    for (int rep = 0; rep < reps; rep++) {
      Instant mute = Instant.now();
      lab.dropIcmpEchoIn(Lab.GATEWAY, "eth0");
      Poll.until(
          Duration.ofSeconds(5),
          () -> lab.route("n1", "198.18.100.0/24").contains("dev eth1"),
          () -> "n1's route via eth1: " + statusText("n1"));
      JournalEvent moved = routeChange("n1", changesBefore + 2 * rep + 1);
      switches[rep] = millis(mute, moved.time());
      assertThat(String.valueOf(moved.fields().get("reason")))
          .contains(
              "eth0 unhealthy: gateway probe DOWN (3 ICMP echo requests unanswered in a row)");
      assertThat(pathState("n1", 0)).isEqualTo("UP"); // LAN A itself is fine
      // The gateway still answers ARP: n2's probe and route are untouched.
      Poll.holdsFor(
          PROBE_INTERVAL.multipliedBy(MISSES + 2),
          () ->
              status("n2").at("/links/hops/0/probe").asText().equals("UP")
                  && lab.route("n2", "198.18.100.0/24").contains("dev eth0"),
          () -> "n2's ARP probe UP and route via eth0: " + statusText("n2"));
      lab.exec("n1", "ping", "-c", "1", "-W", "2", Lab.FAR_CLIENT); // answered over LAN B

      Instant answer = Instant.now();
      lab.allowIcmpEchoIn(Lab.GATEWAY);
      Poll.until(
          Duration.ofSeconds(5),
          () -> lab.route("n1", "198.18.100.0/24").contains("dev eth0"),
          () -> "n1's route back via eth0: " + statusText("n1"));
      JournalEvent back = routeChange("n1", changesBefore + 2 * rep + 2);
      switchbacks[rep] = millis(answer, back.time());
      assertThat(String.valueOf(back.fields().get("reason")))
          .startsWith("switchback: eth0 healthy again");
      Poll.sleep(PROBE_INTERVAL.multipliedBy(2)); // settle before the next round
    }
    List<JournalEvent> changes = journal("n1", EventType.ROUTE_CHANGED);
    assertThat(changes).hasSize(changesBefore + 2 * reps); // each round: away and back, no flap
    assertThat(journal("n2", EventType.ROUTE_CHANGED)).hasSize(n2ChangesBefore);
    List<JournalEvent> probes = journal("n1", EventType.GATEWAY_PROBE_CHANGED);
    assertThat(probes)
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.fields()).containsEntry("kind", "icmp"));
    assertThat(probes.stream().filter(e -> "DOWN".equals(e.fields().get("to"))).count())
        .isEqualTo(reps);
    assertThat(
            journal("n2", EventType.GATEWAY_PROBE_CHANGED).stream()
                .filter(e -> "DOWN".equals(e.fields().get("to"))))
        .isEmpty();
    System.out.println("NodeLinksIT: n1 status with an ICMP gateway probe:\n" + statusText("n1"));
    System.out.printf(
        Locale.ROOT,
        "NodeLinksIT: gateway probe (ICMP echo every %d ms, misses %d, goods %d): route via LAN B"
            + " after %s ms (median %.1f), back after %s ms (median %.1f); %d probe changes; n2's"
            + " ARP probe stayed UP, its route unchanged; n1 drops %s%n",
        PROBE_INTERVAL.toMillis(),
        MISSES,
        GOODS,
        java.util.Arrays.toString(round(switches)),
        median(switches),
        java.util.Arrays.toString(round(switchbacks)),
        median(switchbacks),
        probes.size(),
        status("n1").at("/links/drops"));
    assertThat(median(switches)).isBetween((MISSES - 1) * PROBE_INTERVAL.toMillis() * 1.0, 2_000.0);
    assertThat(median(switchbacks)).isLessThan(2_000.0);
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  static double[] round(double[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Math.round(values[i] * 10) / 10.0;
    }
    return out;
  }
}
