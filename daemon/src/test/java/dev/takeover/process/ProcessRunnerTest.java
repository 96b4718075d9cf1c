package dev.takeover.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.takeover.clock.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes ({@code /bin/sh -c}, {@code sleep}); each test kills only what it started. */
class ProcessRunnerTest {
  private static final Duration LONG = Duration.ofSeconds(20);
  private static final Limits LIMITS =
      new Limits(LONG, Duration.ofSeconds(2), 4096, Duration.ofMillis(200));

  @TempDir Path dir;

  private final ProcessRunner runner = new ProcessRunner(Clock.system());
  private final String marker = Leftovers.marker();

  @AfterEach
  void killLeftovers() {
    Leftovers.kill(marker);
  }

  private ProcessResult sh(String script, Limits limits) throws InterruptedException {
    return runner.run(new Command(List.of("/bin/sh", "-c", script), Map.of()), limits);
  }

  private static Limits timeout(Duration timeout, Duration grace) {
    return new Limits(timeout, grace, 4096, Duration.ofMillis(200));
  }

  @Test
  void reportsTheExitCodeAndTheMergedOutput() throws InterruptedException {
    ProcessResult result = sh("echo out; echo err >&2; pwd; cat; exit 3", LIMITS);

    assertThat(result.outcome()).isEqualTo(new ProcessResult.Outcome.Exited(3));
    // stdin is /dev/null (cat ends at once) and the directory is /
    assertThat(result.output()).isEqualTo("out\nerr\n/\n");
    assertThat(result.outputTruncated()).isFalse();
    assertThat(result.took()).isPositive().isLessThan(LONG);
  }

  @Test
  void passesArgumentsWithoutAShellAndAddsTheEnvironment() throws InterruptedException {
    ProcessResult result =
        runner.run(
            new Command(
                List.of(
                    "/bin/sh",
                    "-c",
                    "echo \"$GREETING\"; for a in \"$@\"; do echo \"[$a]\"; done",
                    "sh",
                    "$HOME",
                    "*",
                    "a b"),
                Map.of("GREETING", "hi there")),
            LIMITS);

    assertThat(result.output().lines().toList())
        .containsExactly("hi there", "[$HOME]", "[*]", "[a b]");
  }

  @Test
  void aMissingProgramIsNotStartedWithTheReason() throws InterruptedException {
    String missing = dir.resolve("no-such-program").toString();
    ProcessResult result = runner.run(new Command(List.of(missing), Map.of()), LIMITS);

    assertThat(result.outcome())
        .isEqualTo(new ProcessResult.Outcome.NotStarted(missing + ": No such file or directory"));
    assertThat(result.took()).isZero();
    assertThat(result.output()).isEmpty();
  }

  @Test
  void aProgramThatIsNotExecutableIsNotStartedWithTheReason()
      throws IOException, InterruptedException {
    Path file = dir.resolve("not-executable");
    Files.writeString(file, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    ProcessResult result = runner.run(new Command(List.of(file.toString()), Map.of()), LIMITS);

    assertThat(result.outcome())
        .isEqualTo(new ProcessResult.Outcome.NotStarted(file + ": Permission denied"));
  }

  @Test
  void keepsABoundedTailOfLongOutput() throws InterruptedException {
    Limits small = new Limits(LONG, Duration.ofSeconds(2), 1024, Duration.ofMillis(200));
    ProcessResult result =
        sh("i=0; while [ $i -lt 5000 ]; do echo line-$i-padding; i=$((i+1)); done", small);

    assertThat(result.outputTruncated()).isTrue();
    assertThat(result.output().length()).isLessThanOrEqualTo(1024);
    assertThat(result.output()).endsWith("line-4999-padding\n");
    long written = 0;
    for (int i = 0; i < 5000; i++) {
      written += ("line-" + i + "-padding\n").length();
    }
    assertThat(result.outputDropped()).isEqualTo(written - 1024);
  }

  @Test
  void onTimeoutTheWholeTreeGoesIncludingAGrandchildInItsOwnSession() throws InterruptedException {
    // sh -> setsid sh (a new session and process group) -> sleep, and sh -> sleep.
    String script =
        "setsid /bin/sh -c 'sleep "
            + marker
            + " & wait' &\nsleep "
            + marker
            + " &\necho started; wait";
    ProcessResult result = sh(script, timeout(Duration.ofMillis(400), Duration.ofSeconds(2)));

    assertThat(result.outcome())
        .isEqualTo(new ProcessResult.Outcome.TimedOut(Duration.ofMillis(400)));
    assertThat(result.output()).isEqualTo("started\n");
    // SIGTERM was enough: nobody waited for the grace.
    assertThat(result.took()).isLessThan(Duration.ofMillis(400 + 1500));
    assertThat(Leftovers.awaitNone(marker, Duration.ofSeconds(2)))
        .as("processes left running 'sleep " + marker + "'")
        .isZero();
  }

  @Test
  void aTreeThatIgnoresSigtermIsKilledAfterTheGrace() throws InterruptedException {
    // An ignored signal stays ignored across fork and exec, so the sleeps ignore SIGTERM too.
    String script = "trap '' TERM\nsleep " + marker + " &\nsleep " + marker + "\n";
    ProcessResult result = sh(script, timeout(Duration.ofMillis(300), Duration.ofMillis(400)));

    assertThat(result.outcome()).isInstanceOf(ProcessResult.Outcome.TimedOut.class);
    assertThat(result.took()).isGreaterThanOrEqualTo(Duration.ofMillis(300 + 400));
    assertThat(Leftovers.awaitNone(marker, Duration.ofSeconds(2))).isZero();
  }

  /**
   * Forks as fast as the shell can, through the timeout and the kill, but at most 4,000 times, then
   * spins without forking until killed: an unbounded loop took every pid of the machine (pid_max
   * 32,768) within the test's 600 ms, and whatever else ran then failed to fork or start a thread.
   */
  private String forkLoop() {
    return "i=0\nwhile [ $i -lt 4000 ]; do sleep "
        + marker
        + " & i=$((i+1)); done\nwhile :; do :; done";
  }

  @Test
  void aShellForkingInATightLoopLeavesNothingRunningAfterItsTimeout() throws InterruptedException {
    // The shell ignores SIGTERM and forks through the grace period, so the SIGKILL must also catch
    // the children it forked while the tree was being read.
    String script = "trap '' TERM\n" + forkLoop();
    ProcessResult result = sh(script, timeout(Duration.ofMillis(300), Duration.ofMillis(300)));

    assertThat(result.outcome()).isInstanceOf(ProcessResult.Outcome.TimedOut.class);
    assertThat(Leftovers.awaitNone(marker, Duration.ofSeconds(2)))
        .as("processes left running 'sleep " + marker + "'")
        .isZero();
  }

  @Test
  void aShellForkingInATightLoopLeavesNothingRunningWithoutAGrace() throws InterruptedException {
    String script = forkLoop();
    ProcessResult result = sh(script, timeout(Duration.ofMillis(300), Duration.ZERO));

    assertThat(result.outcome()).isInstanceOf(ProcessResult.Outcome.TimedOut.class);
    assertThat(Leftovers.awaitNone(marker, Duration.ofSeconds(2)))
        .as("processes left running 'sleep " + marker + "'")
        .isZero();
  }

  @Test
  void tellsWhenTheProgramStartedAndEnded() throws InterruptedException {
    List<String> calls = new CopyOnWriteArrayList<>();
    runner.run(
        new Command(List.of("/bin/sh", "-c", "exit 0"), Map.of()),
        LIMITS,
        new ProcessRunner.Progress() {
          @Override
          public void started(long pid) {
            calls.add("started " + (pid > 0));
          }

          @Override
          public void ended() {
            calls.add("ended");
          }
        });

    assertThat(calls).containsExactly("started true", "ended");
  }

  @Test
  void anInterruptKillsTheTreeAtOnceAndIsPassedOn() throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread thread =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    runner.run(
                        new Command(
                            List.of("/bin/sh", "-c", "trap '' TERM; sleep " + marker), Map.of()),
                        LIMITS);
                  } catch (Throwable t) {
                    thrown.set(t);
                  }
                });
    long deadline = System.nanoTime() + LONG.toNanos();
    while (Leftovers.running(marker) == 0 && System.nanoTime() - deadline < 0) {
      Thread.sleep(10);
    }
    thread.interrupt();
    thread.join(LONG);

    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(Leftovers.awaitNone(marker, Duration.ofSeconds(2))).isZero();
  }

  @Test
  void aBrokenProgressCallbackLeavesNothingRunning() {
    assertThatThrownBy(
            () ->
                runner.run(
                    new Command(List.of("/bin/sh", "-c", "sleep " + marker), Map.of()),
                    LIMITS,
                    new ProcessRunner.Progress() {
                      @Override
                      public void started(long pid) {
                        throw new IllegalStateException("listener bug");
                      }
                    }))
        .hasMessage("listener bug");
    assertThat(Leftovers.awaitNone(marker, Duration.ofSeconds(2))).isZero();
  }

  @Test
  void limitsRejectNonsense() {
    assertThatThrownBy(() -> new Limits(Duration.ZERO, Duration.ZERO, 1, Duration.ZERO))
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> new Limits(LONG, Duration.ofSeconds(-1), 1, Duration.ZERO))
        .hasMessageContaining("grace");
    assertThatThrownBy(() -> new Limits(LONG, Duration.ZERO, 0, Duration.ZERO))
        .hasMessageContaining("output");
    assertThatThrownBy(() -> new Command(List.of(), Map.of())).hasMessageContaining("program");
  }
}
