package dev.takeover.health;

import dev.takeover.clock.Clock;
import java.time.Duration;

/**
 * One kind of probe of a service. Each implementation is an immutable description of what to probe;
 * {@link #probe} does one attempt and returns within about {@link #timeout()}.
 *
 * <p>Implementations never throw from {@code probe}: every failure, including an unexpected runtime
 * exception and an interrupt, is a failed {@link ProbeResult}. A probe keeps no state from one call
 * to the next (a fresh connection every time), so a half-dead server cannot hide behind a
 * kept-alive connection.
 */
public sealed interface HealthCheck permits TcpCheck, HttpCheck, DnsCheck, DhcpCheck, ScriptCheck {

  /**
   * Does one probe, blocking the calling thread (a virtual thread is fine) until done.
   *
   * @param clock times the probe ({@link ProbeResult#took()}) and any deadline within it
   */
  ProbeResult probe(Clock clock);

  /**
   * The longest one probe takes, give or take cleanup: a few milliseconds, or for a script whose
   * processes ignore SIGTERM, {@link ScriptCheck#KILL_GRACE} more.
   */
  Duration timeout();

  /** What is probed, for logs: {@code tcp 198.18.0.2:80}. */
  String target();

  /** Rejects a timeout that is not positive. */
  static Duration requirePositive(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    return timeout;
  }
}
