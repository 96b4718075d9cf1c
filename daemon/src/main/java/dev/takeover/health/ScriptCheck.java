package dev.takeover.health;

import dev.takeover.clock.Clock;
import dev.takeover.process.Command;
import dev.takeover.process.Limits;
import dev.takeover.process.ProcessResult;
import dev.takeover.process.ProcessRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Healthy when the program {@code argv} exits 0 within the timeout.
 *
 * <p>The program runs through the {@link ProcessRunner}, as hooks do: without a shell ({@code
 * argv[0]} is looked up on PATH), in {@code /}, with stdin from /dev/null, this process's
 * environment plus {@code env}, and stdout and stderr merged; the last {@value #OUTPUT_TAIL} bytes
 * of that output become the result's detail.
 *
 * <p>On timeout the program and every process it started get SIGTERM, and whatever is left after
 * {@link #KILL_GRACE} gets SIGKILL. A descendant that double-forked away (its parent exited before
 * the timeout) escapes; a health check should not do that.
 */
public record ScriptCheck(List<String> argv, Map<String, String> env, Duration timeout)
    implements HealthCheck {

  /** Bytes of output kept for the detail. */
  public static final int OUTPUT_TAIL = 4096;

  /**
   * From SIGTERM to SIGKILL after a timeout. Shorter than a hook's: a probe must end close to its
   * timeout, because {@link HealthMonitor#close()} waits only a second beyond it.
   */
  public static final Duration KILL_GRACE = Duration.ofMillis(500);

  /** How long to wait for the output pipe to drain after the program ended or was killed. */
  private static final Duration DRAIN = Duration.ofMillis(200);

  public ScriptCheck {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    if (argv.isEmpty() || argv.getFirst().isEmpty()) {
      throw new IllegalArgumentException("a script check needs a program to run");
    }
    HealthCheck.requirePositive(timeout);
  }

  @Override
  public ProbeResult probe(Clock clock) {
    Stopwatch start = Stopwatch.start(clock);
    ProcessResult result;
    try {
      result =
          new ProcessRunner(clock)
              .run(new Command(argv, env), new Limits(timeout, KILL_GRACE, OUTPUT_TAIL, DRAIN));
    } catch (InterruptedException e) {
      // The runner has killed the tree; keep the flag for the monitor's loop.
      Thread.currentThread().interrupt();
      return ProbeResult.fail("interrupted", start);
    }
    return switch (result.outcome()) {
      case ProcessResult.Outcome.Exited(int code) when code == 0 ->
          ProbeResult.pass("exit 0" + outputSuffix(result), start);
      case ProcessResult.Outcome.Exited(int code) ->
          ProbeResult.fail("exit " + code + outputSuffix(result), start);
      case ProcessResult.Outcome.TimedOut t ->
          ProbeResult.fail(
              "killed after " + timeout.toMillis() + " ms" + outputSuffix(result), start);
      case ProcessResult.Outcome.NotStarted(String reason) ->
          ProbeResult.fail("cannot start " + reason, start);
    };
  }

  private static String outputSuffix(ProcessResult result) {
    String text = result.output();
    if (result.outputTruncated()) {
      text = "[..." + result.outputDropped() + " bytes cut]" + text;
    }
    text = text.strip();
    return text.isEmpty() ? "" : ": " + text;
  }

  @Override
  public String target() {
    return "script " + String.join(" ", argv);
  }
}
