package dev.takeover.it;

import static dev.takeover.it.Cluster.config;

import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.ProbeFollower;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * keepalived's track_file on two takeover nodes: a value written to the master's file lowers it
 * below the backup, which preempts (and the old master runs its {@code backup} hook); writing 0
 * gives the priority back and the master preempts back.
 */
class TrackFileIT {
  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  @Test
  void aValueInTheFileMovesTheMasterAndZeroBringsItBack() throws Exception {
    Path prio = cluster.logDir().resolve("n1.prio");
    Path hookLog = cluster.logDir().resolve("n1-backup-hook.log");
    Files.writeString(prio, "0\n");
    NodeConfig n1 =
        config("n1", 200)
            .withGroupYaml(
                """
                    track-files:
                      - { file: "%s", weight: -50 }
                    hooks:
                      backup: { command: ["/bin/sh", "-c", "echo $TAKEOVER_OLD_STATE >> %s"] }
                """
                    .formatted(prio, hookLog));
    ProbeFollower probe = cluster.startPair(n1, config("n2", 100));

    // 200 - 3 × 50 = 50 < 100: n2 preempts.
    int mark = probe.mark();
    Files.writeString(prio, "3\n");
    probe.awaitAnswerer(mark, "n2", Duration.ofSeconds(5));
    cluster.awaitReleased("n1", Duration.ofSeconds(3));
    Poll.until(
        Duration.ofSeconds(5),
        () -> HealthCheckIT.read(hookLog).contains("MASTER"),
        () -> "n1's backup hook to run after MASTER -> BACKUP");

    // Back to 0: n1 is at 200 again and preempts n2.
    mark = probe.mark();
    Files.writeString(prio, "0\n");
    probe.awaitAnswerer(mark, "n1", Duration.ofSeconds(5));
    cluster.awaitReleased("n2", Duration.ofSeconds(3));
  }
}
