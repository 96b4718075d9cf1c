package dev.takeover.process;

import dev.takeover.clock.Clock;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one operator program to its end, bounded in time and memory: the one place where hooks and
 * script checks start, wait for and kill processes.
 *
 * <p>Every program runs without a shell, in {@code /}, with stdin from /dev/null, the daemon's
 * environment plus the command's, and stdout and stderr merged into one pipe whose last bytes are
 * kept, as the leader of its own session and process group (through setsid(1)). On timeout the
 * group and every process the program started get SIGTERM, then after the kill grace SIGKILL
 * ({@link ProcessTree}).
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li>{@link #run} blocks its thread: callers use virtual threads, which {@code Process.waitFor}
 *       parks cheaply.
 *   <li>A reader thread copies the pipe into an {@link OutputTail}. It is never stopped by closing
 *       the pipe: a background process that the program left behind (starting a daemon from a hook
 *       is legitimate) would die of SIGPIPE on its next write. The reader ends when the last writer
 *       closes the pipe; the result takes what was read within the drain time.
 *   <li>The clock measures {@code took} and the kill grace; the timeout itself is waited for by
 *       {@code Process.waitFor}.
 * </ul>
 */
public final class ProcessRunner {
  private static final File DEV_NULL = new File("/dev/null");

  /**
   * util-linux's setsid(1) (Essential on Debian): started through it, the program execs in place
   * (same pid) as the leader of a new session and process group, so a timeout can signal the whole
   * group at once. Without it, as on a system lacking it, only the tree walk remains.
   */
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private static final File ROOT_DIR = new File("/");

  /** How long to wait for the killed program to be reaped; SIGKILL cannot be ignored. */
  private static final Duration REAP = Duration.ofSeconds(1);

  /**
   * The operating system's words in the JDK's message: {@code ... Exec failed, error: 2 (No such
   * file or directory)} (JDK 25, posix_spawn) or {@code ... error=2, No such file or directory}.
   */
  private static final Pattern ERRNO_TEXT =
      Pattern.compile("error(?:=\\d+, |: \\d+ \\()([^)]+)\\)?\\s*$");

  /** Told of a run's progress, on the thread that called {@link #run}. */
  public interface Progress {
    Progress NONE = new Progress() {};

    /** The program is running as {@code pid}. */
    default void started(long pid) {}

    /** The program exited or was killed; its output may still be draining. */
    default void ended() {}
  }

  private final Clock clock;

  public ProcessRunner(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** As {@link #run(Command, Limits, Progress)} without progress callbacks. */
  public ProcessResult run(Command command, Limits limits) throws InterruptedException {
    return run(command, limits, Progress.NONE);
  }

  /**
   * Starts {@code command}, waits for it to exit or kills it at its timeout, and returns how it
   * ended. Never throws for anything the program does.
   *
   * @throws InterruptedException if this thread is interrupted while waiting; the whole tree is
   *     killed at once (no grace) before this is thrown, so nothing is left running; the same for a
   *     {@link RuntimeException} from {@code progress}
   */
  public ProcessResult run(Command command, Limits limits, Progress progress)
      throws InterruptedException {
    List<String> argv = command.argv();
    boolean ownGroup = Files.isExecutable(SETSID);
    if (ownGroup) {
      // setsid(1) then fails for it, with exit 1: say it as the JDK would, as "not started".
      Optional<String> unlaunchable = unlaunchable(command);
      if (unlaunchable.isPresent()) {
        return ProcessResult.notStarted(command.program() + ": " + unlaunchable.get());
      }
      argv = new ArrayList<>(List.of(SETSID.toString(), "--"));
      argv.addAll(command.argv());
    }
    ProcessBuilder builder =
        new ProcessBuilder(argv)
            .directory(ROOT_DIR)
            .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
            .redirectErrorStream(true);
    builder.environment().putAll(command.env());

    long startedNanos = clock.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      return ProcessResult.notStarted(command.program() + ": " + why(e));
    }
    OutputTail output = new OutputTail(limits.outputLimitBytes());
    Thread reader =
        Thread.ofVirtual()
            .name("takeover-process-output-" + process.pid())
            .start(() -> output.readFrom(process.getInputStream()));

    ProcessResult.Outcome outcome;
    try {
      progress.started(process.pid());
      if (process.waitFor(limits.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
        outcome = new ProcessResult.Outcome.Exited(process.exitValue());
      } else {
        ProcessTree.terminate(process.toHandle(), ownGroup, limits.killGrace(), clock);
        process.waitFor(REAP.toNanos(), TimeUnit.NANOSECONDS);
        outcome = new ProcessResult.Outcome.TimedOut(limits.timeout());
      }
    } catch (InterruptedException | RuntimeException e) {
      // Our caller is shutting down, or its progress callback broke: leave nothing running.
      ProcessTree.terminate(process.toHandle(), ownGroup, Duration.ZERO, clock);
      throw e;
    }
    Duration took = Duration.ofNanos(clock.nanoTime() - startedNanos);
    progress.ended();
    reader.join(limits.outputDrain());
    return new ProcessResult(outcome, took, output.text(), output.dropped());
  }

  /**
   * Why {@code command}'s program cannot be executed (as {@code execvp} would find it: a path with
   * a slash as is, else the first executable file of that name on the PATH), or empty if it can.
   */
  static Optional<String> unlaunchable(Command command) {
    String program = command.program();
    if (program.contains("/")) {
      Path path = Path.of(program);
      if (!Files.exists(path)) {
        return Optional.of("No such file or directory");
      }
      return Files.isRegularFile(path) && Files.isExecutable(path)
          ? Optional.empty()
          : Optional.of("Permission denied");
    }
    String path = command.env().getOrDefault("PATH", System.getenv("PATH"));
    for (String dir : (path == null ? "/usr/bin:/bin" : path).split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.empty();
      }
    }
    return Optional.of("No such file or directory");
  }

  /** The operating system's words for why a start failed, without the JDK's wrapping. */
  private static String why(Exception e) {
    String message = e.getMessage();
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    Matcher m = ERRNO_TEXT.matcher(message);
    return m.find() ? m.group(1).strip() : message;
  }
}
