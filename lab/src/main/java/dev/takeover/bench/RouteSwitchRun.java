package dev.takeover.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.takeover.bench.BenchResult.RouteSample;
import dev.takeover.lab.Lab;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Route failover and switchback as a client behind the gateway sees them (the {@code routes}
 * scenario, issue 11, docs/LINKS.md "Routes"). A takeover pair with node links on both LANs and
 * n1's route to the client subnet 198.18.100.0/24 via LAN A, else LAN B. The client ({@value
 * Lab#FAR_CLIENT}, in the gateway's namespace) probes n1's LAN B address every millisecond; n1's
 * answers follow n1's route back, and their source address tells the LAN (n1's LAN A address while
 * the route uses eth0, its LAN B address once it uses eth1). Per repetition: n1's LAN A port is cut
 * at the switch; <b>switch</b> = from the cut to the first answer over LAN B; once path A is DOWN
 * (misses × heartbeat), the port is healed; <b>switchback</b> = from the heal to the first answer
 * over LAN A again (path A UP after goods × heartbeat, then the route back). The kernel's side
 * comes from n1's journal: {@code route.changed} to eth1 and back, on the same monotonic clock.
 */
final class RouteSwitchRun {
  static final List<Integer> HEARTBEATS_MS = List.of(1000, 100);
  static final int MISSES = 3;
  static final int GOODS = 3;
  static final String DESTINATION = "198.18.100.0/24";
  private static final Duration ADVERTS = Duration.ofSeconds(1);
  private static final Duration HOLD = Duration.ofMillis(300);

  private RouteSwitchRun() {}

  static List<RouteSample> run(Rig rig, BenchOptions options) {
    List<RouteSample> samples = new ArrayList<>();
    rig.ensureSecondLan();
    Path base = rig.work.resolve("routes");
    Path key = LinkCutRun.keyFile(base);
    var target = new InetSocketAddress(InetAddress.ofLiteral(Lab.lanBIpv4("n1")), ProbeWatch.PORT);
    try (RouteProbe probe = RouteProbe.start(rig.lab.nsName(Lab.GATEWAY), Lab.FAR_CLIENT, target)) {
      for (int heartbeatMs : HEARTBEATS_MS) {
        samples.addAll(
            pair(rig, probe, base.resolve(heartbeatMs + "ms"), key, heartbeatMs, options));
      }
    } finally {
      rig.reset(List.of(FailoverCycle.VIP));
    }
    return samples;
  }

  private static List<RouteSample> pair(
      Rig rig, RouteProbe probe, Path dir, Path key, int heartbeatMs, BenchOptions options) {
    List<RouteSample> samples = new ArrayList<>();
    Duration heartbeat = Duration.ofMillis(heartbeatMs);
    NodeDaemon n1;
    try {
      rig.reset(List.of(FailoverCycle.VIP));
      n1 = rig.start(NodeDaemon.Kind.TAKEOVER, config("n1", 200, key, heartbeat), dir);
      rig.awaitVip("n1", FailoverCycle.VIP, Rig.STARTUP);
      NodeDaemon n2 = rig.start(NodeDaemon.Kind.TAKEOVER, config("n2", 100, key, heartbeat), dir);
      Rig.awaitBackup(n2, Rig.STARTUP);
      LinkCutRun.awaitBothPathsUp(n1);
      await(() -> viaLanA(rig), Duration.ofSeconds(10), "n1's route via eth0");
      awaitSteady(probe, LAN_A, HOLD, Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      rig.stopDaemons();
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      rig.say("routes %4d ms heartbeats: FAILED to start: %s", heartbeatMs, message);
      for (int rep = 1; rep <= options.reps(); rep++) {
        samples.add(RouteSample.failed(heartbeatMs, rep, message));
      }
      return samples;
    }
    Path journal = NodeConfig.stateDir(dir, "n1").resolve("journal.jsonl");
    try {
      for (int rep = 1; rep <= options.reps(); rep++) {
        RouteSample s = once(rig, probe, n1, journal, heartbeatMs, rep);
        rig.say(
            "routes %4d ms heartbeats #%d: %s",
            heartbeatMs,
            rep,
            s.ok()
                ? ("switch %.1f ms (route.changed %s ms, %d probes lost), switchback %.1f ms"
                        + " (route.changed %s ms, %d lost)")
                    .formatted(
                        s.switchMs(),
                        MarkdownReport.ms(s.kernelSwitchMs()),
                        s.lostAtCut(),
                        s.switchbackMs(),
                        MarkdownReport.ms(s.kernelSwitchbackMs()),
                        s.lostAtHeal())
                : "FAILED: " + s.error());
        samples.add(s);
        if (!s.ok() && !n1.process().isAlive()) {
          for (int r = rep + 1; r <= options.reps(); r++) {
            samples.add(RouteSample.failed(heartbeatMs, r, "n1's daemon exited"));
          }
          break;
        }
      }
    } finally {
      rig.stopDaemons();
      rig.lab.healPort("n1");
    }
    return samples;
  }

  private static final String LAN_A = Lab.ipv4("n1");
  private static final String LAN_B = Lab.lanBIpv4("n1");

  private static RouteSample once(
      Rig rig, RouteProbe probe, NodeDaemon n1, Path journal, int heartbeatMs, int rep) {
    Duration heartbeat = Duration.ofMillis(heartbeatMs);
    try {
      probe.clear();
      Double load = ProcFs.loadAverage();
      long downBefore = pathALines(n1, "DOWN");
      long cut = System.nanoTime();
      rig.lab.cutPort("n1");
      Double switchMs =
          await(
              () -> RouteProbe.firstFrom(probe.answers(), LAN_B, cut),
              Duration.ofSeconds(10),
              "an answer over LAN B after the cut");
      Double kernelSwitch =
          awaitOrNull(() -> routeChangedMs(journal, "eth1", cut), Duration.ofSeconds(5));
      long lostAtCut = probe.unanswered(cut, cut + (long) (switchMs * 1e6));
      // Heal only once path A is DOWN: a port back before that never made LAN A unhealthy by its
      // paths, and the route would return at the carrier alone.
      await(
          () -> pathALines(n1, "DOWN") > downBefore ? Boolean.TRUE : null,
          heartbeat.multipliedBy(MISSES + 2).plusSeconds(5),
          "n1's path A DOWN");
      long heal = System.nanoTime();
      rig.lab.healPort("n1");
      Double switchbackMs =
          await(
              () -> RouteProbe.firstFrom(probe.answers(), LAN_A, heal),
              heartbeat.multipliedBy(GOODS + 2).plusSeconds(10),
              "an answer over LAN A after the heal");
      Double kernelSwitchback =
          awaitOrNull(() -> routeChangedMs(journal, "eth0", heal), Duration.ofSeconds(5));
      long lostAtHeal = probe.unanswered(heal, heal + (long) (switchbackMs * 1e6));
      awaitSteady(probe, LAN_A, HOLD, Duration.ofSeconds(10));
      return new RouteSample(
          heartbeatMs,
          rep,
          true,
          null,
          switchMs,
          kernelSwitch,
          lostAtCut,
          switchbackMs,
          kernelSwitchback,
          lostAtHeal,
          load);
    } catch (RuntimeException e) {
      rig.lab.healPort("n1");
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      return RouteSample.failed(heartbeatMs, rep, message);
    }
  }

  /** Both nodes: node links on both LANs, and the route to the client subnet via A, else B. */
  static NodeConfig config(String node, int priority, Path key, Duration heartbeat) {
    String routes =
        "  routes:\n"
            + "    - destination: "
            + DESTINATION
            + "\n"
            + "      via:\n"
            + "        - {interface: eth0, gateway: "
            + Lab.GATEWAY_LAN_A
            + "}\n"
            + "        - {interface: eth1, gateway: "
            + Lab.GATEWAY_LAN_B
            + "}\n";
    return NodeConfig.of(node, priority, ADVERTS, FailoverCycle.VIP + "/24")
        .withGroupYaml(NodeConfig.twoLanLinksYaml(node, key, heartbeat, MISSES, GOODS, routes));
  }

  private static Boolean viaLanA(Rig rig) {
    return rig.lab.route("n1", DESTINATION).contains("dev eth0") ? Boolean.TRUE : null;
  }

  /** Lines of n1's log saying its LAN A path went {@code state}. */
  private static long pathALines(NodeDaemon n1, String state) {
    String path = Lab.ipv4("n1") + " -> " + Lab.ipv4("n2") + " is " + state;
    return n1.process().log().lines().filter(l -> l.contains(path)).count();
  }

  /** From {@code sinceNanos} to n1's first {@code route.changed} onto {@code iface} after it. */
  private static Double routeChangedMs(Path journal, String iface, long sinceNanos) {
    for (JsonNode e :
        JournalScan.events(JournalScan.readLines(journal), JournalScan.ROUTE_CHANGED, sinceNanos)) {
      if (DESTINATION.equals(e.path("fields").path("destination").asText())
          && iface.equals(e.path("fields").path("interface").asText())) {
        return (e.path("monotonicNanos").asLong() - sinceNanos) / 1e6;
      }
    }
    return null;
  }

  /**
   * Waits until every probe sent over {@code hold} was answered from {@code from} (probes of the
   * last 20 ms may still be in flight and are not judged).
   */
  private static void awaitSteady(RouteProbe probe, String from, Duration hold, Duration timeout) {
    long start = System.nanoTime();
    await(
        () -> {
          long now = System.nanoTime();
          long end = now - 20_000_000;
          long begin = end - hold.toNanos();
          if (begin - start < 0) {
            return null;
          }
          boolean allFrom =
              probe.answers().stream()
                  .filter(a -> a.sentNanos() - begin >= 0 && a.sentNanos() - end < 0)
                  .allMatch(a -> a.from().equals(from));
          return (allFrom && probe.unanswered(begin, end) == 0) ? Boolean.TRUE : null;
        },
        timeout,
        "every probe answered over " + from + " for " + hold.toMillis() + " ms");
  }

  private static <T> T await(Supplier<T> value, Duration timeout, String what) {
    T v = awaitOrNull(value, timeout);
    if (v == null) {
      throw new StepFailedException(what + " within " + timeout.toMillis() + " ms");
    }
    return v;
  }

  private static <T> T awaitOrNull(Supplier<T> value, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T v = value.get();
      if (v != null || System.nanoTime() - deadline > 0) {
        return v;
      }
      LockSupport.parkNanos(5_000_000);
    }
  }
}
