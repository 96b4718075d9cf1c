package dev.takeover.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One event as one JSON object on one line, keys in a fixed order:
 *
 * <pre>{@code
 * {"id":"0mhizi24r0000-lb1","time":"2025-11-03T10:15:30.123456Z","monotonicNanos":81234567890,
 *  "node":"lb1","group":"web","type":"state.changed","message":"BACKUP -> MASTER (...)",
 *  "fields":{"from":"BACKUP","to":"MASTER","reason":"master down timer expired"}}
 * }</pre>
 *
 * ({@code group} is left out for events of the whole daemon.) Thread-safe.
 *
 * <p>Written and read with Jackson's streaming generator and parser, not its object mapper: the
 * fields are JSON-shaped already ({@link JournalEvent}), and building a mapper cost the daemon's
 * start-up about 45 ms at its first event (docs/DECISIONS.md 73).
 */
public final class JournalJson {
  private static final JsonFactory JSON = new JsonFactory();

  private JournalJson() {}

  /** The event as one line of JSON, without the newline. Never contains a raw newline. */
  public static String write(JournalEvent event) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", event.id());
      g.writeStringField("time", event.time().toString());
      g.writeNumberField("monotonicNanos", event.monotonicNanos());
      g.writeStringField("node", event.node());
      if (event.group() != null) {
        g.writeStringField("group", event.group());
      }
      g.writeStringField("type", event.type().wireName());
      g.writeStringField("message", event.message());
      g.writeFieldName("fields");
      writeValue(g, event.fields());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** A JSON-shaped value, as {@link JournalEvent} keeps them. */
  private static void writeValue(JsonGenerator g, Object value) throws IOException {
    switch (value) {
      case null -> g.writeNull();
      case String s -> g.writeString(s);
      case Boolean b -> g.writeBoolean(b);
      case Long l -> g.writeNumber(l);
      case Double d -> g.writeNumber(d);
      case Map<?, ?> map -> {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : map.entrySet()) {
          g.writeFieldName(String.valueOf(e.getKey()));
          writeValue(g, e.getValue());
        }
        g.writeEndObject();
      }
      case List<?> list -> {
        g.writeStartArray();
        for (Object o : list) {
          writeValue(g, o);
        }
        g.writeEndArray();
      }
      default -> g.writeString(value.toString()); // not reached: JournalEvent normalizes the rest
    }
  }

  /**
   * Parses one line.
   *
   * @throws IllegalArgumentException when the line is not a journal event (a truncated line after a
   *     crash, or an event type this version does not know); the message says why
   */
  public static JournalEvent parse(String line) {
    Map<String, Object> top = new LinkedHashMap<>();
    try (JsonParser p = JSON.createParser(line)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        if (first != null) {
          p.skipChildren(); // a whole array or value still has to be JSON to be "not an object"
        }
        throw new IllegalArgumentException("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        top.put(name, readValue(p));
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw new IllegalArgumentException("not JSON: the object is not closed");
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not reached: the parser reads a String
    }
    String typeName = text(top, "type");
    EventType type =
        EventType.fromWireName(typeName)
            .orElseThrow(() -> new IllegalArgumentException("unknown event type " + typeName));
    Instant time;
    try {
      time = Instant.parse(text(top, "time"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("bad time: " + e.getMessage(), e);
    }
    long monotonicNanos;
    if (top.get("monotonicNanos") instanceof Long l) {
      monotonicNanos = l;
    } else if (top.get("monotonicNanos") instanceof Double d
        && d >= Long.MIN_VALUE
        && d <= Long.MAX_VALUE) {
      monotonicNanos = d.longValue();
    } else {
      throw new IllegalArgumentException("missing monotonicNanos");
    }
    Object group = top.get("group");
    Map<String, Object> fields = new LinkedHashMap<>();
    if (top.get("fields") instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        fields.put(String.valueOf(e.getKey()), e.getValue());
      }
    }
    return new JournalEvent(
        text(top, "id"),
        time,
        monotonicNanos,
        text(top, "node"),
        group == null ? null : String.valueOf(group),
        type,
        text(top, "message"),
        fields);
  }

  /**
   * The value the parser is at: strings, {@code Long} for every integral number that fits (the text
   * of one that does not), {@code Double}, booleans, null, and lists and maps of those.
   */
  private static Object readValue(JsonParser p) throws IOException {
    return switch (p.currentToken()) {
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT ->
          p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getText() : p.getLongValue();
      case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      case VALUE_TRUE -> true;
      case VALUE_FALSE -> false;
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          map.put(name, readValue(p));
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
          throw new IllegalArgumentException("not JSON: an object is not closed");
        }
        yield map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          if (t == null) {
            throw new IllegalArgumentException("not JSON: the array is not closed");
          }
          list.add(readValue(p));
        }
        yield list;
      }
      default -> null; // VALUE_NULL (and nothing else: the parser checks the syntax)
    };
  }

  private static String text(Map<String, Object> top, String key) {
    if (top.get(key) instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("missing " + key);
  }
}
