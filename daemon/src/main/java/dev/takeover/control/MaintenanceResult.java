package dev.takeover.control;

/**
 * The answer to {@code takeover maintenance on|off}.
 *
 * @param on the maintenance state now
 * @param changed false when the node already was in that state
 * @param message what the daemon did, and what each group does now
 * @param saved true when the state file in the state directory records it, so it survives a
 *     restart; false when writing it failed (the message says why)
 */
public record MaintenanceResult(boolean on, boolean changed, String message, boolean saved) {
  /** Saved (from a daemon that did not say, or in tests). */
  public MaintenanceResult(boolean on, boolean changed, String message) {
    this(on, changed, message, true);
  }
}
