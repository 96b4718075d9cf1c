package dev.takeover.bench;

import dev.takeover.bench.BenchResult.FootprintSample;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Memory and CPU of an idle pair: RSS (VmRSS) and PSS (smaps_rollup) of every process of each
 * daemon, and utime+stime over an idle window after a settling period (so that start-up work, JIT
 * and the first collections are not counted). Master and backup are measured at the same time.
 */
final class FootprintRun {
  private static final String VIP = FailoverCycle.VIP;

  private FootprintRun() {}

  static List<FootprintSample> run(
      Rig rig, NodeDaemon.Kind kind, int intervalMs, BenchOptions options) {
    String system = Rig.system(kind);
    Duration interval = Duration.ofMillis(intervalMs);
    Path dir = rig.work.resolve("footprint-" + system + "-" + intervalMs + "ms");
    List<FootprintSample> samples = new ArrayList<>();
    try {
      rig.reset(List.of(VIP));
      NodeDaemon master = rig.start(kind, NodeConfig.of("n1", 200, interval, VIP + "/24"), dir);
      rig.awaitVip("n1", VIP, Rig.STARTUP);
      NodeDaemon backup = rig.start(kind, NodeConfig.of("n2", 100, interval, VIP + "/24"), dir);
      Rig.awaitBackup(backup, Rig.STARTUP);
      LockSupport.parkNanos(options.settle().toNanos());
      Map<String, NodeDaemon> roles = Map.of("master", master, "backup", backup);
      Map<String, List<Long>> pids = Map.of("master", master.pids(), "backup", backup.pids());
      Map<String, Long> ticksBefore =
          Map.of(
              "master",
              ProcFs.cpuTicks(pids.get("master")),
              "backup",
              ProcFs.cpuTicks(pids.get("backup")));
      long start = System.nanoTime();
      LockSupport.parkNanos(options.idleWindow().toNanos());
      double seconds = (System.nanoTime() - start) / 1e9;
      for (String role : List.of("master", "backup")) {
        List<Long> rolePids = pids.get(role);
        List<ProcFs.Sample> now =
            rolePids.stream().map(ProcFs::read).flatMap(java.util.Optional::stream).toList();
        if (now.size() != rolePids.size() || !roles.get(role).process().isAlive()) {
          samples.add(
              new FootprintSample(
                  system,
                  intervalMs,
                  role,
                  rolePids,
                  0,
                  0,
                  0,
                  seconds,
                  "a process of the " + role + " exited during the window"));
          continue;
        }
        long ticks = now.stream().mapToLong(ProcFs.Sample::cpuTicks).sum();
        double cpu = (ticks - ticksBefore.get(role)) * 100.0 / ProcFs.USER_HZ / seconds;
        samples.add(
            new FootprintSample(
                system,
                intervalMs,
                role,
                rolePids,
                now.stream().mapToLong(ProcFs.Sample::rssKiB).sum() / 1024.0,
                now.stream().mapToLong(ProcFs.Sample::pssKiB).sum() / 1024.0,
                cpu,
                seconds,
                null));
      }
      for (FootprintSample s : samples) {
        rig.say(
            "%-10s %4d ms footprint %s: RSS %.1f MiB, PSS %.1f MiB, CPU %.2f %%",
            system, intervalMs, s.role(), s.rssMiB(), s.pssMiB(), s.cpuPercent());
      }
    } catch (RuntimeException e) {
      rig.say("%s %d ms footprint FAILED: %s", system, intervalMs, e.getMessage());
      for (String role : List.of("master", "backup")) {
        samples.add(
            new FootprintSample(
                system, intervalMs, role, List.of(), 0, 0, 0, 0, String.valueOf(e.getMessage())));
      }
    } finally {
      rig.stopDaemons();
    }
    return samples;
  }
}
