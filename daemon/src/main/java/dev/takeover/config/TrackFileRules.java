package dev.takeover.config;

import dev.takeover.config.ConfigNode.ListNode;
import dev.takeover.config.ConfigNode.Scalar;
import dev.takeover.config.Readers.IntRule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A group's {@code track-files} (keepalived's {@code track_file}): files whose integer content
 * adjusts the priority. The files are not read here: a file that does not exist yet counts as 0
 * (keepalived creates it with {@code init_file}), so {@code check} passes before it is written.
 */
final class TrackFileRules {
  static final int MAX_TRACK_FILES = 16;
  private static final IntRule WEIGHT = new IntRule(Weight.MIN_DELTA, Weight.MAX_DELTA);

  private final Readers read;
  private final Diagnostics diagnostics;

  TrackFileRules(Readers read) {
    this.read = read;
    this.diagnostics = read.diagnostics;
  }

  /** Empty without the key; null if it has an error. */
  List<TrackFile> trackFiles(Section s) {
    if (!s.has("track-files")) {
      return List.of();
    }
    String allowed =
        "a list of 0.." + MAX_TRACK_FILES + " entries, e.g. [{file: /run/web.prio, weight: -10}]";
    ListNode list = read.listOf(s, "track-files", allowed);
    if (list == null) {
      return null;
    }
    boolean allValid =
        read.counted(list, s.path("track-files"), "file", 0, MAX_TRACK_FILES, "track files");
    List<TrackFile> result = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      String path = s.path("track-files") + "[" + i + "]";
      Section t = read.mapping(list.items().get(i), path, ConfigValidator.TRACK_FILE_KEYS);
      if (t == null) {
        allValid = false;
        continue;
      }
      Scalar file = read.scalarText(t, "file", "an absolute path");
      Integer weight = read.integer(t, "weight", WEIGHT, TrackFile.DEFAULT_WEIGHT);
      Boolean reverse = read.bool(t, "reverse", false);
      if (file == null || weight == null || reverse == null) {
        allValid = false;
        continue;
      }
      if (!Path.of(file.text()).isAbsolute() || file.text().contains("\0")) {
        diagnostics.reject(file, t.path("file"), "is not an absolute path", "an absolute path");
        allValid = false;
        continue;
      }
      Integer earlier = seen.putIfAbsent(file.text(), i);
      if (earlier != null) {
        diagnostics.error(
            file,
            t.path("file")
                + ": "
                + Diagnostics.quote(file.text())
                + " is already tracked by track-files["
                + earlier
                + "]; allowed: each file once per group");
        allValid = false;
        continue;
      }
      result.add(new TrackFile(file.text(), weight, reverse));
    }
    return allValid ? result : null;
  }
}
