package dev.takeover.hook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ends a hook and everything it started: SIGTERM to the whole tree, a grace period, then SIGKILL to
 * whatever is left.
 *
 * <p>Implementation notes: the tree is read from the process table by parent pid, so it must be
 * read <em>before</em> the hook dies: once it is gone its children are re-parented and no longer
 * look like its descendants. Survivors are re-read before SIGKILL to catch processes started
 * during the grace period. A grandchild that detached itself (double fork, its parent already
 * exited) before the timeout is beyond reach without a child subreaper; docs/HOOKS.md says so.
 */
final class ProcessTree {
  private ProcessTree() {}

  static void terminate(ProcessHandle root, Duration grace) throws InterruptedException {
    List<ProcessHandle> tree = snapshot(root);
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle p : tree) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        p.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        break;
      }
    }
    Set<ProcessHandle> survivors = new LinkedHashSet<>();
    for (ProcessHandle p : tree) {
      if (p.isAlive()) {
        survivors.add(p);
        p.descendants().forEach(survivors::add);
      }
    }
    survivors.forEach(ProcessHandle::destroyForcibly);
  }

  /** The root and its descendants. */
  private static List<ProcessHandle> snapshot(ProcessHandle root) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(root);
    root.descendants().forEach(tree::add);
    return tree;
  }
}
