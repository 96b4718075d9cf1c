package dev.takeover.control;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The requests the control socket understands, one JSON object per line, told apart by {@code
 * "cmd"}. Both ends use these types, so the client cannot send what the server would not parse.
 */
public sealed interface ControlRequest {
  /**
   * {@code {"cmd":"status"}}; with {@code "text":true} the answer also carries the table {@code
   * takeover status} prints and whether a group is in conflict, so the CLI prints without mapping
   * the result to objects (docs/DECISIONS.md 73).
   */
  record Status(boolean text) implements ControlRequest {
    public Status() {
      this(false);
    }

    @Override
    public void writeFields(JsonGenerator g) throws IOException {
      g.writeStringField("cmd", "status");
      if (text) {
        g.writeBooleanField("text", true);
      }
    }
  }

  /**
   * {@code {"cmd":"events","limit":20}}, or with {@code "follow":true} the last {@code limit}
   * events and then every new one, one line each, until either side closes.
   */
  record Events(int limit, boolean follow) implements ControlRequest {
    public Events {
      if (limit < 0 || limit > ControlProtocol.MAX_EVENTS) {
        throw new IllegalArgumentException(
            "limit must be between 0 and " + ControlProtocol.MAX_EVENTS + ", not " + limit);
      }
    }

    @Override
    public void writeFields(JsonGenerator g) throws IOException {
      g.writeStringField("cmd", "events");
      g.writeNumberField("limit", limit);
      g.writeBooleanField("follow", follow);
    }
  }

  /**
   * {@code {"cmd":"move","group":"web","to":"beta"}}, or {@code {"cmd":"move","group":"web",
   * "clear":true}} to drop this node's move adjustment.
   */
  record Move(String group, String toNode, boolean clear) implements ControlRequest {
    public Move {
      if (group == null || group.isBlank()) {
        throw new IllegalArgumentException("move needs a non-empty \"group\"");
      }
      if (clear == (toNode != null && !toNode.isBlank())) {
        throw new IllegalArgumentException(
            "move needs either a non-empty \"to\" or \"clear\": true, not both");
      }
    }

    public Move(String group, String toNode) {
      this(group, toNode, false);
    }

    @Override
    public void writeFields(JsonGenerator g) throws IOException {
      g.writeStringField("cmd", "move");
      g.writeStringField("group", group);
      if (clear) {
        g.writeBooleanField("clear", true);
      } else {
        g.writeStringField("to", toNode);
      }
    }
  }

  /** {@code {"cmd":"maintenance","on":true}} */
  record Maintenance(boolean on) implements ControlRequest {
    @Override
    public void writeFields(JsonGenerator g) throws IOException {
      g.writeStringField("cmd", "maintenance");
      g.writeBooleanField("on", on);
    }
  }

  /** {@code {"cmd":"reload"}} */
  record Reload() implements ControlRequest {
    @Override
    public void writeFields(JsonGenerator g) throws IOException {
      g.writeStringField("cmd", "reload");
    }
  }

  /** Writes this request's fields into the object {@code g} is in. */
  void writeFields(JsonGenerator g) throws IOException;

  /**
   * The request as one line of JSON, without the newline. Written with Jackson's streaming
   * generator, not the object mapper: the CLI's start-up would otherwise pay the mapper's
   * initialisation, about 45 ms, for a line of a few fields.
   */
  default String toJsonLine() {
    StringWriter out = new StringWriter(64);
    try (JsonGenerator g = ControlAnswer.JSON_FACTORY.createGenerator(out)) {
      g.writeStartObject();
      writeFields(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  /**
   * Parses one request object.
   *
   * @throws IllegalArgumentException saying what is wrong, in words fit for the client
   */
  static ControlRequest fromJson(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("a request is a JSON object such as {\"cmd\":\"status\"}");
    }
    JsonNode cmd = n.get("cmd");
    if (cmd == null || !cmd.isTextual()) {
      throw new IllegalArgumentException(
          "missing \"cmd\" (one of " + ControlProtocol.COMMANDS + ")");
    }
    return switch (cmd.asText()) {
      case "status" -> new Status(boolField(n, "text", false));
      case "events" ->
          new Events(
              intField(n, "limit", ControlProtocol.DEFAULT_EVENTS), boolField(n, "follow", false));
      case "move" ->
          new Move(textField(n, "group"), textField(n, "to"), boolField(n, "clear", false));
      case "maintenance" -> {
        if (!n.has("on")) {
          throw new IllegalArgumentException("maintenance needs \"on\": true or false");
        }
        yield new Maintenance(boolField(n, "on", false));
      }
      case "reload" -> new Reload();
      default ->
          throw new IllegalArgumentException(
              "unknown cmd \"" + cmd.asText() + "\" (one of " + ControlProtocol.COMMANDS + ")");
    };
  }

  private static String textField(JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v != null && !v.isNull() && !v.isTextual()) {
      throw new IllegalArgumentException("\"" + name + "\" must be a string");
    }
    return v == null || v.isNull() ? null : v.asText();
  }

  private static int intField(JsonNode n, String name, int fallback) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isInt()) {
      throw new IllegalArgumentException("\"" + name + "\" must be an integer");
    }
    return v.asInt();
  }

  private static boolean boolField(JsonNode n, String name, boolean fallback) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw new IllegalArgumentException("\"" + name + "\" must be true or false");
    }
    return v.asBoolean();
  }
}
