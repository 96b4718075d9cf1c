package dev.takeover.daemon;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way out when a thread that failover depends on dies (the engine, which also reads adverts and
 * netlink, the journal writer, the control socket's accept loop): the process exits with status
 * {@value #EXIT_STATUS} at once, so that systemd restarts it, instead of running on with the
 * addresses frozen and no adverts (issue 9: after an OutOfMemoryError the old fatal path's own
 * {@code log.error} failed, and the process never exited).
 *
 * <p>It is installed as those threads' uncaught-exception handler and called from their {@code
 * catch (Throwable)} paths.
 *
 * <p>Implementation notes: nothing before the halt depends on allocating.
 *
 * <ul>
 *   <li>The first caller wins an {@link AtomicBoolean}; a second dying thread returns (the halt is
 *       on its way).
 *   <li>It wakes a watchdog thread started at {@link #install}, parked until then, which halts the
 *       process {@value #GRACE_MILLIS} ms later whatever the dying thread is doing: a blocked
 *       stderr (a full pipe to journald) or a logger stuck on a lock cannot keep the process alive.
 *   <li>The one-line message is composed into a byte array made at start-up from constant byte
 *       arrays, the thread's name and the error's class name and message (each of the last three
 *       skipped if reading it fails), and written to fd 2 through a {@link FileOutputStream} opened
 *       at start-up (its native write needs no Java heap for a short buffer).
 *   <li>Only then the stack trace goes to the log, inside {@code try/catch (Throwable)}: an
 *       OutOfMemoryError in the logger ends the attempt, not the exit.
 *   <li>{@link Runtime#halt}: no shutdown hooks, no finalisation, nothing of ours that could wait.
 *       HotSpot itself waits up to 300 ms for threads in native code (a thread in {@code ppoll})
 *       before it exits, so the process is gone about 0.3 s after the message (FatalIT measures
 *       it). The addresses this node held stay on the interface until the restarted daemon removes
 *       them as leftovers of a killed run; the backup takes over after Master_Down_Interval as for
 *       a crash.
 * </ul>
 */
public final class Fatal implements Thread.UncaughtExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger("takeover");

  /** {@code ExitCode.FAILED}, and what {@code -XX:+ExitOnOutOfMemoryError} exits with. */
  public static final int EXIT_STATUS = 3;

  /** How long the log may take after the stderr line before the watchdog halts anyway. */
  static final long GRACE_MILLIS = 200;

  private static final int CAPACITY = 1024;
  private static final byte[] PREFIX = ascii("takeover: fatal: thread ");
  private static final byte[] DIED = ascii(" died of ");
  private static final byte[] COLON = ascii(": ");
  private static final byte[] ELLIPSIS = ascii("...");
  private static final byte[] SUFFIX =
      ascii("; exiting with status " + EXIT_STATUS + " so that the service manager restarts it\n");
  // Room kept for the suffix, so the line always ends with it.
  private static final int TEXT_LIMIT = CAPACITY - SUFFIX.length - ELLIPSIS.length;

  /** Ends the process; {@link Runtime#halt} in production. */
  interface Halt {
    void halt(int status);
  }

  /** Logs the error with its stack trace; may fail in any way. */
  interface Report {
    void report(Thread thread, Throwable error);
  }

  private final OutputStream stderr;
  private final Halt halt;
  private final Report report;
  private final byte[] line = new byte[CAPACITY];
  private int length;
  private final AtomicBoolean dying = new AtomicBoolean();
  private final Thread watchdog;

  Fatal(OutputStream stderr, Halt halt, Report report) {
    this.stderr = stderr;
    this.halt = halt;
    this.report = report;
    this.watchdog =
        Thread.ofPlatform().name("takeover-fatal-watchdog").daemon().unstarted(this::watch);
  }

  /**
   * The process's handler: writes to fd 2, logs through SLF4J, halts. Call once at start-up, so
   * that every class and lambda on the fatal path is loaded and linked before it is needed.
   */
  public static Fatal install() {
    Runtime runtime = Runtime.getRuntime();
    Fatal fatal =
        new Fatal(
            new FileOutputStream(FileDescriptor.err),
            runtime::halt,
            (thread, error) ->
                log.error(
                    "thread {} died; exiting with status {} so that the service manager restarts"
                        + " it",
                    thread.getName(),
                    EXIT_STATUS,
                    error));
    fatal.start();
    return fatal;
  }

  void start() {
    // Warm the path: compose once (discarded), so its code is linked before memory runs out, and
    // have the JVM cache the names of the errors most likely to end a thread.
    compose(Thread.currentThread(), new Error("warm-up"));
    length = 0;
    for (Class<?> likely :
        List.of(OutOfMemoryError.class, StackOverflowError.class, InternalError.class)) {
      var _ = likely.getName();
    }
    watchdog.start();
  }

  @Override
  public void uncaughtException(Thread thread, Throwable error) {
    die(thread, error);
  }

  /** Ends the process because {@code thread} is dying of {@code error}. Returns only in tests. */
  public void die(Thread thread, Throwable error) {
    if (!dying.compareAndSet(false, true)) {
      return; // another thread is already ending the process
    }
    LockSupport.unpark(watchdog);
    try {
      compose(thread, error);
      stderr.write(line, 0, length);
      stderr.flush();
    } catch (Throwable ignored) {
      // Best effort: the halt below matters more than the message.
    }
    try {
      report.report(thread, error);
    } catch (Throwable ignored) {
      // An OutOfMemoryError or a broken logger: the stderr line is already out.
    }
    halt.halt(EXIT_STATUS);
  }

  /** The message as the last {@link #die} composed it (tests). */
  String message() {
    return new String(line, 0, length, StandardCharsets.UTF_8);
  }

  private void watch() {
    while (!dying.get()) {
      LockSupport.park(this);
    }
    try {
      Thread.sleep(GRACE_MILLIS);
    } catch (InterruptedException e) {
      // Halt now rather than later.
    }
    halt.halt(EXIT_STATUS);
  }

  private void compose(Thread thread, Throwable error) {
    length = 0;
    append(PREFIX);
    try {
      appendText(thread.getName());
    } catch (Throwable ignored) {
      append(ELLIPSIS);
    }
    append(DIED);
    try {
      appendText(error.getClass().getName()); // cached by the JVM after the first call
    } catch (Throwable ignored) {
      append(ELLIPSIS);
    }
    try {
      String message = error.getMessage(); // may be computed, and fail
      if (message != null) {
        append(COLON);
        appendText(message);
      }
    } catch (Throwable ignored) {
      append(ELLIPSIS);
    }
    append(SUFFIX);
  }

  private void append(byte[] bytes) {
    int n = Math.min(bytes.length, CAPACITY - length);
    System.arraycopy(bytes, 0, line, length, n);
    length += n;
  }

  /** ASCII as is; anything else (and line breaks) as '?': one line, no encoder needed. */
  private void appendText(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (length >= TEXT_LIMIT) {
        append(ELLIPSIS);
        return;
      }
      char c = text.charAt(i);
      line[length++] = c >= 0x20 && c < 0x7f ? (byte) c : (byte) '?';
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
