package dev.takeover.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.clock.Clock;
import dev.takeover.process.Leftovers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real programs: no root or namespace needed. */
class ScriptCheckTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path dir;

  // A unique sleep length marks this test's processes among everything running on the machine.
  private final String marker = Leftovers.marker();

  @AfterEach
  void killLeftovers() {
    Leftovers.kill(marker);
  }

  private static ProbeResult sh(String script, Map<String, String> env, Duration timeout) {
    return new ScriptCheck(List.of("/bin/sh", "-c", script), env, timeout).probe(Clock.system());
  }

  @Test
  void exitZeroIsHealthyAndTheOutputIsTheDetail() {
    ProbeResult result = sh("echo all good; echo on stderr too >&2", Map.of(), TIMEOUT);
    assertThat(result.ok()).isTrue();
    assertThat(result.detail()).isEqualTo("exit 0: all good\non stderr too");
  }

  @Test
  void nonZeroExitIsUnhealthy() {
    ProbeResult result = sh("echo disk full; exit 3", Map.of(), TIMEOUT);
    assertThat(result.ok()).isFalse();
    assertThat(result.detail()).isEqualTo("exit 3: disk full");
  }

  @Test
  void runsWithoutAShellSoArgumentsAreNotInterpreted() {
    ProbeResult result =
        new ScriptCheck(List.of("echo", "$HOME", "*", ";", "false"), Map.of(), TIMEOUT)
            .probe(Clock.system());
    assertThat(result.ok()).isTrue();
    assertThat(result.detail()).isEqualTo("exit 0: $HOME * ; false");
  }

  @Test
  void addsTheGivenEnvironment() {
    assertThat(sh("echo \"$GREETING\"", Map.of("GREETING", "hi there"), TIMEOUT).detail())
        .isEqualTo("exit 0: hi there");
  }

  @Test
  void keepsOnlyTheTailOfLongOutput() {
    ProbeResult result =
        sh(
            "i=0; while [ $i -lt 1000 ]; do echo line-$i-padding; i=$((i+1)); done",
            Map.of(),
            TIMEOUT);
    assertThat(result.detail()).contains("bytes cut]").endsWith("line-999-padding");
    assertThat(result.detail().length()).isLessThan(ScriptCheck.OUTPUT_TAIL + 100);
  }

  @Test
  void aMissingProgramFails() {
    ProbeResult result =
        new ScriptCheck(List.of("/nonexistent/health-script"), Map.of(), TIMEOUT)
            .probe(Clock.system());
    assertThat(result.ok()).isFalse();
    assertThat(result.detail())
        .isEqualTo("cannot start /nonexistent/health-script: No such file or directory");
  }

  @Test
  void aProgramThatIsNotExecutableFails() throws IOException {
    Path file = dir.resolve("check.sh");
    Files.writeString(file, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    ProbeResult result =
        new ScriptCheck(List.of(file.toString()), Map.of(), TIMEOUT).probe(Clock.system());
    assertThat(result.ok()).isFalse();
    assertThat(result.detail()).isEqualTo("cannot start " + file + ": Permission denied");
  }

  @Test
  void onTimeoutTheScriptAndItsChildrenAreKilled() {
    Duration timeout = Duration.ofMillis(400);
    ProbeResult result =
        sh(
            "echo starting; sleep " + marker + " & sleep " + marker + "; echo never",
            Map.of(),
            timeout);
    assertThat(result.ok()).isFalse();
    assertThat(result.detail()).isEqualTo("killed after 400 ms: starting");
    assertThat(result.took()).isLessThan(timeout.plusSeconds(1));
    assertThat(Leftovers.awaitNone(marker, Duration.ofSeconds(3)))
        .as("processes left running 'sleep " + marker + "'")
        .isZero();
  }

  @Test
  void onTimeoutAGrandchildInItsOwnSessionIsKilledToo() {
    // sh -> setsid sh (its own session and process group) -> sleep: a long-lived grandchild.
    ProbeResult result =
        sh(
            "setsid /bin/sh -c 'sleep " + marker + " & wait' & wait",
            Map.of(),
            Duration.ofMillis(400));
    assertThat(result.detail()).isEqualTo("killed after 400 ms");
    assertThat(Leftovers.awaitNone(marker, Duration.ofSeconds(3)))
        .as("processes left running 'sleep " + marker + "'")
        .isZero();
  }

  @Test
  void aScriptThatIgnoresSigtermIsKilledAfterTheGrace() {
    // An ignored signal stays ignored across fork and exec: the sleep ignores SIGTERM too.
    Duration timeout = Duration.ofMillis(300);
    ProbeResult result = sh("trap '' TERM; sleep " + marker, Map.of(), timeout);
    assertThat(result.detail()).isEqualTo("killed after 300 ms");
    assertThat(result.took()).isGreaterThanOrEqualTo(timeout.plus(ScriptCheck.KILL_GRACE));
    assertThat(result.took()).isLessThan(timeout.plus(ScriptCheck.KILL_GRACE).plusSeconds(1));
    assertThat(Leftovers.awaitNone(marker, Duration.ofSeconds(3))).isZero();
  }
}
