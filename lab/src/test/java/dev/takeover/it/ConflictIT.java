package dev.takeover.it;

import static dev.takeover.it.Cluster.VIP;
import static dev.takeover.it.Cluster.config;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.takeover.cli.ExitCode;
import dev.takeover.cli.Main;
import dev.takeover.control.ControlJson;
import dev.takeover.journal.EventType;
import dev.takeover.journal.Journal;
import dev.takeover.journal.JournalEvent;
import dev.takeover.lab.NodeDaemon;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Address conflicts (RFC 5227) and routers that conflict (issue 9 items 4, 5; issue 10 item 7),
 * with real daemons in namespaces: each is kept from harming clients where it can be, shown by
 * {@code status} (exit 4, text and JSON) and journaled.
 */
class ConflictIT {
  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  /** {@code takeover status --json} against {@code node}'s daemon: the exit code and the JSON. */
  record Status(int code, JsonNode json, String text) {
    List<String> kinds() {
      List<String> kinds = new ArrayList<>();
      json.at("/groups/0/conflicts").forEach(c -> kinds.add(c.path("kind").asText()));
      return kinds;
    }
  }

  private Status status(String node) {
    String socket = cluster.stateDir(node).resolve("control.sock").toString();
    StringWriter out = new StringWriter();
    int code =
        Main.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(new StringWriter(), true))
            .execute("status", "--json", "--socket", socket);
    StringWriter text = new StringWriter();
    int textCode =
        Main.commandLine()
            .setOut(new PrintWriter(text, true))
            .setErr(new PrintWriter(new StringWriter(), true))
            .execute("status", "--socket", socket);
    try {
      JsonNode json =
          out.toString().isBlank()
              ? ControlJson.MAPPER.createObjectNode()
              : ControlJson.MAPPER.readTree(out.toString());
      assertThat(textCode).as("the same exit code in text and JSON").isEqualTo(code);
      return new Status(code, json, text.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<JournalEvent> journal(String node, EventType type) {
    return Journal.read(cluster.stateDir(node), e -> e.type() == type, 100).events();
  }

  private Status awaitConflict(String node, String kind, Duration timeout) {
    Poll.until(
        timeout,
        () -> status(node).kinds().contains(kind),
        () -> node + " to show a " + kind + " conflict; status: " + status(node).text());
    return status(node);
  }

  @Test
  void anAddressInUseAtStartUpIsNotClaimedUntilItIsFree() {
    cluster.lab().exec("n2", "ip", "addr", "add", VIP + "/24", "dev", "eth0");
    String otherMac = cluster.lab().mac("n2");
    NodeDaemon n1 = cluster.start(config("n1", 100));
    Cluster.awaitTakeoverState(n1, "MASTER", Cluster.STARTUP);

    Status s = awaitConflict("n1", "address-in-use", Duration.ofSeconds(5));
    assertThat(s.code()).isEqualTo(ExitCode.CONFLICT.code);
    assertThat(s.json().at("/groups/0/conflicts/0/subject").asText()).contains(otherMac);
    assertThat(s.json().at("/groups/0/claimWaitsForProbe").asBoolean()).isTrue();
    assertThat(s.text()).contains("CONFLICT: group web (VRID 51) address-in-use", otherMac);
    assertThat(journal("n1", EventType.ADDRESS_CONFLICT))
        .singleElement()
        .satisfies(e -> assertThat(e.fields()).containsEntry("otherMac", otherMac));
    Poll.holdsFor(
        Duration.ofSeconds(2),
        () -> !cluster.holdsVip("n1"),
        () -> "n1 claims nothing while " + VIP + " is in use");

    long freed = System.nanoTime();
    cluster.lab().exec("n2", "ip", "addr", "del", VIP + "/24", "dev", "eth0");
    cluster.awaitMaster("n1", Duration.ofSeconds(5));
    System.out.printf(
        "address freed -> claimed by n1 in %.0f ms%n",
        Cluster.millisBetween(freed, System.nanoTime()));
    Status after = status("n1");
    assertThat(after.code()).isEqualTo(ExitCode.OK.code);
    assertThat(after.kinds()).isEmpty();
  }

  @Test
  void aForeignAnnouncementWhileMasterIsDefendedAndJournaled() {
    cluster.startEcho();
    var probe = cluster.startProbe();
    cluster.start(config("n1", 100));
    cluster.awaitMaster("n1", Cluster.STARTUP);
    probe.awaitAnswerer(0, "n1", Cluster.STARTUP);
    cluster.awaitClientNeighbour("n1", Duration.ofSeconds(2));

    String stranger = cluster.lab().mac("n2"); // n2 runs no daemon: a host, not a peer
    RawArp.announce(cluster.lab(), "n2", stranger, VIP, 1);
    cluster.awaitClientNeighbour("n1", Duration.ofMillis(500));
    Poll.until(
        Duration.ofSeconds(3),
        () -> !journal("n1", EventType.ADDRESS_CONFLICT).isEmpty(),
        () -> "n1 to journal address.conflict");
    assertThat(journal("n1", EventType.ADDRESS_CONFLICT).getFirst().fields())
        .containsEntry("otherMac", stranger);
    assertThat(cluster.holdsVip("n1")).isTrue();
    Status s = status("n1");
    assertThat(s.code()).isEqualTo(ExitCode.CONFLICT.code);
    assertThat(s.kinds()).containsExactly("address-in-use");

    // Announced again: defended at most once per DEFEND_INTERVAL, journaled once per episode.
    RawArp.announce(cluster.lab(), "n2", stranger, VIP, 5);
    Poll.sleep(Duration.ofMillis(500));
    assertThat(journal("n1", EventType.ADDRESS_CONFLICT)).hasSize(1);
    assertThat(cluster.daemon("n1").process().log()).contains("announcing addresses again");
  }

  @Test
  void aVrrpVersion2PeerIsAConflict() {
    cluster.start(config("n1", 200));
    cluster.awaitMaster("n1", Cluster.STARTUP);
    NodeDaemon v2 = cluster.startKeepalived(config("n2", 100), "  vrrp_version 2\n");
    // keepalived cannot read our VRRPv3 adverts, so it becomes master too.
    Cluster.awaitKeepalivedState(v2, "MASTER", Duration.ofSeconds(15));
    Status s = awaitConflict("n1", "unreadable-master", Duration.ofSeconds(5));
    assertThat(s.code()).isEqualTo(ExitCode.CONFLICT.code);
    assertThat(s.json().at("/groups/0/drops/BAD_VERSION").asLong()).isPositive();
    assertThat(journal("n1", EventType.CONFLICT_DETECTED))
        .anySatisfy(e -> assertThat(e.fields()).containsEntry("kind", "unreadable-master"));
  }

  @Test
  void aPeerWithTheOtherChecksumModeIsAConflictAndClaimsNothing() {
    cluster.start(config("n1", 200));
    cluster.awaitMaster("n1", Cluster.STARTUP);
    NodeDaemon n2 = cluster.start(config("n2", 100).withGroupYaml("    checksum: rfc9568\n"));
    Cluster.awaitTakeoverState(n2, "MASTER", Cluster.STARTUP);
    Status s = awaitConflict("n1", "unreadable-master", Duration.ofSeconds(5));
    assertThat(s.json().at("/groups/0/drops/CHECKSUM_MODE_MISMATCH").asLong()).isPositive();
    // n2 cannot read n1 either: n1's MAC is no peer's to it, so its probe finds the address in
    // use and it keeps its hands off.
    awaitConflict("n2", "address-in-use", Duration.ofSeconds(5));
    assertThat(cluster.holdsVip("n2")).isFalse();
    assertThat(cluster.holdsVip("n1")).isTrue();
  }

  @Test
  void twoAddressOwnersAreAConflictWithItsExitCode() {
    cluster.start(config("n1", 255));
    cluster.awaitMaster("n1", Cluster.STARTUP);
    cluster.start(config("n2", 255));
    cluster.awaitMaster("n2", Cluster.STARTUP); // RFC 5798 §6.4.1: an owner claims at once
    for (String node : List.of("n1", "n2")) {
      Status s = awaitConflict(node, "dual-owner", Duration.ofSeconds(5));
      assertThat(s.code()).isEqualTo(ExitCode.CONFLICT.code);
      assertThat(s.text()).contains("CONFLICT: group web (VRID 51) dual-owner");
      assertThat(journal(node, EventType.CONFLICT_DETECTED))
          .anySatisfy(e -> assertThat(e.fields()).containsEntry("kind", "dual-owner"));
      assertThat(cluster.daemon(node).process().log()).contains("ERROR", "CONFLICT dual-owner");
    }
  }
}
