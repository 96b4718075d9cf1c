package dev.takeover.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hooks under a flapping tracked link: 50 transitions, every fault hook runs, one at a time, in the
 * order of the transitions; the journal keeps its events across a restart.
 */
class HooksIT {
  @RegisterExtension final Cluster cluster = Cluster.withNodes(1);

  @Test
  void hooksRunInOrderWithoutOverlapUnderFlappingAndTheJournalSurvivesARestart() throws Exception {
    Path log = cluster.logDir().resolve("hooks.log");
    Path hook = cluster.logDir().resolve("hook.sh");
    // Start and end markers with a nanosecond clock and the event id; a short random sleep makes
    // overlap likely if the runner allowed it.
    Files.writeString(
        hook,
        """
        #!/bin/sh
        echo "start $TAKEOVER_HOOK $TAKEOVER_EVENT_ID $TAKEOVER_OLD_STATE $TAKEOVER_NEW_STATE $(date +%%s%%N)" >> %s
        sleep 0.0$(od -An -N1 -tu1 /dev/urandom | tr -d ' ' | cut -c1)
        echo "end $TAKEOVER_HOOK $TAKEOVER_EVENT_ID $(date +%%s%%N)" >> %s
        """
            .formatted(log, log));
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    String ns = cluster.lab().nsName("n1");
    cluster.lab().exec(ns, "ip", "link", "add", "trk0", "type", "veth", "peer", "name", "trk1");
    cluster.lab().exec(ns, "ip", "link", "set", "trk1", "up");
    cluster.lab().exec(ns, "ip", "link", "set", "trk0", "up");

    NodeConfig config =
        Cluster.config("n1", 200)
            .withGroupYaml(
                """
                    track-interfaces:
                      - interface: trk0
                        weight: fault
                    hooks:
                      fault: { command: ["/bin/sh", "%s"], timeout: 5s }
                      after-claim: { command: ["/bin/sh", "%s"], timeout: 5s }
                      after-release: { command: ["/bin/sh", "%s"], timeout: 5s }
                """
                    .formatted(hook, hook, hook));
    NodeDaemon first = cluster.start(config);
    cluster.awaitMaster("n1", Cluster.STARTUP);

    // 25 flaps: MASTER/BACKUP -> FAULT -> BACKUP, 50 transitions or more.
    for (int i = 0; i < 25; i++) {
      cluster.lab().exec(ns, "ip", "link", "set", "trk0", "down");
      cluster.lab().exec(ns, "ip", "link", "set", "trk0", "up");
    }
    Path journal = cluster.stateDir("n1").resolve("journal.jsonl");
    Poll.until(
        Duration.ofSeconds(10),
        () ->
            HealthCheckIT.read(journal).lines().filter(l -> l.contains("\"state.changed\"")).count()
                >= 50,
        () -> "50 state changes in n1's journal");
    cluster.awaitMaster("n1", Duration.ofSeconds(5));
    long faults =
        HealthCheckIT.read(journal).lines().filter(l -> l.contains("\"to\":\"FAULT\"")).count();
    // The after-claim hook of the final MASTER may start after the fault hooks end: wait until
    // the log is balanced and has not changed for a second, then check that one snapshot.
    String[] settled = {""};
    long[] changedAt = {System.nanoTime()};
    Poll.until(
        Duration.ofSeconds(30),
        () -> {
          String text = HealthCheckIT.read(log);
          if (!text.equals(settled[0])) {
            settled[0] = text;
            changedAt[0] = System.nanoTime();
            return false;
          }
          boolean balanced =
              text.lines().filter(l -> l.startsWith("end fault")).count() == faults
                  && text.lines().filter(l -> l.startsWith("start")).count()
                      == text.lines().filter(l -> l.startsWith("end")).count();
          return balanced && System.nanoTime() - changedAt[0] > Duration.ofSeconds(1).toNanos();
        },
        () -> faults + " fault hooks to finish and the log to settle: " + settled[0]);

    List<String> lines = settled[0].lines().toList();
    String previousId = "";
    long previousEnd = 0;
    for (int i = 0; i < lines.size(); i += 2) {
      String[] start = lines.get(i).split(" ");
      String[] end = lines.get(i + 1).split(" ");
      assertThat(start[0]).as("line %d of %s", i, lines).isEqualTo("start");
      assertThat(end[0]).as("line %d of %s", i + 1, lines).isEqualTo("end");
      assertThat(end[2]).as("a hook ends before the next starts").isEqualTo(start[2]);
      assertThat(Long.parseLong(start[start.length - 1])).isGreaterThanOrEqualTo(previousEnd);
      // Event ids sort by time: hooks ran in the order of their transitions.
      assertThat(start[2].compareTo(previousId))
          .as("order at line %d", i)
          .isGreaterThanOrEqualTo(0);
      previousId = start[2];
      previousEnd = Long.parseLong(end[end.length - 1]);
    }

    // Restart: the journal keeps what the first run wrote.
    long before = HealthCheckIT.read(journal).lines().count();
    assertThat(first.terminate(Duration.ofSeconds(10))).contains(0);
    cluster.start(config);
    cluster.awaitMaster("n1", Cluster.STARTUP);
    String after = HealthCheckIT.read(journal);
    assertThat(after.lines().count()).isGreaterThan(before);
    assertThat(after.lines().filter(l -> l.contains("\"daemon.started\"")).count()).isEqualTo(2);
  }
}
