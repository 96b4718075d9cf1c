package dev.takeover.dns;

import java.util.Set;

/** What the queue learned from an answer that is worth a journal event and a log line. */
public sealed interface Note {

  /** The server confirmed the desired state; {@code repaired}: it had drifted and was put back. */
  record Confirmed(Desired desired, int attempts, boolean repaired, Set<String> found)
      implements Note {}

  /**
   * A prerequisite failed: the server held {@code found}. {@code overwriting}: the policy is to
   * write anyway (as master), with {@code found} as the new prerequisite; else it is left alone.
   */
  record Conflict(Desired desired, Set<String> found, boolean overwriting) implements Note {}

  /** An attempt failed; the next one goes to server {@code nextServer} in {@code delayNanos}. */
  record Retry(String error, int attempt, long delayNanos, int nextServer, boolean read)
      implements Note {}

  /** A periodic read found the RRset changed behind our back while we hold it. */
  record Drift(Desired desired, Set<String> found) implements Note {}
}
