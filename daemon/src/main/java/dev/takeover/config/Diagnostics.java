package dev.takeover.config;

import dev.takeover.config.ConfigNode.ListNode;
import dev.takeover.config.ConfigNode.MapNode;
import dev.takeover.config.ConfigNode.Scalar;
import java.util.ArrayList;
import java.util.List;

/**
 * The errors and warnings of one validation, and how they are worded.
 *
 * <p>Every message has the form {@code path: what is wrong; allowed: what would be right}, located
 * at the value (or key) an editor should jump to. One instance is shared by all the rule classes of
 * a validation, so the problems come out in the order the file is walked.
 */
final class Diagnostics {

  private final String source;
  private final List<ConfigError> errors = new ArrayList<>();
  private final List<ConfigError> warnings = new ArrayList<>();

  Diagnostics(String source) {
    this.source = source;
  }

  List<ConfigError> errors() {
    return errors;
  }

  List<ConfigError> warnings() {
    return warnings;
  }

  /** Reports {@code path: <value> <problem>; allowed: <allowed>} at the value. */
  void reject(ConfigNode value, String path, String problem, String allowed) {
    error(value, path + ": " + describe(value) + " " + problem + "; allowed: " + allowed);
  }

  void error(ConfigNode at, String message) {
    error(at.line(), at.column(), message);
  }

  void error(int line, int column, String message) {
    errors.add(new ConfigError(source, line, column, message));
  }

  void warning(ConfigNode at, String message) {
    warnings.add(new ConfigError(source, at.line(), at.column(), message));
  }

  // ---- wording ---------------------------------------------------------------------------------

  /** How a value is shown in a message: strings quoted, numbers and booleans as written. */
  static String describe(ConfigNode node) {
    return switch (node) {
      case MapNode m -> "a mapping";
      case ListNode l -> "a list";
      case Scalar s ->
          switch (s.kind()) {
            case STRING -> quote(s.text());
            case ALIAS -> "alias *" + s.text();
            case NULL -> "an empty value";
            case INTEGER, FLOAT, BOOLEAN -> s.text();
          };
    };
  }

  static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** "an empty list", "1 group", "3 addresses". */
  static String count(int n, String noun) {
    if (n == 0) {
      return "an empty list";
    }
    String plural = noun.endsWith("s") ? noun + "es" : noun + "s";
    return n + " " + (n == 1 ? noun : plural);
  }

  static String didYouMean(String wrong, List<String> candidates) {
    return Suggestions.closest(wrong, candidates)
        .map(c -> " (did you mean " + quote(c) + "?)")
        .orElse("");
  }
}
