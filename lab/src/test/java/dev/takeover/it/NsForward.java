package dev.takeover.it;

import dev.takeover.platform.Netns;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP port on this JVM's loopback that leads into a lab namespace: each connection accepted here
 * is joined to a socket opened inside the namespace (Netns: a socket keeps the namespace it was
 * made in), so the test's HTTP client and a browser on the host reach a daemon's API in its
 * namespace, as a client on that side of it.
 */
final class NsForward implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private NsForward(String namespace, String host, int port) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform()
        .daemon()
        .name("ns-forward-" + namespace)
        .start(
            () -> {
              while (!closed) {
                try {
                  Socket in = server.accept();
                  Socket out =
                      Netns.call(
                          namespace,
                          () -> {
                            Socket s = new Socket();
                            s.connect(new InetSocketAddress(host, port), 2000);
                            return s;
                          });
                  open.add(in);
                  open.add(out);
                  pump(in, out);
                  pump(out, in);
                } catch (IOException | RuntimeException e) {
                  if (closed) {
                    return;
                  }
                }
              }
            });
  }

  /** Forwards to {@code host:port} as seen from inside {@code namespace}. */
  static NsForward to(String namespace, String host, int port) {
    try {
      return new NsForward(namespace, host, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String base() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  private void pump(Socket from, Socket to) {
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                in.transferTo(out);
                to.shutdownOutput();
              } catch (IOException e) {
                closeQuietly(from);
                closeQuietly(to);
              }
            });
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
    open.forEach(NsForward::closeQuietly);
  }
}
