package dev.takeover.journal;

import java.nio.file.Path;
import java.util.List;

/**
 * Events read from the journal files, and the lines that were not events.
 *
 * @param events oldest first
 * @param skipped lines that did not parse: after a crash the last line of a file can be torn
 */
public record ReadResult(List<JournalEvent> events, List<SkippedLine> skipped) {

  public ReadResult {
    events = List.copyOf(events);
    skipped = List.copyOf(skipped);
  }

  /**
   * A line that is not an event.
   *
   * @param line 1-based line number in {@code file}, or 0 when not known (while following)
   */
  public record SkippedLine(Path file, long line, String reason) {
    @Override
    public String toString() {
      return file + (line > 0 ? ":" + line : "") + ": " + reason;
    }
  }
}
