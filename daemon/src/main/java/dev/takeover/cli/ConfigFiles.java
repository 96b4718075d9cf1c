package dev.takeover.cli;

import dev.takeover.config.ConfigError;
import dev.takeover.config.ConfigLoader;
import dev.takeover.config.ConfigResult;
import dev.takeover.config.HostFacts;
import dev.takeover.config.TakeoverConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Loads a configuration for a command, printing every error and warning to the command's stderr.
 */
final class ConfigFiles {
  private ConfigFiles() {}

  /** The configuration if it is valid and fits this machine, or empty after printing why not. */
  static Optional<TakeoverConfig> load(Path file, PrintWriter err, HostFacts host) {
    return report(file, ConfigLoader.load(file, host), err);
  }

  /** What {@code check --json} prints: the loader's result as one JSON object (docs/CONTROL.md). */
  static java.util.Map<String, Object> json(Path file, ConfigResult result, boolean host) {
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("file", file.toString());
    out.put("host", host);
    switch (result) {
      case ConfigResult.Invalid invalid -> {
        out.put("valid", false);
        out.put("errors", invalid.errors().stream().map(ConfigFiles::json).toList());
        out.put("warnings", java.util.List.of());
      }
      case ConfigResult.Valid valid -> {
        out.put("valid", true);
        out.put("node", valid.config().node());
        out.put("groups", valid.config().groups().size());
        out.put("errors", java.util.List.of());
        out.put("warnings", valid.warnings().stream().map(ConfigFiles::json).toList());
      }
    }
    return out;
  }

  private static java.util.Map<String, Object> json(ConfigError e) {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("source", e.source());
    m.put("line", e.line());
    m.put("column", e.column());
    m.put("message", e.message());
    m.put("text", e.toString());
    return m;
  }

  /** The valid configuration of {@code result}, or empty after printing why it is not. */
  static Optional<TakeoverConfig> report(Path file, ConfigResult result, PrintWriter err) {
    switch (result) {
      case ConfigResult.Invalid invalid -> {
        for (ConfigError e : invalid.errors()) {
          err.println(e);
        }
        err.println(file + ": " + invalid.errors().size() + " error(s)");
        return Optional.empty();
      }
      case ConfigResult.Valid valid -> {
        for (ConfigError w : valid.warnings()) {
          err.println("warning: " + w);
        }
        return Optional.of(valid.config());
      }
    }
  }
}
