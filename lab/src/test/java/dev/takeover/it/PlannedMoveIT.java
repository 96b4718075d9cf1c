package dev.takeover.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.cli.Main;
import dev.takeover.lab.Lab;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A planned move lowers the name's TTL first (docs/DNS.md "Planned moves"), against BIND 9: the
 * master writes {@code move-ttl}, named confirms it, the move waits for caches of the old TTL, then
 * hands over, and the new master's record has the configured TTL again. Maintenance called off
 * while held puts the TTL back and nothing moves.
 */
class PlannedMoveIT {
  static final String NAME = "www.dns.test.";
  static final int TTL = 10;
  static final int MOVE_TTL = 2;
  private static final String NODES = "nodes: {n1: 198.18.0.1, n2: 198.18.0.2}\n";

  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);
  private Named named;

  record Cli(int code, String out, String err) {}

  /** Runs {@code takeover ARGS --socket <node's socket>} in this JVM. */
  private Cli cli(String node, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] withSocket = new String[args.length + 2];
    System.arraycopy(args, 0, withSocket, 0, args.length);
    withSocket[args.length] = "--socket";
    withSocket[args.length + 1] = cluster.stateDir(node).resolve("control.sock").toString();
    int code =
        Main.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(withSocket);
    return new Cli(code, out.toString(), err.toString());
  }

  /** n1 (priority 200, master) and n2 (100), both naming {@link #NAME} after themselves. */
  private void startPair() throws Exception {
    named = Named.start(cluster);
    String yaml =
        named.groupYaml(
                NAME,
                TTL,
                "        points-to: self\n        move-ttl: "
                    + MOVE_TTL
                    + "\n        move-wait-max: 30s\n")
            + NODES;
    Duration advert = Duration.ofMillis(100);
    NodeConfig c1 = NodeConfig.of("n1", 200, advert, Cluster.VIP + "/24").withGroupYaml(yaml);
    NodeConfig c2 = NodeConfig.of("n2", 100, advert, Cluster.VIP + "/24").withGroupYaml(yaml);
    Cluster.awaitTakeoverState(cluster.start(c1), "MASTER", Cluster.STARTUP);
    named.awaitA(NAME, Set.of(Lab.ipv4("n1")), Duration.ofSeconds(10));
    NodeDaemon b = cluster.start(c2);
    Cluster.awaitTakeoverState(b, "BACKUP", Cluster.STARTUP);
    assertThat(named.ttl(NAME)).isEqualTo(TTL);
  }

  @Test
  void aMoveLowersTheTtlWaitsForTheOldOneThenHandsOver() throws Exception {
    startPair();
    CompletableFuture<Cli> move =
        CompletableFuture.supplyAsync(() -> cli("n1", "move", "web", "--to", "n2"));
    Poll.until(
        Duration.ofSeconds(10),
        () -> named.ttl(NAME) == MOVE_TTL,
        () -> NAME + " TTL " + MOVE_TTL + "; it is " + named.ttl(NAME));
    long lowered = System.nanoTime();
    assertThat(cli("n1", "status").out()).contains("a planned move waits for the lowered TTL");
    // Caches may hold the old answer for the old TTL from the confirmation: the move waits.
    Poll.holdsFor(
        Duration.ofSeconds(TTL - 3),
        () -> named.a(NAME).equals(Set.of(Lab.ipv4("n1"))) && !move.isDone(),
        () -> "n1 to stay master while caches of the old TTL run out");
    named.awaitA(NAME, Set.of(Lab.ipv4("n2")), Duration.ofSeconds(15));
    double waitedS = (System.nanoTime() - lowered) / 1e9;
    Cli done = move.get(20, TimeUnit.SECONDS);
    assertThat(done.code()).as(done.toString()).isZero();
    assertThat(done.out())
        .contains("move web to n2: held for DNS, at most 30 s")
        .contains("move web to n2: moved: n2 is master now");
    // The new master writes the name with its configured TTL.
    Poll.until(
        Duration.ofSeconds(5),
        () -> named.ttl(NAME) == TTL,
        () -> NAME + " TTL " + TTL + " from n2; it is " + named.ttl(NAME));
    System.out.printf(
        java.util.Locale.ROOT,
        "PlannedMoveIT: the name moved %.1f s after named held TTL %d (old TTL %d s)%n",
        waitedS,
        MOVE_TTL,
        TTL);
    assertThat(waitedS).isGreaterThan(TTL - 1);
  }

  @Test
  void maintenanceCalledOffWhileHeldPutsTheTtlBack() throws Exception {
    startPair();
    Cli on = cli("n1", "maintenance", "on");
    assertThat(on.code()).as(on.toString()).isZero();
    assertThat(on.out()).contains("waiting to hand over web after the lowered TTL of");
    Poll.until(
        Duration.ofSeconds(10),
        () -> named.ttl(NAME) == MOVE_TTL,
        () -> NAME + " TTL " + MOVE_TTL + "; it is " + named.ttl(NAME));
    Cli off = cli("n1", "maintenance", "off");
    assertThat(off.code()).as(off.toString()).isZero();
    Poll.until(
        Duration.ofSeconds(10),
        () -> named.ttl(NAME) == TTL,
        () -> NAME + " TTL back to " + TTL + "; it is " + named.ttl(NAME));
    Poll.holdsFor(
        Duration.ofSeconds(TTL + 2),
        () -> named.a(NAME).equals(Set.of(Lab.ipv4("n1"))),
        () -> "n1 to stay master: maintenance was called off before the handover");
    assertThat(cli("n1", "status").out()).doesNotContain("a planned move waits");
  }

  @AfterEach
  void stopNamed() throws Exception {
    if (named != null) {
      named.close();
    }
  }
}
