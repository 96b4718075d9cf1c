package dev.takeover.journal;

import dev.takeover.wire.AddressText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One event of record: something the daemon did or saw, as one line of the journal.
 *
 * <p>{@code fields} holds JSON-shaped values only, so that an event read back from the file equals
 * the one written: strings, {@code Long} (every integral number is widened to it), {@code Double},
 * {@code Boolean}, {@code null}, and lists and maps of those. The constructor converts the usual
 * domain values: an enum to its name, an {@link InetAddress} to its RFC 5952 text, a {@link
 * Duration} to whole milliseconds, anything else to {@code toString()}. Keys keep their order.
 *
 * @param id unique across restarts and nodes and sortable by time, see {@link EventIds}
 * @param time wall-clock time, for humans and for ordering events of different nodes
 * @param monotonicNanos {@code System.nanoTime()} of the daemon when it happened; only events of
 *     the same process run (between one {@code daemon.started} and the next) can be subtracted
 * @param node the node name from the configuration
 * @param group the VRRP group's name, or null for events of the whole daemon
 * @param type what kind of event
 * @param message one human line, without a trailing newline
 * @param fields structured data, in a stable order
 */
public record JournalEvent(
    String id,
    Instant time,
    long monotonicNanos,
    String node,
    String group,
    EventType type,
    String message,
    Map<String, Object> fields) {

  public JournalEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(message, "message");
    fields = normalizeMap(fields == null ? Map.of() : fields);
  }

  /** This event with one more field (replacing a field of the same name). */
  public JournalEvent withField(String key, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(fields);
    more.put(key, value);
    return new JournalEvent(id, time, monotonicNanos, node, group, type, message, more);
  }

  /** This event with another message. */
  public JournalEvent withMessage(String newMessage) {
    return new JournalEvent(id, time, monotonicNanos, node, group, type, newMessage, fields);
  }

  /** One line for logs: {@code [web] state.changed BACKUP -> MASTER (...) {from=BACKUP, ...}}. */
  public String logLine() {
    String where = group == null ? "" : "[" + group + "] ";
    return where + type.wireName() + " " + message + (fields.isEmpty() ? "" : " " + fields);
  }

  static Map<String, Object> normalizeMap(Map<?, ?> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      out.put(String.valueOf(e.getKey()), normalizeValue(e.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Object normalizeValue(Object value) {
    return switch (value) {
      case null -> null;
      case String s -> s;
      case Boolean b -> b;
      case Long l -> l;
      case Integer i -> i.longValue();
      case Short s -> s.longValue();
      case Byte b -> b.longValue();
      // JSON has no NaN or infinity.
      case Double d when d.isNaN() || d.isInfinite() -> d.toString();
      case Double d -> d;
      case Float f -> normalizeValue(f.doubleValue());
      // Exact big numbers would come back as Long or Double; keep their text instead.
      case BigInteger b -> b.toString();
      case BigDecimal b -> b.toPlainString();
      case Enum<?> e -> e.name();
      case InetAddress a -> AddressText.of(a);
      case Duration d -> d.toMillis();
      case Map<?, ?> m -> normalizeMap(m);
      case Iterable<?> it -> {
        List<Object> list = new ArrayList<>();
        for (Object o : it) {
          list.add(normalizeValue(o));
        }
        yield Collections.unmodifiableList(list);
      }
      default -> value.toString();
    };
  }
}
