package dev.takeover.platform;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real-time scheduling for the calling thread. With both CPUs busy, a SCHED_FIFO sender kept advert
 * lateness under 1 ms where normal priority reached 14 ms (PLATFORM-NOTES.md); keepalived offers
 * the same ({@code vrrp_rt_priority}).
 *
 * <p>Always with {@code SCHED_RESET_ON_FORK}: Linux gives a new thread (and a forked process) its
 * creator's policy, and the JVM starts threads lazily from whichever thread needs one. A real-time
 * thread that starts the first virtual thread made the ForkJoinPool carriers, the virtual-thread
 * unparker and dnsjava's selector thread real-time too, and with them every health check, hook
 * runner and DNS exchange, all competing with the engine at its own priority (DECISIONS 42).
 */
public final class ThreadPriority {

  /** The outcome of a request; {@code reason} says why it was not applied, or "applied". */
  public record Result(boolean applied, String reason) {}

  /** SCHED_FIFO, and nothing created by the thread inherits it. */
  private static final int REALTIME = Libc.SCHED_FIFO | Libc.SCHED_RESET_ON_FORK;

  private ThreadPriority() {}

  /**
   * Puts the calling platform thread under SCHED_FIFO with {@code fifoPriority} (1–99). Linux
   * applies {@code sched_setscheduler(0, …)} to the calling thread only, not the whole process.
   *
   * @return whether it was applied, with a readable reason when not (e.g. no CAP_SYS_NICE); never
   *     throws for lack of permission
   */
  public static Result setRealtime(int fifoPriority) {
    if (fifoPriority < 1 || fifoPriority > 99) {
      throw new IllegalArgumentException("SCHED_FIFO priority " + fifoPriority + " not in 1..99");
    }
    if (Thread.currentThread().isVirtual()) {
      return new Result(
          false, "not applied on a virtual thread: it would change its carrier thread instead");
    }
    return result(Libc.schedSetscheduler(REALTIME, fifoPriority), fifoPriority);
  }

  /**
   * Puts the JVM's own thread named {@code name} (as in /proc/self/task/TID/comm, e.g. {@code "VM
   * Thread"}, which runs the serial collector and every safepoint operation) under SCHED_FIFO. A
   * real-time engine thread waits for it at each safepoint: at normal priority on a busy machine
   * that wait is where a pause grows.
   */
  public static Result setRealtime(String jvmThreadName, int fifoPriority) {
    if (fifoPriority < 1 || fifoPriority > 99) {
      throw new IllegalArgumentException("SCHED_FIFO priority " + fifoPriority + " not in 1..99");
    }
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        String comm;
        try {
          comm = Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
          continue; // the thread ended meanwhile
        }
        if (comm.equals(jvmThreadName)) {
          int tid = Integer.parseInt(task.getFileName().toString());
          return result(Libc.schedSetscheduler(tid, REALTIME, fifoPriority), fifoPriority);
        }
      }
    } catch (IOException e) {
      return new Result(false, "cannot list /proc/self/task: " + e.getMessage());
    }
    return new Result(false, "no thread named \"" + jvmThreadName + "\"");
  }

  private static Result result(int errno, int fifoPriority) {
    return switch (errno) {
      case 0 -> new Result(true, "applied");
      case Libc.EPERM ->
          new Result(
              false,
              "sched_setscheduler(SCHED_FIFO, "
                  + fifoPriority
                  + ") not permitted: needs CAP_SYS_NICE or an RLIMIT_RTPRIO of at least "
                  + fifoPriority);
      default ->
          new Result(
              false,
              "sched_setscheduler(SCHED_FIFO): " + Libc.strerror(errno) + " (errno " + errno + ")");
    };
  }
}
