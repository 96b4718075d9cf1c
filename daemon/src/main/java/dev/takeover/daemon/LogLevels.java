package dev.takeover.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.takeover.config.LogLevel;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The config's {@code log-level}, applied to logback: at start and on reload. Precedence: the
 * environment variable {@value #ENV} (read by {@link LogSetup} when logback starts), then {@code
 * log-level}, then {@code info}. The level is set on the categories Takeover logs under, {@code
 * takeover} (and its children {@code takeover.packets}, …) and {@code dev.takeover}; libraries stay
 * at the root's WARN.
 */
final class LogLevels {
  static final String ENV = "TAKEOVER_LOG_LEVEL";
  static final List<String> CATEGORIES = List.of("takeover", "dev.takeover");
  private static final org.slf4j.Logger log = LoggerFactory.getLogger("takeover");

  private LogLevels() {}

  /** The environment's override, if set and not blank. */
  static Optional<String> override() {
    String value = System.getenv(ENV);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  /** At start: the configured level, unless the environment overrides it. */
  static void applyAtStart(LogLevel configured) {
    Optional<String> env = override();
    if (env.isPresent()) {
      if (configured != LogLevel.INFO) {
        log.info(
            "log level from {}={}; the config's log-level {} is not used",
            ENV,
            env.get(),
            configured.configName());
      }
      return;
    }
    set(configured);
  }

  /** A reload's change of {@code log-level}, to be described now and applied after the swap. */
  static Change change(LogLevel before, LogLevel after) {
    return new Change(before, after, override());
  }

  /**
   * @param override the environment's level, which wins over the file's
   */
  record Change(LogLevel before, LogLevel after, Optional<String> override) {
    /** For the reload's list of changes; empty when the level did not change. */
    Optional<String> description() {
      if (before == after) {
        return Optional.empty();
      }
      String text = "log-level " + before.configName() + " -> " + after.configName();
      return Optional.of(
          override.isPresent()
              ? text + " (not applied: " + ENV + "=" + override.get() + " overrides it)"
              : text);
    }

    void apply() {
      if (before != after && override.isEmpty()) {
        set(after);
      }
    }
  }

  /** Sets the level of Takeover's categories. */
  static void set(LogLevel level) {
    Level logback = Level.toLevel(level.name().toUpperCase(Locale.ROOT), Level.INFO);
    for (String category : CATEGORIES) {
      if (LoggerFactory.getLogger(category) instanceof Logger l) {
        l.setLevel(logback);
      }
    }
  }
}
