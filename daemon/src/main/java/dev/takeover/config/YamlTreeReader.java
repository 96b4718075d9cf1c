package dev.takeover.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.takeover.config.ConfigNode.Entry;
import dev.takeover.config.ConfigNode.ListNode;
import dev.takeover.config.ConfigNode.MapNode;
import dev.takeover.config.ConfigNode.Scalar;
import dev.takeover.config.ConfigNode.ScalarKind;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into a located {@link ConfigNode} tree with Jackson's streaming parser.
 *
 * <p>A syntax error becomes a single {@link ConfigError}. Jackson reports the position where its
 * tokenizer stopped, often a line early; the underlying SnakeYAML exception carries the real
 * "problem mark", so that is used when present.
 */
final class YamlTreeReader {
  private YamlTreeReader() {}

  private static final YAMLFactory FACTORY = new YAMLFactory();

  /** The tree, or the syntax error that stopped the reading (empty tree for an empty file). */
  record Outcome(Optional<ConfigNode> root, List<ConfigError> errors) {}

  static Outcome read(String yaml, String source) {
    try (YAMLParser parser = FACTORY.createParser(yaml)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new Outcome(Optional.empty(), List.of());
      }
      ConfigNode root = readValue(parser, first);
      JsonToken next = parser.nextToken();
      if (next == null) {
        next = parser.nextToken(); // the parser may report the end of a document as a null first
      }
      if (next != null) {
        JsonLocation at = parser.currentTokenLocation();
        return new Outcome(
            Optional.of(root),
            List.of(
                new ConfigError(
                    source,
                    at.getLineNr(),
                    at.getColumnNr(),
                    "a second YAML document; allowed: one document per file")));
      }
      return new Outcome(Optional.of(root), List.of());
    } catch (StreamReadException e) {
      return new Outcome(Optional.empty(), List.of(syntaxError(e, source)));
    } catch (IOException e) {
      // Reading from a String does no I/O; this is here for the checked signature only.
      return new Outcome(
          Optional.empty(), List.of(new ConfigError(source, 0, 0, "cannot parse: " + e)));
    }
  }

  private static ConfigNode readValue(YAMLParser p, JsonToken token) throws IOException {
    JsonLocation at = p.currentTokenLocation();
    int line = at.getLineNr();
    int column = at.getColumnNr();
    return switch (token) {
      case START_OBJECT -> {
        List<Entry> entries = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
          JsonLocation keyAt = p.currentTokenLocation();
          String key = p.currentName();
          ConfigNode value = readValue(p, p.nextToken());
          entries.add(new Entry(key, keyAt.getLineNr(), keyAt.getColumnNr(), value));
        }
        yield new MapNode(line, column, entries);
      }
      case START_ARRAY -> {
        List<ConfigNode> items = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          items.add(readValue(p, t));
        }
        yield new ListNode(line, column, items);
      }
      case VALUE_STRING ->
          new Scalar(
              line,
              column,
              p.isCurrentAlias() ? ScalarKind.ALIAS : ScalarKind.STRING,
              p.getText(),
              null);
      case VALUE_NUMBER_INT ->
          new Scalar(line, column, ScalarKind.INTEGER, p.getText(), integer(p));
      case VALUE_NUMBER_FLOAT -> new Scalar(line, column, ScalarKind.FLOAT, p.getText(), null);
      case VALUE_TRUE, VALUE_FALSE ->
          new Scalar(line, column, ScalarKind.BOOLEAN, p.getText(), null);
      case VALUE_NULL -> new Scalar(line, column, ScalarKind.NULL, p.getText(), null);
      default -> new Scalar(line, column, ScalarKind.STRING, p.getText(), null);
    };
  }

  private static BigInteger integer(YAMLParser p) throws IOException {
    return p.getBigIntegerValue();
  }

  private static ConfigError syntaxError(StreamReadException e, String source) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
        Mark problem = marked.getProblemMark();
        StringBuilder message =
            new StringBuilder("YAML syntax error: ").append(marked.getProblem());
        Mark context = marked.getContextMark();
        boolean contextElsewhere =
            context != null
                && (context.getLine() != problem.getLine()
                    || context.getColumn() != problem.getColumn());
        if (marked.getContext() != null && contextElsewhere) {
          message
              .append(" (")
              .append(marked.getContext())
              .append(" at ")
              .append(context.getLine() + 1)
              .append(':')
              .append(context.getColumn() + 1)
              .append(')');
        }
        return new ConfigError(
            source,
            problem.getLine() + 1,
            problem.getColumn() + 1,
            message.toString().replaceAll("\\s*\\R\\s*", " ").strip());
      }
    }
    JsonLocation at = e.getLocation();
    String first = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
    return new ConfigError(
        source,
        at == null ? 0 : at.getLineNr(),
        at == null ? 0 : at.getColumnNr(),
        "YAML syntax error: " + first);
  }
}
