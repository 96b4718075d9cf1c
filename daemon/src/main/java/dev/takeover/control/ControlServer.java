package dev.takeover.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's local control endpoint: a Unix domain socket speaking one JSON request per line and
 * one JSON response per line (docs/CONTROL.md).
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li>The socket file never exists with a looser mode than asked for: it is bound inside a fresh
 *       0700 directory next to its final path, chmod-ed there, then renamed into place (a Unix
 *       socket is reached through its inode, so the rename keeps it working).
 *   <li>A socket file left by a killed daemon is removed at start only if connecting to it is
 *       refused; if something answers, start fails rather than steal a live daemon's socket.
 *   <li>One platform thread accepts; each connection runs on its own virtual thread (NIO socket
 *       channels do not pin carriers). A bad request costs that request an error line, never the
 *       server; a line over {@link ControlProtocol#MAX_REQUEST_BYTES} ends the connection.
 *   <li>Limits, so that no client can lock the operator out (issue 9): at most {@value
 *       #MAX_CONNECTIONS} connections, of which at most {@value #MAX_FOLLOWERS} may follow events;
 *       a connection must send each request line within the idle timeout (5 s) and read each answer
 *       within it too, or it is told so and closed. Followers are exempt once subscribed (they wait
 *       for events by design), which is why they get only half the slots: the other half always
 *       turns over within the timeout. A client over a limit gets the daemon's own one-line error,
 *       and the connection stays open until it has read it and left (closing it with its request
 *       unread would reset it, and the client would see "Broken pipe" instead).
 *   <li>{@code events --follow}: the daemon's sink only offers into a bounded per-client queue, so
 *       a slow or stuck client can never stall the engine; a client that falls {@value
 *       #FOLLOW_QUEUE} events behind is told so and disconnected.
 *   <li>The accept loop is vital to the operator, not to failover, but a dead one leaves a socket
 *       that accepts nothing: its death goes to the handler given at start (the daemon's ends the
 *       process).
 * </ul>
 */
public final class ControlServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlServer.class);

  /** Root-only (the daemon runs as root): mode 0600. */
  public static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  static final int MAX_CONNECTIONS = 32;
  static final int MAX_FOLLOWERS = MAX_CONNECTIONS / 2;
  static final int FOLLOW_QUEUE = 1024;

  /** How long a client may take to send a request line, or to read an answer. */
  public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);

  private static final long DRAIN_LIMIT = 1 << 20;
  // Refused clients being told why, each for at most a second; beyond this they are just closed.
  private static final int MAX_REFUSING = MAX_CONNECTIONS;
  private static final Duration REFUSAL_LINGER = Duration.ofSeconds(1);

  private final Path socket;
  private final ControlHandler handler;
  private final ServerSocketChannel server;
  private final Object fileKey;
  private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger followers = new AtomicInteger();
  private final AtomicInteger refusing = new AtomicInteger();
  private final Duration idleTimeout;
  private final Thread.UncaughtExceptionHandler onAcceptLoopDeath;
  private final Thread acceptThread;
  private volatile boolean closed;

  private ControlServer(
      Path socket,
      ControlHandler handler,
      ServerSocketChannel server,
      Duration idleTimeout,
      Thread.UncaughtExceptionHandler onAcceptLoopDeath)
      throws IOException {
    this.socket = socket;
    this.handler = handler;
    this.server = server;
    this.idleTimeout = idleTimeout;
    this.onAcceptLoopDeath = onAcceptLoopDeath;
    this.fileKey = attributes(socket).fileKey();
    this.acceptThread =
        Thread.ofPlatform()
            .daemon()
            .name("takeover-control")
            .uncaughtExceptionHandler(onAcceptLoopDeath)
            .unstarted(this::acceptLoop);
  }

  /** Listens on {@code socket} with mode 0600. */
  public static ControlServer start(Path socket, ControlHandler handler) throws IOException {
    return start(socket, OWNER_ONLY, handler);
  }

  /**
   * Listens on {@code socket} with mode 0600; {@code onAcceptLoopDeath} (also the accept thread's
   * uncaught-exception handler) is called if the accept loop dies of an unexpected error.
   */
  public static ControlServer start(
      Path socket, ControlHandler handler, Thread.UncaughtExceptionHandler onAcceptLoopDeath)
      throws IOException {
    return start(socket, OWNER_ONLY, handler, IDLE_TIMEOUT, onAcceptLoopDeath);
  }

  /**
   * Listens on {@code socket} with the given file mode, creating its directory if missing.
   *
   * @throws IOException if another process listens there, the path is not a socket, or binding
   *     fails
   */
  public static ControlServer start(
      Path socket, Set<PosixFilePermission> mode, ControlHandler handler) throws IOException {
    return start(socket, mode, handler, IDLE_TIMEOUT, ControlServer::logAcceptLoopDeath);
  }

  /** The full form; tests shorten the idle timeout. */
  static ControlServer start(
      Path socket,
      Set<PosixFilePermission> mode,
      ControlHandler handler,
      Duration idleTimeout,
      Thread.UncaughtExceptionHandler onAcceptLoopDeath)
      throws IOException {
    Objects.requireNonNull(handler);
    Objects.requireNonNull(onAcceptLoopDeath);
    Path path = socket.toAbsolutePath();
    ControlServer s =
        new ControlServer(path, handler, bind(path, mode), idleTimeout, onAcceptLoopDeath);
    s.acceptThread.start();
    log.info("control socket listening on {}", path);
    return s;
  }

  private static void logAcceptLoopDeath(Thread thread, Throwable error) {
    log.error("control socket: accept loop died; no more connections", error);
  }

  public Path socket() {
    return socket;
  }

  private static ServerSocketChannel bind(Path socket, Set<PosixFilePermission> mode)
      throws IOException {
    Path parent = socket.getParent();
    Files.createDirectories(parent);
    removeStale(socket);
    // createTempDirectory makes it 0700, so nobody else can reach the socket before the chmod.
    Path staging = Files.createTempDirectory(parent, ".ctl");
    Path staged = staging.resolve("s");
    ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.bind(UnixDomainSocketAddress.of(staged), 16);
      Files.setPosixFilePermissions(staged, mode);
      Files.move(staged, socket, StandardCopyOption.ATOMIC_MOVE);
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      Files.deleteIfExists(staged);
      throw e;
    } finally {
      Files.deleteIfExists(staging);
    }
  }

  private static void removeStale(Path socket) throws IOException {
    if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!attributes(socket).isOther()) {
      throw new IOException(socket + " exists and is not a socket; not removing it");
    }
    try {
      SocketChannel.open(UnixDomainSocketAddress.of(socket)).close();
    } catch (ConnectException refused) {
      log.info("removing stale control socket {}", socket);
      Files.delete(socket);
      return;
    }
    throw new IOException("another process is listening on " + socket + " (daemon running?)");
  }

  private static BasicFileAttributes attributes(Path p) throws IOException {
    return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
  }

  private void acceptLoop() {
    try {
      accept();
    } catch (Throwable e) {
      onAcceptLoopDeath.uncaughtException(acceptThread, e); // first: logging could fail (OOM)
    }
  }

  private void accept() {
    while (!closed) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (closed) {
          return;
        }
        // e.g. EMFILE: keep serving once descriptors free up, without spinning.
        log.warn("control socket: accept failed: {}", e.toString());
        sleepQuietly(100);
        continue;
      }
      if (connections.size() >= MAX_CONNECTIONS) {
        refuse(channel, "too many control connections (" + MAX_CONNECTIONS + "); try again");
        continue;
      }
      connections.add(channel);
      if (closed) {
        closeQuietly(channel);
        return;
      }
      Thread.ofVirtual().name("takeover-control-conn").start(() -> serve(channel));
    }
  }

  /**
   * Tells a client it cannot be served, on a thread of its own so the accept loop never waits, then
   * waits (at most {@link #REFUSAL_LINGER}) until the client has read it and closed.
   */
  private void refuse(SocketChannel channel, String why) {
    if (refusing.incrementAndGet() > MAX_REFUSING) {
      refusing.decrementAndGet();
      closeQuietly(channel); // a flood of connections: no more threads for it
      return;
    }
    Thread.ofVirtual()
        .name("takeover-control-refuse")
        .start(
            () -> {
              try {
                Idle timer = new Idle(channel);
                timer.arm(false, REFUSAL_LINGER);
                write(channel, error(why));
                lingerUntilClosed(channel);
                timer.disarm();
              } catch (IOException e) {
                // The client went away already, or lingered too long.
              } finally {
                closeQuietly(channel);
                refusing.decrementAndGet();
              }
            });
  }

  /**
   * Closing with unread input makes the kernel reset the connection, and the client would see
   * "connection reset" or "Broken pipe" instead of our error line: stop writing, then read on
   * (boundedly) until the client leaves.
   */
  private static void lingerUntilClosed(SocketChannel channel) throws IOException {
    channel.shutdownOutput();
    ByteBuffer discard = ByteBuffer.allocate(512);
    long budget = DRAIN_LIMIT;
    int n;
    while (budget > 0 && (n = channel.read(discard.clear())) >= 0) {
      budget -= n;
    }
  }

  /**
   * Ends a connection that stays idle past the timeout. While armed for reading, expiry shuts the
   * input down, so the serving thread's read ends and that thread tells the client why; while armed
   * for writing (a client that reads nothing), expiry closes the channel.
   */
  private static final class Idle {
    private final SocketChannel channel;
    private Thread timer; // guarded by this
    private volatile boolean expired;

    Idle(SocketChannel channel) {
      this.channel = channel;
    }

    synchronized void arm(boolean reading, Duration timeout) {
      disarm();
      timer =
          Thread.ofVirtual()
              .name("takeover-control-idle")
              .start(
                  () -> {
                    try {
                      Thread.sleep(timeout);
                    } catch (InterruptedException e) {
                      return; // disarmed
                    }
                    expire(reading);
                  });
    }

    synchronized void disarm() {
      if (timer != null) {
        timer.interrupt();
        timer = null;
      }
    }

    boolean expired() {
      return expired;
    }

    private synchronized void expire(boolean reading) {
      if (timer != Thread.currentThread()) {
        return; // disarmed or re-armed meanwhile
      }
      expired = true;
      try {
        if (reading) {
          channel.shutdownInput();
        } else {
          channel.close();
        }
      } catch (IOException e) {
        closeQuietly(channel);
      }
    }
  }

  private void serve(SocketChannel channel) {
    Idle idle = new Idle(channel);
    try {
      LineReader in = new LineReader(channel, ControlProtocol.MAX_REQUEST_BYTES);
      while (true) {
        idle.arm(true, idleTimeout);
        String line = in.next();
        idle.disarm();
        if (idle.expired()) {
          // Whatever came without a newline in time is not a request.
          idle.arm(false, idleTimeout);
          write(channel, error("no request within " + seconds(idleTimeout) + "; closing"));
          return;
        }
        if (line == null) {
          return;
        }
        if (line.isBlank()) {
          continue;
        }
        ControlRequest request;
        try {
          request = ControlRequest.fromJson(ControlJson.MAPPER.readTree(line));
        } catch (JsonProcessingException e) {
          idle.arm(false, idleTimeout);
          write(channel, error("malformed JSON: " + e.getOriginalMessage()));
          continue;
        } catch (IllegalArgumentException e) {
          idle.arm(false, idleTimeout);
          write(channel, error(e.getMessage()));
          continue;
        }
        if (request instanceof ControlRequest.Events(int limit, boolean follow) && follow) {
          follow(channel, limit, idle);
          return;
        }
        ObjectNode answer = answer(request); // not timed: a reload may take a while
        idle.arm(false, idleTimeout);
        write(channel, answer);
      }
    } catch (LineReader.LineTooLongException e) {
      try {
        idle.arm(false, REFUSAL_LINGER);
        write(channel, error(e.getMessage()));
        lingerUntilClosed(channel);
      } catch (IOException ignored) {
        // Closing anyway.
      }
    } catch (IOException e) {
      // A client that disconnects mid-answer, or the server closing: nothing to report.
      log.debug("control connection ended: {}", e.toString());
    } finally {
      idle.disarm();
      connections.remove(channel);
      closeQuietly(channel);
    }
  }

  /** A follower, if there is room for one: followers wait for events, so they are never idle. */
  private void follow(SocketChannel channel, int limit, Idle idle) throws IOException {
    if (followers.incrementAndGet() > MAX_FOLLOWERS) {
      followers.decrementAndGet();
      idle.arm(false, idleTimeout);
      write(channel, error("too many event followers (" + MAX_FOLLOWERS + "); try again later"));
      return;
    }
    try {
      stream(channel, limit);
    } finally {
      followers.decrementAndGet();
    }
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private ObjectNode answer(ControlRequest request) {
    try {
      Object result =
          switch (request) {
            case ControlRequest.Status s -> handler.status();
            case ControlRequest.Events e -> handler.events(e.limit());
            case ControlRequest.Move m when m.clear() -> handler.clearMove(m.group());
            case ControlRequest.Move m -> handler.move(m.group(), m.toNode());
            case ControlRequest.Maintenance m -> handler.maintenance(m.on());
            case ControlRequest.Reload r -> handler.reload();
          };
      ObjectNode ok = ControlJson.MAPPER.createObjectNode().put("ok", true);
      ok.set("result", ControlJson.MAPPER.valueToTree(result));
      if (request instanceof ControlRequest.Status(boolean text)
          && text
          && result instanceof StatusView status) {
        ok.put("text", StatusTable.render(status));
        ok.put("conflict", status.anyConflict());
      }
      return ok;
    } catch (ControlException e) {
      return error(e.getMessage());
    } catch (RuntimeException e) {
      log.warn("control request {} failed", request, e);
      return error("internal error: " + e);
    }
  }

  /**
   * Sends the last {@code limit} events, then every new one until the client disconnects, the
   * client falls too far behind, or the server closes. Runs on the connection's thread, which is
   * the only writer; a watcher thread reads until the client hangs up and then interrupts it.
   */
  // The writer is interrupted to end a follow that fell behind; it clears the flag on purpose so
  // that it can still tell the client why before closing.
  @SuppressWarnings("InterruptedInCatchBlock")
  private void stream(SocketChannel channel, int limit) throws IOException {
    BlockingQueue<Map<String, Object>> queue = new ArrayBlockingQueue<>(FOLLOW_QUEUE);
    AtomicBoolean overflowed = new AtomicBoolean();
    Thread writer = Thread.currentThread();
    AutoCloseable subscription;
    try {
      // Subscribe before reading the backlog so no event falls between the two.
      subscription =
          handler.followEvents(
              event -> {
                if (!queue.offer(event) && overflowed.compareAndSet(false, true)) {
                  writer.interrupt();
                }
              });
    } catch (RuntimeException e) {
      log.warn("control: cannot follow events", e);
      write(channel, error("internal error: " + e));
      return;
    }
    Thread watcher = null;
    try {
      long lastBacklogSeq = Long.MIN_VALUE;
      for (Map<String, Object> event : handler.events(limit)) {
        writeEvent(channel, event);
        Long seq = seq(event);
        if (seq != null) {
          lastBacklogSeq = Math.max(lastBacklogSeq, seq);
        }
      }
      watcher =
          Thread.ofVirtual()
              .name("takeover-control-follow")
              .start(
                  () -> {
                    awaitHangUp(channel);
                    writer.interrupt();
                  });
      while (true) {
        Map<String, Object> event = queue.take();
        Long seq = seq(event);
        if (seq != null && seq <= lastBacklogSeq) {
          continue; // already sent as part of the backlog
        }
        writeEvent(channel, event);
      }
    } catch (InterruptedException e) {
      if (overflowed.get() && channel.isOpen()) {
        Thread.interrupted();
        write(
            channel,
            error("event stream dropped: the client fell " + FOLLOW_QUEUE + " events behind"));
      }
    } catch (RuntimeException e) {
      log.warn("control: event stream failed", e);
      write(channel, error("internal error: " + e));
    } finally {
      Thread.interrupted();
      try {
        subscription.close();
      } catch (Exception e) {
        log.warn("control: closing an event subscription failed", e);
      }
      if (watcher != null) {
        closeQuietly(channel); // ends the watcher's read
      }
    }
  }

  private static void awaitHangUp(SocketChannel channel) {
    ByteBuffer discard = ByteBuffer.allocate(512);
    try {
      while (channel.read(discard) >= 0) {
        discard.clear();
      }
    } catch (IOException e) {
      // Closed by the server or by the writer: either way the stream is over.
    }
  }

  private static Long seq(Map<String, Object> event) {
    return event.get("seq") instanceof Number n ? n.longValue() : null;
  }

  private static void writeEvent(SocketChannel channel, Map<String, Object> event)
      throws IOException {
    ObjectNode line = ControlJson.MAPPER.createObjectNode().put("ok", true);
    line.set("event", ControlJson.MAPPER.valueToTree(event));
    write(channel, line);
  }

  static ObjectNode error(String message) {
    return ControlJson.MAPPER.createObjectNode().put("ok", false).put("error", message);
  }

  private static void write(SocketChannel channel, JsonNode line) throws IOException {
    byte[] json = ControlJson.MAPPER.writeValueAsBytes(line);
    ByteBuffer buf = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
  }

  /** Stops accepting, ends every connection (followers see end of stream), removes the socket. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly(server);
    for (SocketChannel c : connections) {
      closeQuietly(c);
    }
    try {
      acceptThread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      // Only our own file: a newer daemon may already have replaced it.
      if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)
          && Objects.equals(attributes(socket).fileKey(), fileKey)) {
        Files.delete(socket);
      }
    } catch (IOException e) {
      log.warn("cannot remove control socket {}: {}", socket, e.toString());
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // Closing on the way out; nothing useful to do with the failure.
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
