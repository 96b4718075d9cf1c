package dev.takeover.health;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of one probe.
 *
 * @param ok whether the service answered as expected
 * @param detail a short human-readable reason ("HTTP 200", "connect refused", the script's output)
 * @param took how long the probe ran, at most about its timeout
 */
public record ProbeResult(boolean ok, String detail, Duration took) {

  public ProbeResult {
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(took, "took");
  }

  static ProbeResult pass(String detail, Stopwatch start) {
    return new ProbeResult(true, detail, start.elapsed());
  }

  static ProbeResult fail(String detail, Stopwatch start) {
    return new ProbeResult(false, detail, start.elapsed());
  }

  /** A failure described by an exception: its class and message, without a stack trace. */
  static ProbeResult fail(String what, Throwable cause, Stopwatch start) {
    String message = cause.getMessage();
    String reason = cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    return fail(what + ": " + reason, start);
  }
}
