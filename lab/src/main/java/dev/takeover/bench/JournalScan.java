package dev.takeover.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what the bench needs from a takeover journal ({@code <stateDir>/journal.jsonl}, see
 * docs/JOURNAL.md): state changes and transition timelines. Lenient like every journal reader must
 * be: lines that do not parse, unknown types and unknown fields are skipped.
 */
public final class JournalScan {
  public static final String STATE_CHANGED = "state.changed";
  public static final String TRANSITION_TIMELINE = "transition.timeline";
  public static final String ROUTE_CHANGED = "route.changed";
  private static final ObjectMapper JSON = new ObjectMapper();

  private JournalScan() {}

  /** A {@code state.changed} event. */
  public record StateChange(
      long monotonicNanos, String group, String from, String to, String reason) {}

  /**
   * A {@code transition.timeline} event: the fields are microseconds relative to the moment the
   * transition was due (the master-down timer's deadline, or the arrival of its cause).
   */
  public record Timeline(
      long monotonicNanos, String group, String to, String reason, JsonNode fields) {
    /** An integer field in microseconds, or null when absent or null. */
    public Long micros(String name) {
      JsonNode v = fields.get(name);
      return v == null || !v.isNumber() ? null : v.asLong();
    }

    /** Master-down timer expiry (or cause) to the first gratuitous ARP / NA on the socket. */
    public Long firstAnnouncementUs() {
      return micros("firstAnnouncementUs");
    }
  }

  /** Lines of {@code <stateDir>/journal.jsonl}, or none if it does not exist (yet). */
  public static List<String> readLines(Path journal) {
    try {
      return Files.exists(journal) ? Files.readAllLines(journal) : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Every event of {@code type} at or after {@code sinceNanos} (the daemons' monotonic clock). */
  public static List<JsonNode> events(List<String> lines, String type, long sinceNanos) {
    List<JsonNode> found = new ArrayList<>();
    for (String line : lines) {
      if (line.isBlank() || !line.contains(type)) {
        continue;
      }
      JsonNode event;
      try {
        event = JSON.readTree(line);
      } catch (IOException e) {
        continue; // a torn line from a crash
      }
      if (event != null
          && type.equals(event.path("type").asText())
          && event.path("monotonicNanos").asLong(Long.MIN_VALUE) - sinceNanos >= 0) {
        found.add(event);
      }
    }
    return found;
  }

  public static List<StateChange> stateChanges(List<String> lines, long sinceNanos) {
    return events(lines, STATE_CHANGED, sinceNanos).stream()
        .map(
            e ->
                new StateChange(
                    e.path("monotonicNanos").asLong(),
                    e.path("group").asText(null),
                    e.path("fields").path("from").asText(null),
                    e.path("fields").path("to").asText(null),
                    e.path("fields").path("reason").asText(null)))
        .toList();
  }

  public static List<Timeline> timelines(List<String> lines, long sinceNanos) {
    return events(lines, TRANSITION_TIMELINE, sinceNanos).stream()
        .map(
            e ->
                new Timeline(
                    e.path("monotonicNanos").asLong(),
                    e.path("group").asText(null),
                    e.path("fields").path("to").asText(null),
                    e.path("fields").path("reason").asText(null),
                    e.path("fields")))
        .toList();
  }
}
