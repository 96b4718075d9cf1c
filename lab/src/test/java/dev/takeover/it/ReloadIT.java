package dev.takeover.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.cli.Main;
import dev.takeover.lab.LabProcess;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import dev.takeover.lab.ProbeEvent;
import dev.takeover.lab.ProbeFollower;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reload without dropping an address: an unchanged group loses no probe at 1 ms while other groups
 * are changed, added, removed and an address moves between groups in one reload; a broken file
 * changes nothing and is refused with exit 1 (also with --json, and logged error by error after
 * SIGHUP); SIGHUP reloads too. In-place changes: {@link ReloadInPlaceIT}.
 */
class ReloadIT {
  @RegisterExtension final Cluster cluster = Cluster.withNodes(1);

  private static String group(String name, int vrid, String... vips) {
    StringBuilder y =
        new StringBuilder(
            "  - name: %s\n    vrid: %d\n    interface: eth0\n    priority: 200\n    advert-interval: 100ms\n    addresses: ["
                .formatted(name, vrid));
    for (int i = 0; i < vips.length; i++) {
      y.append(i == 0 ? "" : ", ").append('"').append(vips[i]).append('"');
    }
    return y.append("]\n").toString();
  }

  private NodeConfig web(String otherGroups) {
    return Cluster.config("n1", 200).withGroupYaml(otherGroups);
  }

  /**
   * SIGHUP, and wait up to 5 s for {@code done}; if not, a thread dump (SIGQUIT, into the daemon's
   * log) before failing. That dump found why SIGHUPs were lost in CI-like runs: the runs were
   * started under nohup, the daemon inherited SIGHUP ignored, and the JVM left it ignored (the
   * daemon now takes it back, ProcessSignals.takeBackIgnored).
   */
  private void hangUp(NodeDaemon daemon, java.util.function.BooleanSupplier done) {
    daemon.process().signal(LabProcess.Signal.HUP);
    if (Poll.within(Duration.ofSeconds(5), done)) {
      return;
    }
    daemon.process().signal(LabProcess.Signal.QUIT);
    Poll.sleep(Duration.ofSeconds(1));
    throw new AssertionError(
        "a SIGHUP left no trace in 5 s; thread dump in " + daemon.process().logFile());
  }

  /** Runs a CLI command in this JVM, appending its stdout and stderr to {@code out}. */
  private int cli(StringBuilder out, String... args) {
    StringWriter buffer = new StringWriter();
    PrintWriter capture = new PrintWriter(buffer, true);
    try {
      return Main.commandLine().setOut(capture).setErr(capture).execute(args);
    } finally {
      out.append(buffer);
    }
  }

  /**
   * Start-up noise (the client's first ARP exchanges for the new address) is not what this test
   * measures: wait for 600 ms without an outage or a change of answering node.
   */
  static void awaitQuiet(ProbeFollower probe) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() - deadline < 0) {
      int m = probe.mark();
      Thread.sleep(600);
      if (probe.since(m, ProbeEvent.Outage.class).isEmpty()
          && probe.since(m, ProbeEvent.AnswererChanged.class).isEmpty()) {
        return;
      }
    }
    throw new AssertionError("the probe never went quiet");
  }

  private boolean holds(String address) {
    return cluster.lab().hasAddress("n1", address);
  }

  @Test
  void reloadChangesOtherGroupsWithoutALostProbeForTheUnchangedOne() throws Exception {
    cluster.startEcho();
    ProbeFollower probe = cluster.startProbe();
    NodeDaemon daemon = cluster.start(web(group("db", 52, "198.18.0.51/24")));
    cluster.awaitMaster("n1", Cluster.STARTUP);
    Poll.until(Duration.ofSeconds(5), () -> holds("198.18.0.51"), () -> "db to claim .51");
    probe.awaitAnswerer(0, "n1", Cluster.STARTUP);
    Path file = cluster.logDir().resolve("conf/n1.yaml");
    Path socket = cluster.stateDir("n1").resolve("control.sock");
    Poll.until(Duration.ofSeconds(5), () -> Files.exists(socket), () -> "control socket");
    awaitQuiet(probe);
    int mark = probe.mark();

    // One reload: db changes (a hard setting) and gives .51 to a new group api, which also has .52.
    web(group("db", 52, "198.18.0.53/24") + group("api", 53, "198.18.0.51/24", "198.18.0.52/24"))
        .write(file.getParent());
    StringBuilder out = new StringBuilder();
    assertThat(cli(out, "reload", "--socket", socket.toString())).as(out.toString()).isZero();
    assertThat(out.toString()).contains("added group api", "changed group db", "moved 198.18.0.51");
    Poll.until(
        Duration.ofSeconds(5),
        () -> holds("198.18.0.51") && holds("198.18.0.52") && holds("198.18.0.53"),
        () -> "api to claim .51 and .52, db .53" + cluster.state());

    // A broken file: reported with its position, nothing changes.
    Files.writeString(file, Files.readString(file).replace("vrid: 53", "vrid: 300"));
    out.setLength(0);
    assertThat(cli(out, "reload", "--socket", socket.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("n1.yaml:", "300");
    assertThat(holds("198.18.0.52")).isTrue();
    out.setLength(0);
    assertThat(cli(out, "reload", "--json", "--socket", socket.toString()))
        .as("refused with --json too: " + out)
        .isEqualTo(1);
    assertThat(out.toString()).contains("\"applied\":false", "300");

    // A refused SIGHUP has no one to answer: the log has every error, each on its line.
    Files.writeString(file, Files.readString(file).replace("vrid: 52", "vrid: 0"));
    hangUp(
        daemon,
        () -> daemon.process().log().contains("reload refused, nothing changed: 2 error(s)"));
    String log = daemon.process().log();
    String sighup = log.substring(log.lastIndexOf("nothing changed: 1 error(s)")); // after --json
    assertThat(sighup.lines().filter(l -> l.contains("reload refused: ")))
        .hasSize(2)
        .anyMatch(l -> l.contains("n1.yaml:") && l.contains("300"))
        .anyMatch(l -> l.contains("n1.yaml:") && l.contains("vrid") && l.contains(" 0 "));
    assertThat(holds("198.18.0.52")).isTrue();

    // SIGHUP: api goes away again and releases its addresses.
    web(group("db", 52, "198.18.0.53/24")).write(file.getParent());
    hangUp(daemon, () -> !holds("198.18.0.51") && !holds("198.18.0.52") && holds("198.18.0.53"));

    assertThat(holds(Cluster.VIP)).isTrue();
    Thread.sleep(20); // let the last probes before this line come back
    assertThat(probe.since(mark, ProbeEvent.Outage.class)).as("probes to web lost").isEmpty();
    assertThat(daemon.process().isAlive()).isTrue();
  }
}
