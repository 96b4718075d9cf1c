package dev.takeover.keepalived;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Scalars written so that YAML reads back the same string: plain when safe, else quoted. */
final class YamlText {
  private YamlText() {}

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_/][A-Za-z0-9_./-]*");
  private static final Pattern NUMBER_LIKE = Pattern.compile("[-+]?[0-9_.]+([eE][-+]?[0-9]+)?");
  private static final Pattern DOTTED_QUAD = Pattern.compile("[0-9]+(\\.[0-9]+){3}");
  private static final Set<String> RESERVED =
      Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null", "~");

  /** {@code s} as a YAML scalar that reads back as the string {@code s}. */
  static String scalar(String s) {
    if (PLAIN.matcher(s).matches()
        && (!NUMBER_LIKE.matcher(s).matches() || DOTTED_QUAD.matcher(s).matches())
        && !RESERVED.contains(s.toLowerCase(Locale.ROOT))) {
      return s;
    }
    // A leading digit is fine where YAML cannot take it for a number (198.18.0.50/24, and a
    // dotted quad, as the shipped examples write them); anything with ':' is quoted, as YAML 1.1
    // reads 1:20 as a number (sexagesimal).
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** {@code [a, "b c"]}. */
  static String flow(List<String> items) {
    return "[" + String.join(", ", items.stream().map(YamlText::scalar).toList()) + "]";
  }

  /** A duration in Takeover's notation: whole seconds as {@code 2s}, else milliseconds. */
  static String duration(long millis) {
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
