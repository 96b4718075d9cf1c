package dev.takeover.config;

import java.util.Comparator;
import java.util.Objects;

/**
 * One problem found in a configuration file, located where an editor can jump to it.
 *
 * <p>{@code line} and {@code column} are 1-based. A problem with the file as a whole (it cannot be
 * read) has line and column 0, and prints without them.
 */
public record ConfigError(String source, int line, int column, String message) {

  /** Errors in the order they appear in the file. */
  public static final Comparator<ConfigError> BY_POSITION =
      Comparator.comparing(ConfigError::source)
          .thenComparingInt(ConfigError::line)
          .thenComparingInt(ConfigError::column);

  public ConfigError {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(message, "message");
  }

  /** {@code file:line:column: message}, the form compilers use, so editors can jump to it. */
  @Override
  public String toString() {
    if (line <= 0) {
      return source + ": " + message;
    }
    return source + ":" + line + ":" + column + ": " + message;
  }
}
