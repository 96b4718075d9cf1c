package dev.takeover.process;

import dev.takeover.clock.Clock;
import dev.takeover.platform.ProcessSignals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ends a program and everything it started: SIGTERM to the whole tree, a grace period, then SIGKILL
 * to whatever is left.
 *
 * <p>Implementation notes: the tree is read from the process table by parent pid, so it includes
 * processes that moved into their own process group or session ({@code setsid}), but it must be
 * read <em>before</em> their parents die: an orphan is re-parented and no longer looks like a
 * descendant. Reading it and then signalling it races with the tree itself: a process that forks
 * after the read and then dies of the signal leaves a child nobody saw. So the tree is frozen
 * before every signal: each member gets SIGSTOP, then the process table is read again and every new
 * child of a member gets SIGSTOP too, until a read finds nothing new. A stopped process cannot
 * fork, exit or reap its children, so the frozen set is complete and its pids stay its own until it
 * is signalled. SIGTERM is then sent to all and followed by SIGCONT, so that they can act on it;
 * SIGKILL needs no SIGCONT, as it ends stopped processes too. During the grace period the tree runs
 * again and may fork again; every poll adds the new children of running members (and sends them
 * SIGTERM), and the final SIGKILL freezes first in the same way.
 *
 * <p>A grandchild that detached itself (double fork, its parent already exited) before the kill
 * started is beyond reach without a child subreaper; docs/HOOKS.md says so. A member that is not
 * ours to signal (a set-user-ID program) cannot be stopped; its children are still followed, and
 * the freeze gives up after {@link #MAX_FREEZE_PASSES} reads if such a member keeps forking.
 */
final class ProcessTree {
  private static final Duration POLL = Duration.ofMillis(10);

  /**
   * Reads of the process table per freeze. A tree of stoppable processes is frozen after one read
   * per generation it forks during the freeze, a handful; the bound only keeps a member that cannot
   * be stopped from holding the kill up forever.
   */
  private static final int MAX_FREEZE_PASSES = 100;

  private ProcessTree() {}

  /**
   * @param ownGroup whether {@code root} leads its own process group (started through setsid): then
   *     each signal also goes to the whole group at once, which no fork in a tight loop can outrun,
   *     and the tree walk only has to find what left the group. The caller has not reaped {@code
   *     root}, so its pid, which is the group's id, cannot have been reused.
   * @throws InterruptedException if interrupted during the grace period; the tree is SIGKILLed at
   *     once before this is thrown
   */
  static void terminate(ProcessHandle root, boolean ownGroup, Duration grace, Clock clock)
      throws InterruptedException {
    Set<ProcessHandle> tree = new LinkedHashSet<>();
    tree.add(root);
    InterruptedException interrupted = null;
    // With no grace a SIGTERM would only be overtaken by the SIGKILL.
    if (grace.isPositive()) {
      // Freeze first, so that no member dies and orphans a child (one in its own session, out of
      // the group) before the walk has found it.
      freeze(tree);
      if (ownGroup) {
        ProcessSignals.sendGroup(root.pid(), ProcessSignals.SIGTERM);
      }
      tree.forEach(ProcessHandle::destroy);
      resume(tree);
      Set<ProcessHandle> termed = new LinkedHashSet<>(tree);
      long deadline = clock.nanoTime() + grace.toNanos();
      while (deadline - clock.nanoTime() > 0) {
        if (tree.stream().noneMatch(ProcessTree::running)) {
          return;
        }
        try {
          Thread.sleep(POLL);
        } catch (InterruptedException e) {
          interrupted = e;
          break;
        }
        // Not frozen: the SIGKILL below freezes again and so catches whatever this read misses.
        addChildren(tree, null);
        for (ProcessHandle p : tree) {
          if (termed.add(p)) {
            p.destroy();
          }
        }
      }
    }
    freeze(tree);
    if (ownGroup) {
      ProcessSignals.sendGroup(root.pid(), ProcessSignals.SIGKILL);
    }
    for (ProcessHandle p : tree) {
      if (running(p)) {
        p.destroyForcibly();
      }
    }
    // Only a member we could not kill is still stopped (not ours to signal); never leave it so.
    resume(tree);
    if (interrupted != null) {
      throw interrupted;
    }
  }

  /**
   * Stops every running member of {@code tree}, then adds and stops their children until a read of
   * the process table finds no new one.
   */
  private static void freeze(Set<ProcessHandle> tree) {
    for (ProcessHandle p : tree) {
      if (running(p)) {
        ProcessSignals.send(p.pid(), ProcessSignals.SIGSTOP);
      }
    }
    for (int pass = 0; pass < MAX_FREEZE_PASSES; pass++) {
      if (!addChildren(tree, ProcessSignals.SIGSTOP)) {
        return;
      }
    }
  }

  /**
   * Reads the process table once and adds every descendant of a living member that is not yet in
   * {@code tree}, parents before their children, sending each {@code signal} unless it is null.
   *
   * @return whether any process was added
   */
  private static boolean addChildren(Set<ProcessHandle> tree, Integer signal) {
    Set<ProcessHandle> alive = new HashSet<>();
    Map<Long, List<ProcessHandle>> children = new HashMap<>();
    ProcessHandle.allProcesses()
        .forEach(
            p -> {
              alive.add(p);
              p.parent()
                  .ifPresent(
                      parent ->
                          children.computeIfAbsent(parent.pid(), k -> new ArrayList<>()).add(p));
            });
    // A dead member's pid may already belong to someone else: follow living members only. Handles
    // are equal when pid and start time are, so the snapshot answers without reading /proc again.
    Deque<ProcessHandle> queue = new ArrayDeque<>();
    for (ProcessHandle p : tree) {
      if (alive.contains(p)) {
        queue.add(p);
      }
    }
    boolean added = false;
    while (!queue.isEmpty()) {
      for (ProcessHandle child : children.getOrDefault(queue.remove().pid(), List.of())) {
        if (tree.add(child)) {
          added = true;
          if (signal != null) {
            ProcessSignals.send(child.pid(), signal);
          }
          queue.add(child);
        }
      }
    }
    return added;
  }

  private static void resume(Set<ProcessHandle> tree) {
    for (ProcessHandle p : tree) {
      if (p.isAlive()) {
        ProcessSignals.send(p.pid(), ProcessSignals.SIGCONT);
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
