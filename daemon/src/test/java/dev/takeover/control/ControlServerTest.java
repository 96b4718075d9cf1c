package dev.takeover.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket protocol without the CLI: framing, bad input, file handling, streaming. */
class ControlServerTest {
  @TempDir Path dir;
  private final FakeControlHandler handler = new FakeControlHandler();
  private ControlServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private Path socket() {
    return dir.resolve("control.sock");
  }

  private ControlServer start() throws IOException {
    server = ControlServer.start(socket(), handler);
    return server;
  }

  /** A raw connection that sends text and reads response lines. */
  private static final class Raw implements AutoCloseable {
    final SocketChannel channel;
    final LineReader in;

    Raw(Path socket) throws IOException {
      channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
      in = new LineReader(channel, 1 << 20);
    }

    Raw send(String text) throws IOException {
      ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      return this;
    }

    JsonNode read() throws IOException {
      String line = in.next();
      return line == null ? null : ControlJson.MAPPER.readTree(line);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  @Test
  void answersSeveralRequestsOnOneConnection() throws IOException {
    start();
    try (Raw c = new Raw(socket())) {
      JsonNode status = c.send("{\"cmd\":\"status\"}\n").read();
      assertThat(status.path("ok").asBoolean()).isTrue();
      assertThat(status.at("/result/node").asText()).isEqualTo("alpha");
      assertThat(status.at("/result/groups/0/peers/0/priority").asInt()).isEqualTo(100);
      assertThat(status.at("/result/groups/0/conflict").asBoolean()).isTrue();

      JsonNode move = c.send("{\"cmd\":\"move\",\"group\":\"web\",\"to\":\"beta\"}\r\n").read();
      assertThat(move.at("/result/accepted").asBoolean()).isTrue();

      JsonNode maintenance = c.send("{\"cmd\":\"maintenance\",\"on\":true}\n").read();
      assertThat(maintenance.at("/result/changed").asBoolean()).isTrue();
    }
    assertThat(handler.calls).containsExactly("status", "move web beta", "maintenance true");
  }

  @Test
  void aTextStatusAlsoCarriesTheTableAndWhetherAGroupIsInConflict() throws IOException {
    start();
    try (Raw c = new Raw(socket())) {
      JsonNode status = c.send("{\"cmd\":\"status\",\"text\":true}\n").read();
      assertThat(status.path("ok").asBoolean()).isTrue();
      assertThat(status.at("/result/node").asText()).isEqualTo("alpha");
      assertThat(status.path("text").asText())
          .isEqualTo(StatusTable.render(FakeControlHandler.sampleStatus()));
      assertThat(status.path("conflict").asBoolean()).isTrue();
      JsonNode plain = c.send("{\"cmd\":\"status\"}\n").read();
      assertThat(plain.has("text")).isFalse();
      assertThat(plain.has("conflict")).isFalse();
    }
  }

  @Test
  void statusRoundTripsThroughJsonIntoTheSameRecords() throws IOException {
    start();
    JsonNode response = new ControlClient(socket()).call(new ControlRequest.Status());
    StatusView back = ControlJson.MAPPER.treeToValue(response.get("result"), StatusView.class);
    assertThat(back).isEqualTo(FakeControlHandler.sampleStatus());
  }

  @Test
  void malformedRequestsGetAnErrorAndTheConnectionStaysUsable() throws IOException {
    start();
    try (Raw c = new Raw(socket())) {
      assertThat(error(c.send("not json\n").read())).startsWith("malformed JSON: ");
      assertThat(error(c.send("[1,2]\n").read())).contains("a request is a JSON object");
      assertThat(error(c.send("{}\n").read())).startsWith("missing \"cmd\"");
      assertThat(error(c.send("{\"cmd\":\"explode\"}\n").read()))
          .isEqualTo("unknown cmd \"explode\" (one of status, events, move, maintenance, reload)");
      assertThat(error(c.send("{\"cmd\":\"move\",\"group\":\"web\"}\n").read())).contains("\"to\"");
      assertThat(error(c.send("{\"cmd\":\"maintenance\"}\n").read())).contains("\"on\"");
      assertThat(error(c.send("{\"cmd\":\"maintenance\",\"on\":\"yes\"}\n").read()))
          .isEqualTo("\"on\" must be true or false");
      assertThat(error(c.send("{\"cmd\":\"events\",\"limit\":-1}\n").read()))
          .startsWith("limit must be between 0 and 10000");
      // Still serving after all of that.
      assertThat(c.send("\n{\"cmd\":\"reload\"}\n").read().path("ok").asBoolean()).isTrue();
    }
  }

  @Test
  void aRefusalFromTheHandlerIsSentVerbatim() throws IOException {
    start();
    try (Raw c = new Raw(socket())) {
      assertThat(error(c.send("{\"cmd\":\"move\",\"group\":\"nope\",\"to\":\"beta\"}\n").read()))
          .isEqualTo("no group named 'nope'");
    }
  }

  @Test
  void anInternalErrorIsReportedAndTheServerKeepsRunning() throws IOException {
    ControlHandler failing =
        new ForwardingHandler(handler) {
          @Override
          public StatusView status() {
            throw new IllegalStateException("engine snapshot unavailable");
          }
        };
    server = ControlServer.start(socket(), failing);
    try (Raw c = new Raw(socket())) {
      assertThat(error(c.send("{\"cmd\":\"status\"}\n").read()))
          .isEqualTo(
              "internal error: java.lang.IllegalStateException: engine snapshot unavailable");
      assertThat(c.send("{\"cmd\":\"reload\"}\n").read().path("ok").asBoolean()).isTrue();
    }
  }

  @Test
  void anOversizedRequestIsRefusedAndOnlyThatConnectionEnds() throws IOException {
    start();
    try (Raw c = new Raw(socket())) {
      String huge = "{\"cmd\":\"" + "x".repeat(ControlProtocol.MAX_REQUEST_BYTES) + "\"}\n";
      JsonNode answer = c.send(huge).read();
      assertThat(error(answer)).isEqualTo("request larger than 65536 bytes");
      assertThat(c.read()).isNull();
    }
    try (Raw c = new Raw(socket())) {
      assertThat(c.send("{\"cmd\":\"status\"}\n").read().path("ok").asBoolean()).isTrue();
    }
  }

  @Test
  void theSocketIsOwnerOnlyAndNoStagingDirectoryIsLeft() throws IOException {
    start();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket())))
        .isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(socket());
    }
  }

  @Test
  void theModeIsConfigurable() throws IOException {
    server = ControlServer.start(socket(), PosixFilePermissions.fromString("rw-rw----"), handler);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket())))
        .isEqualTo("rw-rw----");
  }

  @Test
  void theDirectoryIsCreatedWhenMissing() throws IOException {
    Path nested = dir.resolve("run/takeover/control.sock");
    server = ControlServer.start(nested, handler);
    assertThat(new ControlClient(nested).call(new ControlRequest.Reload()).path("ok").asBoolean())
        .isTrue();
  }

  @Test
  void aStaleSocketFileIsReplaced() throws IOException {
    try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      old.bind(UnixDomainSocketAddress.of(socket()));
    } // closed, but the file stays: what a killed daemon leaves behind
    assertThat(socket()).exists();
    start();
    assertThat(new ControlClient(socket()).call(new ControlRequest.Status()).path("ok").asBoolean())
        .isTrue();
  }

  @Test
  void aLiveSocketIsNotStolen() throws IOException {
    start();
    assertThatThrownBy(() -> ControlServer.start(socket(), new FakeControlHandler()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("another process is listening on " + socket());
    assertThat(new ControlClient(socket()).call(new ControlRequest.Status()).path("ok").asBoolean())
        .isTrue();
  }

  @Test
  void aFileThatIsNotASocketIsLeftAlone() throws IOException {
    Files.writeString(socket(), "precious");
    assertThatThrownBy(this::start)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("exists and is not a socket");
    assertThat(Files.readString(socket())).isEqualTo("precious");
  }

  @Test
  void closeRemovesTheSocketFile() throws IOException {
    start().close();
    assertThat(socket()).doesNotExist();
  }

  @Test
  void followSendsTheBacklogThenNewEventsWithoutDuplicates() throws Exception {
    handler.backlog.add(FakeControlHandler.event(1, "web", "transition", "a"));
    handler.backlog.add(FakeControlHandler.event(2, "web", "transition", "b"));
    // Event 2 also reaches the live sink, as when it is recorded between subscribe and backlog.
    handler.onSubscribe =
        sink -> sink.accept(FakeControlHandler.event(2, "web", "transition", "b"));
    start();
    try (Raw c = new Raw(socket())) {
      c.send("{\"cmd\":\"events\",\"limit\":5,\"follow\":true}\n");
      assertThat(c.read().at("/event/seq").asLong()).isEqualTo(1);
      assertThat(c.read().at("/event/seq").asLong()).isEqualTo(2);
      handler.push(FakeControlHandler.event(3, "db", "transition", "c"));
      assertThat(c.read().at("/event/seq").asLong()).isEqualTo(3);
    }
    await(() -> handler.followers() == 0, "the subscription is closed when the client leaves");
  }

  @Test
  void aFollowerEndsCleanlyWhenTheServerCloses() throws Exception {
    start();
    try (Raw c = new Raw(socket())) {
      c.send("{\"cmd\":\"events\",\"limit\":0,\"follow\":true}\n");
      await(() -> handler.followers() == 1, "subscribed");
      server.close();
      assertThat(c.read()).isNull();
    }
    await(() -> handler.followers() == 0, "unsubscribed");
  }

  @Test
  void aClientThatStopsReadingNeverBlocksTheDaemonAndIsDisconnected() throws Exception {
    start();
    try (Raw c = new Raw(socket())) {
      c.send("{\"cmd\":\"events\",\"limit\":0,\"follow\":true}\n");
      await(() -> handler.followers() == 1, "subscribed");
      String padding = "x".repeat(500);
      long started = System.nanoTime();
      for (int i = 0; i < 20_000; i++) {
        handler.push(FakeControlHandler.event(i, "web", "transition", padding));
      }
      // 10 MB offered to a client that reads nothing: the sink must only have queued or dropped.
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      await(() -> handler.followers() == 0, "the slow follower is dropped");
      List<JsonNode> lines = new ArrayList<>();
      JsonNode line;
      while ((line = c.read()) != null) {
        lines.add(line);
      }
      assertThat(lines.size()).isLessThan(20_000);
    }
  }

  @Test
  void aConnectionThatSendsNoRequestInTimeIsToldAndClosed() throws Exception {
    server =
        ControlServer.start(
            socket(), ControlServer.OWNER_ONLY, handler, Duration.ofMillis(300), (t, e) -> {});
    try (Raw idle = new Raw(socket());
        Raw partial = new Raw(socket())) {
      partial.send("{\"cmd\":\"sta"); // no newline: not a request, however long we wait
      long started = System.nanoTime();
      assertThat(error(idle.read())).isEqualTo("no request within 300 ms; closing");
      assertThat(idle.read()).isNull();
      assertThat(error(partial.read())).isEqualTo("no request within 300 ms; closing");
      assertThat(partial.read()).isNull();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }
    assertThat(handler.calls).isEmpty();
  }

  @Test
  void aConnectionStaysUsableWhileItKeepsSendingRequestsInTime() throws Exception {
    server =
        ControlServer.start(
            socket(), ControlServer.OWNER_ONLY, handler, Duration.ofMillis(300), (t, e) -> {});
    try (Raw c = new Raw(socket())) {
      for (int i = 0; i < 4; i++) {
        Thread.sleep(150); // each wait is under the timeout, all of them together are not
        assertThat(c.send("{\"cmd\":\"status\"}\n").read().path("ok").asBoolean()).isTrue();
      }
    }
  }

  /**
   * Issue 9: 32 idle connections locked the operator out, and the CLI said "Broken pipe". Now the
   * 33rd client gets the daemon's own reason, and once the idle ones time out, status answers.
   */
  @Test
  void idleConnectionsCannotLockTheOperatorOut() throws Exception {
    server =
        ControlServer.start(
            socket(), ControlServer.OWNER_ONLY, handler, Duration.ofSeconds(1), (t, e) -> {});
    List<Raw> idle = new ArrayList<>();
    try {
      for (int i = 0; i < ControlServer.MAX_CONNECTIONS + 8; i++) {
        idle.add(new Raw(socket()));
      }
      // Refused, never "Broken pipe" or "connection reset", however the race between the
      // client's request and the daemon's refusal goes.
      for (int i = 0; i < 20; i++) {
        JsonNode refused = new ControlClient(socket()).call(new ControlRequest.Status());
        assertThat(error(refused)).isEqualTo("too many control connections (32); try again");
      }
      long started = System.nanoTime();
      JsonNode status = null;
      while (System.nanoTime() - started < Duration.ofSeconds(5).toNanos()) {
        status = new ControlClient(socket()).call(new ControlRequest.Status());
        if (status.path("ok").asBoolean()) {
          break;
        }
        Thread.sleep(50);
      }
      assertThat(status.path("ok").asBoolean()).as(status.toString()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
      // The first 32 were told why they were closed; the rest were refused at once.
      assertThat(error(idle.getFirst().read())).isEqualTo("no request within 1 s; closing");
      assertThat(error(idle.getLast().read()))
          .isEqualTo("too many control connections (32); try again");
    } finally {
      for (Raw r : idle) {
        r.close();
      }
    }
  }

  @Test
  void followersGetAtMostHalfTheSlotsSoStatusStillAnswers() throws Exception {
    start();
    List<Raw> followers = new ArrayList<>();
    try {
      for (int i = 0; i < ControlServer.MAX_FOLLOWERS; i++) {
        followers.add(new Raw(socket()).send("{\"cmd\":\"events\",\"follow\":true}\n"));
      }
      await(() -> handler.followers() == ControlServer.MAX_FOLLOWERS, "all followers subscribed");
      try (Raw one = new Raw(socket())) {
        assertThat(error(one.send("{\"cmd\":\"events\",\"follow\":true}\n").read()))
            .isEqualTo("too many event followers (16); try again later");
      }
      assertThat(
              new ControlClient(socket()).call(new ControlRequest.Status()).path("ok").asBoolean())
          .isTrue();
    } finally {
      for (Raw r : followers) {
        r.close();
      }
    }
  }

  @Test
  void closingTheServerIsNotADeathOfTheAcceptLoop() throws Exception {
    java.util.concurrent.CompletableFuture<String> died =
        new java.util.concurrent.CompletableFuture<>();
    ControlHandler handler = new FakeControlHandler();
    server =
        ControlServer.start(
            socket(),
            ControlServer.OWNER_ONLY,
            handler,
            ControlServer.IDLE_TIMEOUT,
            (thread, error) -> died.complete(thread.getName()));
    // The daemon's handler halts the process: a graceful stop must not look like a death.
    server.close();
    assertThat(died).isNotDone();
  }

  private static String error(JsonNode response) {
    assertThat(response.path("ok").asBoolean(true)).as(response.toString()).isFalse();
    return response.path("error").asText();
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

  /** Delegates everything; tests override one method to fail. */
  private static class ForwardingHandler implements ControlHandler {
    private final ControlHandler delegate;

    ForwardingHandler(ControlHandler delegate) {
      this.delegate = delegate;
    }

    @Override
    public StatusView status() {
      return delegate.status();
    }

    @Override
    public MoveResult move(String group, String toNode) {
      return delegate.move(group, toNode);
    }

    @Override
    public MaintenanceResult maintenance(boolean on) {
      return delegate.maintenance(on);
    }

    @Override
    public ReloadResult reload() {
      return delegate.reload();
    }

    @Override
    public List<java.util.Map<String, Object>> events(int limit) {
      return delegate.events(limit);
    }

    @Override
    public AutoCloseable followEvents(
        java.util.function.Consumer<java.util.Map<String, Object>> s) {
      return delegate.followEvents(s);
    }
  }
}
