package dev.takeover.hook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Ends a hook and everything it started: SIGTERM to the whole tree, a grace period, then SIGKILL to
 * whatever is left.
 *
 * <p>Implementation notes: the tree is read from the process table by parent pid, so it must be
 * read <em>before</em> the hook dies: once it is gone its children are re-parented and no longer
 * look like its descendants. Survivors are re-read before SIGKILL to catch processes started during
 * the grace period. A grandchild that detached itself (double fork, its parent already exited)
 * before the timeout is beyond reach without a child subreaper; docs/HOOKS.md says so.
 */
final class ProcessTree {
  private static final Duration POLL = Duration.ofMillis(10);

  private ProcessTree() {}

  static void terminate(ProcessHandle root, Duration grace) throws InterruptedException {
    List<ProcessHandle> tree = snapshot(root);
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    while (tree.stream().anyMatch(ProcessTree::running) && deadline - System.nanoTime() > 0) {
      Thread.sleep(POLL);
    }
    Set<ProcessHandle> survivors = new LinkedHashSet<>();
    for (ProcessHandle p : tree) {
      if (running(p)) {
        survivors.add(p);
        p.descendants().forEach(survivors::add);
      }
    }
    survivors.forEach(ProcessHandle::destroyForcibly);
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

  /** The root and its descendants. */
  private static List<ProcessHandle> snapshot(ProcessHandle root) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(root);
    root.descendants().forEach(tree::add);
    return tree;
  }
}
