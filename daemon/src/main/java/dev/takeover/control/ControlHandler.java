package dev.takeover.control;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the control socket asks of the running daemon. The daemon implements it; {@link
 * ControlServer} calls it from its connection threads (never the engine thread), so every method
 * must be safe to call concurrently and should answer from a snapshot rather than block on the
 * engine for long.
 *
 * <p>A request the operator got wrong (unknown group, unknown node) is refused by throwing {@link
 * ControlException}; its message goes back to the client verbatim. Any other exception is reported
 * to the client as an internal error and logged.
 */
public interface ControlHandler {
  /** A snapshot of every group, for {@code takeover status}. */
  StatusView status();

  /** Ask for {@code group} to be master on {@code toNode} (a node name or a peer address). */
  MoveResult move(String group, String toNode);

  /** Drop this node's move adjustment of {@code group} ({@code takeover move GROUP --clear}). */
  default MoveResult clearMove(String group) {
    throw new ControlException("this daemon cannot clear a move");
  }

  /** Enter ({@code on}) or leave maintenance: while on, this node gives up and never takes over. */
  MaintenanceResult maintenance(boolean on);

  /** Re-read the configuration file and apply the difference. */
  ReloadResult reload();

  /**
   * The most recent events, oldest first, at most {@code limit} of them. Each event is a flat,
   * JSON-friendly map; the CLI shows {@code time}, {@code group} and {@code type} first when
   * present. A numeric {@code seq} (increasing) lets {@code events --follow} drop an event it would
   * otherwise show twice, once from this backlog and once from {@link #followEvents}.
   */
  List<Map<String, Object>> events(int limit);

  /**
   * Calls {@code sink} with every event recorded from now on, until the returned handle is closed.
   * The sink never blocks (it only queues), so the daemon may call it from any thread, including
   * the engine thread.
   */
  AutoCloseable followEvents(Consumer<Map<String, Object>> sink);
}
