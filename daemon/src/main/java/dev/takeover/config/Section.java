package dev.takeover.config;

import static dev.takeover.config.Diagnostics.didYouMean;
import static dev.takeover.config.Diagnostics.quote;

import dev.takeover.config.ConfigNode.Entry;
import dev.takeover.config.ConfigNode.MapNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A mapping whose keys were checked against the allowed ones when it was opened: unknown and
 * duplicate keys are reported then, with a hint where a misplaced key belongs, and only the first
 * of each allowed key is kept.
 */
final class Section {

  final MapNode map;
  final String prefix;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  Section(Diagnostics diagnostics, MapNode map, String prefix, List<String> keys) {
    this(diagnostics, map, prefix, keys, Map.of());
  }

  /**
   * @param belongs where keys that are not allowed here do belong, for hints more specific than the
   *     file-wide ones (a key of another check type)
   */
  Section(
      Diagnostics diagnostics,
      MapNode map,
      String prefix,
      List<String> keys,
      Map<String, String> belongs) {
    this.map = map;
    this.prefix = prefix;
    String where = prefix.isEmpty() ? "" : prefix + ": ";
    for (Entry e : map.entries()) {
      if (!keys.contains(e.key())) {
        diagnostics.error(
            e.line(),
            e.column(),
            where
                + "unknown key "
                + quote(e.key())
                + hint(e.key(), keys, belongs)
                + "; allowed: "
                + String.join(", ", keys));
      } else if (entries.containsKey(e.key())) {
        diagnostics.error(
            e.line(),
            e.column(),
            where
                + "duplicate key "
                + quote(e.key())
                + " (first at line "
                + entries.get(e.key()).line()
                + "); allowed: each key once");
      } else {
        entries.put(e.key(), e);
      }
    }
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  Entry entry(String key) {
    return entries.get(key);
  }

  String path(String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }

  private static String hint(String key, List<String> keys, Map<String, String> belongs) {
    String here = didYouMean(key, keys);
    if (!here.isEmpty()) {
      return here;
    }
    // Then a keepalived name: "virtual_router_id" is no typo of anything, and "script" is better
    // told "command" than where a key named "script" would belong.
    var keepalived = KeepalivedNames.hint(key);
    if (keepalived.isPresent()) {
      return " (" + keepalived.get() + ")";
    }
    String normalized = Suggestions.kebab(key);
    String section =
        belongs.getOrDefault(normalized, ConfigValidator.SECTION_OF_KEY.get(normalized));
    return section == null ? "" : " (it belongs " + section + ")";
  }
}
