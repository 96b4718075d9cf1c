package dev.takeover.control;

/**
 * The answer to {@code takeover maintenance on|off}.
 *
 * @param on the maintenance state now
 * @param changed false when the node already was in that state
 * @param message what the daemon did (e.g. "released 2 group(s) to their backups")
 */
public record MaintenanceResult(boolean on, boolean changed, String message) {}
