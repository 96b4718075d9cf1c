package dev.takeover.bench;

import dev.takeover.bench.BenchResult.ScaleSample;
import dev.takeover.lab.Lab;
import dev.takeover.lab.LabProcess;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The scale curve (issue 15): a pair with N groups, one VIP each, for N in {@link #GROUPS}, per
 * advert interval and system: CPU and RSS of master and backup at idle, then the time from the
 * master's links going down until the backup holds every VIP. A VRID is unique per LAN, so groups
 * go 250 to an interface, as keepalived users with more than 255 instances do (with VLANs, which
 * this lab's kernel lacks): eth0, then LANs lan1, lan2, lan3 of their own ({@link Lab#addLans}).
 * VIPs are 198.19.(g / 250).(g % 250 + 1)/32. The cut takes all of the master's interfaces down in
 * one {@code ip -batch}.
 */
final class ScaleRun {
  static final List<Integer> GROUPS = List.of(1, 10, 100, 250, 1000);

  /** {@code --quick}: one group, and enough to need a second LAN. */
  static final List<Integer> QUICK_GROUPS = List.of(1, 300);

  static final int PER_INTERFACE = 250;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration MOVE_TIMEOUT = Duration.ofSeconds(30);

  private ScaleRun() {}

  static List<ScaleSample> run(
      Rig rig, BenchOptions options, List<String> takeoverCommand, String takeoverDaemonYaml) {
    List<ScaleSample> samples = new ArrayList<>();
    List<Integer> counts = options.quick() ? QUICK_GROUPS : GROUPS;
    int most = counts.stream().mapToInt(Integer::intValue).max().orElse(1);
    List<String> interfaces = new ArrayList<>(List.of(Lab.INTERFACE));
    interfaces.addAll(rig.lab.addLans((most - 1) / PER_INTERFACE));
    rig.reset(List.of());
    int order = 0;
    for (int intervalMs : options.intervalsMs()) {
      if (intervalMs < 100) {
        continue; // 1,000 groups at 10 ms is 100,000 adverts a second: not a setting anyone runs
      }
      for (int groups : counts) {
        for (var kind : Bench.alternating(++order)) {
          samples.add(
              sample(
                  rig,
                  Rig.system(kind),
                  groups,
                  intervalMs,
                  interfaces,
                  options,
                  takeoverCommand,
                  takeoverDaemonYaml));
        }
      }
    }
    return samples;
  }

  static String vip(int group) {
    return "198.19." + group / PER_INTERFACE + "." + (group % PER_INTERFACE + 1);
  }

  private static ScaleSample sample(
      Rig rig,
      String system,
      int groups,
      int intervalMs,
      List<String> interfaces,
      BenchOptions options,
      List<String> takeoverCommand,
      String takeoverDaemonYaml) {
    Path dir = rig.work.resolve("scale-" + system + "-" + groups + "-" + intervalMs + "ms");
    List<LabProcess> started = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      for (String node : List.of("n1", "n2")) {
        clearVips(rig.lab, node, interfaces);
      }
      LabProcess master =
          start(
              rig,
              system,
              "n1",
              200,
              groups,
              intervalMs,
              interfaces,
              dir,
              takeoverCommand,
              takeoverDaemonYaml);
      started.add(master);
      awaitVipCount(rig.lab, "n1", groups, START_TIMEOUT, master);
      LabProcess backup =
          start(
              rig,
              system,
              "n2",
              100,
              groups,
              intervalMs,
              interfaces,
              dir,
              takeoverCommand,
              takeoverDaemonYaml);
      started.add(backup);
      LockSupport.parkNanos(options.settle().toNanos());
      List<Long> masterPids = master.pids();
      List<Long> backupPids = backup.pids();
      long masterBefore = ProcFs.cpuTicks(masterPids);
      long backupBefore = ProcFs.cpuTicks(backupPids);
      long windowStart = System.nanoTime();
      LockSupport.parkNanos(options.idleWindow().toNanos());
      double seconds = (System.nanoTime() - windowStart) / 1e9;
      double masterCpu =
          (ProcFs.cpuTicks(masterPids) - masterBefore) * 100.0 / ProcFs.USER_HZ / seconds;
      double backupCpu =
          (ProcFs.cpuTicks(backupPids) - backupBefore) * 100.0 / ProcFs.USER_HZ / seconds;
      double masterRss = rssMiB(masterPids);
      double backupRss = rssMiB(backupPids);
      if (countVips(rig.lab, "n2", interfaces) != 0) {
        throw new StepFailedException("the backup holds VIPs before the cut");
      }
      long cut = System.nanoTime();
      rig.lab.setLinks("n1", interfaces, false);
      awaitVipCount(rig.lab, "n2", groups, MOVE_TIMEOUT, backup);
      double movedMs = (System.nanoTime() - cut) / 1e6;
      rig.say(
          "%-10s %4d groups %4d ms: CPU %.2f / %.2f %%, RSS %.1f / %.1f MiB, all moved %.0f ms",
          system, groups, intervalMs, masterCpu, backupCpu, masterRss, backupRss, movedMs);
      return new ScaleSample(
          system,
          groups,
          intervalMs,
          true,
          null,
          masterCpu,
          backupCpu,
          masterRss,
          backupRss,
          movedMs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      rig.say("%s %d groups %d ms FAILED: %s", system, groups, intervalMs, e.getMessage());
      return new ScaleSample(
          system, groups, intervalMs, false, e.getMessage(), null, null, null, null, null);
    } finally {
      for (LabProcess p : started) {
        List<Long> all = p.pids();
        p.stop(Rig.STOP_GRACE);
        all.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      }
      rig.lab.setLinks("n1", interfaces, true);
      rig.lab.linkUp("n1"); // eth0's IPv6 address, which link down deleted
    }
  }

  private static LabProcess start(
      Rig rig,
      String system,
      String node,
      int priority,
      int groups,
      int intervalMs,
      List<String> interfaces,
      Path dir,
      List<String> takeoverCommand,
      String takeoverDaemonYaml)
      throws IOException {
    Path log = dir.resolve(node + ".log");
    if (system.equals("takeover")) {
      Path file = dir.resolve(node + ".yaml");
      Files.writeString(
          file,
          takeoverYaml(node, priority, groups, intervalMs, interfaces)
              + "daemon:\n  state-dir: \""
              + NodeConfig.stateDir(dir, node)
              + "\"\n"
              + takeoverDaemonYaml);
      List<String> argv = new ArrayList<>(takeoverCommand);
      argv.addAll(List.of("run", "-c", file.toString()));
      return rig.lab.start(node, argv, log);
    }
    return NodeDaemon.keepalived(
            rig.lab,
            NodeConfig.of(node, priority, Duration.ofMillis(intervalMs)),
            keepalivedConf(node, priority, groups, intervalMs, interfaces),
            dir,
            log)
        .process();
  }

  static String takeoverYaml(
      String node, int priority, int groups, int intervalMs, List<String> interfaces) {
    StringBuilder y = new StringBuilder();
    y.append("node: ").append(node).append('\n');
    y.append("groups:\n");
    for (int g = 0; g < groups; g++) {
      y.append("  - name: g").append(g + 1).append('\n');
      y.append("    vrid: ").append(g % PER_INTERFACE + 1).append('\n');
      y.append("    interface: ").append(interfaces.get(g / PER_INTERFACE)).append('\n');
      y.append("    priority: ").append(priority).append('\n');
      y.append("    advert-interval: ").append(intervalMs).append("ms\n");
      y.append("    addresses: [\"").append(vip(g)).append("/32\"]\n");
    }
    return y.toString();
  }

  static String keepalivedConf(
      String node, int priority, int groups, int intervalMs, List<String> interfaces) {
    StringBuilder k = new StringBuilder();
    k.append("global_defs {\n  router_id ").append(node).append("\n  vrrp_version 3\n}\n");
    for (int g = 0; g < groups; g++) {
      k.append("vrrp_instance g").append(g + 1).append(" {\n");
      k.append("  state BACKUP\n");
      k.append("  interface ").append(interfaces.get(g / PER_INTERFACE)).append('\n');
      k.append("  virtual_router_id ").append(g % PER_INTERFACE + 1).append('\n');
      k.append("  priority ").append(priority).append('\n');
      k.append("  advert_int ").append(intervalMs / 1000.0).append('\n');
      k.append("  virtual_ipaddress {\n    ").append(vip(g)).append("/32\n  }\n}\n");
    }
    return k.toString();
  }

  private static void clearVips(Lab lab, String node, List<String> interfaces) {
    for (String iface : interfaces) {
      String out = lab.exec(node, "ip", "-4", "-o", "addr", "show", "dev", iface);
      for (String line : out.lines().toList()) {
        int at = line.indexOf("inet 198.19.");
        if (at >= 0) {
          String address = line.substring(at + 5).split(" ")[0];
          lab.exec(node, "ip", "addr", "del", address, "dev", iface);
        }
      }
    }
  }

  static int countVips(Lab lab, String node, List<String> interfaces) {
    String out = lab.exec(node, "ip", "-4", "-o", "addr", "show");
    return (int) out.lines().filter(l -> l.contains("inet 198.19.")).count();
  }

  private static void awaitVipCount(
      Lab lab, String node, int wanted, Duration timeout, LabProcess daemon) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (countVips(lab, node, List.of()) < wanted) {
      if (!daemon.isAlive()) {
        throw new StepFailedException(node + "'s daemon exited; log " + daemon.logFile());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new StepFailedException(
            node
                + " holds "
                + countVips(lab, node, List.of())
                + " of "
                + wanted
                + " VIPs after "
                + timeout.toSeconds()
                + " s");
      }
      LockSupport.parkNanos(5_000_000);
    }
  }

  private static double rssMiB(List<Long> pids) {
    return pids.stream()
            .map(ProcFs::read)
            .flatMap(Optional::stream)
            .mapToLong(ProcFs.Sample::rssKiB)
            .sum()
        / 1024.0;
  }
}
