package dev.takeover.process;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Finds processes a test started by a unique {@code sleep} length, so that a test can prove that
 * nothing it started is left running without looking at anyone else's processes.
 */
public final class Leftovers {
  private Leftovers() {}

  /** A sleep length no other process on the machine is likely to use: {@code 77.123456}. */
  public static String marker() {
    return "77." + ThreadLocalRandom.current().nextInt(100_000, 999_999);
  }

  /** Running (not zombie) processes whose command line contains {@code sleep <marker>}. */
  public static long running(String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("sleep " + marker))
        .filter(ProcessTree::running)
        .count();
  }

  /** Waits up to {@code limit} for the marked processes to be gone; returns how many are left. */
  public static long awaitNone(String marker, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (running(marker) > 0 && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
    return running(marker);
  }

  /** Kills what a failed test left behind, so one failure does not leak into the next tests. */
  public static void kill(String marker) {
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("sleep " + marker))
        .forEach(ProcessHandle::destroyForcibly);
  }
}
