package dev.takeover.control;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;

/**
 * The daemon's answer to one request ({@code {"ok":true,"result":...}} or {@code
 * {"ok":false,"error":"..."}}), read with Jackson's streaming parser rather than the object mapper:
 * the mapper's initialisation and its reflection over the view records cost {@code takeover status}
 * about 100 ms of its start-up (docs/DECISIONS.md 73). Fields a newer daemon adds are skipped.
 *
 * @param resultJson the {@code result} value as compact JSON, null when there is none
 * @param text the table a status request with {@code "text":true} gets, null otherwise (or from a
 *     daemon that does not render it)
 * @param conflict with {@code text}: whether any group is in CONFLICT
 */
public record ControlAnswer(
    boolean ok, String error, String resultJson, String text, boolean conflict) {
  /** Jackson's streaming factory, shared by both ends; thread-safe once built. */
  static final JsonFactory JSON_FACTORY = new JsonFactory();

  /**
   * Parses one response line.
   *
   * @throws IOException when the line is not a JSON object, saying so with the line's start
   */
  public static ControlAnswer parse(String line) throws IOException {
    try (JsonParser p = JSON_FACTORY.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw notJson(line, null);
      }
      boolean ok = false;
      boolean conflict = false;
      String error = null;
      String result = null;
      String text = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "ok" -> ok = value == JsonToken.VALUE_TRUE;
          case "conflict" -> conflict = value == JsonToken.VALUE_TRUE;
          case "error" -> error = string(p, value);
          case "text" -> text = string(p, value);
          case "result" -> result = copy(p);
          default -> p.skipChildren();
        }
      }
      return new ControlAnswer(ok, error, result, text, conflict);
    } catch (JsonProcessingException e) {
      throw notJson(line, e);
    }
  }

  private static String string(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    p.skipChildren();
    return null;
  }

  /** The value the parser is at, with everything inside it, as compact JSON. */
  private static String copy(JsonParser p) throws IOException {
    StringWriter out = new StringWriter(1024);
    try (JsonGenerator g = JSON_FACTORY.createGenerator(out)) {
      g.copyCurrentStructure(p);
    }
    return out.toString();
  }

  private static IOException notJson(String line, Exception cause) {
    return new IOException(
        "the daemon sent something that is not JSON: "
            + line.substring(0, Math.min(line.length(), 80)),
        cause);
  }
}
