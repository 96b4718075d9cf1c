package dev.takeover.config;

import static dev.takeover.config.Diagnostics.quote;

import dev.takeover.config.ConfigNode.ListNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A group's {@code track-interfaces}: other interfaces whose link state the group follows. */
final class TrackRules {

  static final int MAX_TRACKED_INTERFACES = 16;

  private final Readers read;
  private final Diagnostics diagnostics;

  TrackRules(Readers read) {
    this.read = read;
    this.diagnostics = read.diagnostics;
  }

  List<TrackInterface> trackInterfaces(Section s, String groupInterface) {
    if (!s.has("track-interfaces")) {
      return List.of();
    }
    String allowed =
        "a list of 0.." + MAX_TRACKED_INTERFACES + " entries, e.g. [{interface: eth1}]";
    ListNode list = read.listOf(s, "track-interfaces", allowed);
    if (list == null) {
      return null;
    }
    boolean allValid =
        read.counted(
            list,
            s.path("track-interfaces"),
            "interface",
            0,
            MAX_TRACKED_INTERFACES,
            "tracked interfaces per group");
    List<TrackInterface> result = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      ConfigNode item = list.items().get(i);
      String path = s.path("track-interfaces") + "[" + i + "]";
      Section t = read.mapping(item, path, ConfigValidator.TRACK_KEYS);
      if (t == null) {
        allValid = false;
        continue;
      }
      String name = read.interfaceName(t);
      Weight weight = read.weight(t);
      if (name != null) {
        ConfigNode at = t.entry("interface").value();
        String earlier =
            seen.putIfAbsent(name, "track-interfaces[" + i + "] (line " + at.line() + ")");
        if (earlier != null) {
          diagnostics.error(
              at,
              t.path("interface")
                  + ": "
                  + quote(name)
                  + " is already tracked at "
                  + earlier
                  + "; allowed: each interface once");
          name = null;
        } else if (name.equals(groupInterface)) {
          diagnostics.warning(
              at,
              t.path("interface")
                  + ": "
                  + quote(name)
                  + " is the group's own interface, which the group always follows (FAULT while"
                  + " it is down); tracking it adds nothing");
        }
      }
      if (name == null || weight == null) {
        allValid = false;
        continue;
      }
      result.add(new TrackInterface(name, weight));
    }
    return allValid ? result : null;
  }
}
