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

  static ProbeResult pass(String detail, long startNanos) {
    return new ProbeResult(true, detail, since(startNanos));
  }

  static ProbeResult fail(String detail, long startNanos) {
    return new ProbeResult(false, detail, since(startNanos));
  }

  /** A failure described by an exception: its class and message, without a stack trace. */
  static ProbeResult fail(String what, Throwable cause, long startNanos) {
    String message = cause.getMessage();
    String reason = cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    return fail(what + ": " + reason, startNanos);
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
