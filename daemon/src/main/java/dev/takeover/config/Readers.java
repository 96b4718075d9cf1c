package dev.takeover.config;

import static dev.takeover.config.Diagnostics.count;
import static dev.takeover.config.Diagnostics.didYouMean;
import static dev.takeover.config.Diagnostics.quote;

import dev.takeover.config.ConfigNode.Entry;
import dev.takeover.config.ConfigNode.ListNode;
import dev.takeover.config.ConfigNode.MapNode;
import dev.takeover.config.ConfigNode.Scalar;
import dev.takeover.config.ConfigNode.ScalarKind;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed readers for the values of a {@link Section}, shared by every section's rules.
 *
 * <p>A reader that finds a bad value reports it and returns {@code null}; a key that is left out
 * gives the default, or a "missing required key" error when there is none. The caller skips
 * whatever needs a {@code null} value, so one mistake gives one error.
 */
final class Readers {

  /** An inclusive integer range. */
  record IntRule(int min, int max) {
    String allowed() {
      return min + ".." + max;
    }
  }

  /**
   * An inclusive duration range, a step all values must be a multiple of, and whether zero is
   * allowed below the range as "off".
   */
  record DurationRule(Duration min, Duration max, long stepMillis, boolean zeroMeansOff) {
    String allowed() {
      String range = Durations.format(min) + ".." + Durations.format(max);
      if (stepMillis > 1) {
        range += " in steps of " + stepMillis + "ms";
      }
      return zeroMeansOff ? "0s (off) or " + range : range;
    }

    boolean inRange(Duration d) {
      return (zeroMeansOff && d.isZero()) || (d.compareTo(min) >= 0 && d.compareTo(max) <= 0);
    }
  }

  // Linux dev_valid_name() (net/core/dev.c): shorter than IFNAMSIZ (16) bytes, not "." or "..",
  // no '/', ':' or byte the kernel's isspace() accepts.
  static final String INTERFACE_ALLOWED =
      "a Linux interface name: 1..15 bytes in UTF-8, no '/', ':' or whitespace, not '.' or '..'";
  static final int IFNAMSIZ = 16;

  static final IntRule WEIGHT = new IntRule(Weight.MIN_DELTA, Weight.MAX_DELTA);
  private static final String WEIGHT_ALLOWED =
      "fault, or an integer " + WEIGHT.allowed() + " added to the priority";

  private static final Set<String> YAML_TRUE = Set.of("true", "yes", "on", "y");

  final Diagnostics diagnostics;

  Readers(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  /** Opens a mapping, reporting its unknown and duplicate keys. */
  Section section(MapNode map, String prefix, List<String> keys) {
    return new Section(diagnostics, map, prefix, keys);
  }

  Section section(MapNode map, String prefix, List<String> keys, Map<String, String> belongs) {
    return new Section(diagnostics, map, prefix, keys, belongs);
  }

  // ---- scalars ---------------------------------------------------------------------------------

  Integer integer(Section s, String key, IntRule rule, Integer defaultValue) {
    if (!s.has(key) && defaultValue != null) {
      return defaultValue;
    }
    ConfigNode node = value(s, key, "an integer " + rule.allowed());
    if (node == null) {
      return null;
    }
    if (!(node instanceof Scalar scalar) || scalar.kind() != ScalarKind.INTEGER) {
      diagnostics.reject(node, s.path(key), "is not an integer", rule.allowed());
      return null;
    }
    if (!within(scalar.integer(), rule)) {
      diagnostics.reject(node, s.path(key), "is out of range", rule.allowed());
      return null;
    }
    return scalar.integer().intValueExact();
  }

  private static boolean within(BigInteger value, IntRule rule) {
    return value.compareTo(BigInteger.valueOf(rule.min())) >= 0
        && value.compareTo(BigInteger.valueOf(rule.max())) <= 0;
  }

  Duration duration(Section s, String key, DurationRule rule, Duration defaultValue) {
    if (!s.has(key)) {
      return defaultValue;
    }
    String allowed = rule.allowed();
    ConfigNode node = value(s, key, "a duration " + allowed);
    if (node == null) {
      return null;
    }
    if (!(node instanceof Scalar scalar)
        || scalar.kind() == ScalarKind.BOOLEAN
        || scalar.kind() == ScalarKind.ALIAS) {
      diagnostics.reject(node, s.path(key), "is not a duration", Durations.SYNTAX);
      return null;
    }
    Duration d;
    try {
      d = Durations.parse(scalar.text());
    } catch (Durations.InvalidDurationException e) {
      diagnostics.reject(node, s.path(key), e.getMessage(), Durations.SYNTAX);
      return null;
    }
    if (!rule.inRange(d)) {
      diagnostics.reject(node, s.path(key), "is out of range", allowed);
      return null;
    }
    if (d.toMillis() % rule.stepMillis() != 0) {
      diagnostics.reject(
          node, s.path(key), "is not a multiple of " + rule.stepMillis() + "ms", allowed);
      return null;
    }
    return d;
  }

  Boolean bool(Section s, String key, boolean defaultValue) {
    if (!s.has(key)) {
      return defaultValue;
    }
    ConfigNode node = value(s, key, "true or false");
    if (node == null) {
      return null;
    }
    if (!(node instanceof Scalar scalar) || scalar.kind() != ScalarKind.BOOLEAN) {
      diagnostics.reject(node, s.path(key), "is not a boolean", "true or false");
      return null;
    }
    // YAML 1.1 also spells booleans yes/no, on/off; Jackson resolved the kind, only the sign is
    // left.
    return YAML_TRUE.contains(scalar.text().toLowerCase(Locale.ROOT));
  }

  String name(Section s, String key, Pattern pattern, String allowed) {
    Scalar value = scalarText(s, key, allowed);
    if (value == null) {
      return null;
    }
    if (!pattern.matcher(value.text()).matches()) {
      diagnostics.reject(value, s.path(key), "is not a valid name", allowed);
      return null;
    }
    return value.text();
  }

  /** The {@code interface} key: a name Linux would accept; whether it exists is not checked. */
  String interfaceName(Section s) {
    Scalar value = scalarText(s, "interface", INTERFACE_ALLOWED);
    if (value == null) {
      return null;
    }
    String name = value.text();
    String problem = interfaceNameProblem(name);
    if (problem != null) {
      diagnostics.reject(value, s.path("interface"), problem, INTERFACE_ALLOWED);
      return null;
    }
    return name;
  }

  /**
   * Why the kernel would refuse {@code name} as an interface name, or null if it would not. The
   * kernel counts bytes, not characters: "ethernet-ñandú" is 14 characters but 16 bytes.
   */
  static String interfaceNameProblem(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length == 0 || name.equals(".") || name.equals("..")) {
      return "is not a valid interface name";
    }
    if (bytes.length >= IFNAMSIZ) {
      return "is not a valid interface name ("
          + bytes.length
          + " bytes in UTF-8; at most "
          + (IFNAMSIZ - 1)
          + ")";
    }
    for (byte b : bytes) {
      if (b == '/' || b == ':' || b == 0 || kernelSpace(b)) {
        return "is not a valid interface name";
      }
    }
    return null;
  }

  /**
   * The kernel's isspace() (lib/ctype.c): tab, newline, vertical tab, form feed, carriage return,
   * space, and byte 0xA0, which it counts as a space (Latin-1's no-break space) even inside a UTF-8
   * character such as "à" (0xC3 0xA0).
   */
  private static boolean kernelSpace(byte b) {
    int u = b & 0xFF;
    return (u >= 0x09 && u <= 0x0D) || u == 0x20 || u == 0xA0;
  }

  /** {@code fault} or a priority adjustment; {@code fault} when the key is left out. */
  Weight weight(Section s) {
    if (!s.has("weight")) {
      return Weight.FAULT;
    }
    ConfigNode node = value(s, "weight", WEIGHT_ALLOWED);
    if (node == null) {
      return null;
    }
    if (node instanceof Scalar scalar && scalar.kind() == ScalarKind.INTEGER) {
      if (!within(scalar.integer(), WEIGHT)) {
        diagnostics.reject(node, s.path("weight"), "is out of range", WEIGHT_ALLOWED);
        return null;
      }
      return new Weight.Adjust(scalar.integer().intValueExact());
    }
    if (node instanceof Scalar scalar
        && scalar.kind() == ScalarKind.STRING
        && scalar.text().equals("fault")) {
      return Weight.FAULT;
    }
    String problem = "is not a weight";
    if (node instanceof Scalar scalar && scalar.kind() == ScalarKind.STRING) {
      problem += didYouMean(scalar.text(), List.of("fault"));
    }
    diagnostics.reject(node, s.path("weight"), problem, WEIGHT_ALLOWED);
    return null;
  }

  /** A required key's scalar value whose text is used as is (names, paths, addresses). */
  Scalar scalarText(Section s, String key, String allowed) {
    if (!s.has(key)) {
      missing(s, key, allowed);
      return null;
    }
    ConfigNode node = value(s, key, allowed);
    if (node == null) {
      return null;
    }
    if (!(node instanceof Scalar scalar) || scalar.kind() == ScalarKind.ALIAS) {
      diagnostics.reject(node, s.path(key), "is not a single value", allowed);
      return null;
    }
    return scalar;
  }

  // ---- structure -------------------------------------------------------------------------------

  /** The value of a key; null, with the error reported, when the key is missing or has no value. */
  ConfigNode value(Section s, String key, String allowed) {
    Entry entry = s.entry(key);
    if (entry == null) {
      missing(s, key, allowed);
      return null;
    }
    ConfigNode node = entry.value();
    if (node instanceof Scalar scalar && scalar.kind() == ScalarKind.NULL) {
      // The null token sits after the colon; the key is where the operator will look.
      diagnostics.error(
          entry.line(), entry.column(), s.path(key) + ": has no value; allowed: " + allowed);
      return null;
    }
    if (node instanceof Scalar scalar && scalar.kind() == ScalarKind.ALIAS) {
      diagnostics.error(
          node,
          s.path(key) + ": alias *" + scalar.text() + " is not supported; allowed: " + allowed);
      return null;
    }
    return node;
  }

  ListNode listOf(Section s, String key, String allowed) {
    ConfigNode node = value(s, key, allowed);
    if (node == null) {
      return null;
    }
    if (!(node instanceof ListNode list)) {
      diagnostics.reject(node, s.path(key), "is not a list", allowed);
      return null;
    }
    return list;
  }

  /**
   * Reports a list with fewer than {@code min} or more than {@code max} items as {@code path: 3
   * checks; allowed: 0..2 <what>}; true if its length is allowed.
   */
  boolean counted(ListNode list, String path, String noun, int min, int max, String what) {
    int n = list.items().size();
    if (n >= min && n <= max) {
      return true;
    }
    diagnostics.error(
        list, path + ": " + count(n, noun) + "; allowed: " + min + ".." + max + " " + what);
    return false;
  }

  Section subsection(Section parent, String key, List<String> keys) {
    ConfigNode node = value(parent, key, "a mapping with keys " + String.join(", ", keys));
    return node == null ? null : mapping(node, parent.path(key), keys);
  }

  /** A value (a list entry, a key's value) that must be a mapping with {@code keys}. */
  Section mapping(ConfigNode node, String path, List<String> keys) {
    if (!(node instanceof MapNode map)) {
      diagnostics.reject(
          node, path, "is not a mapping", "a mapping with keys " + String.join(", ", keys));
      return null;
    }
    return section(map, path, keys);
  }

  void missing(Section s, String key, String allowed) {
    String where = s.prefix.isEmpty() ? "" : s.prefix + ": ";
    diagnostics.error(
        s.map, where + "missing required key " + quote(key) + "; allowed: " + allowed);
  }
}
