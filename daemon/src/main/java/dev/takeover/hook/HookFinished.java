package dev.takeover.hook;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * A hook ended, or will never run.
 *
 * @param duration from start to exit, including the time spent killing it; zero if it never ran
 * @param output the last bytes of its merged stdout and stderr, decoded as UTF-8
 * @param outputTruncated whether {@code output} is only the tail of what the hook wrote
 */
public record HookFinished(
    String group,
    HookKind kind,
    String name,
    String eventId,
    HookOutcome outcome,
    Duration duration,
    String output,
    boolean outputTruncated)
    implements HookEvent {

  /** The exit code, if the hook exited by itself. */
  public OptionalInt exitCode() {
    return outcome instanceof HookOutcome.Exited e
        ? OptionalInt.of(e.exitCode())
        : OptionalInt.empty();
  }

  public boolean timedOut() {
    return outcome instanceof HookOutcome.TimedOut;
  }

  public boolean succeeded() {
    return outcome instanceof HookOutcome.Exited(int code) && code == 0;
  }

  static HookFinished notRun(HookKind kind, HookSpec spec, HookContext context, String why) {
    return new HookFinished(
        context.group(),
        kind,
        spec.name(),
        context.eventId(),
        new HookOutcome.NotRun(why),
        Duration.ZERO,
        "",
        false);
  }
}
