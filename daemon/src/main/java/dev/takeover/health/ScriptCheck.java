package dev.takeover.health;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Healthy when the program {@code argv} exits 0 within the timeout.
 *
 * <p>The program runs without a shell ({@code argv[0]} is looked up on PATH), with stdin from
 * /dev/null, this process's environment plus {@code env}, and stdout and stderr merged; the last
 * {@value #OUTPUT_TAIL} bytes of that output become the result's detail.
 *
 * <p>On timeout the program and all its descendants are killed with SIGKILL. The descendants are
 * listed before the program is killed, because once it dies they are re-parented and can no longer
 * be found. A descendant that started its own session and was re-parented before the timeout (a
 * daemonizing double fork) escapes; a health check should not do that.
 */
public record ScriptCheck(List<String> argv, Map<String, String> env, Duration timeout)
    implements HealthCheck {

  /** Bytes of output kept for the detail. */
  public static final int OUTPUT_TAIL = 4096;

  /** How long to wait for the output pipe to drain after the program ended or was killed. */
  private static final Duration DRAIN = Duration.ofMillis(500);

  public ScriptCheck {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    if (argv.isEmpty() || argv.getFirst().isEmpty()) {
      throw new IllegalArgumentException("a script check needs a program to run");
    }
    HealthCheck.requirePositive(timeout);
  }

  @Override
  public ProbeResult probe() {
    long start = System.nanoTime();
    ProcessBuilder builder =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      return ProbeResult.fail("cannot start " + argv.getFirst(), e, start);
    }
    OutputTail tail = new OutputTail(OUTPUT_TAIL);
    Thread reader = Thread.ofVirtual().name("script-output").start(() -> drain(process, tail));
    try {
      boolean exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (!exited) {
        killTree(process);
        reader.join(DRAIN);
        return ProbeResult.fail(
            "killed after " + timeout.toMillis() + " ms" + outputSuffix(tail), start);
      }
      reader.join(DRAIN); // a descendant still holding the pipe must not stall the probe
      int code = process.exitValue();
      String detail = (code == 0 ? "exit 0" : "exit " + code) + outputSuffix(tail);
      return code == 0 ? ProbeResult.pass(detail, start) : ProbeResult.fail(detail, start);
    } catch (InterruptedException e) {
      killTree(process);
      Thread.currentThread().interrupt();
      return ProbeResult.fail("interrupted", start);
    } finally {
      // Closing our end unblocks the reader if a lingering descendant still holds the pipe.
      closeQuietly(process.getInputStream());
    }
  }

  private static void drain(Process process, OutputTail tail) {
    byte[] buffer = new byte[8192];
    try (InputStream in = process.getInputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        tail.write(buffer, 0, n);
      }
    } catch (IOException closed) {
      // the probe is over and closed the pipe; what was read is kept
    }
  }

  /** SIGKILLs the descendants (listed first, while they are still ours) and then the process. */
  private static void killTree(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String outputSuffix(OutputTail tail) {
    String text = tail.text().strip();
    return text.isEmpty() ? "" : ": " + text;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // nothing to do; the process is gone
    }
  }

  @Override
  public String target() {
    return "script " + String.join(" ", argv);
  }
}
