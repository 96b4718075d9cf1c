package dev.takeover.dnsupdate;

import dev.takeover.dns.Attempt;
import dev.takeover.dns.Desired;
import dev.takeover.dns.Outcome;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;

/**
 * Carries out one {@link Attempt} against one server with dnsjava, and decides nothing: it sends,
 * reads the answer ({@link Answers}) and reports an {@link Outcome}. A failed prerequisite is
 * followed by a read, so the queue learns what the server holds. Blocking; runs on a virtual thread
 * (dnsjava waits in Java NIO, which does not pin a carrier).
 */
final class DnsExchange {

  /** A server and the key its messages are signed with. */
  record Server(InetSocketAddress address, Optional<TSIG> tsig, String text) {}

  private DnsExchange() {}

  static Outcome perform(RecordKey key, Attempt attempt, Server server, Duration timeout) {
    try {
      if (attempt.isRead()) {
        return read(key, server, timeout);
      }
      Desired desired = attempt.desired().orElseThrow();
      Message answer =
          send(UpdateBuilder.update(key, desired, attempt.expected()), server, timeout);
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
      return new Outcome.Failed(
          "no answer from "
              + server.text()
              + " within "
              + timeout.toMillis()
              + " ms ("
              + e.getMessage()
              + ")");
    }
  }

  private static Outcome read(RecordKey key, Server server, Duration timeout) throws IOException {
    Message answer = send(UpdateBuilder.read(key), server, timeout);
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

  private static Message send(Message query, Server server, Duration timeout) throws IOException {
    SimpleResolver resolver = new SimpleResolver(server.address());
    resolver.setTimeout(timeout);
    server.tsig().ifPresent(resolver::setTSIGKey);
    return resolver.send(query);
  }
}
