package dev.takeover.config;

import static dev.takeover.config.Diagnostics.quote;

import dev.takeover.config.ConfigNode.Entry;
import dev.takeover.config.ConfigNode.ListNode;
import dev.takeover.config.ConfigNode.MapNode;
import dev.takeover.config.ConfigNode.Scalar;
import dev.takeover.config.ConfigNode.ScalarKind;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Commands, shared by script checks and hooks: an argv run without a shell, and the extra
 * environment it gets.
 */
final class CommandRules {

  private static final String COMMAND_ALLOWED =
      "a non-empty list: the program's absolute path, then its arguments, e.g."
          + " [/usr/local/bin/check-web, --fast]";
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String RESERVED_ENV_PREFIX = "TAKEOVER_";
  private static final String ENV_NAME_ALLOWED =
      "a name of A-Z, a-z, 0-9, '_', not starting with a digit or " + RESERVED_ENV_PREFIX;

  private final Readers read;
  private final Diagnostics diagnostics;

  CommandRules(Readers read) {
    this.read = read;
    this.diagnostics = read.diagnostics;
  }

  /** argv of a command run without a shell: element 0 an absolute path. */
  List<String> command(Section s) {
    ListNode list = read.listOf(s, "command", COMMAND_ALLOWED);
    if (list == null) {
      return null;
    }
    if (list.items().isEmpty()) {
      diagnostics.error(list, s.path("command") + ": an empty list; allowed: " + COMMAND_ALLOWED);
      return null;
    }
    List<String> argv = new ArrayList<>();
    boolean allValid = true;
    for (int i = 0; i < list.items().size(); i++) {
      ConfigNode item = list.items().get(i);
      String path = s.path("command") + "[" + i + "]";
      String arg = plainText(item);
      if (arg == null) {
        diagnostics.reject(item, path, "is not a single value", "text, e.g. --fast");
        allValid = false;
        continue;
      }
      if (i == 0 && !absolutePath(item, arg)) {
        diagnostics.reject(
            item,
            path,
            "is not an absolute path",
            "the program's absolute path, e.g. /usr/local/bin/check-web (no shell, no PATH"
                + " lookup)");
        allValid = false;
        continue;
      }
      argv.add(arg);
    }
    return allValid ? argv : null;
  }

  private static boolean absolutePath(ConfigNode node, String text) {
    if (!(node instanceof Scalar sc) || sc.kind() != ScalarKind.STRING || !text.startsWith("/")) {
      return false;
    }
    try {
      return Path.of(text).isAbsolute();
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /** The text of a scalar an argument or variable can hold, or null (lists, maps, nulls). */
  private static String plainText(ConfigNode node) {
    if (node instanceof Scalar sc) {
      return switch (sc.kind()) {
        case STRING, INTEGER, FLOAT, BOOLEAN -> sc.text();
        case NULL, ALIAS -> null;
      };
    }
    return null;
  }

  /** Extra environment variables, in file order; empty when left out. */
  Map<String, String> env(Section s) {
    String allowed = "a mapping of variable names to values, e.g. {SITE: lab}";
    if (!s.has("env")) {
      return Map.of();
    }
    ConfigNode node = read.value(s, "env", allowed);
    if (node == null) {
      return null;
    }
    if (!(node instanceof MapNode map)) {
      diagnostics.reject(node, s.path("env"), "is not a mapping", allowed);
      return null;
    }
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, Integer> lineOf = new HashMap<>();
    boolean allValid = true;
    for (Entry e : map.entries()) {
      String path = s.path("env") + "." + e.key();
      String problem = null;
      if (!ENV_NAME.matcher(e.key()).matches()) {
        problem = "is not a valid variable name";
      } else if (e.key().startsWith(RESERVED_ENV_PREFIX)) {
        problem = "starts with " + RESERVED_ENV_PREFIX + ", which Takeover's own variables use";
      } else if (lineOf.containsKey(e.key())) {
        problem = "is set twice (first at line " + lineOf.get(e.key()) + ")";
      }
      if (problem != null) {
        diagnostics.error(
            e.line(),
            e.column(),
            s.path("env")
                + ": "
                + quote(e.key())
                + " "
                + problem
                + "; allowed: "
                + ENV_NAME_ALLOWED);
        allValid = false;
        continue;
      }
      lineOf.put(e.key(), e.line());
      String value = plainText(e.value());
      if (value == null) {
        if (e.value() instanceof Scalar sc && sc.kind() == ScalarKind.NULL) {
          diagnostics.error(
              e.line(), e.column(), path + ": has no value; allowed: text, \"\" for empty");
        } else {
          diagnostics.reject(e.value(), path, "is not a single value", "text, \"\" for empty");
        }
        allValid = false;
        continue;
      }
      env.put(e.key(), value);
    }
    return allValid ? env : null;
  }
}
