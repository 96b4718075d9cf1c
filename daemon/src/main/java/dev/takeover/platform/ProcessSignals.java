package dev.takeover.platform;

/**
 * Sends signals by pid, including the ones {@link ProcessHandle} cannot send: it offers SIGTERM and
 * SIGKILL only, and killing a process tree without races needs SIGSTOP and SIGCONT as well.
 */
public final class ProcessSignals {
  // Signal numbers on Linux x86_64 and aarch64 (asm-generic/signal.h).
  public static final int SIGHUP = 1;
  public static final int SIGKILL = 9;
  public static final int SIGTERM = 15;
  public static final int SIGCONT = 18;
  public static final int SIGSTOP = 19;

  private ProcessSignals() {}

  /**
   * Sends {@code signal} to process {@code pid} with {@code kill(2)}.
   *
   * @return true if it was sent; false if there is no such process (it ended: for a caller killing
   *     a tree that is no failure) or it is not ours to signal (a set-user-ID program run as
   *     another user), which {@link ProcessHandle#destroy} reports the same way
   * @throws NativeException for any other error (an invalid signal number)
   * @throws IllegalArgumentException for a pid that names a group or every process: {@code kill(2)}
   *     gives 0 and negative pids that meaning, and this method must never signal more than one
   */
  public static boolean send(long pid, int signal) {
    if (pid <= 0 || pid > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("not a single process: pid " + pid);
    }
    return kill((int) pid, signal);
  }

  /**
   * Sends {@code signal} to every process of process group {@code pgid} ({@code kill(-pgid)}). The
   * kernel delivers it to the whole group at once, and a fork racing with it is restarted, so no
   * child forked meanwhile escapes (unlike signalling a tree walked from /proc).
   *
   * @return true if it was sent; false if the group has no member left or none is ours to signal
   */
  public static boolean sendGroup(long pgid, int signal) {
    if (pgid <= 1 || pgid > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("not a process group: " + pgid);
    }
    return kill((int) -pgid, signal);
  }

  /**
   * Takes back a signal this process inherited as ignored, e.g. SIGHUP from {@code nohup} or a
   * shell that ran it in the background: the JVM keeps an ignored signal ignored when a handler is
   * registered for it (its handler is stored but never called), so a daemon started that way would
   * silently never reload on SIGHUP. Call it before registering the handler.
   *
   * @return true if the signal was ignored and is now at its default
   */
  public static boolean takeBackIgnored(int signal) {
    if (!Libc.signalIgnored(signal)) {
      return false;
    }
    Libc.signalDefault(signal);
    return true;
  }

  /** {@code kill(2)}: true if sent, false for no such process or not ours to signal. */
  private static boolean kill(int target, int signal) {
    int errno = Libc.kill(target, signal);
    return switch (errno) {
      case 0 -> true;
      case Libc.ESRCH, Libc.EPERM -> false;
      default -> throw Libc.failure("kill(" + target + ", " + signal + ")", errno);
    };
  }
}
