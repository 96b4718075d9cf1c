package dev.takeover.lab;

/**
 * A lab operation failed: a command exited non-zero, timed out, or the topology is not as expected.
 */
public final class LabException extends RuntimeException {
  public LabException(String message) {
    super(message);
  }

  public LabException(String message, Throwable cause) {
    super(message, cause);
  }
}
