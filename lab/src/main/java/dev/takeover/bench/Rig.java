package dev.takeover.bench;

import dev.takeover.lab.EchoResponder;
import dev.takeover.lab.Lab;
import dev.takeover.lab.LabProcess;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import dev.takeover.platform.Netns;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A lab plus what every bench phase does with it: echo responders on the nodes, daemons started the
 * way users start them, waiting for states, and cleaning up between runs so that one run's
 * leftovers (a VIP on an interface, a link left down, a stale neighbour entry) cannot help or hurt
 * the next.
 */
final class Rig implements AutoCloseable {
  static final Duration STARTUP = Duration.ofSeconds(30);
  static final Duration STOP_GRACE = Duration.ofSeconds(5);

  final Lab lab;
  final Path work;
  final NodeDaemon.Launch launch;
  private final PrintWriter progress;
  private final long originNanos;
  private final List<EchoResponder> echoes = new ArrayList<>();
  private final List<NodeDaemon> daemons = new ArrayList<>();
  private final AtomicInteger starts = new AtomicInteger();
  private final java.util.Set<Path> configDirs = new java.util.LinkedHashSet<>();

  Rig(Lab lab, Path work, NodeDaemon.Launch launch, PrintWriter progress, long originNanos) {
    this.lab = lab;
    this.work = work;
    this.launch = launch;
    this.progress = progress;
    this.originNanos = originNanos;
  }

  private boolean secondLan;
  private boolean secondLanIpv6;

  /**
   * The second LAN of the node-links scenarios ({@link Lab#addSecondLan}), added once however many
   * of them run on this rig.
   */
  void ensureSecondLan() {
    if (!secondLan) {
      lab.addSecondLan();
      secondLan = true;
    }
  }

  /** IPv6 on the second LAN too ({@link Lab#addSecondLanIpv6}), once. */
  void ensureSecondLanIpv6() {
    ensureSecondLan();
    if (!secondLanIpv6) {
      lab.addSecondLanIpv6();
      secondLanIpv6 = true;
    }
  }

  /** An in-process echo responder on every node, answering with the node's name. */
  void startEcho() {
    for (String node : lab.nodes()) {
      echoes.add(Netns.call(lab.nsName(node), () -> EchoResponder.start(ProbeWatch.PORT, node)));
    }
  }

  static String system(NodeDaemon.Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  /** Starts a daemon; its config and log go to {@code dir}. */
  NodeDaemon start(NodeDaemon.Kind kind, NodeConfig config, Path dir) {
    Path log =
        dir.resolve(config.node() + "-" + system(kind) + "-" + starts.incrementAndGet() + ".log");
    configDirs.add(dir);
    NodeDaemon daemon = NodeDaemon.start(lab, kind, config, launch, dir, log);
    daemons.add(daemon);
    return daemon;
  }

  /** Waits until the daemon says it is a backup (takeover's log or keepalived's). */
  static void awaitBackup(NodeDaemon daemon, Duration timeout) {
    awaitLog(daemon, timeout, "-> BACKUP", "Entering BACKUP STATE");
  }

  static void awaitLog(NodeDaemon daemon, Duration timeout, String... any) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String log = daemon.process().log();
      for (String text : any) {
        if (log.contains(text)) {
          return;
        }
      }
      if (!daemon.process().isAlive()) {
        throw new StepFailedException(daemon + " exited; log " + daemon.process().logFile());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new StepFailedException(
            daemon
                + " did not log "
                + String.join(" or ", any)
                + " within "
                + timeout.toSeconds()
                + " s; log "
                + daemon.process().logFile());
      }
      LockSupport.parkNanos(10_000_000);
    }
  }

  /** Waits until {@code node} holds {@code vip}. */
  void awaitVip(String node, String vip, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!lab.hasAddress(node, vip)) {
      if (System.nanoTime() - deadline > 0) {
        throw new StepFailedException(
            node + " did not claim " + vip + " in " + timeout.toSeconds() + " s");
      }
      LockSupport.parkNanos(10_000_000);
    }
  }

  /** Stops every daemon this rig started (TERM, then KILL) and whatever they forked. */
  void stopDaemons() {
    for (NodeDaemon d : daemons) {
      List<Long> pids = d.pids();
      d.process().stop(STOP_GRACE);
      for (long pid : pids) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    daemons.clear();
  }

  /**
   * Puts every node back to its starting point: links up, no {@code vips} on any interface, and no
   * neighbour entry for them in the client.
   */
  void reset(List<String> vips) {
    stopDaemons();
    for (String node : lab.nodes()) {
      lab.linkUp(node);
      for (String vip : vips) {
        if (lab.hasAddress(node, vip)) {
          lab.exec(node, "ip", "addr", "del", vip + "/24", "dev", Lab.INTERFACE);
        }
      }
    }
    for (String vip : vips) {
      try {
        lab.exec(Lab.CLIENT, "ip", "neigh", "flush", "to", vip, "dev", Lab.INTERFACE);
      } catch (RuntimeException nothingToFlush) {
        // an empty neighbour table is what we want anyway
      }
    }
  }

  void say(String format, Object... args) {
    progress.printf(
        "[%6.1fs] %s%n", (System.nanoTime() - originNanos) / 1e9, format.formatted(args));
    progress.flush();
  }

  /** Removes the state directories the daemons of {@code dir} used (journal, control socket). */
  static void deleteStateDirs(Path dir, List<String> nodes) {
    for (String node : nodes) {
      deleteRecursively(NodeConfig.stateDir(dir, node));
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      // temporary files: not worth failing a run for
    }
  }

  /** A process the bench started outside the lab (a CPU burner), stopped by its PID. */
  static void kill(Process p) {
    p.destroyForcibly();
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stopDaemons();
    for (EchoResponder e : echoes) {
      try {
        e.close();
      } catch (IOException ignored) {
        // closing a UDP socket
      }
    }
    lab.close();
    for (Path dir : configDirs) {
      deleteStateDirs(dir, lab.nodes());
    }
  }

  /** The lab processes (for logs). */
  List<LabProcess> processes() {
    return lab.processes();
  }
}
