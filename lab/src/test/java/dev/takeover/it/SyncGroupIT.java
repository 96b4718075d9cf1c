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
 * A sync group of two groups on two takeover nodes (keepalived's vrrp_sync_group): web (VIP .50) is
 * elected, db (VIP .51) follows it, even where db's own priority says otherwise. A fault of db on
 * the master (its track file) takes the whole set to the other node; clearing it brings the set
 * back by web's preemption. Both addresses are always on one node.
 */
class SyncGroupIT {
  private static final String DB_VIP = "198.18.0.51";

  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  /** web at {@code webPriority}, db at {@code dbPriority} in sync group LB; db tracks a file. */
  private static NodeConfig node(String name, int webPriority, int dbPriority, Path dbFile) {
    return config(name, webPriority)
        .withGroupYaml(
            """
              - name: db
                vrid: 52
                interface: eth0
                priority: %d
                advert-interval: 100ms
                addresses: ["%s/24"]
                track-files:
                  - { file: "%s", weight: 0 }
            sync-groups:
              - name: LB
                groups: [web, db]
            """
                .formatted(dbPriority, DB_VIP, dbFile));
  }

  private boolean holds(String node, String address) {
    return cluster.lab().hasAddress(node, address);
  }

  private void awaitSetOn(String master, String other, Duration timeout) {
    Poll.until(
        timeout,
        () ->
            holds(master, Cluster.VIP)
                && holds(master, DB_VIP)
                && !holds(other, Cluster.VIP)
                && !holds(other, DB_VIP),
        () -> "both addresses on " + master + " only" + cluster.state());
  }

  @Test
  void theMembersFailOverTogetherAndComeBackTogether() throws Exception {
    Path n1File = cluster.logDir().resolve("n1-db.track");
    Path n2File = cluster.logDir().resolve("n2-db.track");
    Files.writeString(n1File, "0\n");
    Files.writeString(n2File, "0\n");
    // db's own priorities are the other way round: it follows web all the same.
    ProbeFollower probe =
        cluster.startPair(node("n1", 200, 100, n1File), node("n2", 100, 200, n2File));
    awaitSetOn("n1", "n2", Duration.ofSeconds(3));

    // db faults on n1 (weight 0: a non-zero value is FAULT): web goes with it, n2 takes both.
    int mark = probe.mark();
    long at = System.nanoTime();
    Files.writeString(n1File, "1\n");
    probe.awaitAnswerer(mark, "n2", Duration.ofSeconds(5));
    awaitSetOn("n2", "n1", Duration.ofSeconds(5));
    System.out.printf(
        "SyncGroupIT: set on n2 %.0f ms after the fault was written%n",
        Cluster.millisBetween(at, System.nanoTime()));
    Poll.until(
        Duration.ofSeconds(3),
        () -> cluster.daemon("n1").process().log().contains("sync group LB: db in fault"),
        () -> "n1 to log web's sync fault");

    // Cleared: web on n1 preempts at 200, db follows it back.
    mark = probe.mark();
    Files.writeString(n1File, "0\n");
    probe.awaitAnswerer(mark, "n1", Duration.ofSeconds(5));
    awaitSetOn("n1", "n2", Duration.ofSeconds(5));
    // And it stays so: n2's db (priority 200) never takes db back on its own.
    Poll.holdsFor(
        Duration.ofSeconds(1),
        () -> holds("n1", DB_VIP) && !holds("n2", DB_VIP),
        () -> "db to stay with web on n1" + cluster.state());
  }
}
