package dev.takeover.control;

/**
 * The answer to {@code takeover move}.
 *
 * @param accepted true when the daemon started the move (it may take an advert interval or two to
 *     finish); false when it cannot (e.g. the target is not a live peer)
 * @param message what happens next or why not, one sentence
 */
public record MoveResult(String group, String toNode, boolean accepted, String message) {}
