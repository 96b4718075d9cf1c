package dev.takeover.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.cli.Main;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.ProbeEvent;
import dev.takeover.lab.ProbeFollower;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reload in place on a running pair, with a client probing the VIP every 1 ms and every hook
 * writing a line to a file: a new priority that keeps the master highest, then a new advert
 * interval, change nothing at all (no hook, no lost probe, no state change); a priority that puts
 * the master below the preempting backup hands over exactly once, make-before-break.
 */
class ReloadInPlaceIT {
  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  private Path hookLog(String node) {
    return cluster.logDir().resolve("hooks-" + node + ".log");
  }

  private NodeConfig config(String node, int priority, Duration interval, Path hook) {
    String run =
        "{ command: [\"/bin/sh\", \"%s\", \"%s\"], timeout: 5s }".formatted(hook, hookLog(node));
    return NodeConfig.of(node, priority, interval, Cluster.VIP + "/24")
        .withGroupYaml(
            """
                hooks:
                  after-claim: %s
                  after-release: %s
                  fault: %s
            """
                .formatted(run, run, run));
  }

  private long lines(Path file) {
    return HealthCheckIT.read(file).lines().count();
  }

  private String journal(String node) {
    return HealthCheckIT.read(cluster.stateDir(node).resolve("journal.jsonl"));
  }

  private long stateChanges(String node) {
    return HealthCheckIT.read(cluster.stateDir(node).resolve("journal.jsonl"))
        .lines()
        .filter(l -> l.contains("\"state.changed\""))
        .count();
  }

  private String reload(NodeConfig config) {
    config.write(cluster.logDir().resolve("conf"));
    Path socket = cluster.stateDir(config.node()).resolve("control.sock");
    StringWriter buffer = new StringWriter();
    PrintWriter capture = new PrintWriter(buffer, true);
    int code =
        Main.commandLine()
            .setOut(capture)
            .setErr(capture)
            .execute("reload", "--socket", socket.toString());
    assertThat(code).as(buffer.toString()).isZero();
    return buffer.toString();
  }

  private static long lost(ProbeFollower probe, int mark) {
    return probe.since(mark, ProbeEvent.Outage.class).stream()
        .mapToLong(ProbeEvent.Outage::lost)
        .sum();
  }

  @Test
  void priorityAndIntervalChangeInPlaceAndALowerPriorityHandsOverOnce() throws Exception {
    Path hook = cluster.logDir().resolve("hook.sh");
    Files.writeString(
        hook,
        "#!/bin/sh\necho \"$TAKEOVER_HOOK $TAKEOVER_OLD_STATE $TAKEOVER_NEW_STATE\" >> \"$1\"\n");
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    Duration fast = Cluster.ADVERT_INTERVAL;
    ProbeFollower probe =
        cluster.startPair(config("n1", 200, fast, hook), config("n2", 100, fast, hook));
    Poll.until(
        Duration.ofSeconds(10),
        () -> HealthCheckIT.read(hookLog("n1")).contains("after-claim"),
        () -> "n1's after-claim hook");
    Poll.until(
        Duration.ofSeconds(5),
        () -> Files.exists(cluster.stateDir("n1").resolve("control.sock")),
        () -> "n1's control socket");
    ReloadIT.awaitQuiet(probe);
    long hooks1 = lines(hookLog("n1"));
    long hooks2 = lines(hookLog("n2"));
    long changes1 = stateChanges("n1");
    long changes2 = stateChanges("n2");

    // 1. The master's priority 200 -> 190: still the highest. It only advertises 190.
    int mark = probe.mark();
    assertThat(reload(config("n1", 190, fast, hook)))
        .contains("changed group web in place: priority 200 -> 190");
    Poll.holdsFor(
        Duration.ofSeconds(2),
        () -> cluster.holdsVip("n1") && !cluster.holdsVip("n2"),
        () -> "n1 stays master" + cluster.state());

    // 2. The master's advert interval 100 ms -> 1 s. The backup times the master out after
    // 3 × 100 ms + skew on the old interval; it learns the new one from the advert sent at once.
    assertThat(reload(config("n1", 190, Duration.ofSeconds(1), hook)))
        .contains("changed group web in place: advert-interval 100ms -> 1s");
    Poll.holdsFor(
        Duration.ofSeconds(4),
        () -> cluster.holdsVip("n1") && !cluster.holdsVip("n2"),
        () -> "n1 stays master at the new interval" + cluster.state());
    Thread.sleep(600); // an outage is reported once the probe gives it up
    assertThat(lost(probe, mark)).as("probes lost").isZero();
    assertThat(probe.since(mark, ProbeEvent.AnswererChanged.class)).isEmpty();
    assertThat(lines(hookLog("n1"))).as("hooks run on n1").isEqualTo(hooks1);
    assertThat(lines(hookLog("n2"))).as("hooks run on n2").isEqualTo(hooks2);
    assertThat(stateChanges("n1")).as(() -> "n1's journal: " + journal("n1")).isEqualTo(changes1);
    assertThat(stateChanges("n2")).as(() -> "n2's journal: " + journal("n2")).isEqualTo(changes2);

    // 3. The master's priority 190 -> 50, below the backup's 100 (which preempts): one handover,
    // through VRRP. n1 advertises 50 at once; n2 discards it and claims when its timer runs out.
    mark = probe.mark();
    assertThat(reload(config("n1", 50, Duration.ofSeconds(1), hook)))
        .contains("changed group web in place: priority 190 -> 50");
    cluster.awaitMaster("n2", Duration.ofSeconds(10));
    cluster.awaitReleased("n1", Duration.ofSeconds(5));
    probe.awaitAnswerer(mark, "n2", Duration.ofSeconds(5));
    Poll.holdsFor(
        Duration.ofSeconds(3),
        () -> cluster.holdsVip("n2") && !cluster.holdsVip("n1"),
        () -> "n2 stays master" + cluster.state());
    assertThat(stateChanges("n1") - changes1).as("n1: MASTER -> BACKUP, once").isEqualTo(1);
    assertThat(stateChanges("n2") - changes2).as("n2: BACKUP -> MASTER, once").isEqualTo(1);
    Poll.until(
        Duration.ofSeconds(5),
        () -> lines(hookLog("n1")) == hooks1 + 1 && lines(hookLog("n2")) == hooks2 + 1,
        () -> "one hook on each node: " + read(hookLog("n1")) + " / " + read(hookLog("n2")));
    assertThat(read(hookLog("n1"))).endsWith("after-release MASTER BACKUP\n");
    assertThat(read(hookLog("n2"))).endsWith("after-claim BACKUP MASTER\n");
    assertThat(probe.since(mark, ProbeEvent.AnswererChanged.class)).hasSize(1);
    // Make-before-break, as at a preempt (PreemptIT): at most a rare single probe at the switch.
    assertThat(lost(probe, mark)).as("probes lost at the handover").isLessThanOrEqualTo(1);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
