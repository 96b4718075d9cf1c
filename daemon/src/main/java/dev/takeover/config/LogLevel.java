package dev.takeover.config;

import java.util.Locale;
import java.util.Optional;

/** The daemon's {@code log-level}: how much the {@code takeover} log categories say. */
public enum LogLevel {
  ERROR,
  WARN,
  INFO,
  DEBUG,
  TRACE;

  /** How the file writes it: {@code info}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The level a file value names, exactly as the file writes it ({@code debug}). */
  public static Optional<LogLevel> ofConfigName(String text) {
    for (LogLevel level : values()) {
      if (level.configName().equals(text)) {
        return Optional.of(level);
      }
    }
    return Optional.empty();
  }
}
