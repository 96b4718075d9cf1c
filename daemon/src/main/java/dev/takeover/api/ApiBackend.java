package dev.takeover.api;

import dev.takeover.config.TakeoverConfig;
import dev.takeover.control.ControlHandler;
import java.nio.file.Path;

/**
 * What the HTTP API needs of the daemon. Every read or change of group state goes through {@link
 * #control()}, the same handler the Unix control socket calls, which runs it as a task on the
 * engine thread: the API never touches group state itself.
 */
public interface ApiBackend {
  /** The control socket's handler: status, move, maintenance, reload, events. */
  ControlHandler control();

  /** The configuration in effect (after the last reload). */
  TakeoverConfig config();

  /** Where the journal is, for paging and for resuming an event stream. */
  Path stateDir();

  /** Whether this node is in maintenance (engine thread snapshot). */
  boolean maintenance();
}
