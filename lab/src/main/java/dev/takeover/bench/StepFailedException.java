package dev.takeover.bench;

/** One measured step did not reach its steady state in time: that sample fails, the run goes on. */
final class StepFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StepFailedException(String message) {
    super(message);
  }

  StepFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
