package dev.takeover.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The syslog priority prefix ({@code <3>} error, {@code <4>} warning, {@code <6>} info, {@code <7>}
 * debug) that journald reads off the start of each line of a service's stderr (sd-daemon(3)), so
 * {@code journalctl -p warning} shows what an operator must act on. Empty when stderr is not the
 * journal: systemd sets {@code JOURNAL_STREAM} for a service whose output goes there
 * (systemd.exec(5)). Used as {@code %journalLevel} in the log pattern ({@link LogSetup}).
 *
 * <p>Only the first line of a multi-line entry (a stack trace) carries the prefix; journald gives
 * the rest the unit's default level. Log messages are one line each for that reason.
 */
public final class JournalLevel extends ClassicConverter {
  private final boolean toJournal;

  /** As logback creates it: prefixes only when {@code JOURNAL_STREAM} is set. */
  public JournalLevel() {
    this(System.getenv("JOURNAL_STREAM") != null);
  }

  JournalLevel(boolean toJournal) {
    this.toJournal = toJournal;
  }

  @Override
  public String convert(ILoggingEvent event) {
    return toJournal ? prefix(event.getLevel()) : "";
  }

  /** RFC 5424 severities: 3 error, 4 warning, 6 informational, 7 debug. */
  static String prefix(Level level) {
    return switch (level.toInt()) {
      case Level.ERROR_INT -> "<3>";
      case Level.WARN_INT -> "<4>";
      case Level.INFO_INT -> "<6>";
      default -> "<7>"; // DEBUG, TRACE
    };
  }
}
