package dev.takeover.control;

/**
 * A request the daemon refuses for a reason the operator can fix (unknown group, unknown node). The
 * message is sent to the client as is, so it should read as a sentence about the request.
 */
public final class ControlException extends RuntimeException {
  public ControlException(String message) {
    super(message);
  }
}
