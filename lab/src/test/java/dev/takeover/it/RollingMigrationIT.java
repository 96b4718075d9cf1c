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
    return imported(node, 0);
  }

  private Path imported(String node, int notMapped) throws IOException {
    Path conf = cluster.logDir().resolve("conf");
    Path yaml = conf.resolve(node + "-imported.yaml");
    Path report = conf.resolve(node + "-import-report.txt");
    cli(
        "import",
        "--force",
        "-o",
        yaml.toString(),
        "--report",
        report.toString(),
        NodeDaemon.keepalivedConfFile(conf, node).toString());
    assertThat(Files.readString(report)).contains(notMapped + " not mapped");
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

  /**
   * The realistic keepalived.conf: two instances in a sync group, a VIP on a second
   * interface with a label, a virtual route through that interface, a track_script, unicast peers,
   * VRRPv2 with PASS; {@code script_user} and {@code enable_script_security} are the two directives
   * the import leaves out (Takeover runs scripts as its own user).
   */
  private static String realisticConf(String node, int priority) {
    String self = node.equals("n1") ? "198.18.0.1" : "198.18.0.2";
    String peer = node.equals("n1") ? "198.18.0.2" : "198.18.0.1";
    String common =
        "  state BACKUP\n"
            + "  interface eth0\n"
            + "  priority "
            + priority
            + "\n"
            + "  advert_int 1\n"
            + "  unicast_src_ip "
            + self
            + "\n"
            + "  unicast_peer {\n    "
            + peer
            + "\n  }\n"
            + "  authentication {\n    auth_type PASS\n    auth_pass "
            + PASSWORD
            + "\n  }\n";
    return "global_defs {\n  router_id "
        + node
        + "\n  vrrp_version 2\n  script_user root\n  enable_script_security\n}\n"
        + "vrrp_script chk_echo {\n  script \"/bin/true\"\n  interval 1\n  weight -20\n}\n"
        + "vrrp_sync_group LB {\n  group {\n    web\n    db\n  }\n}\n"
        + "vrrp_instance web {\n"
        + "  virtual_router_id 51\n"
        + common
        + "  virtual_ipaddress {\n    "
        + Cluster.VIP
        + "/24\n    "
        + SECOND_VIP
        + "/24 dev eth1 label eth1:vip\n  }\n"
        + "  virtual_routes {\n    "
        + ROUTED
        + " via "
        + dev.takeover.lab.Lab.GATEWAY_LAN_B
        + " dev eth1\n  }\n"
        + "  track_script {\n    chk_echo\n  }\n"
        + "}\n"
        + "vrrp_instance db {\n"
        + "  virtual_router_id 52\n"
        + common
        + "  virtual_ipaddress {\n    "
        + DB_VIP
        + "/24\n  }\n"
        + "}\n";
  }

  private String socket(String node) {
    return cluster.stateDir(node).resolve("control.sock").toString();
  }

  /** {@code takeover args...} in this JVM; returns what it printed. */
  private static String cli(String... args) {
    StringWriter out = new StringWriter();
    PrintWriter capture = new PrintWriter(out, true);
    int rc = Main.commandLine(args).setOut(capture).setErr(capture).execute(args);
    assertThat(rc).as("takeover %s: %s", String.join(" ", args), out).isZero();
    return out.toString().strip();
  }

  private static final String SECOND_VIP = "198.18.2.50";
  private static final String DB_VIP = "198.18.0.51";
  private static final String ROUTED = "198.18.100.0/24";

  /** What {@code node} holds of the realistic config's addresses and route, for assertions. */
  private String holdings(String node) {
    var lab = cluster.lab();
    return "eth0 "
        + lab.addresses(node).stream().filter(a -> a.startsWith("198.18.0.5")).sorted().toList()
        + " eth1 "
        + lab.addressDetails(node, "eth1").stream().filter(a -> a.startsWith(SECOND_VIP)).toList()
        + " route "
        + lab.exec(node, "ip", "route", "show", ROUTED).strip();
  }

  /** The set's three addresses, eth1:vip among them, and (under Takeover) its route. */
  private static boolean hasTheSet(String held, boolean withRoute) {
    return held.contains(SECOND_VIP + "/24 eth1:vip")
        && held.contains(DB_VIP)
        && (!withRoute || held.contains("proto 175"));
  }

  private static boolean hasNoneOfIt(String held) {
    return !held.contains("198.18.0.5")
        && !held.contains(SECOND_VIP)
        && !held.contains("proto 175");
  }

  /** Waits until Takeover on {@code holder} has the set and {@code other} none of it. */
  private void awaitTheSetOn(String holder, String other, String what) {
    String[] last = {"", ""};
    Poll.until(
        Duration.ofSeconds(5),
        () -> {
          last[0] = holdings(holder);
          last[1] = holdings(other);
          return hasTheSet(last[0], true) && hasNoneOfIt(last[1]);
        },
        () -> what + ": " + holder + " " + last[0] + "; " + other + " " + last[1]);
  }

  @Test
  void aRealisticKeepalivedPairWithASyncGroupASecondInterfaceAndARouteMigratesToo()
      throws Exception {
    cluster.lab().addSecondLan();
    cluster.startEcho();
    ProbeFollower probe = cluster.startProbe();
    NodeDaemon k1 = cluster.startKeepalivedConf("n1", realisticConf("n1", 200));
    Cluster.awaitKeepalivedState(k1, "MASTER", Cluster.STARTUP);
    probe.awaitAnswerer(0, "n1", Cluster.STARTUP);
    NodeDaemon k2 = cluster.startKeepalivedConf("n2", realisticConf("n2", 100));
    Cluster.awaitKeepalivedState(k2, "BACKUP", Duration.ofSeconds(5));
    Poll.until(
        Duration.ofSeconds(5),
        () -> hasTheSet(holdings("n1"), false),
        () -> "keepalived on n1 holds both instances' addresses: " + holdings("n1"));

    // 1. The backup: keepalived out, Takeover in from n2's own file; it follows both instances.
    int mark = probe.mark();
    Path n2Yaml = imported("n2", 2);
    assertThat(k2.terminate(Duration.ofSeconds(5))).isPresent();
    LabProcess t2 = takeover("n2", n2Yaml);
    Cluster.awaitTakeoverState(t2, "BACKUP", Cluster.STARTUP);
    Poll.holdsFor(
        Duration.ofSeconds(3),
        () -> cluster.holdsVip("n1") && !cluster.holdsVip("n2"),
        () -> "Takeover on n2 follows keepalived's master on n1" + cluster.state());
    assertThat(holdings("n2")).doesNotContain("198.18.", "proto 175");
    assertThat(t2.log()).doesNotContain("dropped: AUTH", "-> MASTER");
    assertThat(lost(probe, mark)).as("probes lost while the backup was replaced").isZero();

    // 2. Move mastership to Takeover on n2 (docs/KEEPALIVED.md step 3): it raises its priority
    // above keepalived's master, claims and announces first; keepalived steps down.
    mark = probe.mark();
    long asked = System.nanoTime();
    String moved = cli("move", "web", "--to", "n2", "--socket", socket("n2"));
    ProbeEvent.AnswererChanged toN2 = probe.awaitAnswerer(mark, "n2", Duration.ofSeconds(5));
    double moveMs = Cluster.millisBetween(asked, toN2.receiveNanos());
    awaitTheSetOn(
        "n2",
        "n1",
        "the sync group on Takeover (n2), keepalived (n1) released; move said " + moved);
    Thread.sleep(20);
    long lostAtMove = lost(probe, mark);

    // 3. The old master: keepalived, now a backup, stops (moves nothing); Takeover on n1 joins,
    // and when n2's move is cleared it preempts the set back (make-before-break).
    mark = probe.mark();
    assertThat(k1.terminate(Duration.ofSeconds(5))).isPresent();
    LabProcess t1 = takeover("n1", imported("n1", 2));
    Cluster.awaitTakeoverState(t1, "BACKUP", Cluster.STARTUP);
    Thread.sleep(3000); // three adverts: n1 has heard n2 and its checks have passed
    long lostAtReplace = lost(probe, mark);
    mark = probe.mark();
    String cleared = cli("move", "web", "--clear", "--socket", socket("n2"));
    probe.awaitAnswerer(mark, "n1", Duration.ofSeconds(10));
    cluster.awaitReleased("n2", Duration.ofSeconds(5));
    awaitTheSetOn("n1", "n2", "n1 holds everything, n2 nothing; clear said " + cleared);
    Thread.sleep(20); // the last probes before this line come back
    long lostAtPreempt = lost(probe, mark);
    System.out.printf(
        Locale.ROOT,
        "RollingMigrationIT (realistic: sync group, eth1:vip, route, track_script, unicast):"
            + " backup replaced: 0 probes lost; move to Takeover (n2): client there after %.0f ms,"
            + " %d probes lost; keepalived backup replaced: %d lost; move cleared, Takeover on n1"
            + " preempted: %d probes lost%n",
        moveMs,
        lostAtMove,
        lostAtReplace,
        lostAtPreempt);
    assertThat(lostAtMove).as("probes lost moving mastership to Takeover").isLessThanOrEqualTo(1);
    assertThat(lostAtReplace).as("probes lost replacing keepalived's backup").isZero();
    assertThat(lostAtPreempt).as("probes lost at Takeover's preemption").isLessThanOrEqualTo(1);
    assertThat(t1.isAlive()).isTrue();
    assertThat(t2.isAlive()).isTrue();
  }
}
