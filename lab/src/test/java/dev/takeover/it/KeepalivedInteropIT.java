package dev.takeover.it;

import static dev.takeover.it.Cluster.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.lab.NodeDaemon;
import dev.takeover.lab.ProbeEvent;
import dev.takeover.lab.ProbeFollower;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Takeover and keepalived 2.2.7 ({@code vrrp_version 3}, advert_int 0.1) in one virtual router:
 * each must accept the other's adverts (the lower priority stays backup) and take over when the
 * other dies. keepalived's own view comes from its console log.
 */
class KeepalivedInteropIT {
  private static final Duration HEARING_WINDOW = Duration.ofSeconds(3);

  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  @Test
  void keepalivedMasterTakeoverBackup() {
    cluster.startEcho();
    ProbeFollower probe = cluster.startProbe();
    NodeDaemon keepalived = cluster.startKeepalived(config("n1", 200));
    cluster.awaitMaster("n1", Cluster.STARTUP);
    Cluster.awaitKeepalivedState(keepalived, "MASTER", Duration.ofSeconds(1));

    NodeDaemon takeover = cluster.startTakeover(config("n2", 100));
    Cluster.awaitTakeoverState(takeover, "BACKUP", Cluster.STARTUP);
    // Long enough for the JVM to start and Master_Down_Interval to pass many times over: if
    // takeover rejected keepalived's adverts, it would claim the VIP in this window.
    Poll.holdsFor(
        HEARING_WINDOW,
        () -> cluster.holdsVip("n1") && !cluster.holdsVip("n2"),
        () -> "takeover (n2) stays backup under keepalived (n1)" + cluster.state());
    assertThat(takeover.process().isAlive()).as("takeover is running").isTrue();

    int mark = probe.mark();
    long killed = System.nanoTime();
    keepalived.crash();
    ProbeEvent.AnswererChanged answered = probe.awaitAnswerer(mark, "n2", Duration.ofSeconds(5));
    assertThat(Cluster.millisBetween(killed, answered.receiveNanos()))
        .as("ms from kill -9 of keepalived to the client's first answer from takeover")
        .isLessThan(FailoverIT.LIMIT_MS);

    // keepalived comes back with the higher priority: takeover must yield to its adverts.
    mark = probe.mark();
    NodeDaemon back = cluster.startKeepalived(config("n1", 200));
    Cluster.awaitKeepalivedState(back, "MASTER", Duration.ofSeconds(5));
    cluster.awaitReleased("n2", Duration.ofSeconds(2));
    cluster.awaitMaster("n1", Duration.ofSeconds(1));
    probe.awaitAnswerer(mark, "n1", Duration.ofSeconds(5));
  }

  @Test
  void takeoverMasterKeepalivedBackup() {
    cluster.startEcho();
    ProbeFollower probe = cluster.startProbe();
    NodeDaemon takeover = cluster.startTakeover(config("n1", 200));
    cluster.awaitMaster("n1", Cluster.STARTUP);
    probe.awaitAnswerer(0, "n1", Cluster.STARTUP);

    NodeDaemon keepalived = cluster.startKeepalived(config("n2", 100));
    Cluster.awaitKeepalivedState(keepalived, "BACKUP", Duration.ofSeconds(5));
    // keepalived accepts our adverts: it never leaves BACKUP while takeover is master.
    Poll.holdsFor(
        HEARING_WINDOW,
        () ->
            keepalived.stateLines().stream().noneMatch(l -> l.contains("Entering MASTER STATE"))
                && !cluster.holdsVip("n2"),
        () -> "keepalived (n2) stays BACKUP under takeover (n1): " + keepalived.stateLines());
    assertThat(keepalived.process().log()).doesNotContain("bad checksum", "invalid");

    int mark = probe.mark();
    long killed = System.nanoTime();
    takeover.crash();
    Cluster.awaitKeepalivedState(keepalived, "MASTER", Duration.ofSeconds(5));
    ProbeEvent.AnswererChanged answered = probe.awaitAnswerer(mark, "n2", Duration.ofSeconds(5));
    assertThat(Cluster.millisBetween(killed, answered.receiveNanos()))
        .as("ms from kill -9 of takeover to the client's first answer from keepalived")
        .isLessThan(FailoverIT.LIMIT_MS);

    // takeover comes back with the higher priority and preempts; keepalived goes back to BACKUP.
    mark = probe.mark();
    int stateLinesBefore = keepalived.stateLines().size();
    cluster.startTakeover(config("n1", 200));
    probe.awaitAnswerer(mark, "n1", Cluster.STARTUP);
    cluster.awaitReleased("n2", Duration.ofSeconds(2));
    Poll.until(
        Duration.ofSeconds(2),
        () ->
            keepalived.stateLines().stream()
                .skip(stateLinesBefore)
                .anyMatch(l -> l.contains("Entering BACKUP STATE")),
        () -> "keepalived to log BACKUP after takeover preempted: " + keepalived.stateLines());
  }
}
