package dev.takeover.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Runs real programs: no root or namespace needed. */
class ScriptCheckTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static ProbeResult sh(String script, Map<String, String> env, Duration timeout) {
    return new ScriptCheck(List.of("/bin/sh", "-c", script), env, timeout).probe();
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
        new ScriptCheck(List.of("echo", "$HOME", "*", ";", "false"), Map.of(), TIMEOUT).probe();
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
    ProbeResult result = sh("i=0; while [ $i -lt 1000 ]; do echo line-$i-padding; i=$((i+1)); done", Map.of(), TIMEOUT);
    assertThat(result.detail()).contains("bytes cut]").endsWith("line-999-padding");
    assertThat(result.detail().length()).isLessThan(ScriptCheck.OUTPUT_TAIL + 100);
  }

  @Test
  void aMissingProgramFails() {
    ProbeResult result =
        new ScriptCheck(List.of("/nonexistent/health-script"), Map.of(), TIMEOUT).probe();
    assertThat(result.ok()).isFalse();
    assertThat(result.detail()).startsWith("cannot start /nonexistent/health-script");
  }

  @Test
  void onTimeoutTheScriptAndItsChildrenAreKilled() {
    // A unique sleep length marks this test's processes among everything running on the machine.
    String marker = "77." + ThreadLocalRandom.current().nextInt(100_000, 999_999);
    Duration timeout = Duration.ofMillis(400);
    ProbeResult result =
        sh("echo starting; sleep " + marker + " & sleep " + marker + "; echo never", Map.of(), timeout);
    assertThat(result.ok()).isFalse();
    assertThat(result.detail()).isEqualTo("killed after 400 ms: starting");
    assertThat(result.took()).isLessThan(timeout.plusSeconds(1));
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (running(marker) > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
    assertThat(running(marker)).as("processes left running 'sleep " + marker + "'").isZero();
  }

  private static long running(String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("sleep " + marker))
        .count();
  }
}
