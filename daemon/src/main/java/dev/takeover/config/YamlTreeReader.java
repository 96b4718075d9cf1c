package dev.takeover.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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
import java.util.Locale;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into a located {@link ConfigNode} tree with Jackson's streaming parser.
 *
 * <p>A syntax error becomes a single {@link ConfigError}. Jackson reports the position where its
 * tokenizer stopped, often a line early; the underlying SnakeYAML exception carries the real
 * "problem mark", so that is used when present.
 *
 * <p>Limits, each reported with the line and column where it was crossed: nesting deeper than
 * {@value #MAX_DEPTH} (a real file nests about 6 deep; Jackson's own limit, 1000, gives no
 * position), more than {@value #MAX_VALUES} values (keys, list items and scalars: the tree of a 1
 * MiB file of one-character list items would otherwise take about 40 MiB), and text with a lone
 * UTF-16 surrogate, which a YAML escape like {@code "\uD800"} can produce but no Unicode text
 * contains. Aliases are not expanded (Jackson reports them as such), so an alias cannot multiply
 * the tree.
 */
final class YamlTreeReader {
  static final int MAX_DEPTH = 64;
  static final int MAX_VALUES = 100_000;

  private static final YAMLFactory FACTORY = new YAMLFactory();

  /** The tree, or the syntax error that stopped the reading (empty tree for an empty file). */
  record Outcome(Optional<ConfigNode> root, List<ConfigError> errors) {}

  /** A limit crossed at a position: reading stops there. */
  private static final class LimitException extends Exception {
    private static final long serialVersionUID = 1L;
    final int line;
    final int column;

    LimitException(int line, int column, String message) {
      super(message);
      this.line = line;
      this.column = column;
    }
  }

  private final YAMLParser parser;
  private int values;

  private YamlTreeReader(YAMLParser parser) {
    this.parser = parser;
  }

  static Outcome read(String yaml, String source) {
    try (YAMLParser parser = FACTORY.createParser(yaml)) {
      try {
        return new YamlTreeReader(parser).document(source);
      } catch (LimitException e) {
        return new Outcome(
            Optional.empty(), List.of(new ConfigError(source, e.line, e.column, e.getMessage())));
      } catch (StreamConstraintsException e) {
        // Jackson's own limits (a number of over 1000 digits): where the parser stopped.
        JsonLocation at = parser.currentLocation();
        return new Outcome(
            Optional.empty(),
            List.of(
                new ConfigError(
                    source,
                    at.getLineNr(),
                    at.getColumnNr(),
                    "too large: " + firstLine(e.getOriginalMessage()))));
      }
    } catch (StreamReadException e) {
      return new Outcome(Optional.empty(), List.of(syntaxError(e, source)));
    } catch (IOException e) {
      // Reading from a String does no I/O; this is here for the checked signature only.
      return new Outcome(
          Optional.empty(), List.of(new ConfigError(source, 0, 0, "cannot parse: " + e)));
    }
  }

  private Outcome document(String source) throws IOException, LimitException {
    JsonToken first = parser.nextToken();
    if (first == null) {
      return new Outcome(Optional.empty(), List.of());
    }
    ConfigNode root = readValue(first, 1);
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
  }

  private ConfigNode readValue(JsonToken token, int depth) throws IOException, LimitException {
    YAMLParser p = parser;
    JsonLocation at = p.currentTokenLocation();
    int line = at.getLineNr();
    int column = at.getColumnNr();
    if (++values > MAX_VALUES) {
      throw new LimitException(
          line, column, "more than " + MAX_VALUES + " values; a configuration needs far fewer");
    }
    return switch (token) {
      case START_OBJECT -> {
        nested(depth, line, column);
        List<Entry> entries = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
          JsonLocation keyAt = p.currentTokenLocation();
          String key = text(p.currentName(), keyAt.getLineNr(), keyAt.getColumnNr());
          ConfigNode value = readValue(p.nextToken(), depth + 1);
          entries.add(new Entry(key, keyAt.getLineNr(), keyAt.getColumnNr(), value));
        }
        yield new MapNode(line, column, entries);
      }
      case START_ARRAY -> {
        nested(depth, line, column);
        List<ConfigNode> items = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          items.add(readValue(t, depth + 1));
        }
        yield new ListNode(line, column, items);
      }
      case VALUE_STRING ->
          new Scalar(
              line,
              column,
              p.isCurrentAlias() ? ScalarKind.ALIAS : ScalarKind.STRING,
              text(p.getText(), line, column),
              null);
      case VALUE_NUMBER_INT ->
          new Scalar(line, column, ScalarKind.INTEGER, p.getText(), integer(p));
      case VALUE_NUMBER_FLOAT -> new Scalar(line, column, ScalarKind.FLOAT, p.getText(), null);
      case VALUE_TRUE, VALUE_FALSE ->
          new Scalar(line, column, ScalarKind.BOOLEAN, p.getText(), null);
      case VALUE_NULL -> new Scalar(line, column, ScalarKind.NULL, p.getText(), null);
      default -> new Scalar(line, column, ScalarKind.STRING, text(p.getText(), line, column), null);
    };
  }

  private static void nested(int depth, int line, int column) throws LimitException {
    if (depth > MAX_DEPTH) {
      throw new LimitException(
          line,
          column,
          "nested deeper than "
              + MAX_DEPTH
              + " levels of mappings and lists; a configuration needs fewer than 10");
    }
  }

  /** The text of a key or string, unless it holds a surrogate that is not half of a pair. */
  private static String text(String text, int line, int column) throws LimitException {
    if (text == null) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++; // a pair: one character outside the Basic Multilingual Plane
      } else if (Character.isSurrogate(c)) {
        throw new LimitException(
            line,
            column,
            String.format(
                Locale.ROOT,
                "contains a lone UTF-16 surrogate (\\u%04X), which is not a character; write"
                    + " the character itself, or both halves of the pair",
                (int) c));
      }
    }
    return text;
  }

  private static String firstLine(String message) {
    return String.valueOf(message).lines().findFirst().orElse("");
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
