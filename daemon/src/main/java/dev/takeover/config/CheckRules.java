package dev.takeover.config;

import static dev.takeover.config.Diagnostics.didYouMean;
import static dev.takeover.config.Diagnostics.quote;

import dev.takeover.config.ConfigNode.Entry;
import dev.takeover.config.ConfigNode.ListNode;
import dev.takeover.config.ConfigNode.MapNode;
import dev.takeover.config.ConfigNode.Scalar;
import dev.takeover.config.ConfigNode.ScalarKind;
import dev.takeover.config.Readers.DurationRule;
import dev.takeover.config.Readers.IntRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A group's {@code checks}: the keys every check has (name, type, timing, weight); what each type
 * probes is read by {@link CheckTargetRules}.
 */
final class CheckRules {

  static final int MAX_CHECKS = 16;

  private static final String CHECK_NAME_ALLOWED = GroupRules.NAME_ALLOWED;
  private static final IntRule RISE_FALL = new IntRule(1, 100);
  private static final DurationRule CHECK_INTERVAL =
      new DurationRule(Duration.ofMillis(100), Duration.ofHours(1), 1, false);
  private static final DurationRule CHECK_TIMEOUT =
      new DurationRule(Duration.ofMillis(10), Duration.ofSeconds(60), 1, false);

  private final Readers read;
  private final Diagnostics diagnostics;
  private final CheckTargetRules targets;

  CheckRules(Readers read, CommandRules commands) {
    this.read = read;
    this.diagnostics = read.diagnostics;
    this.targets = new CheckTargetRules(read, commands);
  }

  List<CheckConfig> checks(Section s) {
    if (!s.has("checks")) {
      return List.of();
    }
    String allowed = "a list of 0.." + MAX_CHECKS + " checks";
    ListNode list = read.listOf(s, "checks", allowed);
    if (list == null) {
      return null;
    }
    boolean allValid =
        read.counted(list, s.path("checks"), "check", 0, MAX_CHECKS, "checks per group");
    List<CheckConfig> result = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      String path = s.path("checks") + "[" + i + "]";
      Section c = checkSection(list.items().get(i), path);
      if (c == null) {
        allValid = false;
        continue;
      }
      String name = read.name(c, "name", GroupRules.NAME, CHECK_NAME_ALLOWED);
      if (name != null) {
        ConfigNode at = c.entry("name").value();
        String earlier = seen.putIfAbsent(name, "checks[" + i + "] (line " + at.line() + ")");
        if (earlier != null) {
          diagnostics.error(
              at,
              c.path("name")
                  + ": "
                  + quote(name)
                  + " is already the name of "
                  + earlier
                  + "; allowed: a name no other check of this group has");
          name = null;
        }
      }
      CheckConfig check = check(c, name);
      if (check == null) {
        allValid = false;
      } else {
        result.add(check);
      }
    }
    return allValid ? result : null;
  }

  /**
   * Opens one check's mapping with the keys of its type. When the type is missing or unknown, the
   * keys of every type are allowed, so the one error is about the type, not each of its keys.
   */
  private Section checkSection(ConfigNode item, String path) {
    if (!(item instanceof MapNode map)) {
      diagnostics.reject(
          item,
          path,
          "is not a mapping",
          "a mapping with keys "
              + String.join(", ", ConfigValidator.CHECK_KEYS)
              + " and those of its type");
      return null;
    }
    List<String> keys = new ArrayList<>(ConfigValidator.CHECK_KEYS);
    List<String> typeKeys =
        map.entry("type")
            .map(Entry::value)
            .filter(v -> v instanceof Scalar sc && sc.kind() == ScalarKind.STRING)
            .map(v -> ConfigValidator.CHECK_TYPE_KEYS.get(((Scalar) v).text()))
            .orElse(null);
    if (typeKeys != null) {
      keys.addAll(typeKeys);
    } else {
      ConfigValidator.CHECK_TYPE_KEYS.values().stream()
          .flatMap(List::stream)
          .distinct()
          .forEach(keys::add);
    }
    return read.section(map, path, keys, ConfigValidator.CHECK_TYPE_OF_KEY);
  }

  /** One check, its name already read ({@code null} if it was bad). */
  private CheckConfig check(Section c, String name) {
    String type = checkType(c);
    Duration interval = read.duration(c, "interval", CHECK_INTERVAL, CheckConfig.DEFAULT_INTERVAL);
    Duration timeout;
    if (c.has("timeout")) {
      timeout = read.duration(c, "timeout", CHECK_TIMEOUT, null);
      if (timeout != null && interval != null && timeout.compareTo(interval) >= 0) {
        diagnostics.reject(
            c.entry("timeout").value(),
            c.path("timeout"),
            "is not shorter than the interval (" + Durations.format(interval) + ")",
            CHECK_TIMEOUT.allowed() + ", less than interval");
        timeout = null;
      }
    } else {
      timeout = interval == null ? null : CheckConfig.defaultTimeout(interval);
    }
    Integer rise = read.integer(c, "rise", RISE_FALL, CheckConfig.DEFAULT_RISE);
    Integer fall = read.integer(c, "fall", RISE_FALL, CheckConfig.DEFAULT_FALL);
    Weight weight = read.weight(c);
    CheckTarget target = type == null ? null : targets.target(c, type);
    if (name == null
        || interval == null
        || timeout == null
        || rise == null
        || fall == null
        || weight == null
        || target == null) {
      return null;
    }
    return new CheckConfig(name, interval, timeout, rise, fall, weight, target);
  }

  private String checkType(Section c) {
    String allowed = String.join(", ", ConfigValidator.CHECK_TYPES);
    Scalar value = read.scalarText(c, "type", allowed);
    if (value == null) {
      return null;
    }
    if (!ConfigValidator.CHECK_TYPES.contains(value.text())) {
      diagnostics.reject(
          value,
          c.path("type"),
          "is not a check type" + didYouMean(value.text(), ConfigValidator.CHECK_TYPES),
          allowed);
      return null;
    }
    return value.text();
  }
}
