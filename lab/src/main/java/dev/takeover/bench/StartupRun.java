package dev.takeover.bench;

import dev.takeover.bench.BenchResult.StartupSample;
import dev.takeover.lab.Lab;
import dev.takeover.lab.LabProcess;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Spawn to first advert on the wire for a lone node at 10 ms adverts. The node starts as backup
 * (RFC 5798 §6.4.1, priority below 255), hears nobody and becomes master when its Master_Down_Timer
 * fires, so the first advert comes Master_Down_Interval after it was ready: that difference is
 * reported as start-to-ready. Adverts are sniffed in the client namespace with tcpdump, whose
 * kernel timestamps are wall-clock, like the spawn time taken here.
 */
final class StartupRun {
  static final int INTERVAL_MS = 10;
  private static final int PRIORITY = 200;
  private static final Duration ADVERT_TIMEOUT = Duration.ofSeconds(20);

  private StartupRun() {}

  /** RFC 5798 §6.1: Master_Down_Interval = 3 × interval + (256 − priority) × interval / 256. */
  static double masterDownIntervalMs(int priority, int intervalMs) {
    return 3.0 * intervalMs + (256 - priority) * intervalMs / 256.0;
  }

  static List<StartupSample> run(Rig rig, int samplesPerSystem) {
    List<StartupSample> samples = new ArrayList<>();
    Path dir = rig.work.resolve("startup");
    rig.reset(List.of(FailoverCycle.VIP));
    LabProcess sniffer =
        rig.lab.start(
            Lab.CLIENT,
            List.of(
                "tcpdump",
                "-tt",
                "-n",
                "-l",
                "--immediate-mode",
                "-i",
                Lab.INTERFACE,
                "ip proto 112"),
            dir.resolve("client-tcpdump.log"));
    try {
      awaitListening(sniffer);
      double mdi = masterDownIntervalMs(PRIORITY, INTERVAL_MS);
      NodeConfig config =
          NodeConfig.of("n1", PRIORITY, Duration.ofMillis(INTERVAL_MS), FailoverCycle.VIP + "/24");
      for (int i = 1; i <= samplesPerSystem; i++) {
        List<NodeDaemon.Kind> order =
            i % 2 == 1
                ? List.of(NodeDaemon.Kind.TAKEOVER, NodeDaemon.Kind.KEEPALIVED)
                : List.of(NodeDaemon.Kind.KEEPALIVED, NodeDaemon.Kind.TAKEOVER);
        for (NodeDaemon.Kind kind : order) {
          samples.add(sample(rig, sniffer, kind, config, i, mdi, dir));
        }
      }
    } finally {
      sniffer.stop(Duration.ofSeconds(2));
      rig.stopDaemons();
    }
    return samples;
  }

  private static StartupSample sample(
      Rig rig,
      LabProcess sniffer,
      NodeDaemon.Kind kind,
      NodeConfig config,
      int i,
      double mdi,
      Path dir) {
    String system = Rig.system(kind);
    try {
      rig.reset(List.of(FailoverCycle.VIP));
      LockSupport.parkNanos(Duration.ofMillis(300).toNanos()); // the previous daemon's last words
      Instant spawn = Instant.now();
      long spawnMicros = spawn.getEpochSecond() * 1_000_000 + spawn.getNano() / 1_000;
      rig.start(kind, config, dir.resolve(system + "-" + i));
      long deadline = System.nanoTime() + ADVERT_TIMEOUT.toNanos();
      while (true) {
        Optional<AdvertLine> first =
            sniffer
                .log()
                .lines()
                .map(AdvertLine::parse)
                .flatMap(Optional::stream)
                .filter(a -> a.source().equals(Lab.ipv4("n1")) && a.priority() > 0)
                .filter(a -> a.epochMicros() >= spawnMicros)
                .findFirst();
        if (first.isPresent()) {
          double ms = (first.get().epochMicros() - spawnMicros) / 1000.0;
          rig.say(
              "%-10s start-up %d: first advert %.1f ms after spawn (ready %.1f ms)",
              system, i, ms, ms - mdi);
          return new StartupSample(system, i, INTERVAL_MS, true, null, ms, mdi, ms - mdi);
        }
        if (System.nanoTime() - deadline > 0) {
          throw new StepFailedException("no advert within " + ADVERT_TIMEOUT.toSeconds() + " s");
        }
        LockSupport.parkNanos(5_000_000);
      }
    } catch (RuntimeException e) {
      rig.say("%s start-up %d FAILED: %s", system, i, e.getMessage());
      return new StartupSample(system, i, INTERVAL_MS, false, e.getMessage(), null, mdi, null);
    } finally {
      rig.stopDaemons();
    }
  }

  private static void awaitListening(LabProcess sniffer) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!sniffer.log().contains("listening on")) {
      if (!sniffer.isAlive() || System.nanoTime() - deadline > 0) {
        throw new StepFailedException("tcpdump did not start: " + sniffer.log());
      }
      LockSupport.parkNanos(10_000_000);
    }
  }
}
