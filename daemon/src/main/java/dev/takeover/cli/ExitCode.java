package dev.takeover.cli;

/** The launcher's exit codes, in one place so scripts and tests can rely on them. */
public enum ExitCode {
  OK(0),
  /** The configuration is invalid: nothing was started. */
  INVALID_CONFIG(1),
  /** The command line is wrong (picocli's own code). */
  USAGE(2),
  /**
   * Started, then failed: missing interface, no permission, a socket error; or the daemon refused
   * the request (an unknown group or node, a move it cannot make).
   */
  FAILED(3),
  /**
   * {@code status}: the daemon answered and at least one group is in CONFLICT (an address in use by
   * another host, another router acting as master where only one may).
   */
  CONFLICT(4),
  /**
   * Asked and accepted, but not observed done within the wait: a move that did not happen, or
   * maintenance that is on but could not be saved.
   */
  NOT_DONE(5);

  public final int code;

  ExitCode(int code) {
    this.code = code;
  }
}
