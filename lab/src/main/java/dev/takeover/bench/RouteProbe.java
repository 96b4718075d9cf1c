package dev.takeover.bench;

import dev.takeover.lab.ProbePacket;
import dev.takeover.platform.Netns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A client in the routed subnet behind the gateway, probing a node every millisecond (the {@code
 * routes} scenario): requests leave from {@code source} (an address of the client subnet, so the
 * node's answer follows the node's route to that subnet) to the node's address on a LAN whose route
 * does not change, and each answer is recorded with the address it came from. The node's {@link
 * dev.takeover.lab.EchoResponder} answers from whatever source address the kernel picks, which is
 * the primary address of the interface its route goes out of: the answer's source says which LAN
 * carried it.
 */
final class RouteProbe implements AutoCloseable {
  private static final long INTERVAL_NANOS = 1_000_000;

  /** One answered probe; {@code from} is the answer's source address. */
  record Answer(long sequence, long sentNanos, long receivedNanos, String from) {}

  private final DatagramChannel channel;
  private final InetSocketAddress target;
  private final Thread thread;
  private final List<Answer> answers = new ArrayList<>();
  private long[] sent = new long[60_000];
  private int sentCount;
  private final java.util.BitSet answered = new java.util.BitSet();
  private volatile boolean stop;

  private RouteProbe(DatagramChannel channel, InetSocketAddress target) {
    this.channel = channel;
    this.target = target;
    this.thread = Thread.ofPlatform().daemon().name("route-probe").unstarted(this::loop);
  }

  /** Starts probing {@code target} from {@code source} inside namespace {@code ns}. */
  static RouteProbe start(String ns, String source, InetSocketAddress target) {
    DatagramChannel channel =
        Netns.call(
            ns,
            () -> {
              DatagramChannel c = DatagramChannel.open();
              try {
                c.bind(new InetSocketAddress(InetAddress.ofLiteral(source), 0));
                c.configureBlocking(false);
                return c;
              } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
              }
            });
    RouteProbe probe = new RouteProbe(channel, target);
    probe.thread.start();
    return probe;
  }

  private void loop() {
    ByteBuffer out = ByteBuffer.allocate(ProbePacket.REQUEST_LENGTH);
    ByteBuffer in = ByteBuffer.allocate(512);
    long sequence = 0;
    long next = System.nanoTime();
    try {
      while (!stop) {
        ProbePacket.writeRequest(out, sequence);
        long now = System.nanoTime();
        synchronized (this) {
          if (sentCount == sent.length) {
            sent = java.util.Arrays.copyOf(sent, sent.length * 2);
          }
          sent[sentCount++] = now;
        }
        try {
          channel.send(out, target);
        } catch (IOException e) {
          // no route for a moment: counted as unanswered
        }
        sequence++;
        next += INTERVAL_NANOS;
        do {
          drain(in);
          long wait = next - System.nanoTime();
          if (wait <= 0) {
            break;
          }
          LockSupport.parkNanos(Math.min(wait, 200_000));
        } while (!stop);
      }
    } catch (IOException e) {
      if (channel.isOpen()) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void drain(ByteBuffer in) throws IOException {
    while (true) {
      in.clear();
      SocketAddress from = channel.receive(in);
      if (from == null) {
        return;
      }
      long received = System.nanoTime();
      var answer = ProbePacket.readResponse(in.flip());
      if (answer.isEmpty()) {
        continue;
      }
      String address = ((InetSocketAddress) from).getAddress().getHostAddress();
      long seq = answer.get().sequence();
      synchronized (this) {
        if (seq >= 0 && seq < sentCount && !answered.get((int) seq)) {
          answered.set((int) seq);
          answers.add(new Answer(seq, sent[(int) seq], received, address));
        }
      }
    }
  }

  /** Every answer so far, in arrival order. */
  synchronized List<Answer> answers() {
    return List.copyOf(answers);
  }

  /**
   * Forgets the answers so far (between repetitions). The send times stay: sequence numbers index
   * them (8 bytes a probe, under 2 MB for a run of the scenario).
   */
  synchronized void clear() {
    answers.clear();
  }

  /**
   * Milliseconds from {@code sinceNanos} to the arrival of the first answer from {@code from} to a
   * request sent at or after {@code sinceNanos}, or null if none arrived. Pure.
   */
  static Double firstFrom(List<Answer> answers, String from, long sinceNanos) {
    for (Answer a : answers) {
      if (a.from().equals(from) && a.sentNanos() - sinceNanos >= 0) {
        return (a.receivedNanos() - sinceNanos) / 1e6;
      }
    }
    return null;
  }

  /** Requests sent in {@code [fromNanos, toNanos)} that were not answered (so far). */
  synchronized long unanswered(long fromNanos, long toNanos) {
    return unanswered(sent, sentCount, answered, fromNanos, toNanos);
  }

  /**
   * Of the first {@code count} requests, sent at {@code sentNanos[i]} (ascending), those sent in
   * {@code [fromNanos, toNanos)} whose sequence number {@code answered} does not hold. Pure.
   */
  static long unanswered(
      long[] sentNanos, int count, java.util.BitSet answered, long fromNanos, long toNanos) {
    long lost = 0;
    for (int i = count - 1; i >= 0; i--) {
      long t = sentNanos[i];
      if (t - fromNanos < 0) {
        break; // ascending: everything before is earlier still
      }
      if (t - toNanos < 0 && !answered.get(i)) {
        lost++;
      }
    }
    return lost;
  }

  @Override
  public void close() {
    stop = true;
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing a UDP socket
    }
  }
}
