package dev.takeover.config;

import java.util.List;
import java.util.Objects;

/** The outcome of loading a configuration: all of it valid, or every problem found in it. */
public sealed interface ConfigResult {

  /**
   * The configuration passed every check.
   *
   * @param warnings things that are allowed but probably not what the operator meant, in file order
   */
  record Valid(TakeoverConfig config, List<ConfigError> warnings) implements ConfigResult {
    public Valid {
      Objects.requireNonNull(config, "config");
      warnings = warnings.stream().sorted(ConfigError.BY_POSITION).toList();
    }
  }

  /**
   * The configuration must not be used.
   *
   * @param errors every problem found, never empty, sorted by line and column
   */
  record Invalid(List<ConfigError> errors) implements ConfigResult {
    public Invalid {
      if (errors.isEmpty()) {
        throw new IllegalArgumentException("an invalid configuration has at least one error");
      }
      errors = errors.stream().sorted(ConfigError.BY_POSITION).toList();
    }
  }
}
