package dev.takeover.bench;

import dev.takeover.bench.BenchResult.LinkCutSample;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import dev.takeover.lab.ProbeEvent;
import dev.takeover.lab.ProbeReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The node-links scenario (issue 11, docs/LINKS.md "Measured"): the nodes share a second LAN, and
 * the master's port on the VIP LAN is cut at the switch. The master sees its link go down at once;
 * keepalived goes to FAULT and falls silent, so its backup waits out Master_Down_Interval, as
 * Takeover without node links would. Takeover with node links (heartbeats every 100 ms on both
 * LANs) says FAULT over the second LAN the moment the kernel reports the link down, so the backup
 * claims at once. Measured by the client's 1 ms probes: lost time, and the cut to the first answer
 * from the backup.
 */
final class LinkCutRun {
  private static final int MASTER_PRIORITY = 200;
  private static final int BACKUP_PRIORITY = 100;
  private static final Duration HEARTBEAT = Duration.ofMillis(100);

  private LinkCutRun() {}

  static List<LinkCutSample> run(Rig rig, BenchOptions options) {
    List<LinkCutSample> samples = new ArrayList<>();
    rig.ensureSecondLan();
    Path dir = rig.work.resolve("links");
    Path key = keyFile(dir);
    try (ProbeWatch probe = ProbeWatch.start(rig.lab, FailoverCycle.VIP)) {
      for (int interval : options.intervalsMs()) {
        for (int rep = 1; rep <= options.reps(); rep++) {
          for (NodeDaemon.Kind kind : Bench.alternating(rep)) {
            LinkCutSample s = once(rig, probe, dir, key, kind, interval, rep);
            rig.say(
                "links %-10s %4d ms #%d: %s",
                Rig.system(kind),
                interval,
                rep,
                s.ok()
                    ? "outage %.1f ms (%d lost), backup answered %.1f ms after the cut (MDI %.1f)"
                        .formatted(s.outageMs(), s.lost(), s.switchMs(), s.masterDownIntervalMs())
                    : "FAILED: " + s.error());
            samples.add(s);
          }
        }
      }
    } finally {
      rig.reset(List.of(FailoverCycle.VIP));
    }
    return samples;
  }

  private static LinkCutSample once(
      Rig rig,
      ProbeWatch probe,
      Path base,
      Path key,
      NodeDaemon.Kind kind,
      int intervalMs,
      int rep) {
    String system = Rig.system(kind);
    double mdi = StartupRun.masterDownIntervalMs(BACKUP_PRIORITY, intervalMs);
    Path dir = base.resolve(system + "-" + intervalMs + "ms-" + rep);
    try {
      rig.reset(List.of(FailoverCycle.VIP));
      Duration interval = Duration.ofMillis(intervalMs);
      NodeConfig c1 = config("n1", MASTER_PRIORITY, interval, kind, key);
      NodeConfig c2 = config("n2", BACKUP_PRIORITY, interval, kind, key);
      Duration hold = interval.multipliedBy(2).plusMillis(200);
      rig.start(kind, c1, dir);
      probe.awaitSteady("n1", System.nanoTime(), hold, Rig.STARTUP);
      NodeDaemon d2 = rig.start(kind, c2, dir);
      Rig.awaitBackup(d2, Rig.STARTUP);
      if (kind == NodeDaemon.Kind.TAKEOVER) {
        awaitBothPathsUp(d2);
      }
      probe.awaitSteady("n1", System.nanoTime(), hold.plus(interval.multipliedBy(3)), Rig.STARTUP);
      Double load = ProcFs.loadAverage();
      ProbeWatch.Mark mark = probe.mark();
      long cut = System.nanoTime();
      rig.lab.cutPort("n1");
      ProbeReport report =
          probe.awaitSteady(
              "n2",
              cut,
              Duration.ofMillis(300),
              Duration.ofSeconds(15).plus(interval.multipliedBy(5)));
      List<ProbeEvent.Outage> outages = ProbeWatch.outagesSince(report, mark);
      Double switchMs =
          ProbeWatch.changesSince(report, mark).stream()
              .filter(c -> c.to().equals("n2"))
              .findFirst()
              .map(c -> (c.receiveNanos() - cut) / 1e6)
              .orElse(null);
      return new LinkCutSample(
          system,
          intervalMs,
          rep,
          true,
          null,
          outages.stream().mapToDouble(ProbeEvent.Outage::durationMs).sum(),
          switchMs,
          outages.stream().mapToLong(ProbeEvent.Outage::lost).sum(),
          mdi,
          load);
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      return new LinkCutSample(system, intervalMs, rep, false, message, null, null, 0, mdi, null);
    } finally {
      rig.stopDaemons();
      rig.lab.healPort("n1");
    }
  }

  /** Takeover gets node links on both LANs; keepalived the same group without them. */
  private static NodeConfig config(
      String node, int priority, Duration interval, NodeDaemon.Kind kind, Path key) {
    NodeConfig c = NodeConfig.of(node, priority, interval, FailoverCycle.VIP + "/24");
    if (kind != NodeDaemon.Kind.TAKEOVER) {
      return c;
    }
    return c.withGroupYaml(NodeConfig.twoLanLinksYaml(node, key, HEARTBEAT, 3, 3, ""));
  }

  /** Both of the backup's paths answered, so the master's FAULT can reach it over LAN B. */
  static void awaitBothPathsUp(NodeDaemon d) {
    awaitPathsUp(d, 2);
  }

  /** {@code count} of the daemon's node-link paths have come UP (its log says so). */
  static void awaitPathsUp(NodeDaemon d, int count) {
    long deadline = System.nanoTime() + Rig.STARTUP.toNanos();
    while (d.process()
            .log()
            .lines()
            .filter(l -> l.contains("node link to") && l.contains(" is UP"))
            .count()
        < count) {
      if (System.nanoTime() - deadline > 0) {
        throw new StepFailedException("node links of " + d + " did not come UP");
      }
      LockSupport.parkNanos(20_000_000);
    }
  }

  static Path keyFile(Path dir) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("links.key");
      Files.write(file, "bench-node-link-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("links scenario: key file", e);
    }
  }
}
