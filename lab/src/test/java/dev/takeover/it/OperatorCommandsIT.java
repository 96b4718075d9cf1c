package dev.takeover.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.takeover.cli.ExitCode;
import dev.takeover.cli.Main;
import dev.takeover.control.ControlJson;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code takeover move} and {@code maintenance} do exactly what they say, on two real daemons of
 * equal priority that know each other by name: a move to an unknown node is refused and nothing
 * moves; a move there and back, twice, asked of the master and of the target, each time ends with
 * the group where asked and every priority as configured (read through {@code status --json});
 * maintenance survives a restart: the restarted node stays out and the other keeps the VIP.
 */
class OperatorCommandsIT {
  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  /**
   * The top-level {@code nodes} section. NodeConfig appends a group's extra YAML last in the group
   * list, so a line starting at column 0 is a top-level key of the file.
   */
  private static final String NODES = "nodes: {n1: 198.18.0.1, n2: 198.18.0.2}\n";

  private static NodeConfig config(String node) {
    return Cluster.config(node, 100).withGroupYaml(NODES);
  }

  private Path socket(String node) {
    return cluster.stateDir(node).resolve("control.sock");
  }

  record Cli(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + ", out: " + out + ", err: " + err;
    }
  }

  /** Runs {@code takeover ARGS --socket <node's socket>} in this JVM. */
  private Cli cli(String node, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] withSocket = new String[args.length + 2];
    System.arraycopy(args, 0, withSocket, 0, args.length);
    withSocket[args.length] = "--socket";
    withSocket[args.length + 1] = socket(node).toString();
    int code =
        Main.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(withSocket);
    return new Cli(code, out.toString(), err.toString());
  }

  private JsonNode web(String node) {
    Cli status = cli(node, "status", "--json");
    assertThat(status.code()).as(status.toString()).isZero();
    try {
      return ControlJson.MAPPER.readTree(status.out()).get("groups").get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean asConfigured(String node) {
    JsonNode g = web(node);
    return g.get("effectivePriority").asInt() == g.get("configuredPriority").asInt()
        && g.get("priorityReasons").isEmpty();
  }

  /** Both nodes back at their configured priority with no adjustment (a move settles quickly). */
  private void awaitConfiguredPriorities() {
    Poll.until(
        Duration.ofSeconds(3),
        () -> asConfigured("n1") && asConfigured("n2"),
        () -> "priorities as configured; n1 " + web("n1") + ", n2 " + web("n2"));
  }

  @Test
  void movesAndMaintenanceDoExactlyWhatTheySay() {
    cluster.startPair(config("n1"), config("n2"));
    Poll.until(
        Duration.ofSeconds(5),
        () -> socket("n1").toFile().exists() && socket("n2").toFile().exists(),
        () -> "control sockets");

    // An unknown node: refused with the known ones, exit 3, nothing moves.
    Cli unknown = cli("n1", "move", "web", "--to", "gamma");
    assertThat(unknown.code()).as(unknown.toString()).isEqualTo(ExitCode.FAILED.code);
    assertThat(unknown.err())
        .contains("refused: unknown node gamma; known nodes: n1 (this node), n2");
    Cli unknownJson = cli("n1", "move", "web", "--to", "gamma", "--json");
    assertThat(unknownJson.code()).isEqualTo(ExitCode.FAILED.code);
    assertThat(unknownJson.out()).contains("\"outcome\":\"refused\"");
    Poll.holdsFor(
        Cluster.ADVERT_INTERVAL.multipliedBy(5),
        () -> cluster.holdsVip("n1") && !cluster.holdsVip("n2"),
        () -> "n1 keeps the VIP after a refused move" + cluster.state());
    awaitConfiguredPriorities();

    for (int round = 1; round <= 2; round++) {
      // Asked of the master: it hands over to the one other node, and the CLI saw it done.
      Cli there = cli("n1", "move", "web", "--to", "n2");
      assertThat(there.code()).as("round %d: %s", round, there).isZero();
      assertThat(there.out()).contains("move web to n2: moved: n2 is master now");
      cluster.awaitMaster("n2", Duration.ofSeconds(2));
      cluster.awaitReleased("n1", Duration.ofSeconds(2));
      assertThat(web("n1").get("vipOwner").asText()).isEqualTo("n2");
      awaitConfiguredPriorities();

      // Asked of the target: it raises itself above n2, takes over, then drops the raise.
      Cli back = cli("n1", "move", "web", "--to", "n1");
      assertThat(back.code()).as("round %d: %s", round, back).isZero();
      assertThat(back.out()).contains("move web to n1: moved: this node is master now");
      cluster.awaitMaster("n1", Duration.ofSeconds(2));
      cluster.awaitReleased("n2", Duration.ofSeconds(2));
      awaitConfiguredPriorities();
    }
    Cli already = cli("n2", "move", "web", "--to", "n1");
    assertThat(already.code()).as(already.toString()).isZero();
    assertThat(already.out()).contains("already there: n1 is master already");

    // Maintenance on n1: n2 takes over, n1 holds nothing, and says so.
    Cli on = cli("n1", "maintenance", "on");
    assertThat(on.code()).as(on.toString()).isZero();
    cluster.awaitMaster("n2", Duration.ofSeconds(2));
    cluster.awaitReleased("n1", Duration.ofSeconds(2));
    Poll.until(
        Duration.ofSeconds(2),
        () -> cli("n1", "status").out().contains("this node is in maintenance: it holds nothing"),
        () -> "n1 status in maintenance: " + cli("n1", "status").out());
    assertThat(cli("n1", "move", "web", "--to", "n1").err()).contains("in maintenance");

    // Restarted, n1 starts in maintenance (the state file) and never claims: n2 keeps the VIP.
    NodeDaemon first = cluster.daemon("n1");
    assertThat(first.terminate(Duration.ofSeconds(10))).contains(0);
    NodeDaemon second = cluster.start(config("n1"));
    Cluster.awaitTakeoverState(second, "FAULT", Cluster.STARTUP);
    assertThat(second.process().log()).contains("startup in fault: maintenance");
    Poll.holdsFor(
        Cluster.masterDownInterval(100, Cluster.ADVERT_INTERVAL).multipliedBy(3),
        () -> cluster.holdsVip("n2") && !cluster.holdsVip("n1"),
        () -> "n2 keeps the VIP while n1 restarts in maintenance" + cluster.state());
    Poll.until(Duration.ofSeconds(5), () -> socket("n1").toFile().exists(), () -> "n1 socket");
    assertThat(web("n1").get("state").asText()).isEqualTo("FAULT");

    // Off: n1 is a backup of equal priority again, so n2 stays master (equal is no takeover).
    Cli off = cli("n1", "maintenance", "off");
    assertThat(off.code()).as(off.toString()).isZero();
    Poll.until(
        Duration.ofSeconds(2),
        () -> web("n1").get("state").asText().equals("BACKUP"),
        () -> "n1 back to BACKUP: " + web("n1"));
    Poll.holdsFor(
        Cluster.masterDownInterval(100, Cluster.ADVERT_INTERVAL).multipliedBy(2),
        () -> cluster.holdsVip("n2") && !cluster.holdsVip("n1"),
        () -> "n2 stays master after maintenance off" + cluster.state());
    awaitConfiguredPriorities();
  }

  /**
   * The combinations the first test leaves out (issue 10 item 2): preempt off on both nodes (a
   * higher backup stays backup; maintenance resigns at once with priority 0, DECISIONS 14); a
   * reload while in maintenance keeps the node out; a reload that turns preempt on lets the higher
   * node take over; a reload while a move is held keeps the move; {@code move --clear} then lets
   * the election decide.
   */
  @Test
  void preemptOffAndReloadsDuringMaintenanceAndAMove() {
    NodeConfig n1 = Cluster.config("n1", 200).withPreempt(false).withGroupYaml(NODES);
    NodeConfig n2 = Cluster.config("n2", 100).withPreempt(false).withGroupYaml(NODES);
    cluster.startPair(n2, n1);
    Poll.until(
        Duration.ofSeconds(5),
        () -> socket("n1").toFile().exists() && socket("n2").toFile().exists(),
        () -> "control sockets");
    Duration mdi = Cluster.masterDownInterval(200, Cluster.ADVERT_INTERVAL);
    Path dir = cluster.daemon("n2").configFile().getParent();

    // preempt: false at 200 under a master at 100: n1 stays backup (RFC 5798 §6.4.2).
    Poll.holdsFor(
        mdi.multipliedBy(3),
        () -> cluster.holdsVip("n2") && !cluster.holdsVip("n1"),
        () -> "n1 (200, preempt false) leaves n2 (100) master" + cluster.state());

    // Maintenance on n2, preempt off: FAULT at once (priority 0), n1 takes over.
    assertThat(cli("n2", "maintenance", "on").code()).isZero();
    cluster.awaitMaster("n1", Duration.ofSeconds(3));
    cluster.awaitReleased("n2", Duration.ofSeconds(3));

    // A reload on n2 to 250 while in maintenance: n2 stays out.
    n2 = n2.withPriority(250);
    n2.write(dir);
    Cli reload = cli("n2", "reload");
    assertThat(reload.code()).as(reload.toString()).isZero();
    Poll.holdsFor(
        mdi.multipliedBy(3),
        () -> cluster.holdsVip("n1") && !cluster.holdsVip("n2"),
        () -> "n2 in maintenance stays out after a reload to 250" + cluster.state());
    assertThat(cli("n2", "status").out()).contains("maintenance");

    // Off: n2 is back as a backup at 250, but without preempt it leaves n1 master.
    assertThat(cli("n2", "maintenance", "off").code()).isZero();
    Poll.until(
        Duration.ofSeconds(3),
        () -> web("n2").get("state").asText().equals("BACKUP"),
        () -> "n2 back to BACKUP: " + web("n2"));
    Poll.holdsFor(
        mdi.multipliedBy(3),
        () -> cluster.holdsVip("n1") && !cluster.holdsVip("n2"),
        () -> "n2 (250, preempt false) leaves n1 master" + cluster.state());

    // A reload that turns preempt on, on both: n2 at 250 takes over from n1 at 200.
    n1 = n1.withPreempt(true);
    n1.write(dir);
    assertThat(cli("n1", "reload").code()).isZero();
    n2 = n2.withPreempt(true);
    n2.write(dir);
    assertThat(cli("n2", "reload").code()).isZero();
    cluster.awaitMaster("n2", Duration.ofSeconds(5));
    cluster.awaitReleased("n1", Duration.ofSeconds(3));

    // A move to n1 asked of n2: n2 at 250 would preempt right back, so the move is held.
    Cli move = cli("n2", "move", "web", "--to", "n1");
    assertThat(move.code()).as(move.toString()).isZero();
    cluster.awaitMaster("n1", Duration.ofSeconds(3));
    cluster.awaitReleased("n2", Duration.ofSeconds(3));
    // A reload on n2 (priority 240) keeps the held move: n1 stays master.
    n2.withPriority(240).write(dir);
    assertThat(cli("n2", "reload").code()).isZero();
    Poll.holdsFor(
        mdi.multipliedBy(3),
        () -> cluster.holdsVip("n1") && !cluster.holdsVip("n2"),
        () -> "the held move survives n2's reload" + cluster.state());

    // move --clear: the election decides again, and n2 at 240 preempts n1 at 200.
    Cli clear = cli("n2", "move", "web", "--clear");
    assertThat(clear.code()).as(clear.toString()).isZero();
    cluster.awaitMaster("n2", Duration.ofSeconds(5));
    cluster.awaitReleased("n1", Duration.ofSeconds(3));
    Poll.until(
        Duration.ofSeconds(3),
        () -> asConfigured("n2"),
        () -> "n2 at its configured priority after --clear: " + web("n2"));
    assertThat(web("n2").get("configuredPriority").asInt()).isEqualTo(240);
  }
}
