package dev.takeover.hook;

import java.time.Duration;

/** How a hook ended. */
public sealed interface HookOutcome {

  /** The hook exited by itself (a hook killed by a signal it did not get from us: 128 + signal). */
  record Exited(int exitCode) implements HookOutcome {}

  /** The hook ran longer than its timeout and was terminated together with its children. */
  record TimedOut(Duration timeout) implements HookOutcome {}

  /** The hook never ran: the program could not be started, the queue overflowed, or shutdown. */
  record NotRun(String why) implements HookOutcome {}
}
