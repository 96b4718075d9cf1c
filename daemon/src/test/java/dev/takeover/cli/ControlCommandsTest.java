package dev.takeover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.takeover.clock.Clock;
import dev.takeover.control.ControlJson;
import dev.takeover.control.ControlServer;
import dev.takeover.control.FakeControlHandler;
import dev.takeover.control.MoveResult;
import dev.takeover.control.ReloadResult;
import dev.takeover.journal.Events;
import dev.takeover.journal.Journal;
import dev.takeover.journal.JournalOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control commands as an operator sees them, against a fake daemon on a real socket. */
class ControlCommandsTest {
  private final Console console = new Console();
  private final FakeControlHandler handler = new FakeControlHandler();
  private ControlServer server;
  @TempDir Path dir;

  @BeforeEach
  void setUp() throws IOException {
    server = ControlServer.start(socket(), handler);
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private Path socket() {
    return dir.resolve("control.sock");
  }

  private int run(String... args) {
    String[] full = new String[args.length + 2];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--socket";
    full[args.length + 1] = socket().toString();
    return console.run(full);
  }

  private String out() {
    return console.out();
  }

  private String err() {
    return console.err();
  }

  @Test
  void statusPrintsATablePerGroupWithTheConflictFirst() {
    assertThat(run("status")).as(err()).isEqualTo(ExitCode.CONFLICT.code);
    assertThat(out())
        .isEqualTo(
            """
            node alpha
            CONFLICT: group web (VRID 51) dual-master: 198.18.0.2 keeps advertising priority 90 \
            while this node is master
            WARNING: hook notify-dns failed 3 times in a row

            group web  VRID 51  eth0  IPv4
              state        MASTER  (CONFLICT)
              priority     90 (configured 100; -10 check nginx failing)
              VIPs         198.18.0.50/24
              VIP owner    alpha
              peers        ADDRESS     PRIORITY  HEARD       STATE
                           198.18.0.2  100       120 ms ago  MASTER
              conflicts    KIND         WHO         SINCE      LAST SEEN
                           dual-master  198.18.0.2  2.5 s ago  120 ms ago
              drops        BAD_TTL 2
              transitions  2025-03-01T12:00:00.000Z  INITIALIZE -> BACKUP  started
                           2025-03-01T12:00:03.120Z  BACKUP -> MASTER      master down timer expired

            group db  VRID 52  eth1  IPv6
              state        BACKUP
              priority     50
              VIPs         2001:db8::50/64
              VIP owner    2001:db8::2
              peers        ADDRESS      PRIORITY  HEARD      STATE
                           2001:db8::2  200       1.5 s ago  MASTER
              drops        none
              transitions  none
            """);
    assertThat(err()).isEmpty();
  }

  @Test
  void aDaemonWithEveryConnectionTakenIsReportedInItsOwnWords() throws IOException {
    List<java.nio.channels.SocketChannel> held = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 32; i++) {
        held.add(java.nio.channels.SocketChannel.open(UnixDomainSocketAddress.of(socket())));
      }
      assertThat(run("status")).isEqualTo(ExitCode.FAILED.code);
      assertThat(err()).isEqualTo("takeover: too many control connections (32); try again\n");
    } finally {
      for (var c : held) {
        c.close();
      }
    }
  }

  @Test
  void statusFromADaemonThatDoesNotRenderTheTablePrintsTheSameTable() throws Exception {
    assertThat(run("status")).isEqualTo(ExitCode.CONFLICT.code);
    String rendered = out();
    server.close();
    String request;
    // An older daemon: it ignores "text" and answers with the result alone.
    try (ServerSocketChannel older = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      older.bind(UnixDomainSocketAddress.of(socket()));
      CompletableFuture<String> seen =
          CompletableFuture.supplyAsync(
              () -> {
                try (SocketChannel c = older.accept()) {
                  ByteBuffer in = ByteBuffer.allocate(4096);
                  while (in.position() == 0 || in.get(in.position() - 1) != '\n') {
                    c.read(in);
                  }
                  String answer =
                      "{\"ok\":true,\"result\":"
                          + ControlJson.MAPPER.writeValueAsString(FakeControlHandler.sampleStatus())
                          + "}\n";
                  c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
                  return new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      Console again = new Console();
      assertThat(again.run("status", "--socket", socket().toString()))
          .as(again.err())
          .isEqualTo(ExitCode.CONFLICT.code);
      assertThat(again.out()).isEqualTo(rendered);
      request = seen.get(5, TimeUnit.SECONDS);
    }
    assertThat(request).isEqualTo("{\"cmd\":\"status\",\"text\":true}\n");
    server = ControlServer.start(socket(), handler); // for tearDown
  }

  @Test
  void statusJsonIsTheDaemonsAnswerVerbatim() throws IOException {
    assertThat(run("status", "--json")).isEqualTo(ExitCode.CONFLICT.code);
    JsonNode json = ControlJson.MAPPER.readTree(out());
    assertThat(json.get("node").asText()).isEqualTo("alpha");
    assertThat(json.at("/groups/0/effectivePriority").asInt()).isEqualTo(90);
    assertThat(json.at("/groups/0/priorityReasons/0").asText())
        .isEqualTo("-10 check nginx failing");
    assertThat(json.at("/groups/0/lastTransitions/1/reason").asText())
        .isEqualTo("master down timer expired");
    assertThat(json.at("/groups/1/peers/0/lastHeardMillisAgo").asLong()).isEqualTo(1500);
    assertThat(json.at("/groups/0/conflict").asBoolean()).isTrue();
  }

  @Test
  void eventsPrintsTheMostRecentOnesOnePerLine() {
    for (int i = 1; i <= 4; i++) {
      handler.backlog.add(FakeControlHandler.event(i, "web", "transition", "step " + i));
    }
    assertThat(run("events", "-n", "2")).as(err()).isEqualTo(ExitCode.OK.code);
    assertThat(out())
        .isEqualTo(
            """
            2025-03-01T12:00:03.000Z  web  transition  detail=step 3
            2025-03-01T12:00:04.000Z  web  transition  detail=step 4
            """);
    assertThat(handler.calls).containsExactly("events 2");
  }

  @Test
  void eventsJsonPrintsOneObjectPerLine() throws IOException {
    handler.backlog.add(FakeControlHandler.event(1, "web", "transition", "a"));
    handler.backlog.add(FakeControlHandler.event(2, "db", "claim", "b"));
    assertThat(run("events", "--json")).isEqualTo(ExitCode.OK.code);
    List<String> lines = out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(ControlJson.MAPPER.readTree(lines.get(1)).get("type").asText()).isEqualTo("claim");
  }

  @Test
  void eventsFollowPrintsNewEventsAndEndsCleanlyWhenTheDaemonStops() throws Exception {
    handler.backlog.add(FakeControlHandler.event(1, "web", "transition", "before"));
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run("events", "-f"));
    await(() -> handler.followers() == 1, "the CLI follows");
    handler.push(FakeControlHandler.event(2, "db", "claim", "after"));
    await(() -> out().contains("after"), "the pushed event is printed");
    server.close();
    assertThat(exit.get(5, TimeUnit.SECONDS)).isEqualTo(ExitCode.OK.code);
    assertThat(out())
        .isEqualTo(
            """
            2025-03-01T12:00:01.000Z  web  transition  detail=before
            2025-03-01T12:00:02.000Z  db  claim  detail=after
            """);
  }

  @Test
  void moveWaitsUntilTheMasterIsThere() {
    assertThat(run("move", "web", "--to", "beta")).isEqualTo(ExitCode.OK.code);
    assertThat(out()).isEqualTo("move web to beta: moved: beta is master now\n");
    assertThat(handler.calls).containsExactly("move web beta", "status");
  }

  /** A master that lowers its names' TTL first says so before the CLI waits (DNS.md). */
  @Test
  void aMoveHeldForDnsSaysSoAndHowLongBeforeWaiting() throws IOException {
    handler.dnsHold = true;
    assertThat(run("move", "web", "--to", "beta")).isEqualTo(ExitCode.OK.code);
    assertThat(out())
        .isEqualTo(
            "move web to beta: held for DNS, at most 120 s: waiting for the lowered TTL first:"
                + " www.dns.test. (TTL 60 s to 5 s); ...\n"
                + "move web to beta: moved: beta is master now\n");
    console.reset();
    assertThat(run("move", "web", "--to", "beta", "--json")).isEqualTo(ExitCode.OK.code);
    assertThat(ControlJson.MAPPER.readTree(out()).get("dnsWaitMillis").asLong()).isEqualTo(120_000);
  }

  /** A daemon without DNS holds (an older one) does not send dnsWaitMillis: nothing is held. */
  @Test
  void aMoveAnswerWithoutDnsWaitParses() throws IOException {
    MoveResult m =
        ControlJson.MAPPER.readValue(
            "{\"group\":\"web\",\"toNode\":\"beta\",\"accepted\":true,\"message\":\"m\","
                + "\"outcome\":\"moving\",\"waitMillis\":10,\"here\":false,"
                + "\"targetAddresses\":[]}",
            MoveResult.class);
    assertThat(m.dnsWaitMillis()).isNull();
    assertThat(m.waitMillis()).isEqualTo(10);
  }

  @Test
  void aMoveNotSeenWithinTheWaitExits4() throws IOException {
    handler.movesHappen = false;
    assertThat(run("move", "web", "--to", "beta")).isEqualTo(ExitCode.NOT_DONE.code);
    assertThat(err())
        .isEqualTo(
            "takeover: move web to beta: not moved: not moved within 0.3 s (this node is MASTER,"
                + " master alpha); priority lowered to 1: beta takes over; check both nodes'"
                + " status\n");
    console.reset();
    assertThat(run("move", "web", "--to", "beta", "--json")).isEqualTo(ExitCode.NOT_DONE.code);
    assertThat(ControlJson.MAPPER.readTree(out()).get("outcome").asText()).isEqualTo("not-moved");
  }

  @Test
  void noWaitReturnsOnceTheMoveStarted() {
    handler.movesHappen = false;
    assertThat(run("move", "web", "--to", "beta", "--no-wait")).isEqualTo(ExitCode.OK.code);
    assertThat(out())
        .isEqualTo("move web to beta: started: priority lowered to 1: beta takes over\n");
    assertThat(handler.calls).containsExactly("move web beta");
  }

  @Test
  void alreadyThereAndClearAreDone() {
    assertThat(run("move", "web", "--to", "alpha")).isEqualTo(ExitCode.OK.code);
    assertThat(run("move", "web", "--clear")).isEqualTo(ExitCode.OK.code);
    assertThat(out())
        .isEqualTo(
            """
            move web to alpha: already there: this node is master already
            move web --clear: cleared: move adjustment cleared: priority 100
            """);
  }

  @Test
  void aRefusedMoveFailsWithTheReason() {
    assertThat(run("move", "web", "--to", "gamma")).isEqualTo(ExitCode.FAILED.code);
    assertThat(err())
        .isEqualTo(
            "takeover: move web to gamma: refused: unknown node gamma; known nodes: alpha (this"
                + " node), beta\n");
    assertThat(run("move", "nope", "--to", "beta")).isEqualTo(ExitCode.FAILED.code);
    assertThat(err()).endsWith("takeover: no group named 'nope'\n");
  }

  @Test
  void moveWithoutATargetIsAUsageError() {
    assertThat(run("move", "web")).isEqualTo(ExitCode.USAGE.code);
    assertThat(err()).contains("give either --to NODE or --clear");
    assertThat(run("move", "web", "--to", "beta", "--clear")).isEqualTo(ExitCode.USAGE.code);
  }

  @Test
  void maintenanceOnAndOff() {
    assertThat(run("maintenance", "on")).isEqualTo(ExitCode.OK.code);
    assertThat(run("maintenance", "on")).isEqualTo(ExitCode.OK.code);
    assertThat(run("maintenance", "off")).isEqualTo(ExitCode.OK.code);
    assertThat(out())
        .isEqualTo(
            """
            maintenance on: released 1 group(s) to their backups
            maintenance already on: released 1 group(s) to their backups
            maintenance off: resuming normal priorities
            """);
    assertThat(run("maintenance", "maybe")).isEqualTo(ExitCode.USAGE.code);
    assertThat(err()).contains("expected on or off, not 'maybe'");
  }

  @Test
  void reloadListsChangesOrRefusesWithTheConfigErrors() {
    assertThat(run("reload")).isEqualTo(ExitCode.OK.code);
    assertThat(out()).isEqualTo("reloaded: 1 change(s)\n  group web: priority 100 -> 90\n");
    handler.reloadResult =
        new ReloadResult(
            false, List.of(), List.of("/etc/takeover/takeover.yaml:4:11: vrid 300 is not 1-255"));
    assertThat(run("reload")).isEqualTo(ExitCode.INVALID_CONFIG.code);
    assertThat(err())
        .isEqualTo(
            """
            /etc/takeover/takeover.yaml:4:11: vrid 300 is not 1-255
            takeover: reload refused, 1 error(s); still running the previous configuration
            """);
  }

  @Test
  void jsonKeepsTheExitCodeOfARefusal() throws IOException {
    handler.reloadResult =
        new ReloadResult(
            false, List.of(), List.of("/etc/takeover/takeover.yaml:4:11: vrid 300 is not 1-255"));
    assertThat(run("reload", "--json")).isEqualTo(ExitCode.INVALID_CONFIG.code);
    assertThat(ControlJson.MAPPER.readTree(out()).get("applied").asBoolean()).isFalse();
    assertThat(err()).isEmpty();
    console.reset();
    assertThat(run("move", "web", "--to", "gamma", "--json")).isEqualTo(ExitCode.FAILED.code);
    assertThat(ControlJson.MAPPER.readTree(out()).get("accepted").asBoolean()).isFalse();
    console.reset();
    assertThat(run("move", "web", "--to", "beta", "--json")).isEqualTo(ExitCode.OK.code);
    assertThat(ControlJson.MAPPER.readTree(out()).get("accepted").asBoolean()).isTrue();
    assertThat(ControlJson.MAPPER.readTree(out()).get("outcome").asText()).isEqualTo("moved");
  }

  @Test
  void everyCommandSaysClearlyWhenNoDaemonRuns() {
    server.close(); // removes the socket file
    for (String[] command :
        new String[][] {
          {"status"},
          {"events"},
          {"events", "-f"},
          {"move", "web", "--to", "beta"},
          {"maintenance", "on"},
          {"reload"}
        }) {
      console.reset();
      assertThat(run(command)).as(String.join(" ", command)).isEqualTo(ExitCode.FAILED.code);
      assertThat(err())
          .isEqualTo(
              "takeover: the daemon is not running (no control socket at " + socket() + ")\n");
    }
  }

  @Test
  void aStaleSocketFileMeansNotRunningToo() throws IOException {
    server.close();
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(socket()));
    }
    assertThat(run("status")).isEqualTo(ExitCode.FAILED.code);
    assertThat(err())
        .isEqualTo("takeover: the daemon is not running (" + socket() + " refuses connections)\n");
  }

  @Test
  void statusAndEventsFindTheSocketInTheConfigsStateDir() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("takeover.yaml"),
            """
            node: alpha
            daemon:
              state-dir: %s
            groups:
              - { name: web, vrid: 51, interface: eth0, addresses: [198.18.0.50/24] }
            """
                .formatted(dir));
    assertThat(console.run("status", "-c", file.toString()))
        .as(err())
        .isEqualTo(ExitCode.CONFLICT.code); // the sample status has a conflict
    assertThat(out()).contains("web");
    assertThat(console.run("events", "--config", file.toString())).as(err()).isEqualTo(0);
    assertThat(handler.calls).containsExactly("status", "events 20");
  }

  @Test
  void aConfigThatCannotBeReadIsExitOneWithItsErrors() throws IOException {
    Path file = Files.writeString(dir.resolve("bad.yaml"), "node: alpha\ngroups: web\n");
    assertThat(console.run("status", "-c", file.toString()))
        .isEqualTo(ExitCode.INVALID_CONFIG.code);
    assertThat(err()).contains(file + ":2:9: groups: ");
    assertThat(handler.calls).isEmpty();
  }

  @Test
  void eventsFileReadsAJournalWithoutADaemon() throws IOException {
    server.close();
    Path state = Files.createDirectory(dir.resolve("state"));
    try (Journal journal = Journal.open(state, "alpha", JournalOptions.DEFAULTS, Clock.system())) {
      for (String version : List.of("0.1.0", "0.1.1", "0.1.2")) {
        journal.append(Events.daemonStarted(version, 1234, List.of("web")));
      }
    }
    Path file = state.resolve("journal.jsonl");
    Files.writeString(file, "{\"torn", StandardOpenOption.APPEND);

    assertThat(console.run("events", "--file", file.toString(), "-n", "2")).isEqualTo(0);
    assertThat(out().lines().toList())
        .hasSize(2)
        .allMatch(l -> l.contains("daemon.started"))
        .anyMatch(l -> l.contains("0.1.1"))
        .anyMatch(l -> l.contains("0.1.2"));
    assertThat(err()).startsWith("takeover: skipped " + file + ":4");
    console.reset();

    assertThat(console.run("events", "--json", "--file", state.toString())).isEqualTo(0);
    assertThat(out().lines()).hasSize(3).allMatch(l -> l.startsWith("{"));
    console.reset();

    assertThat(console.run("events", "--file", dir.resolve("nope").toString()))
        .isEqualTo(ExitCode.FAILED.code);
    assertThat(err()).contains("nope: no such file or directory");
    assertThat(console.run("events", "--file", file.toString(), "--follow"))
        .isEqualTo(ExitCode.USAGE.code);
  }

  @Test
  void completionPrintsTheBashScriptPicocliGenerates() {
    assertThat(console.run("completion")).isEqualTo(0);
    assertThat(out()).contains("complete -F", "takeover", "status", "--socket", "--host");
    console.reset();
    assertThat(console.run("--help")).isEqualTo(0);
    assertThat(out()).doesNotContain("completion");
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(10);
    }
  }
}
