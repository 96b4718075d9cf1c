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

  /**
   * The override, if set and not blank: the Java system property {@value #ENV} first, then the
   * environment variable. The property wins as it did when logback.xml resolved {@code
   * ${TAKEOVER_LOG_LEVEL}} (logback looks at system properties before the environment), so a
   * launcher option {@code -DTAKEOVER_LOG_LEVEL=info} quiets a daemon started from a shell or test
   * that exports DEBUG (a flood test relies on it: a DEBUG line per flood packet slows the backup
   * enough to miss the master's adverts).
   */
  static Optional<String> override() {
    return override(System.getProperty(ENV), System.getenv(ENV));
  }

  static Optional<String> override(String property, String environment) {
    for (String value : new String[] {property, environment}) {
      if (value != null && !value.isBlank()) {
        return Optional.of(value.strip());
      }
    }
    return Optional.empty();
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
