package dev.takeover.health;

import dev.takeover.clock.Clock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Healthy when {@code server} answers a query for {@code name}/{@code type} (class IN) within the
 * timeout with NOERROR and at least one record of that type in the answer section; if {@code
 * expected} is given, one of the A/AAAA answers must be that address.
 *
 * <p>One query is sent to exactly this server (no search list, no other resolvers, no cache), with
 * recursion desired so the check also works against a recursive resolver. A truncated UDP answer is
 * retried over TCP by dnsjava, within the same timeout.
 *
 * @param name an absolute or relative name; relative names are taken as absolute
 * @param type a record type mnemonic: {@code A}, {@code AAAA}, {@code MX}, {@code TXT}, ...
 * @param expected an address the answer must contain; only for types A and AAAA
 */
public record DnsCheck(
    InetSocketAddress server,
    String name,
    String type,
    Optional<InetAddress> expected,
    Duration timeout)
    implements HealthCheck {

  public DnsCheck {
    Objects.requireNonNull(server, "server");
    if (server.isUnresolved()) {
      throw new IllegalArgumentException("DNS server must be an address: " + server);
    }
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(expected, "expected");
    HealthCheck.requirePositive(timeout);
    queryName(name);
    int code = Type.value(type);
    if (code < 0) {
      throw new IllegalArgumentException("unknown DNS record type: " + type);
    }
    if (expected.isPresent() && code != Type.A && code != Type.AAAA) {
      throw new IllegalArgumentException("an expected address needs type A or AAAA, not " + type);
    }
  }

  @Override
  public ProbeResult probe(Clock clock) {
    Stopwatch start = Stopwatch.start(clock);
    int code = Type.value(type);
    Message query = Message.newQuery(Record.newRecord(queryName(name), code, DClass.IN));
    CompletableFuture<Message> answer;
    try {
      SimpleResolver resolver = new SimpleResolver(server);
      resolver.setTimeout(timeout);
      answer = resolver.sendAsync(query).toCompletableFuture();
    } catch (RuntimeException e) {
      return ProbeResult.fail("query failed", e, start);
    }
    Message response;
    try {
      response = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      return ProbeResult.fail(noAnswer(), start);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof java.io.InterruptedIOException) {
        return ProbeResult.fail(noAnswer(), start); // dnsjava's own timeout
      }
      return ProbeResult.fail("query to " + serverText() + " failed", cause, start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ProbeResult.fail("interrupted", start);
    }
    return judge(response, code, start);
  }

  private ProbeResult judge(Message response, int code, Stopwatch start) {
    int rcode = response.getRcode();
    String question = name + " " + type;
    if (rcode != Rcode.NOERROR) {
      return ProbeResult.fail(question + ": " + Rcode.string(rcode), start);
    }
    List<Record> records =
        response.getSection(Section.ANSWER).stream().filter(r -> r.getType() == code).toList();
    if (records.isEmpty()) {
      return ProbeResult.fail(question + ": no " + type + " record in the answer", start);
    }
    List<String> values = records.stream().map(r -> r.rdataToString()).toList();
    if (expected.isPresent()) {
      boolean found =
          records.stream()
              .map(DnsCheck::addressOf)
              .flatMap(Optional::stream)
              .anyMatch(expected.get()::equals);
      if (!found) {
        return ProbeResult.fail(
            question + ": " + values + " does not contain " + expected.get().getHostAddress(),
            start);
      }
    }
    return ProbeResult.pass(question + ": " + values, start);
  }

  private static Optional<InetAddress> addressOf(Record r) {
    return switch (r) {
      case ARecord a -> Optional.of(a.getAddress());
      case AAAARecord aaaa -> Optional.of(aaaa.getAddress());
      default -> Optional.empty();
    };
  }

  private static Name queryName(String text) {
    try {
      return Name.fromString(text, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a DNS name: " + text, e);
    }
  }

  private String noAnswer() {
    return "no answer from " + serverText() + " within " + timeout.toMillis() + " ms";
  }

  private String serverText() {
    return server.getAddress().getHostAddress() + "#" + server.getPort();
  }

  @Override
  public String target() {
    return "dns " + name + " " + type + " @" + serverText();
  }
}
