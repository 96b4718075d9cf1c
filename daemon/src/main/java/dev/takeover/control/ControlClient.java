package dev.takeover.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** The CLI's end of the control socket: one connection per request. */
public final class ControlClient {
  /** How long a one-shot request may take; a daemon that does not answer must not hang the CLI. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final Path socket;
  private final Duration timeout;

  public ControlClient(Path socket) {
    this(socket, DEFAULT_TIMEOUT);
  }

  public ControlClient(Path socket, Duration timeout) {
    this.socket = socket;
    this.timeout = timeout;
  }

  /**
   * Sends one request and returns the daemon's response object ({@code ok} plus {@code result} or
   * {@code error}).
   *
   * @throws DaemonUnavailableException if nothing listens on the socket
   * @throws IOException if the connection breaks, the answer is not JSON, or it takes longer than
   *     the timeout
   */
  public JsonNode call(ControlRequest request) throws IOException {
    return parse(exchange(request));
  }

  /**
   * Sends one request and reads the daemon's response with the streaming parser ({@link
   * ControlAnswer}), without the object mapper.
   *
   * @throws DaemonUnavailableException if nothing listens on the socket
   * @throws IOException as {@link #call}
   */
  public ControlAnswer answer(ControlRequest request) throws IOException {
    return ControlAnswer.parse(exchange(request));
  }

  /** Sends one request and returns the daemon's response line. */
  private String exchange(ControlRequest request) throws IOException {
    SocketChannel channel = connect();
    try {
      // A platform thread, not a virtual one: starting the first virtual thread sets up its
      // scheduler, which the CLI would pay for at every start.
      Thread watchdog =
          Thread.ofPlatform()
              .daemon()
              .name("takeover-control-timeout")
              .start(
                  () -> {
                    try {
                      Thread.sleep(timeout);
                      channel.close(); // unblocks the read below
                    } catch (InterruptedException | IOException e) {
                      // Answered in time, or already closed.
                    }
                  });
      try {
        LineReader in = new LineReader(channel, ControlProtocol.MAX_RESPONSE_BYTES);
        try {
          send(channel, request);
        } catch (IOException e) {
          // The daemon may have answered before reading (too many connections) and closed: its
          // line is still there to read, and says more than "Broken pipe".
          String refusal = readQuietly(in);
          if (refusal == null) {
            throw e;
          }
          return refusal;
        }
        String line = in.next();
        if (line == null) {
          throw new IOException("the daemon closed the connection without answering");
        }
        return line;
      } catch (AsynchronousCloseException e) {
        throw new IOException("no answer from the daemon within " + timeout.toSeconds() + " s", e);
      } finally {
        watchdog.interrupt();
      }
    } finally {
      channel.close();
    }
  }

  /**
   * Sends a streaming request ({@code events} with {@code follow}) and hands every response line to
   * {@code onLine} until the daemon closes the connection. Returns normally at end of stream.
   */
  public void follow(ControlRequest request, Consumer<JsonNode> onLine) throws IOException {
    try (SocketChannel channel = connect()) {
      LineReader in = new LineReader(channel, ControlProtocol.MAX_RESPONSE_BYTES);
      try {
        send(channel, request);
      } catch (IOException e) {
        String refusal = readQuietly(in); // as in call(): the daemon's reason beats "Broken pipe"
        if (refusal == null) {
          throw e;
        }
        onLine.accept(parse(refusal));
        return;
      }
      String line;
      while ((line = in.next()) != null) {
        onLine.accept(parse(line));
      }
    }
  }

  private static String readQuietly(LineReader in) {
    try {
      return in.next();
    } catch (IOException e) {
      return null;
    }
  }

  private SocketChannel connect() throws IOException {
    if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      throw new DaemonUnavailableException(
          "the daemon is not running (no control socket at " + socket + ")", null);
    }
    try {
      return SocketChannel.open(UnixDomainSocketAddress.of(socket));
    } catch (ConnectException e) {
      throw new DaemonUnavailableException(
          "the daemon is not running (" + socket + " refuses connections)", e);
    } catch (SocketException e) {
      // EACCES: the socket is root-only by design.
      String why = String.valueOf(e.getMessage());
      throw new DaemonUnavailableException(
          "cannot connect to "
              + socket
              + ": "
              + why
              + (why.toLowerCase(java.util.Locale.ROOT).contains("permission")
                  ? " (run as root)"
                  : ""),
          e);
    }
  }

  private static void send(SocketChannel channel, ControlRequest request) throws IOException {
    byte[] json = request.toJsonLine().getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
  }

  private static JsonNode parse(String line) throws IOException {
    try {
      return ControlJson.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IOException(
          "the daemon sent something that is not JSON: "
              + line.substring(0, Math.min(line.length(), 80)),
          e);
    }
  }
}
