package dev.takeover.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.lab.Lab;
import dev.takeover.lab.LabProcess;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A name-only group across two subnets (docs/DNS.md): n1 on 198.18.0.0/24 with the client and
 * named, n2 on 198.18.1.0/24 behind a router namespace. No virtual address; the nodes elect over
 * unicast adverts that cross the router (TTL 254, accepted by {@code accept-ttl: 250-255}) and the
 * name points at the master's own address. A fault of the master moves it to the standby's.
 */
class NameOnlyIT {
  static final String NAME = "www.dns.test.";
  static final Duration ADVERTS = Duration.ofMillis(100);

  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);
  private Named named;

  @Test
  void killOfTheMasterMovesTheNameToTheStandbysOwnAddress() throws IOException {
    startPair();
    long killed = System.nanoTime();
    cluster.daemon("n1").process().signal(LabProcess.Signal.KILL);
    named.awaitA(NAME, Set.of(Lab.secondSubnetIpv4("n2")), Duration.ofSeconds(15));
    System.out.printf(
        "NameOnlyIT kill -9: %s points at n2 %.0f ms after the kill (named polled every 10 ms)%n",
        NAME, (System.nanoTime() - killed) / 1e6);
    // status of a group without addresses: master, the name and what the server confirmed.
    Poll.until(
        Duration.ofSeconds(5),
        () -> status("n2").contains("MASTER") && status("n2").contains("198.18.1.2"),
        () -> "n2 status to show MASTER and its name at 198.18.1.2:\n" + status("n2"));
    assertThat(status("n2")).contains("www.dns.test");
  }

  private String status(String node) {
    java.io.StringWriter out = new java.io.StringWriter();
    dev.takeover.cli.Main.commandLine()
        .setOut(new java.io.PrintWriter(out, true))
        .setErr(new java.io.PrintWriter(out, true))
        .execute("status", "--socket", cluster.stateDir(node).resolve("control.sock").toString());
    return out.toString();
  }

  @Test
  void linkDownOfTheMasterMovesTheNameToTheStandbysOwnAddress() throws IOException {
    startPair();
    long down = System.nanoTime();
    cluster.lab().linkDown("n1");
    named.awaitA(NAME, Set.of(Lab.secondSubnetIpv4("n2")), Duration.ofSeconds(15));
    System.out.printf(
        "NameOnlyIT link down: %s points at n2 %.0f ms after the link went down%n",
        NAME, (System.nanoTime() - down) / 1e6);
    assertThat(cluster.daemon("n1").process().isAlive()).isTrue();
  }

  /**
   * The other side of the setting: a standby without {@code accept-ttl} keeps the RFC's TTL 255,
   * drops n1's routed adverts as BAD_TTL and takes over (two masters): what every group without the
   * setting does with an advert that crossed a router.
   */
  @Test
  void withoutAcceptTtlTheRoutedAdvertsAreDropped() throws IOException {
    cluster.lab().routeSecondSubnet("n2");
    named = Named.start(cluster);
    NodeDaemon a = cluster.start(config("n1", 200, Lab.secondSubnetIpv4("n2"), true));
    Cluster.awaitTakeoverState(a, "MASTER", Cluster.STARTUP);
    NodeDaemon b = cluster.start(config("n2", 100, Lab.ipv4("n1"), false));
    Cluster.awaitTakeoverState(b, "MASTER", Cluster.STARTUP);
    assertThat(b.process().log()).contains("BAD_TTL").contains("TTL/hop limit 254, need 255");
  }

  private NodeConfig config(String node, int priority, String peer, boolean acceptTtl)
      throws IOException {
    String group = (acceptTtl ? "    accept-ttl: 250-255\n" : "") + named.groupYaml(NAME, 5, "");
    return NodeConfig.of(node, priority, ADVERTS)
        .withUnicastPeers(List.of(peer))
        .withGroupYaml(group);
  }

  /**
   * Routed lab, named, n1 (priority 200) master with the name at its own address, n2 a backup that
   * hears n1 through the router: its adverts arrive with TTL 254 and are accepted.
   */
  private void startPair() throws IOException {
    cluster.lab().routeSecondSubnet("n2");
    named = Named.start(cluster);
    NodeDaemon a = cluster.start(config("n1", 200, Lab.secondSubnetIpv4("n2"), true));
    Cluster.awaitTakeoverState(a, "MASTER", Cluster.STARTUP);
    named.awaitA(NAME, Set.of(Lab.ipv4("n1")), Duration.ofSeconds(15));
    NodeDaemon b = cluster.start(config("n2", 100, Lab.ipv4("n1"), true));
    Cluster.awaitTakeoverState(b, "BACKUP", Cluster.STARTUP);
    // n2 stays backup: it hears n1's routed adverts (it would claim within ~0.4 s otherwise).
    Poll.sleep(Duration.ofSeconds(2));
    assertThat(b.process().log()).doesNotContain("-> MASTER (");
    assertThat(b.process().log()).doesNotContain("BAD_TTL");
    assertThat(named.a(NAME)).containsExactly(Lab.ipv4("n1"));
  }

  @AfterEach
  void removeNamedDir() throws IOException {
    if (named != null) {
      named.close();
    }
  }
}
