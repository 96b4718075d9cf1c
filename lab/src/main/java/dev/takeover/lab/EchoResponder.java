package dev.takeover.lab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers each UDP probe with its sequence number and this node's name, so the client can tell
 * which node holds the VIP. Listens on the wildcard address (IPv4 and IPv6).
 *
 * <p>The answer leaves from whatever source address the kernel picks (usually the node's own
 * address, not the VIP): NIO cannot choose it per datagram, and the {@link Prober} does not care.
 */
public final class EchoResponder implements AutoCloseable {
  private final DatagramChannel channel;
  private final byte[] name;
  private final Thread thread;
  private final AtomicLong answered = new AtomicLong();

  private EchoResponder(DatagramChannel channel, String name) {
    this.channel = channel;
    this.name = name.getBytes(StandardCharsets.UTF_8);
    if (this.name.length > ProbePacket.MAX_NAME_BYTES) {
      throw new IllegalArgumentException(
          "name longer than " + ProbePacket.MAX_NAME_BYTES + " bytes");
    }
    this.thread = Thread.ofPlatform().name("echo-" + name).daemon().unstarted(this::serve);
  }

  /** Binds {@code port} on all addresses and starts answering on a platform thread. */
  public static EchoResponder start(int port, String name) throws IOException {
    DatagramChannel channel = DatagramChannel.open(); // IPv6 socket, dual-stack where available
    try {
      channel.bind(new InetSocketAddress(port));
      EchoResponder responder = new EchoResponder(channel, name);
      responder.thread.start();
      return responder;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  public int port() {
    try {
      return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Probes answered so far. */
  public long answered() {
    return answered.get();
  }

  private void serve() {
    ByteBuffer in = ByteBuffer.allocate(512);
    ByteBuffer out = ByteBuffer.allocate(ProbePacket.REQUEST_LENGTH + ProbePacket.MAX_NAME_BYTES);
    try {
      while (true) {
        in.clear();
        SocketAddress from = channel.receive(in); // blocking, on a platform thread
        long sequence = ProbePacket.readRequest(in.flip());
        if (sequence < 0) {
          continue;
        }
        ProbePacket.writeResponse(out, sequence, name);
        try {
          channel.send(out, from);
          answered.incrementAndGet();
        } catch (IOException e) {
          // e.g. no route while the link is down: the client counts the probe as lost.
          if (!channel.isOpen()) {
            return;
          }
        }
      }
    } catch (ClosedChannelException closed) {
      // close() was called.
    } catch (IOException e) {
      System.err.println("echo: receive failed: " + e);
    }
  }

  /** Blocks until closed (for the command-line tool). */
  public void awaitClose() throws InterruptedException {
    thread.join();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
