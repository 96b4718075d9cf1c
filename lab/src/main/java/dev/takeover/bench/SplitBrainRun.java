package dev.takeover.bench;

import dev.takeover.bench.BenchResult.SplitBrainSample;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import dev.takeover.lab.ProbeEvent;
import dev.takeover.lab.ProbeReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Split brain with VRRP multicast blocked on LAN A (the {@code split-brain} scenario, issue 11,
 * docs/LINKS.md "The guard"): both nodes run, n1 master, then n2 drops VRRP multicast in and out
 * (nftables, {@link dev.takeover.lab.Lab#blockVrrpMulticast}), so neither hears the other's adverts
 * while LAN A carries everything else. Three variants: takeover with node links on both LANs and
 * the guard on the group, the same without the guard, and keepalived (which has neither). Over a
 * fixed window from the block, the bench polls both nodes' {@code eth0} and sums the time during
 * which both hold the VIP; the client's 1 ms probes of the VIP say whether it kept reaching n1.
 */
final class SplitBrainRun {
  /** How long after the block both nodes are watched: ~2.8 Master_Down_Intervals at 1 s adverts. */
  static final Duration WINDOW = Duration.ofSeconds(10);

  private static final Duration HEARTBEAT = Duration.ofMillis(100);

  /** The three variants, in the order of odd repetitions (even ones reverse it). */
  static final List<String> VARIANTS = List.of("takeover+guard", "takeover", "keepalived");

  private SplitBrainRun() {}

  static List<SplitBrainSample> run(Rig rig, BenchOptions options) {
    List<SplitBrainSample> samples = new ArrayList<>();
    rig.ensureSecondLan();
    Path base = rig.work.resolve("split-brain");
    Path key = LinkCutRun.keyFile(base);
    try (ProbeWatch probe = ProbeWatch.start(rig.lab, FailoverCycle.VIP)) {
      for (int interval : options.intervalsMs()) {
        for (int rep = 1; rep <= options.reps(); rep++) {
          List<String> order = rep % 2 == 1 ? VARIANTS : VARIANTS.reversed();
          for (String variant : order) {
            SplitBrainSample s = once(rig, probe, base, key, variant, interval, rep);
            rig.say(
                "split-brain %-14s %4d ms #%d: %s",
                variant,
                interval,
                rep,
                s.ok()
                    ? ("both held the VIP %.2f s of %d s (first after %s ms); client: %s, %d"
                            + " probes lost")
                        .formatted(
                            s.bothSeconds(),
                            WINDOW.toSeconds(),
                            MarkdownReport.ms(s.firstBothMs()),
                            s.clientStayedOnN1() ? "stayed on n1" : "answered by " + s.answerers(),
                            s.lostProbes())
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

  private static SplitBrainSample once(
      Rig rig, ProbeWatch probe, Path base, Path key, String variant, int intervalMs, int rep) {
    NodeDaemon.Kind kind =
        variant.startsWith("takeover") ? NodeDaemon.Kind.TAKEOVER : NodeDaemon.Kind.KEEPALIVED;
    boolean guard = variant.equals("takeover+guard");
    Path dir = base.resolve(variant.replace('+', '-') + "-" + intervalMs + "ms-" + rep);
    long pollCount = 0;
    try {
      rig.reset(List.of(FailoverCycle.VIP));
      Duration interval = Duration.ofMillis(intervalMs);
      Duration hold = interval.multipliedBy(2).plusMillis(200);
      rig.start(kind, config("n1", 200, interval, kind, guard, key), dir);
      probe.awaitSteady("n1", System.nanoTime(), hold, Rig.STARTUP);
      NodeDaemon d2 = rig.start(kind, config("n2", 100, interval, kind, guard, key), dir);
      Rig.awaitBackup(d2, Rig.STARTUP);
      if (kind == NodeDaemon.Kind.TAKEOVER) {
        LinkCutRun.awaitBothPathsUp(d2);
      }
      probe.awaitSteady("n1", System.nanoTime(), hold.plus(interval.multipliedBy(3)), Rig.STARTUP);
      ProbeWatch.Mark mark = probe.mark();
      long blocked = System.nanoTime();
      rig.lab.blockVrrpMulticast("n2");
      long end = blocked + WINDOW.toNanos();
      long both = 0;
      long firstBoth = -1;
      long previous = System.nanoTime();
      while (true) {
        boolean n1 = rig.lab.hasAddress("n1", FailoverCycle.VIP);
        boolean n2 = rig.lab.hasAddress("n2", FailoverCycle.VIP);
        long now = System.nanoTime();
        pollCount++;
        // The state seen now is charged for the time since the last poll: the sum is accurate to
        // about one poll (a few ms: two forks of ip).
        if (n1 && n2) {
          both += Math.min(now, end) - previous;
          if (firstBoth < 0) {
            firstBoth = now;
          }
        }
        previous = now;
        if (now - end >= 0) {
          break;
        }
      }
      ProbeReport report = probe.snapshot();
      List<ProbeEvent.AnswererChanged> changes = ProbeWatch.changesSince(report, mark);
      List<ProbeEvent.Outage> outages = ProbeWatch.outagesSince(report, mark);
      List<String> answerers = changes.stream().map(ProbeEvent.AnswererChanged::to).toList();
      long lost =
          outages.stream().mapToLong(ProbeEvent.Outage::lost).sum()
              + (report.ongoingOutage() == null ? 0 : report.ongoingOutage().lost());
      boolean stayed =
          answerers.isEmpty() && lost == 0 && "n1".equals(report.currentAnswerer().orElse(null));
      return new SplitBrainSample(
          variant,
          intervalMs,
          rep,
          true,
          null,
          WINDOW.toMillis() / 1000.0,
          both / 1e9,
          firstBoth < 0 ? null : (firstBoth - blocked) / 1e6,
          stayed,
          answerers,
          lost,
          (end - blocked) / 1e6 / Math.max(1, pollCount));
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      return new SplitBrainSample(
          variant,
          intervalMs,
          rep,
          false,
          message,
          WINDOW.toMillis() / 1000.0,
          null,
          null,
          false,
          List.of(),
          0,
          null);
    } finally {
      rig.stopDaemons();
      rig.lab.unblockVrrpMulticast("n2");
    }
  }

  /** Takeover gets node links on both LANs (and the guard if asked); keepalived the bare group. */
  private static NodeConfig config(
      String node, int priority, Duration interval, NodeDaemon.Kind kind, boolean guard, Path key) {
    NodeConfig c = NodeConfig.of(node, priority, interval, FailoverCycle.VIP + "/24");
    if (kind != NodeDaemon.Kind.TAKEOVER) {
      return c;
    }
    return c.withGroupYaml(
        NodeConfig.twoLanLinksYaml(node, key, HEARTBEAT, 3, 3, guard ? "  guard: [web]\n" : ""));
  }
}
