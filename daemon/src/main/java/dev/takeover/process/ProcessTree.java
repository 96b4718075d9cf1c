package dev.takeover.process;

import dev.takeover.clock.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Ends a program and everything it started: SIGTERM to the whole tree, a grace period, then SIGKILL
 * to whatever is left.
 *
 * <p>Implementation notes: the tree is read from the process table by parent pid ({@link
 * ProcessHandle#descendants}), so it includes processes that moved into their own process group or
 * session ({@code setsid}), but it must be read <em>before</em> their parents die: an orphan is
 * re-parented and no longer looks like a descendant. So the tree is read before the first signal
 * and re-read from every member still running on each poll of the grace period, which also catches
 * processes started during it; every process ever seen gets SIGTERM once and, if still running at
 * the end, SIGKILL. A grandchild that detached itself (double fork, its parent already exited)
 * before the timeout is beyond reach without a child subreaper; docs/HOOKS.md says so.
 */
final class ProcessTree {
  private static final Duration POLL = Duration.ofMillis(10);

  private ProcessTree() {}

  /**
   * @throws InterruptedException if interrupted during the grace period; the tree is SIGKILLed at
   *     once before this is thrown
   */
  static void terminate(ProcessHandle root, Duration grace, Clock clock)
      throws InterruptedException {
    Set<ProcessHandle> tree = new LinkedHashSet<>();
    Set<ProcessHandle> termed = new LinkedHashSet<>();
    grow(tree, root);
    signalTerm(tree, termed);
    long deadline = clock.nanoTime() + grace.toNanos();
    InterruptedException interrupted = null;
    while (deadline - clock.nanoTime() > 0) {
      for (ProcessHandle p : List.copyOf(tree)) {
        if (running(p)) {
          grow(tree, p);
        }
      }
      signalTerm(tree, termed);
      if (tree.stream().noneMatch(ProcessTree::running)) {
        return;
      }
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        interrupted = e;
        break;
      }
    }
    Set<ProcessHandle> survivors = new LinkedHashSet<>();
    for (ProcessHandle p : tree) {
      if (running(p)) {
        grow(survivors, p);
      }
    }
    survivors.forEach(ProcessHandle::destroyForcibly);
    if (interrupted != null) {
      throw interrupted;
    }
  }

  /** Adds {@code p} and its descendants as the process table shows them now. */
  private static void grow(Set<ProcessHandle> tree, ProcessHandle p) {
    tree.add(p);
    p.descendants().forEach(tree::add);
  }

  private static void signalTerm(Set<ProcessHandle> tree, Set<ProcessHandle> termed) {
    for (ProcessHandle p : tree) {
      if (termed.add(p)) {
        p.destroy();
      }
    }
  }

  /**
   * Alive and not a zombie. An orphaned child is re-parented to init; where init does not reap (a
   * container's PID 1 often does not), it stays a zombie that {@link ProcessHandle#isAlive} still
   * calls alive, and waiting for it would always cost the whole grace period.
   */
  static boolean running(ProcessHandle p) {
    if (!p.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
      // The state follows the command name in parentheses, which may itself contain ") ".
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException e) {
      return false; // gone between the two looks
    }
  }
}
