package dev.takeover.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.cli.Main;
import dev.takeover.lab.LabProcess;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import dev.takeover.lab.ProbeEvent;
import dev.takeover.lab.ProbeFollower;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rolling migration of docs/KEEPALIVED.md, done as an operator would, with the client probing
 * the VIP every millisecond: a keepalived 2.2.7 pair (VRRPv2, {@code auth_type PASS}, 1 s adverts)
 * becomes a Takeover pair one node at a time, each node's Takeover configuration made by {@code
 * takeover import} from that node's own keepalived.conf (only the lab's state directory added).
 *
 * <ol>
 *   <li>The backup first: keepalived stops, Takeover starts from the imported file and follows
 *       keepalived's master. The client loses nothing.
 *   <li>Then the master: keepalived stops gracefully (a priority-0 advert, RFC 3768 §6.4.3), the
 *       Takeover backup claims after Skew_Time; Takeover starts on the old master from its imported
 *       file and preempts back with Takeover's own planned handover. The client loses at most one
 *       probe there.
 * </ol>
 */
class RollingMigrationIT {
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final String PASSWORD = "secret12";

  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  private NodeDaemon keepalived(String node, int priority) {
    return cluster.startKeepalived(
        NodeConfig.of(node, priority, INTERVAL, Cluster.VIP + "/24"),
        "  vrrp_version 2\n",
        "  authentication {\n    auth_type PASS\n    auth_pass " + PASSWORD + "\n  }\n");
  }

  /**
   * {@code takeover import} of {@code node}'s keepalived.conf, run as the CLI in this JVM, plus the
   * one line the lab needs (two daemons on one host cannot share /run/takeover).
   */
  private Path imported(String node) throws IOException {
    Path conf = cluster.logDir().resolve("conf");
    Path yaml = conf.resolve(node + "-imported.yaml");
    Path report = conf.resolve(node + "-import-report.txt");
    StringWriter out = new StringWriter();
    PrintWriter capture = new PrintWriter(out, true);
    int rc =
        Main.commandLine()
            .setOut(capture)
            .setErr(capture)
            .execute(
                "import",
                "--force",
                "-o",
                yaml.toString(),
                "--report",
                report.toString(),
                NodeDaemon.keepalivedConfFile(conf, node).toString());
    assertThat(rc).as("takeover import for %s: %s", node, out).isZero();
    assertThat(Files.readString(report)).contains("0 not mapped");
    Files.writeString(
        yaml,
        "daemon:\n  state-dir: \"" + cluster.stateDir(node) + "\"\n",
        StandardOpenOption.APPEND);
    return yaml;
  }

  private LabProcess takeover(String node, Path yaml) {
    List<String> argv = new ArrayList<>(cluster.daemonLauncher().takeover());
    argv.addAll(List.of("run", "-c", yaml.toString()));
    return cluster.lab().start(node, argv, cluster.logDir().resolve(node + "-takeover.log"));
  }

  private static long lost(ProbeFollower probe, int mark) {
    return probe.since(mark, ProbeEvent.Outage.class).stream()
        .mapToLong(ProbeEvent.Outage::lost)
        .sum();
  }

  @Test
  void aKeepalivedPairBecomesATakeoverPairOneNodeAtATime() throws Exception {
    cluster.startEcho();
    ProbeFollower probe = cluster.startProbe();
    NodeDaemon k1 = keepalived("n1", 200);
    Cluster.awaitKeepalivedState(k1, "MASTER", Cluster.STARTUP);
    probe.awaitAnswerer(0, "n1", Cluster.STARTUP);
    NodeDaemon k2 = keepalived("n2", 100);
    Cluster.awaitKeepalivedState(k2, "BACKUP", Duration.ofSeconds(5));

    // 1. The backup: keepalived out, Takeover in, from n2's own keepalived.conf.
    int mark = probe.mark();
    Path n2Yaml = imported("n2");
    assertThat(k2.terminate(Duration.ofSeconds(5))).isPresent();
    LabProcess t2 = takeover("n2", n2Yaml);
    Cluster.awaitTakeoverState(t2, "BACKUP", Cluster.STARTUP);
    Poll.holdsFor(
        Duration.ofSeconds(3),
        () -> cluster.holdsVip("n1") && !cluster.holdsVip("n2"),
        () -> "Takeover on n2 follows keepalived's master on n1" + cluster.state());
    assertThat(t2.log()).doesNotContain("dropped: AUTH");
    assertThat(lost(probe, mark)).as("probes lost while the backup was replaced").isZero();

    // 2. The master: keepalived stops gracefully, Takeover on n2 claims.
    mark = probe.mark();
    long stopped = System.nanoTime();
    assertThat(k1.terminate(Duration.ofSeconds(5))).isPresent();
    ProbeEvent.AnswererChanged toN2 = probe.awaitAnswerer(mark, "n2", Duration.ofSeconds(5));
    double claimMs = Cluster.millisBetween(stopped, toN2.receiveNanos());
    long lostAtStop = lost(probe, mark);
    // Skew_Time at priority 100 and 1 s adverts (RFC 3768 §6.1): (256 - 100) / 256 s.
    double skewMs = (256 - 100) / 256.0 * 1000;

    // ... and Takeover on n1, from n1's keepalived.conf, preempts with its planned handover.
    mark = probe.mark();
    LabProcess t1 = takeover("n1", imported("n1"));
    probe.awaitAnswerer(mark, "n1", Cluster.STARTUP);
    cluster.awaitReleased("n2", Duration.ofSeconds(5));
    Thread.sleep(20); // the last probes before this line come back
    long lostAtPreempt = lost(probe, mark);
    System.out.printf(
        Locale.ROOT,
        "RollingMigrationIT: backup replaced: 0 probes lost; keepalived master stopped: client on"
            + " Takeover (n2) after %.0f ms (Skew_Time %.0f ms), %d probes lost; Takeover on n1"
            + " preempted: %d probes lost%n",
        claimMs,
        skewMs,
        lostAtStop,
        lostAtPreempt);
    assertThat(claimMs)
        .as("keepalived's priority-0 advert lets n2 claim after Skew_Time")
        .isLessThan(skewMs + 1000);
    assertThat(lostAtPreempt).as("probes lost at Takeover's preemption").isLessThanOrEqualTo(1);
    assertThat(t1.isAlive()).isTrue();
    assertThat(t2.isAlive()).isTrue();
  }
}
