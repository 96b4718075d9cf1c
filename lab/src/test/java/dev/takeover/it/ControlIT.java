package dev.takeover.it;

import static dev.takeover.it.Cluster.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.cli.Main;
import dev.takeover.lab.ProbeEvent;
import dev.takeover.lab.ProbeFollower;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator's view through the control socket of real daemons: status from both sides,
 * maintenance handing over without a lost probe (make-before-break) and back, a planned move, and
 * the event journal.
 */
class ControlIT {
  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  private Path socket(String node) {
    return cluster.stateDir(node).resolve("control.sock");
  }

  /** Runs a CLI command in this JVM and returns its stdout; fails on a non-zero exit. */
  private String cli(String... args) {
    StringWriter buffer = new StringWriter();
    StringWriter errors = new StringWriter();
    int code =
        Main.commandLine()
            .setOut(new PrintWriter(buffer, true))
            .setErr(new PrintWriter(errors, true))
            .execute(args);
    String text = buffer.toString();
    assertThat(code).as(String.join(" ", args) + " printed:\n" + text + errors).isZero();
    return text;
  }

  @Test
  void statusMaintenanceMoveAndEvents() {
    ProbeFollower probe = cluster.startPair(config("n1", 200), config("n2", 100));
    Poll.until(
        Duration.ofSeconds(5),
        () -> socket("n1").toFile().exists() && socket("n2").toFile().exists(),
        () -> "control sockets");

    String n1 = cli("status", "--socket", socket("n1").toString());
    assertThat(n1).contains("n1", "web", "MASTER", "198.18.0.50/24");
    String n2 = cli("status", "--socket", socket("n2").toString());
    assertThat(n2).contains("BACKUP", "198.18.0.1");
    assertThat(cli("status", "--json", "--socket", socket("n2").toString()))
        .contains("\"vipOwner\":\"198.18.0.1\"", "\"runtime\":{\"timers\":");
    assertThat(n1).containsPattern("runtime: timers late p50 <\\d+ us");

    // Maintenance: n2 claims before n1 lets go, so the client loses nothing.
    int mark = probe.mark();
    cli("maintenance", "on", "--socket", socket("n1").toString());
    probe.awaitAnswerer(mark, "n2", Duration.ofSeconds(5));
    cluster.awaitReleased("n1", Duration.ofSeconds(2));
    Poll.until(
        Duration.ofSeconds(2),
        () -> cli("status", "--socket", socket("n1").toString()).contains("FAULT"),
        () -> "n1 in FAULT while in maintenance");
    assertThat(probe.since(mark, ProbeEvent.Outage.class))
        .as("probes lost by maintenance")
        .isEmpty();

    mark = probe.mark();
    cli("maintenance", "off", "--socket", socket("n1").toString());
    probe.awaitAnswerer(mark, "n1", Duration.ofSeconds(5));
    cluster.awaitReleased("n2", Duration.ofSeconds(2));

    // A planned move, asked of the master, naming the target by the address it was heard from
    // (no nodes section here); the command returns once n2 is seen master.
    mark = probe.mark();
    assertThat(cli("move", "web", "--to", "198.18.0.2", "--socket", socket("n1").toString()))
        .contains("moved: 198.18.0.2 is master now");
    probe.awaitAnswerer(mark, "n2", Duration.ofSeconds(5));
    cluster.awaitReleased("n1", Duration.ofSeconds(2));
    Poll.sleep(Duration.ofMillis(600)); // a gap would be reported once the probe gives it up
    // Make-before-break: without it this loses ~65 probes. A rare single lost probe at the
    // switch is not explained yet (bench/ counts it); more than that is a regression.
    assertThat(
            probe.since(mark, ProbeEvent.Outage.class).stream()
                .mapToLong(ProbeEvent.Outage::lost)
                .sum())
        .as("probes lost by a move")
        .isLessThanOrEqualTo(1);

    String events = cli("events", "-n", "50", "--socket", socket("n1").toString());
    assertThat(events).contains("state.changed", "address.removed", "daemon.started");
    assertThat(cli("events", "-n", "50", "--socket", socket("n2").toString()))
        .as("the new master journals its timeline")
        .contains("transition.timeline");
  }
}
