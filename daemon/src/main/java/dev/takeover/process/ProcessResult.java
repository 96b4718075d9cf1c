package dev.takeover.process;

import java.time.Duration;
import java.util.Objects;

/**
 * How one run ended.
 *
 * @param took from just before the start to the exit, including the time spent killing the tree;
 *     zero if the program never started
 * @param output the kept end of the merged stdout and stderr, decoded as UTF-8 (a character cut at
 *     the start becomes U+FFFD); empty if the program never started
 * @param outputDropped bytes written before the kept end and dropped for the output limit
 */
public record ProcessResult(Outcome outcome, Duration took, String output, long outputDropped) {
  public ProcessResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(took, "took");
    Objects.requireNonNull(output, "output");
  }

  public boolean outputTruncated() {
    return outputDropped > 0;
  }

  static ProcessResult notStarted(String reason) {
    return new ProcessResult(new Outcome.NotStarted(reason), Duration.ZERO, "", 0);
  }

  /** Exited, timed out, or never started. */
  public sealed interface Outcome {

    /** The program exited by itself (killed by a signal that did not come from us: 128 + n). */
    record Exited(int code) implements Outcome {}

    /** The program overran its timeout; it and every process it started were terminated. */
    record TimedOut(Duration timeout) implements Outcome {}

    /**
     * The program could not be started.
     *
     * @param reason the program and why, e.g. {@code /usr/local/bin/x: No such file or directory}
     */
    record NotStarted(String reason) implements Outcome {}
  }
}
