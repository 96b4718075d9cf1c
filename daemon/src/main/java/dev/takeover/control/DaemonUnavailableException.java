package dev.takeover.control;

import java.io.IOException;

/** The daemon cannot be reached: not running, a stale socket, or no permission to connect. */
public final class DaemonUnavailableException extends IOException {
  public DaemonUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
