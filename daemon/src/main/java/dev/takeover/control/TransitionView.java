package dev.takeover.control;

/**
 * One state change of a group.
 *
 * @param time when it happened, ISO-8601 in UTC (e.g. "2025-03-01T12:00:03.120Z")
 * @param reason why, as the transition log line says it (e.g. "master down timer expired")
 */
public record TransitionView(String time, String from, String to, String reason) {}
