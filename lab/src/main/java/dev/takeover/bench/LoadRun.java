package dev.takeover.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.takeover.bench.BenchResult.LoadResult;
import dev.takeover.control.ControlClient;
import dev.takeover.control.ControlRequest;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import dev.takeover.lab.ProbeEvent;
import dev.takeover.lab.ProbeReport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Safety under load: a takeover pair (n1/n2, VRID 51) and a keepalived pair (n3/n4, VRID 52) run at
 * the same time with 10 ms adverts while busy loops occupy every core. Any backup → master
 * transition is a false failover; the client's probes (answerer changes, lost probes) confirm it.
 */
final class LoadRun {
  static final int INTERVAL_MS = 10;
  static final String TAKEOVER_VIP = "198.18.0.50";
  static final String KEEPALIVED_VIP = "198.18.0.51";
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

  private LoadRun() {}

  static List<LoadResult> run(
      Rig rig, BenchOptions options, String takeoverSettings, String keepalivedSettings) {
    Path dir = rig.work.resolve("load");
    Duration hold = Duration.ofMillis(500);
    NodeConfig t1 = pairConfig("n1", 51, 200, TAKEOVER_VIP);
    NodeConfig t2 = pairConfig("n2", 51, 100, TAKEOVER_VIP);
    NodeConfig k1 = pairConfig("n3", 52, 200, KEEPALIVED_VIP);
    NodeConfig k2 = pairConfig("n4", 52, 100, KEEPALIVED_VIP);
    List<Process> burners = new java.util.concurrent.CopyOnWriteArrayList<>();
    // Busy loops are not in a lab namespace, so the lab's own Ctrl-C cleanup would miss them.
    Thread stopBurners = new Thread(() -> burners.forEach(Rig::kill), "bench-stop-burners");
    Runtime.getRuntime().addShutdownHook(stopBurners);
    ProbeWatch takeoverProbe = null;
    ProbeWatch keepalivedProbe = null;
    int cores = Runtime.getRuntime().availableProcessors();
    try {
      rig.reset(List.of(TAKEOVER_VIP, KEEPALIVED_VIP));
      takeoverProbe = ProbeWatch.start(rig.lab, TAKEOVER_VIP);
      keepalivedProbe = ProbeWatch.start(rig.lab, KEEPALIVED_VIP);
      rig.start(NodeDaemon.Kind.TAKEOVER, t1, dir);
      rig.start(NodeDaemon.Kind.KEEPALIVED, k1, dir);
      takeoverProbe.awaitSteady("n1", System.nanoTime(), hold, Rig.STARTUP);
      keepalivedProbe.awaitSteady("n3", System.nanoTime(), hold, Rig.STARTUP);
      NodeDaemon tb = rig.start(NodeDaemon.Kind.TAKEOVER, t2, dir);
      NodeDaemon kb = rig.start(NodeDaemon.Kind.KEEPALIVED, k2, dir);
      Rig.awaitBackup(tb, Rig.STARTUP);
      Rig.awaitBackup(kb, Rig.STARTUP);
      takeoverProbe.awaitSteady("n1", System.nanoTime(), Duration.ofSeconds(1), Rig.STARTUP);
      keepalivedProbe.awaitSteady("n3", System.nanoTime(), Duration.ofSeconds(1), Rig.STARTUP);

      ProbeWatch.Mark takeoverMark = takeoverProbe.mark();
      ProbeWatch.Mark keepalivedMark = keepalivedProbe.mark();
      int keepalivedLinesBefore = kb.stateLines().size();
      long start = System.nanoTime();
      for (int i = 0; i < cores; i++) {
        burners.add(burner());
      }
      rig.say(
          "load: %d busy loops on %d cores for %d s; takeover n1/n2 and keepalived n3/n4,"
              + " %d ms adverts",
          cores, cores, options.loadDuration().toSeconds(), INTERVAL_MS);
      long end = start + options.loadDuration().toNanos();
      long nextProgress = start + PROGRESS_EVERY.toNanos();
      while (System.nanoTime() - end < 0) {
        LockSupport.parkNanos(Math.min(end - System.nanoTime(), 1_000_000_000L));
        if (System.nanoTime() - nextProgress >= 0) {
          rig.say(
              "load: %.0f s of %d s",
              (System.nanoTime() - start) / 1e9, options.loadDuration().toSeconds());
          nextProgress += PROGRESS_EVERY.toNanos();
        }
      }
      burners.forEach(Rig::kill);
      burners.clear();
      double seconds = (System.nanoTime() - start) / 1e9;
      List<String> takeoverHolders = holders(rig, List.of("n1", "n2"), TAKEOVER_VIP);
      List<String> keepalivedHolders = holders(rig, List.of("n3", "n4"), KEEPALIVED_VIP);

      List<LoadResult> results = new ArrayList<>();
      // takeover: state changes to MASTER in the backup's journal since the load began.
      List<String> transitions = new ArrayList<>();
      int takeoverFalse = 0;
      for (String node : List.of("n1", "n2")) {
        for (JournalScan.StateChange c :
            JournalScan.stateChanges(
                JournalScan.readLines(NodeConfig.stateDir(dir, node).resolve("journal.jsonl")),
                start)) {
          transitions.add(
              "%s +%.1fs %s->%s (%s)"
                  .formatted(
                      node, (c.monotonicNanos() - start) / 1e9, c.from(), c.to(), c.reason()));
          if (node.equals("n2") && "MASTER".equals(c.to())) {
            takeoverFalse++;
          }
        }
      }
      Map<String, JsonNode> runtime = new LinkedHashMap<>();
      for (String node : List.of("n1", "n2")) {
        statusRuntime(NodeConfig.stateDir(dir, node).resolve("control.sock"))
            .ifPresent(r -> runtime.put(node, r));
      }
      results.add(
          result(
              "takeover",
              seconds,
              cores,
              takeoverSettings,
              takeoverFalse,
              transitions,
              takeoverProbe.stop(),
              takeoverMark,
              takeoverHolders,
              runtime));

      // keepalived: "Entering MASTER STATE" lines of the backup since the load began.
      List<String> kLines = kb.stateLines();
      List<String> kTransitions =
          new ArrayList<>(
              kLines.subList(Math.min(keepalivedLinesBefore, kLines.size()), kLines.size()).stream()
                  .map(l -> "n4 " + l.strip())
                  .toList());
      int keepalivedFalse =
          (int) kTransitions.stream().filter(l -> l.contains("Entering MASTER STATE")).count();
      results.add(
          result(
              "keepalived",
              seconds,
              cores,
              keepalivedSettings,
              keepalivedFalse,
              kTransitions,
              keepalivedProbe.stop(),
              keepalivedMark,
              keepalivedHolders,
              Map.of()));
      for (LoadResult r : results) {
        rig.say(
            "load %-10s: %d false failover(s), %d answerer change(s), %d lost probes;"
                + " answered by %s, VIP on %s at the end",
            r.system(),
            r.falseFailovers(),
            r.answererChanges(),
            r.lostProbes(),
            r.answeredAfter(),
            r.vipHoldersAfter());
      }
      return results;
    } catch (RuntimeException e) {
      rig.say("load FAILED: %s", e.getMessage());
      return List.of(
          failed("takeover", e, takeoverSettings), failed("keepalived", e, keepalivedSettings));
    } finally {
      burners.forEach(Rig::kill);
      try {
        Runtime.getRuntime().removeShutdownHook(stopBurners);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: it kills them
      }
      if (takeoverProbe != null) {
        takeoverProbe.stop();
      }
      if (keepalivedProbe != null) {
        keepalivedProbe.stop();
      }
      rig.stopDaemons();
    }
  }

  private static List<String> holders(Rig rig, List<String> nodes, String vip) {
    return nodes.stream().filter(n -> rig.lab.hasAddress(n, vip)).toList();
  }

  private static NodeConfig pairConfig(String node, int vrid, int priority, String vip) {
    return new NodeConfig(
        node,
        "web",
        vrid,
        dev.takeover.lab.Lab.INTERFACE,
        priority,
        Duration.ofMillis(INTERVAL_MS),
        true,
        List.of(vip + "/24"),
        List.of(),
        "");
  }

  /** A busy loop in its own process, so the bench can stop exactly it by PID. */
  private static Process burner() {
    try {
      return new ProcessBuilder("sh", "-c", "while :; do :; done")
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new StepFailedException("cannot start a CPU burner: " + e.getMessage(), e);
    }
  }

  private static LoadResult result(
      String system,
      double seconds,
      int burners,
      String settings,
      int falseFailovers,
      List<String> transitions,
      ProbeReport probe,
      ProbeWatch.Mark mark,
      List<String> holders,
      Map<String, JsonNode> runtime) {
    List<ProbeEvent.Outage> outages = new ArrayList<>(ProbeWatch.outagesSince(probe, mark));
    if (probe.ongoingOutage() != null) {
      outages.add(probe.ongoingOutage()); // still losing probes when the load ended
    }
    Double maxLate = null;
    Long pauses = null;
    for (JsonNode r : runtime.values()) {
      Double late = maxTimerLatenessMs(r);
      if (late != null) {
        maxLate = maxLate == null ? late : Math.max(maxLate, late);
      }
      Long p = pauseCount(r);
      if (p != null) {
        pauses = pauses == null ? p : pauses + p;
      }
    }
    return new LoadResult(
        system,
        true,
        null,
        seconds,
        burners,
        settings,
        falseFailovers,
        transitions,
        ProbeWatch.changesSince(probe, mark).size(),
        outages.stream().mapToLong(ProbeEvent.Outage::lost).sum(),
        outages.stream().mapToDouble(ProbeEvent.Outage::durationMs).max().orElse(0),
        probe.currentAnswerer().orElse(null),
        holders,
        runtime,
        maxLate,
        pauses);
  }

  private static LoadResult failed(String system, RuntimeException e, String settings) {
    return new LoadResult(
        system,
        false,
        String.valueOf(e.getMessage()),
        0,
        0,
        settings,
        0,
        List.of(),
        0,
        0,
        0,
        null,
        List.of(),
        Map.of(),
        null,
        null);
  }

  /** The {@code runtime} object of {@code status --json}, if this daemon reports one. */
  private static java.util.Optional<JsonNode> statusRuntime(Path socket) {
    try {
      JsonNode response = new ControlClient(socket).call(new ControlRequest.Status());
      JsonNode runtime = response.path("result").path("runtime");
      return runtime.isMissingNode() || runtime.isNull()
          ? java.util.Optional.empty()
          : java.util.Optional.of(runtime);
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /** The largest engine lateness in a {@code runtime} object ({@code lateMaxUs}), in ms. */
  static Double maxTimerLatenessMs(JsonNode runtime) {
    JsonNode v = runtime.path("lateMaxUs");
    return v.isNumber() ? v.asDouble() / 1000 : null;
  }

  /** Stalls the daemon counted ({@code stalls}: engine runs at least 5 ms late). */
  static Long pauseCount(JsonNode runtime) {
    JsonNode v = runtime.path("stalls");
    return v.isIntegralNumber() ? v.asLong() : null;
  }
}
