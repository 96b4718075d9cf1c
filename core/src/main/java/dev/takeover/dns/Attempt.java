package dev.takeover.dns;

import java.util.Optional;
import java.util.Set;

/**
 * One exchange with one server that the queue asks for: an update (with the RRset it expects to
 * find as its prerequisite) or a read.
 *
 * @param generation which desired state this is for; an answer to an older generation only teaches
 *     what the server holds
 * @param desired for an update, what the RRset should become; empty for a read
 * @param expected what we last saw there (the prerequisite); empty when never seen
 * @param server index into the configured servers, tried in order
 * @param attempt 1 for the first try of this desired state
 */
public record Attempt(
    long generation,
    Optional<Desired> desired,
    Optional<Set<String>> expected,
    int server,
    int attempt) {

  public boolean isRead() {
    return desired.isEmpty();
  }
}
