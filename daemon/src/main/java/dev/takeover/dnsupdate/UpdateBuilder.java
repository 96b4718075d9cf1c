package dev.takeover.dnsupdate;

import dev.takeover.dns.Desired;
import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Builds the RFC 2136 messages: a pure function of what the RRset should become and what we last
 * saw there. Signing happens when the message is sent.
 *
 * <p>An update that may not clobber (RFC 2136 §2.4, §3.2): when we last saw the RRset empty, the
 * prerequisite is "RRset does not exist" (§2.4.3, class NONE); when we saw values, "RRset exists
 * (value dependent)" with exactly those records (§2.4.2, class IN, TTL 0). The server applies the
 * update only if the prerequisite holds, else answers NXRRSET or YXRRSET and changes nothing. A
 * {@link Desired.Replace} deletes the RRset (§2.5.2, class ANY) and adds the new records (§2.5.1)
 * in one message, which the server applies atomically (§3.4.2); a {@link Desired.Remove} deletes
 * only our records (§2.5.4, class NONE).
 */
public final class UpdateBuilder {
  private UpdateBuilder() {}

  public static Message update(RecordKey key, Desired desired, Optional<Set<String>> expected) {
    Update u = new Update(key.zone());
    if (key.compareAndSwap()) {
      Set<String> seen = expected.orElse(Set.of());
      if (seen.isEmpty()) {
        u.absent(key.owner(), key.type());
      } else {
        for (String v : seen) {
          u.present(record(key, v, 0));
        }
      }
    }
    switch (desired) {
      case Desired.Replace r -> {
        u.delete(key.owner(), key.type());
        long ttl = r.ttl().orElse(key.ttl()); // lowered ahead of a planned move, or configured
        for (String v : r.values()) {
          u.add(record(key, v, ttl));
        }
      }
      case Desired.Remove r -> {
        for (String v : r.values()) {
          u.delete(record(key, v, 0));
        }
      }
    }
    return u;
  }

  /** A plain query for the RRset, for reading it back (recursion not desired: ask the primary). */
  public static Message read(RecordKey key) {
    Message m = Message.newQuery(Record.newRecord(key.owner(), key.type(), DClass.IN));
    m.getHeader().unsetFlag(Flags.RD);
    return m;
  }

  /** The values of {@code key}'s type in an answer's answer section. */
  public static Set<String> values(RecordKey key, Message answer) {
    java.util.Set<String> values = new java.util.TreeSet<>();
    for (Record r : answer.getSection(Section.ANSWER)) {
      if (r.getType() == key.type() && r.getName().equals(key.owner())) {
        values.add(text(r));
      }
    }
    return values;
  }

  static String text(Record r) {
    return switch (r) {
      case ARecord a -> a.getAddress().getHostAddress();
      case AAAARecord a -> dev.takeover.wire.AddressText.of(a.getAddress());
      case PTRRecord p -> p.getTarget().toString();
      default -> r.rdataToString();
    };
  }

  static Record record(RecordKey key, String value, long ttl) {
    try {
      return switch (key.type()) {
        case Type.A -> new ARecord(key.owner(), DClass.IN, ttl, InetAddress.ofLiteral(value));
        case Type.AAAA -> new AAAARecord(key.owner(), DClass.IN, ttl, InetAddress.ofLiteral(value));
        case Type.PTR -> new PTRRecord(key.owner(), DClass.IN, ttl, Name.fromString(value));
        default ->
            throw new IllegalArgumentException("unsupported type " + Type.string(key.type()));
      };
    } catch (TextParseException e) {
      throw new IllegalArgumentException(value + ": " + e.getMessage(), e);
    }
  }
}
