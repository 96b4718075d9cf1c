package dev.takeover.control;

import java.nio.file.Path;
import java.util.List;

/** Constants and the JSON mapper both ends of the control socket share. See docs/CONTROL.md. */
public final class ControlProtocol {
  private ControlProtocol() {}

  /** The socket's name in the daemon's state-dir. */
  public static final String SOCKET_NAME = "control.sock";

  /** Where the daemon listens unless configured otherwise. */
  public static final String DEFAULT_SOCKET_PATH = "/run/takeover/control.sock";

  public static final Path DEFAULT_SOCKET = Path.of(DEFAULT_SOCKET_PATH);

  /**
   * The longest request line the server reads; longer ones get an error and the connection ends.
   */
  public static final int MAX_REQUEST_BYTES = 64 * 1024;

  /** The longest response line the client reads (a status of many groups stays far below it). */
  static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

  public static final int DEFAULT_EVENTS = 20;
  public static final int MAX_EVENTS = 10_000;

  static final String COMMANDS = "status, events, move, maintenance, reload";

  /** An immutable copy that treats null as empty, so records survive JSON with missing lists. */
  static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}
