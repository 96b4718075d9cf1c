package dev.takeover.lab;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * {@code takeover demo}: two nodes and a client in a throwaway {@link Lab}; the client probes the
 * VIP every millisecond while the demo breaks the master in two ways (link down, kill -9) and lets
 * it come back, printing what the client saw each time.
 *
 * <p>Measurements come from the prober's own monotonic timestamps; "after X ms" is measured from
 * the moment the demo broke something to the first probe answered by the new master.
 */
public final class Demo {
  static final String VIP = "198.18.0.50";
  static final int PORT = 7000;
  static final Duration ADVERT_INTERVAL = Duration.ofMillis(100);
  private static final Duration STARTUP = Duration.ofSeconds(30);
  private static final Duration FAILOVER = Duration.ofSeconds(10);

  private final PrintWriter out;
  private final JavaLauncher launcher;
  private final NodeDaemon.Kind kind;
  private final boolean keepLogs;
  private final AtomicInteger starts = new AtomicInteger();
  private long startNanos;
  private Lab lab;
  private Path work;
  private ProbeFollower probe;

  public Demo(PrintWriter out, JavaLauncher launcher, NodeDaemon.Kind kind, boolean keepLogs) {
    this.out = out;
    this.launcher = launcher;
    this.kind = kind;
    this.keepLogs = keepLogs;
  }

  /** Runs the demo; returns the exit code (0 when everything behaved). */
  public int run() {
    startNanos = System.nanoTime();
    boolean ok = false;
    String prefix = "";
    // On Ctrl-C the lab's own hook tears everything down; this one only explains the noise that
    // the scenario thread may print while the ground vanishes under it.
    AtomicBoolean interrupted = new AtomicBoolean();
    Thread hook = new Thread(() -> interrupted.set(true), "demo-interrupted");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      work = Files.createTempDirectory("takeover-demo-");
      try (Lab created = Lab.create(2)) {
        lab = created;
        prefix = created.prefix();
        scenario();
        ok = true;
      } finally {
        if (!prefix.isEmpty()) {
          say("cleaned up: namespaces %s* and their processes are gone", prefix);
        }
      }
    } catch (IOException | RuntimeException e) {
      out.println();
      if (interrupted.get()) {
        out.println("demo interrupted; the lab is being cleaned up");
        return 130;
      }
      out.println("demo failed: " + e.getMessage());
      printLogTails();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // nothing to remove once the JVM is exiting
      }
      if (work != null) {
        if (ok && !keepLogs) {
          deleteRecursively(work);
          for (String node : List.of("n1", "n2")) {
            deleteRecursively(NodeConfig.stateDir(work, node));
          }
        } else {
          out.println("logs and configs: " + work);
        }
      }
    }
    return ok ? 0 : 1;
  }

  private void scenario() {
    String name = kind.name().toLowerCase(Locale.ROOT);
    say(
        "lab %s*: n1 %s, n2 %s, client %s on one bridge",
        lab.prefix(), Lab.ipv4("n1"), Lab.ipv4("n2"), Lab.ipv4(Lab.CLIENT));
    NodeConfig n1 = NodeConfig.of("n1", 200, ADVERT_INTERVAL, VIP + "/24");
    NodeConfig n2 = NodeConfig.of("n2", 100, ADVERT_INTERVAL, VIP + "/24");
    for (String node : lab.nodes()) {
      lab.start(
          node,
          launcher.labTool("echo", "--port", Integer.toString(PORT), "--name", node),
          work.resolve(node + "-echo.log"));
    }
    NodeDaemon d1 = startDaemon(n1);
    probe =
        new ProbeFollower(
            lab.start(
                Lab.CLIENT,
                launcher.labTool(
                    "probe",
                    "--target",
                    VIP,
                    "--port",
                    Integer.toString(PORT),
                    "--interval",
                    "1ms"),
                work.resolve("client-probe.log")));
    say(
        "started %s on n1 (priority 200; n2 with priority 100 follows), adverts every %d ms,"
            + " VIP %s; the client probes the VIP every 1 ms",
        name, ADVERT_INTERVAL.toMillis(), VIP);
    awaitVip("n1", STARTUP);
    probe.awaitAnswerer(0, "n1", STARTUP);
    // n2 once n1 is master: started together, n2's JVM may win the start-up race and briefly
    // claim the VIP, which is start-up noise, not the failover this demo is about.
    NodeDaemon d2 = startDaemon(n2);
    awaitLog(d2, "-> BACKUP");
    say("n1 is MASTER: it holds %s and answers the client; n2 is BACKUP", VIP);

    heading("1. n1's link goes down (a server that died)");
    int mark = probe.mark();
    long broken = System.nanoTime();
    lab.linkDown("n1");
    reportTakeover(mark, broken, "n2", "the link went down");

    heading("2. n1's link comes back: n1 has the higher priority and preempts");
    mark = probe.mark();
    broken = System.nanoTime();
    lab.linkUp("n1");
    reportTakeover(mark, broken, "n1", "the link came back");
    awaitReleased("n2");

    heading("3. kill -9 of n1's " + name + " (no goodbye advert)");
    mark = probe.mark();
    broken = System.nanoTime();
    d1.crash();
    reportTakeover(mark, broken, "n2", "the kill");
    if (lab.hasAddress("n1", VIP)) {
      detail(
          "n1 still has %s on eth0: after kill -9 nobody removed it. Until n2's gratuitous ARP"
              + " moved the client, n1's kernel kept answering",
          VIP);
    }

    heading("4. restart n1's " + name);
    mark = probe.mark();
    broken = System.nanoTime();
    NodeDaemon restarted = startDaemon(n1);
    boolean sawLeftoverRemoved = false;
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (probe.since(mark, ProbeEvent.AnswererChanged.class).stream()
        .noneMatch(c -> c.to().equals("n1"))) {
      sawLeftoverRemoved |= !lab.hasAddress("n1", VIP);
      if (System.nanoTime() - deadline > 0) {
        throw new LabException("n1 did not take the VIP back within " + STARTUP.toSeconds() + " s");
      }
      LockSupport.parkNanos(5_000_000);
    }
    reportTakeover(
        mark,
        broken,
        "n1",
        kind == NodeDaemon.Kind.TAKEOVER ? "the restart (JVM start-up included)" : "the restart");
    if (sawLeftoverRemoved) {
      detail("on startup n1 removed the VIP left over from the kill, then claimed it as MASTER");
    }
    awaitReleased("n2");

    heading("5. n1's " + name + " stops gracefully (SIGTERM)");
    mark = probe.mark();
    broken = System.nanoTime();
    Optional<Integer> exit = restarted.terminate(FAILOVER);
    reportTakeover(mark, broken, "n2", "SIGTERM");
    detail(
        "n1 sent a priority-0 advert, so n2 took over after Skew_Time instead of"
            + " Master_Down_Interval; n1 removed %s and exited with %s",
        VIP, exit.map(String::valueOf).orElse("(still running)"));

    ProbeReport report = probe.stop(Duration.ofSeconds(5));
    heading("summary");
    // Outages before the first answer are start-up, not failover.
    List<ProbeEvent.Outage> outages =
        report.outages().stream().filter(o -> o.before() != null).toList();
    detail(
        "%d probes answered (%s), %d lost in %d outage(s), longest %.1f ms",
        report.answered(),
        report.answersByNode().entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(java.util.stream.Collectors.joining(", ")),
        outages.stream().mapToLong(ProbeEvent.Outage::lost).sum(),
        outages.size(),
        outages.stream().mapToDouble(ProbeEvent.Outage::durationMs).max().orElse(0));
  }

  private NodeDaemon startDaemon(NodeConfig config) {
    Path log =
        work.resolve(
            config.node()
                + "-"
                + kind.name().toLowerCase(Locale.ROOT)
                + "-"
                + starts.incrementAndGet()
                + ".log");
    return NodeDaemon.start(lab, kind, config, launcher, work, log);
  }

  /** Waits for {@code node} to answer the client and prints how long it took and what was lost. */
  private void reportTakeover(int mark, long brokenNanos, String node, String cause) {
    ProbeEvent.AnswererChanged change = probe.awaitAnswerer(mark, node, FAILOVER);
    List<ProbeEvent.Outage> outages =
        probe.since(mark, ProbeEvent.Outage.class).stream()
            .filter(o -> o.endNanos() - change.sendNanos() <= 0)
            .toList();
    say(
        "%s is MASTER: the client got its first answer from %s %.0f ms after %s",
        node, node, millis(change.receiveNanos() - brokenNanos), cause);
    if (outages.isEmpty()) {
      detail("client-visible outage: none, not a single probe lost");
    } else {
      double ms = outages.stream().mapToDouble(ProbeEvent.Outage::durationMs).sum();
      long lost = outages.stream().mapToLong(ProbeEvent.Outage::lost).sum();
      detail("client-visible outage: %.1f ms, %d probes lost", ms, lost);
    }
  }

  private void awaitLog(NodeDaemon daemon, String text) {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (!daemon.process().log().contains(text)
        && !daemon.process().log().contains("Entering BACKUP STATE")) {
      if (System.nanoTime() - deadline > 0) {
        throw new LabException(daemon + " did not log '" + text + "'");
      }
      LockSupport.parkNanos(10_000_000);
    }
  }

  private void awaitVip(String node, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!lab.hasAddress(node, VIP)) {
      if (System.nanoTime() - deadline > 0) {
        throw new LabException(
            node + " did not claim " + VIP + " within " + timeout.toSeconds() + " s");
      }
      LockSupport.parkNanos(10_000_000);
    }
  }

  private void awaitReleased(String node) {
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (lab.hasAddress(node, VIP)) {
      if (System.nanoTime() - deadline > 0) {
        detail("warning: %s still holds %s", node, VIP);
        return;
      }
      LockSupport.parkNanos(10_000_000);
    }
  }

  private void heading(String text) {
    out.println("── " + text);
  }

  private void say(String format, Object... args) {
    out.printf(
        "[%5.1fs] %s%n", millis(System.nanoTime() - startNanos) / 1000, format.formatted(args));
  }

  private void detail(String format, Object... args) {
    out.println("         " + format.formatted(args));
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  private void printLogTails() {
    if (work == null) {
      return;
    }
    try (Stream<Path> files = Files.list(work)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        List<String> lines = Files.readAllLines(f);
        out.println("── last lines of " + f.getFileName());
        lines
            .subList(Math.max(0, lines.size() - 12), lines.size())
            .forEach(l -> out.println("   " + l));
      }
    } catch (IOException e) {
      out.println("(cannot read logs: " + e.getMessage() + ")");
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      // a temp directory; not worth failing the demo for
    }
  }
}
