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

  /** The valid configuration, or empty after printing why it is not. */
  static Optional<TakeoverConfig> load(Path file, PrintWriter err) {
    return report(file, ConfigLoader.load(file), err);
  }

  /** The configuration if it is valid and fits this machine, or empty after printing why not. */
  static Optional<TakeoverConfig> load(Path file, PrintWriter err, HostFacts host) {
    return report(file, ConfigLoader.load(file, host), err);
  }

  private static Optional<TakeoverConfig> report(Path file, ConfigResult result, PrintWriter err) {
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
