package dev.takeover.dnsupdate;

import dev.takeover.dns.Attempt;
import dev.takeover.dns.Desired;
import dev.takeover.dns.Outcome;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;

/**
 * Carries out one {@link Attempt} against one server, and decides nothing: it sends, reads the
 * answer ({@link Answers}) and reports an {@link Outcome}. A failed prerequisite is followed by a
 * read, so the queue learns what the server holds.
 *
 * <p>Implementation notes. The first message leaves in {@link #start}, on the DNS thread itself:
 * one non-blocking {@code send} on a fresh connected UDP socket. Going through dnsjava's {@code
 * SimpleResolver} instead, the datagram left from a virtual thread's carrier and then from
 * dnsjava's selector thread: three normal-priority threads to wake one after the other, which on a
 * loaded 2-core machine put tens of milliseconds between the claim and the update (DECISIONS 42).
 * {@link #finish} waits for the answer (blocking, on a virtual thread: a {@code DatagramSocket}
 * waits in NIO, which does not pin a carrier). dnsjava still builds, signs (TSIG, RFC 8945) and
 * verifies the messages.
 */
final class DnsExchange {
  private static final int MAX_MESSAGE = 65535;

  /** Answers with another message id (a stray datagram) read and dropped before giving up. */
  private static final int MAX_STRAYS = 8;

  /** A server and the key its messages are signed with. */
  record Server(InetSocketAddress address, Optional<TSIG> tsig, String text) {}

  /** An exchange whose first message has left, or that failed before it could. */
  static final class Started {
    private final Udp udp; // null when failed
    private final Outcome failed;

    private Started(Udp udp, Outcome failed) {
      this.udp = udp;
      this.failed = failed;
    }
  }

  private DnsExchange() {}

  /** Sends the attempt's message now, on the calling thread; never blocks for an answer. */
  static Started start(RecordKey key, Attempt attempt, Server server) {
    Message query =
        attempt.isRead()
            ? UpdateBuilder.read(key)
            : UpdateBuilder.update(key, attempt.desired().orElseThrow(), attempt.expected());
    try {
      return new Started(Udp.send(query, server), null);
    } catch (IOException | RuntimeException e) {
      return new Started(null, new Outcome.Failed("cannot send to " + server.text() + ": " + e));
    }
  }

  /** Waits for the answer to {@code started} and carries the exchange to its outcome; blocking. */
  static Outcome finish(
      Started started, RecordKey key, Attempt attempt, Server server, Duration timeout) {
    if (started.udp == null) {
      return started.failed;
    }
    try {
      Message answer;
      try (Udp udp = started.udp) {
        answer = udp.answer(timeout);
      }
      if (attempt.isRead()) {
        return observed(key, server, answer);
      }
      Desired desired = attempt.desired().orElseThrow();
      Answers.Verdict v = Answers.of(answer, server.tsig().isPresent());
      return switch (v.kind()) {
        case APPLIED -> new Outcome.Confirmed(after(desired, attempt.expected()));
        case PREREQUISITE_FAILED ->
            switch (read(key, server, timeout)) {
              case Outcome.Observed o -> new Outcome.Conflict(o.values());
              case Outcome.Failed f ->
                  new Outcome.Failed(v.error() + "; reading it back failed: " + f.error());
              default -> throw new IllegalStateException("a read yields Observed or Failed");
            };
        case ERROR -> new Outcome.Failed(v.error() + " from " + server.text());
      };
    } catch (IOException e) {
      return noAnswer(server, timeout, e);
    }
  }

  private static Outcome noAnswer(Server server, Duration timeout, IOException e) {
    return new Outcome.Failed(
        "no answer from "
            + server.text()
            + " within "
            + timeout.toMillis()
            + " ms ("
            + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName())
            + ")");
  }

  private static Outcome read(RecordKey key, Server server, Duration timeout) {
    try (Udp udp = Udp.send(UpdateBuilder.read(key), server)) {
      return observed(key, server, udp.answer(timeout));
    } catch (IOException e) {
      return noAnswer(server, timeout, e);
    }
  }

  private static Outcome observed(RecordKey key, Server server, Message answer) {
    Answers.Verdict v = Answers.of(answer, server.tsig().isPresent());
    int rcode = answer.getRcode();
    if (v.kind() == Answers.Kind.ERROR && rcode != Rcode.NXDOMAIN) {
      return new Outcome.Failed("read: " + v.error() + " from " + server.text());
    }
    return new Outcome.Observed(UpdateBuilder.values(key, answer));
  }

  /** What the RRset holds after an applied update. */
  private static Set<String> after(Desired desired, Optional<Set<String>> expected) {
    return switch (desired) {
      case Desired.Replace r -> r.values();
      case Desired.Remove r -> {
        Set<String> left = new TreeSet<>(expected.orElse(Set.of()));
        left.removeAll(r.values());
        yield left;
      }
    };
  }

  /** One query on its own connected socket (a fresh source port each time, RFC 5452 §4.5). */
  private static final class Udp implements AutoCloseable {
    private final DatagramSocket socket;
    private final Message query;
    private final Optional<TSIG> tsig;

    private Udp(DatagramSocket socket, Message query, Optional<TSIG> tsig) {
      this.socket = socket;
      this.query = query;
      this.tsig = tsig;
    }

    static Udp send(Message query, Server server) throws IOException {
      server.tsig().ifPresent(t -> t.apply(query, null));
      byte[] wire = query.toWire(MAX_MESSAGE);
      DatagramSocket socket = new DatagramSocket();
      try {
        socket.connect(server.address());
        socket.send(new DatagramPacket(wire, wire.length));
      } catch (IOException | RuntimeException e) {
        socket.close();
        throw e;
      }
      return new Udp(socket, query, server.tsig());
    }

    /** The answer with the query's id, its TSIG verified when the query was signed. */
    Message answer(Duration timeout) throws IOException {
      socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      byte[] buf = new byte[MAX_MESSAGE];
      for (int i = 0; i <= MAX_STRAYS; i++) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p); // SocketTimeoutException when nothing comes
        byte[] in = Arrays.copyOf(buf, p.getLength());
        Message answer;
        try {
          answer = new Message(in);
        } catch (IOException e) {
          continue; // not a DNS message: a stray
        }
        if (answer.getHeader().getID() != query.getHeader().getID()) {
          continue;
        }
        if (answer.getHeader().getFlag(Flags.TC)) {
          throw new IOException("truncated answer (TCP is not used)");
        }
        // Sets the answer's TSIG state, which Answers reads (isVerified, the TSIG error).
        tsig.ifPresent(t -> t.verify(answer, in, query.getTSIG()));
        return answer;
      }
      throw new IOException("only answers with other message ids");
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}
