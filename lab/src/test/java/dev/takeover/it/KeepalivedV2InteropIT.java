package dev.takeover.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import dev.takeover.lab.ProbeEvent;
import dev.takeover.lab.ProbeFollower;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Takeover and keepalived 2.2.7 in one VRRPv2 (RFC 3768) virtual router, {@code advert_int 1}, with
 * keepalived's simple password ({@code auth_type PASS}): each side follows the other's adverts and
 * takes over when it dies, and a wrong password is dropped (and counted or logged) by both, so each
 * becomes master on its own. The pattern of {@link KeepalivedInteropIT}.
 */
class KeepalivedV2InteropIT {
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final String PASSWORD = "secret12";
  private static final Duration HEARING_WINDOW = Duration.ofSeconds(5);
  // Master_Down_Interval at priority 100 and 1 s (3.61 s), plus room for the announcement and the
  // client's next probe on a busy machine.
  static final double LIMIT_MS = Cluster.masterDownInterval(100, INTERVAL).toNanos() / 1e6 + 300;

  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  private static NodeConfig takeover(String node, int priority, String password) {
    return NodeConfig.of(node, priority, INTERVAL, Cluster.VIP + "/24")
        .withGroupYaml(
            "    version: 2\n    authentication: {type: pass, password: \"" + password + "\"}\n");
  }

  private NodeDaemon keepalived(String node, int priority, String password) {
    return cluster.startKeepalived(
        NodeConfig.of(node, priority, INTERVAL, Cluster.VIP + "/24"),
        "  vrrp_version 2\n",
        "  authentication {\n    auth_type PASS\n    auth_pass " + password + "\n  }\n");
  }

  @Test
  void keepalivedMasterTakeoverBackup() {
    cluster.startEcho();
    ProbeFollower probe = cluster.startProbe();
    NodeDaemon keepalived = keepalived("n1", 200, PASSWORD);
    cluster.awaitMaster("n1", Cluster.STARTUP);
    Cluster.awaitKeepalivedState(keepalived, "MASTER", Duration.ofSeconds(5));

    NodeDaemon takeover = cluster.startTakeover(takeover("n2", 100, PASSWORD));
    Cluster.awaitTakeoverState(takeover, "BACKUP", Cluster.STARTUP);
    Poll.holdsFor(
        HEARING_WINDOW,
        () -> cluster.holdsVip("n1") && !cluster.holdsVip("n2"),
        () -> "takeover (n2) stays backup under keepalived's VRRPv2 (n1)" + cluster.state());
    assertThat(takeover.process().log()).doesNotContain("dropped:");

    int mark = probe.mark();
    long killed = System.nanoTime();
    keepalived.crash();
    ProbeEvent.AnswererChanged answered = probe.awaitAnswerer(mark, "n2", Duration.ofSeconds(10));
    double ms = Cluster.millisBetween(killed, answered.receiveNanos());
    System.out.println("VRRPv2 failover keepalived -> takeover: " + ms + " ms");
    assertThat(ms)
        .as("ms from kill -9 of keepalived to the client's first answer from takeover")
        .isLessThan(LIMIT_MS);

    // keepalived comes back with the higher priority: takeover must yield to its adverts.
    mark = probe.mark();
    NodeDaemon back = keepalived("n1", 200, PASSWORD);
    Cluster.awaitKeepalivedState(back, "MASTER", Duration.ofSeconds(10));
    cluster.awaitReleased("n2", Duration.ofSeconds(3));
    cluster.awaitMaster("n1", Duration.ofSeconds(2));
    probe.awaitAnswerer(mark, "n1", Duration.ofSeconds(5));
  }

  @Test
  void takeoverMasterKeepalivedBackup() {
    cluster.startEcho();
    ProbeFollower probe = cluster.startProbe();
    NodeDaemon takeover = cluster.startTakeover(takeover("n1", 200, PASSWORD));
    cluster.awaitMaster("n1", Cluster.STARTUP);
    probe.awaitAnswerer(0, "n1", Cluster.STARTUP);

    NodeDaemon keepalived = keepalived("n2", 100, PASSWORD);
    Cluster.awaitKeepalivedState(keepalived, "BACKUP", Duration.ofSeconds(5));
    Poll.holdsFor(
        HEARING_WINDOW,
        () ->
            keepalived.stateLines().stream().noneMatch(l -> l.contains("Entering MASTER STATE"))
                && !cluster.holdsVip("n2"),
        () -> "keepalived (n2) stays BACKUP under takeover's VRRPv2: " + keepalived.stateLines());
    assertThat(keepalived.process().log())
        .doesNotContain("bad checksum", "invalid", "expecting", "Invalid");

    int mark = probe.mark();
    long killed = System.nanoTime();
    takeover.crash();
    Cluster.awaitKeepalivedState(keepalived, "MASTER", Duration.ofSeconds(10));
    ProbeEvent.AnswererChanged answered = probe.awaitAnswerer(mark, "n2", Duration.ofSeconds(10));
    double ms = Cluster.millisBetween(killed, answered.receiveNanos());
    System.out.println("VRRPv2 failover takeover -> keepalived: " + ms + " ms");
    assertThat(ms)
        .as("ms from kill -9 of takeover to the client's first answer from keepalived")
        .isLessThan(LIMIT_MS);

    // takeover comes back with the higher priority and preempts; keepalived goes back to BACKUP.
    mark = probe.mark();
    int stateLinesBefore = keepalived.stateLines().size();
    cluster.startTakeover(takeover("n1", 200, PASSWORD));
    probe.awaitAnswerer(mark, "n1", Cluster.STARTUP);
    cluster.awaitReleased("n2", Duration.ofSeconds(3));
    Poll.until(
        Duration.ofSeconds(3),
        () ->
            keepalived.stateLines().stream()
                .skip(stateLinesBefore)
                .anyMatch(l -> l.contains("Entering BACKUP STATE")),
        () -> "keepalived to log BACKUP after takeover preempted: " + keepalived.stateLines());
  }

  @Test
  void aWrongPasswordIsDroppedOnBothSides() {
    NodeDaemon keepalived = keepalived("n1", 200, PASSWORD);
    Cluster.awaitKeepalivedState(keepalived, "MASTER", Cluster.STARTUP);
    NodeDaemon takeover = cluster.startTakeover(takeover("n2", 100, "wrong"));
    // Every keepalived advert fails our password check, so takeover hears no master and becomes
    // MASTER although keepalived has the higher priority...
    Cluster.awaitTakeoverState(takeover, "MASTER", Cluster.STARTUP);
    Poll.until(
        HEARING_WINDOW,
        () -> takeover.process().log().contains("dropped: AUTH_BAD_PASSWORD"),
        () -> "takeover to log dropped AUTH_BAD_PASSWORD adverts: " + takeover.process().log());
    // ...and keepalived drops ours: it logs the bad password and stays MASTER.
    Poll.until(
        HEARING_WINDOW,
        () -> keepalived.process().log().contains("received an invalid passwd"),
        () -> "keepalived to log an invalid password: " + keepalived.process().log());
    assertThat(keepalived.stateLines().getLast())
        .as("keepalived never follows takeover's adverts with the wrong password")
        .contains("Entering MASTER STATE");
  }
}
