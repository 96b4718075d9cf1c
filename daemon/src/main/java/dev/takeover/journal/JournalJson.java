package dev.takeover.journal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
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
 */
public final class JournalJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_LONG_FOR_INTS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private JournalJson() {}

  /** The event as one line of JSON, without the newline. Never contains a raw newline. */
  public static String write(JournalEvent event) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = MAPPER.createGenerator(out)) {
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
      // Values are JSON-shaped already (see JournalEvent), so the default mapping is exact.
      MAPPER.writeValue(g, event.fields());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * Parses one line.
   *
   * @throws IllegalArgumentException when the line is not a journal event (a truncated line after a
   *     crash, or an event type this version does not know); the message says why
   */
  public static JournalEvent parse(String line) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String typeName = text(node, "type");
    EventType type =
        EventType.fromWireName(typeName)
            .orElseThrow(() -> new IllegalArgumentException("unknown event type " + typeName));
    Instant time;
    try {
      time = Instant.parse(text(node, "time"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("bad time: " + e.getMessage(), e);
    }
    JsonNode mono = node.get("monotonicNanos");
    if (mono == null || !mono.canConvertToLong()) {
      throw new IllegalArgumentException("missing monotonicNanos");
    }
    JsonNode group = node.get("group");
    JsonNode fields = node.get("fields");
    Map<String, Object> fieldMap = new LinkedHashMap<>();
    if (fields != null && fields.isObject()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> converted = MAPPER.convertValue(fields, LinkedHashMap.class);
      fieldMap = converted;
    }
    return new JournalEvent(
        text(node, "id"),
        time,
        mono.asLong(),
        text(node, "node"),
        group == null || group.isNull() ? null : group.asText(),
        type,
        text(node, "message"),
        fieldMap);
  }

  private static String text(JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("missing " + key);
    }
    return v.asText();
  }
}
