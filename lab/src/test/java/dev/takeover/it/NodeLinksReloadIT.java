package dev.takeover.it;

import static dev.takeover.it.Cluster.VIP;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.takeover.cli.Main;
import dev.takeover.journal.EventType;
import dev.takeover.journal.JournalEvent;
import dev.takeover.lab.Lab;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.ProbeEvent;
import dev.takeover.lab.ProbeFollower;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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
 * A reload that changes the {@code links} section applies it without a restart (docs/CONFIG.md,
 * "Reload"): a pair on two LANs runs with one path; a reload adds the second path (it comes UP, no
 * group changes state, the VIP stays, the client loses nothing), another removes it again (the peer
 * sees it go DOWN, nothing else changes), and a route added by a reload is in the kernel with
 * protocol 175 until the next reload removes it.
 */
class NodeLinksReloadIT {
  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  static final byte[] KEY = "it-node-link-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  static final Duration HEARTBEAT = Duration.ofMillis(100);
  static final int MISSES = 3;
  static final int GOODS = 3;
  static final String CLIENTS = "198.18.100.0/24";

  static final byte[] NEW_KEY =
      "it-node-link-key-fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

  private boolean newKey; // which key file config() names

  private Path keyFile() {
    try {
      Path file = cluster.logDir().resolve("conf").resolve(newKey ? "links-new.key" : "links.key");
      Files.createDirectories(file.getParent());
      Files.write(file, newKey ? NEW_KEY : KEY);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code node}'s configuration: path A, path B if {@code lanB}, the route if {@code route}. */
  private NodeConfig config(String node, int priority, boolean lanB, boolean route) {
    String routes =
        route
            ? "  routes:\n"
                + "    - destination: "
                + CLIENTS
                + "\n"
                + "      via:\n"
                + "        - {interface: eth0, gateway: "
                + Lab.GATEWAY_LAN_A
                + "}\n"
                + "        - {interface: eth1, gateway: "
                + Lab.GATEWAY_LAN_B
                + "}\n"
            : "";
    String yaml = NodeConfig.linksYaml(node, keyFile(), HEARTBEAT, MISSES, GOODS, lanB, routes);
    return NodeConfig.of(node, priority, Cluster.ADVERT_INTERVAL, VIP + "/24").withGroupYaml(yaml);
  }

  /** Writes the configuration and reloads the running daemon; returns the reload's answer. */
  private String reload(NodeConfig config) {
    return reload(config, 0);
  }

  private String reload(NodeConfig config, int exitCode) {
    config.write(cluster.logDir().resolve("conf"));
    Path socket = cluster.stateDir(config.node()).resolve("control.sock");
    StringWriter buffer = new StringWriter();
    PrintWriter capture = new PrintWriter(buffer, true);
    int code =
        Main.commandLine()
            .setOut(capture)
            .setErr(capture)
            .execute("reload", "--socket", socket.toString());
    assertThat(code).as(buffer.toString()).isEqualTo(exitCode);
    return buffer.toString();
  }

  private JsonNode paths(String node) {
    return cluster.statusJson(node).at("/links/paths");
  }

  private String pathState(String node, String local) {
    for (JsonNode p : paths(node)) {
      if (p.at("/local").asText().equals(local)) {
        return p.at("/state").asText();
      }
    }
    return "(none)";
  }

  private long stateChanges(String node) {
    return cluster.journal(node, EventType.STATE_CHANGED).size();
  }

  private static long lost(ProbeFollower probe, int mark) {
    return probe.since(mark, ProbeEvent.Outage.class).stream()
        .mapToLong(ProbeEvent.Outage::lost)
        .sum();
  }

  private static double millis(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }

  @Test
  void aReloadAddsAndRemovesAPathAndARouteWithoutARestart() throws Exception {
    cluster.lab().addSecondLan();
    ProbeFollower probe =
        cluster.startPair(config("n1", 200, false, false), config("n2", 100, false, false));
    String n1a = Lab.ipv4("n1");
    String n2a = Lab.ipv4("n2");
    String n1b = Lab.lanBIpv4("n1");
    String n2b = Lab.lanBIpv4("n2");
    Poll.until(
        Cluster.STARTUP,
        () -> pathState("n1", n1a).equals("UP") && pathState("n2", n2a).equals("UP"),
        () -> "path A UP on both: " + cluster.statusText("n1") + cluster.statusText("n2"));
    long changes1 = stateChanges("n1");
    long changes2 = stateChanges("n2");
    String pidN1 = String.valueOf(cluster.daemon("n1").pids());
    int mark = probe.mark();

    // 1. Path B added, on both nodes: it comes UP; path A stays UP throughout.
    Instant added = Instant.now();
    assertThat(reload(config("n1", 200, true, false)))
        .contains("links: added path to n2 " + n1b + " -> " + n2b);
    assertThat(reload(config("n2", 100, true, false)))
        .contains("links: added path to n1 " + n2b + " -> " + n1b);
    Poll.until(
        Duration.ofSeconds(5),
        () -> pathState("n1", n1b).equals("UP") && pathState("n2", n2b).equals("UP"),
        () -> "path B UP on both: " + cluster.statusText("n1") + cluster.statusText("n2"));
    Instant up =
        cluster.journal("n1", EventType.LINK_PATH_CHANGED).stream()
            .filter(e -> n1b.equals(e.fields().get("local")) && "UP".equals(e.fields().get("to")))
            .map(JournalEvent::time)
            .findFirst()
            .orElseThrow();
    assertThat(pathState("n1", n1a)).isEqualTo("UP");
    assertThat(pathState("n2", n2a)).isEqualTo("UP");
    // Path A never changed state: no journal event for it since the reload.
    assertThat(
            cluster.journal("n1", EventType.LINK_PATH_CHANGED).stream()
                .filter(e -> e.time().isAfter(added) && n1a.equals(e.fields().get("local"))))
        .isEmpty();
    assertThat(cluster.journal("n1", EventType.CONFIG_RELOADED).getLast().fields().get("links"))
        .asString()
        .contains("added path to n2");

    // 2. Path B removed on n1 only: n2 sees it go DOWN; nothing else changes.
    Instant removed = Instant.now();
    assertThat(reload(config("n1", 200, false, false)))
        .contains("links: removed path to n2 " + n1b + " -> " + n2b);
    Poll.until(
        Duration.ofSeconds(5),
        () -> pathState("n2", n2b).equals("DOWN"),
        () -> "n2's path B DOWN: " + cluster.statusText("n2"));
    Instant down =
        cluster.journal("n2", EventType.LINK_PATH_CHANGED).stream()
            .filter(
                e ->
                    n2b.equals(e.fields().get("local"))
                        && "DOWN".equals(e.fields().get("to"))
                        && e.time().isAfter(removed))
            .map(JournalEvent::time)
            .findFirst()
            .orElseThrow();
    assertThat(pathState("n1", n1b)).isEqualTo("(none)");
    assertThat(pathState("n1", n1a)).isEqualTo("UP");
    assertThat(pathState("n2", n2a)).isEqualTo("UP");

    // A refused reload changes nothing: path B back, but a route on an interface n1 does not
    // have (path B's socket, opened first, is closed again).
    String refused =
        reload(
            config("n1", 200, true, false)
                .withGroupYaml(
                    "  routes:\n"
                        + "    - destination: 198.18.103.0/24\n"
                        + "      via: [{interface: eth9, gateway: "
                        + Lab.GATEWAY_LAN_A
                        + "}]\n"),
            1);
    assertThat(refused).contains("no interface eth9");
    assertThat(pathState("n1", n1b)).isEqualTo("(none)");
    assertThat(pathState("n1", n1a)).isEqualTo("UP");

    // 3. A route added by a reload is installed with our protocol; the next reload deletes it.
    Lab lab = cluster.lab();
    assertThat(lab.route("n1", CLIENTS)).isEmpty();
    assertThat(reload(config("n1", 200, false, true)))
        .contains("links: added route " + CLIENTS + " via eth0 " + Lab.GATEWAY_LAN_A);
    Poll.until(
        Duration.ofSeconds(5),
        () -> lab.route("n1", CLIENTS).contains("dev eth0"),
        () -> "n1's route via eth0: " + lab.route("n1", CLIENTS));
    assertThat(lab.route("n1", CLIENTS)).contains("proto 175");
    assertThat(reload(config("n1", 200, false, false)))
        .contains("links: removed route " + CLIENTS + " (deleted)");
    Poll.until(
        Duration.ofSeconds(5),
        () -> lab.route("n1", CLIENTS).isBlank(),
        () -> "n1's route gone: " + lab.route("n1", CLIENTS));

    // 4. A new key, one node after the other: the first answers the second in the old key until
    // it has the new one, so no path goes DOWN, and both forget the old key at the end.
    Instant rekeyed = Instant.now();
    newKey = true;
    assertThat(reload(config("n1", 200, false, false))).contains("links: key changed");
    Thread.sleep(HEARTBEAT.multipliedBy(MISSES + 2).toMillis()); // n2 not reloaded yet
    assertThat(reload(config("n2", 100, true, false))).contains("links: key changed");
    Poll.until(
        Duration.ofSeconds(5),
        () ->
            cluster.daemon("n1").process().log().contains("every peer uses the new key")
                && cluster.daemon("n2").process().log().contains("every peer uses the new key"),
        () -> "both on the new key: " + cluster.statusText("n1") + cluster.statusText("n2"));
    Thread.sleep(HEARTBEAT.multipliedBy(MISSES + 2).toMillis());
    assertThat(pathState("n1", n1a)).isEqualTo("UP");
    assertThat(pathState("n2", n2a)).isEqualTo("UP");
    for (String node : List.of("n1", "n2")) {
      assertThat(
              cluster.journal(node, EventType.LINK_PATH_CHANGED).stream()
                  .filter(e -> e.time().isAfter(rekeyed) && !n2b.equals(e.fields().get("local"))))
          .as(node + "'s path A through the key change")
          .isEmpty();
    }

    // Throughout: the same processes, no group changed state, the VIP stayed, no probe lost.
    Thread.sleep(600); // an outage is reported once the probe gives it up
    assertThat(String.valueOf(cluster.daemon("n1").pids())).isEqualTo(pidN1);
    assertThat(stateChanges("n1")).as("n1's state changes").isEqualTo(changes1);
    assertThat(stateChanges("n2")).as("n2's state changes").isEqualTo(changes2);
    assertThat(cluster.holdsVip("n1") && !cluster.holdsVip("n2")).isTrue();
    assertThat(probe.since(mark, ProbeEvent.AnswererChanged.class)).isEmpty();
    assertThat(lost(probe, mark)).as("client probes lost").isZero();
    System.out.printf(
        Locale.ROOT,
        "NodeLinksReloadIT: path B UP %.1f ms after the first reload (goods x interval = %d ms);"
            + " n2's path B DOWN %.1f ms after n1's reload removed it (misses x interval = %d"
            + " ms)%n",
        millis(added, up),
        GOODS * HEARTBEAT.toMillis(),
        millis(removed, down),
        MISSES * HEARTBEAT.toMillis());
  }
}
