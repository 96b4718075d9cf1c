package dev.takeover.bench;

import dev.takeover.bench.BenchResult.HeartbeatCostSample;
import dev.takeover.lab.Lab;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * What node-link heartbeats cost (the {@code heartbeat-cost} scenario, issue 11): an idle takeover
 * pair (1 s adverts) without node links, then with 1, 2 and 4 paths between the nodes, heartbeats
 * every 100 ms (misses 3, goods 3). Paths: LAN A over IPv4; + LAN B over IPv4; + both LANs over
 * IPv6. After {@code --settle}, CPU time (utime + stime of both daemons, from {@code /proc}) over
 * {@code --idle-window}, as % of one core; the summary subtracts the pair without links and divides
 * by the paths. Each path carries 10 inquiries and 10 answers a second each way.
 */
final class HeartbeatCostRun {
  static final List<Integer> PATHS = List.of(0, 1, 2, 4);
  static final Duration HEARTBEAT = Duration.ofMillis(100);
  private static final Duration ADVERTS = Duration.ofSeconds(1);

  private HeartbeatCostRun() {}

  static List<HeartbeatCostSample> run(Rig rig, BenchOptions options) {
    List<HeartbeatCostSample> samples = new ArrayList<>();
    rig.ensureSecondLanIpv6();
    Path base = rig.work.resolve("heartbeat-cost");
    Path key = LinkCutRun.keyFile(base);
    try {
      for (int rep = 1; rep <= options.reps(); rep++) {
        // Alternating order, so that a drift of the machine over the run hits every count alike.
        List<Integer> order = rep % 2 == 1 ? PATHS : PATHS.reversed();
        for (int paths : order) {
          HeartbeatCostSample s = once(rig, base, key, paths, rep, options);
          rig.say(
              "heartbeat-cost %d path(s) #%d: %s",
              paths,
              rep,
              s.ok()
                  ? "pair CPU %.3f %% of a core (n1 %.3f, n2 %.3f) over %.0f s"
                      .formatted(
                          s.pairCpuPercent(), s.n1CpuPercent(), s.n2CpuPercent(), s.windowSeconds())
                  : "FAILED: " + s.error());
          samples.add(s);
        }
      }
    } finally {
      rig.reset(List.of(FailoverCycle.VIP));
    }
    return samples;
  }

  private static HeartbeatCostSample once(
      Rig rig, Path base, Path key, int paths, int rep, BenchOptions options) {
    Path dir = base.resolve(paths + "-paths-" + rep);
    try {
      rig.reset(List.of(FailoverCycle.VIP));
      NodeDaemon n1 = rig.start(NodeDaemon.Kind.TAKEOVER, config("n1", 200, paths, key), dir);
      rig.awaitVip("n1", FailoverCycle.VIP, Rig.STARTUP);
      NodeDaemon n2 = rig.start(NodeDaemon.Kind.TAKEOVER, config("n2", 100, paths, key), dir);
      Rig.awaitBackup(n2, Rig.STARTUP);
      if (paths > 0) {
        LinkCutRun.awaitPathsUp(n1, paths);
        LinkCutRun.awaitPathsUp(n2, paths);
      }
      LockSupport.parkNanos(options.settle().toNanos());
      List<Long> pids1 = n1.pids();
      List<Long> pids2 = n2.pids();
      long before1 = ProcFs.cpuTicks(pids1);
      long before2 = ProcFs.cpuTicks(pids2);
      long start = System.nanoTime();
      LockSupport.parkNanos(options.idleWindow().toNanos());
      long after1 = ProcFs.cpuTicks(pids1);
      long after2 = ProcFs.cpuTicks(pids2);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (!n1.process().isAlive() || !n2.process().isAlive()) {
        throw new StepFailedException("a daemon exited during the window");
      }
      double cpu1 = (after1 - before1) * 100.0 / ProcFs.USER_HZ / seconds;
      double cpu2 = (after2 - before2) * 100.0 / ProcFs.USER_HZ / seconds;
      return new HeartbeatCostSample(paths, rep, true, null, seconds, cpu1, cpu2, cpu1 + cpu2);
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      return new HeartbeatCostSample(paths, rep, false, message, 0, null, null, null);
    } finally {
      rig.stopDaemons();
    }
  }

  /** Without links for 0 paths; else the first {@code paths} of LAN A v4, LAN B v4, A v6, B v6. */
  static NodeConfig config(String node, int priority, int paths, Path key) {
    NodeConfig c = NodeConfig.of(node, priority, ADVERTS, FailoverCycle.VIP + "/24");
    if (paths == 0) {
      return c;
    }
    return c.withGroupYaml(linksYaml(node, key, paths));
  }

  static String linksYaml(String node, Path key, int paths) {
    String peer = node.equals("n1") ? "n2" : "n1";
    List<String[]> all =
        List.of(
            new String[] {Lab.ipv4(node), Lab.ipv4(peer)},
            new String[] {Lab.lanBIpv4(node), Lab.lanBIpv4(peer)},
            new String[] {Lab.ipv6(node), Lab.ipv6(peer)},
            new String[] {Lab.lanBIpv6(node), Lab.lanBIpv6(peer)});
    StringBuilder y = new StringBuilder();
    y.append("links:\n");
    y.append("  key-file: \"").append(key).append("\"\n");
    y.append("  interval: ").append(HEARTBEAT.toMillis()).append("ms\n");
    y.append("  misses: 3\n  goods: 3\n  peers:\n    ").append(peer).append(":\n");
    for (String[] p : all.subList(0, paths)) {
      y.append("      - {local: \"")
          .append(p[0])
          .append("\", peer: \"")
          .append(p[1])
          .append("\"}\n");
    }
    return y.toString();
  }
}
