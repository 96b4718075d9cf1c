package dev.takeover.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.takeover.bench.BenchResult.FailoverSample;
import dev.takeover.control.ControlClient;
import dev.takeover.control.ControlRequest;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import dev.takeover.lab.ProbeEvent;
import dev.takeover.lab.ProbeReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * One pass of the failover cycle on a two-node pair, for one system at one advert interval:
 *
 * <pre>
 * n1 master ─ link down n1 (link) ─ link up n1 (preempt-back) ─ kill -9 n1 (kill)
 *   ─ restart n1 (preempt-back) ─ SIGTERM n1 (graceful) ─ restart n1 (preempt-back)
 *   ─ move to n2 (move) ─ move back to n1 (move-back)
 * </pre>
 *
 * <p>Every step is measured from just before its action to the steady state: the expected node
 * answering every probe for {@link #hold}. A step that does not get there within its timeout is a
 * failed sample and ends the cycle (the pair's state is then unknown); the next cycle starts from a
 * clean lab.
 */
final class FailoverCycle {
  static final String VIP = "198.18.0.50";
  static final String GROUP = "web";
  private static final int MASTER_PRIORITY = 200;
  private static final int BACKUP_PRIORITY = 100;

  /** keepalived's planned move: the target's priority raised above the master's, then SIGHUP. */
  static final int KEEPALIVED_MOVE_PRIORITY = 250;

  private final Rig rig;
  private final NodeDaemon.Kind kind;
  private final String system;
  private final Duration interval;
  private final int rep;
  private final BenchOptions options;
  private final Path dir;
  private final Duration hold;
  private final Duration failoverTimeout;
  private final List<FailoverSample> samples = new ArrayList<>();
  private final NodeConfig n1;
  private final NodeConfig n2;
  private ProbeWatch probe;
  private NodeDaemon d1;
  private NodeDaemon d2;

  FailoverCycle(Rig rig, NodeDaemon.Kind kind, int intervalMs, int rep, BenchOptions options) {
    this.rig = rig;
    this.kind = kind;
    this.system = Rig.system(kind);
    this.interval = Duration.ofMillis(intervalMs);
    this.rep = rep;
    this.options = options;
    this.dir = rig.work.resolve(system + "-" + intervalMs + "ms-" + rep);
    // "Steady": a few adverts and at least 200 ms of every probe answered by the expected node.
    this.hold = max(Duration.ofMillis(200), interval.multipliedBy(3));
    this.failoverTimeout = Duration.ofSeconds(15).plus(interval.multipliedBy(10));
    this.n1 = NodeConfig.of("n1", MASTER_PRIORITY, interval, VIP + "/24");
    this.n2 = NodeConfig.of("n2", BACKUP_PRIORITY, interval, VIP + "/24");
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  List<FailoverSample> run() {
    String step = "setup";
    try {
      rig.reset(List.of(VIP));
      probe = ProbeWatch.start(rig.lab, VIP);
      // Master first, the backup once the master answers: started together, the backup's process
      // may win the start-up race and claim the VIP for a moment, which is start-up noise.
      d1 = rig.start(kind, n1, dir);
      probe.awaitSteady("n1", System.nanoTime(), hold, Rig.STARTUP);
      d2 = rig.start(kind, n2, dir);
      Rig.awaitBackup(d2, Rig.STARTUP);
      probe.awaitSteady("n1", System.nanoTime(), max(hold, interval.multipliedBy(5)), Rig.STARTUP);

      boolean link = options.has("link");
      boolean kill = options.has("kill");
      boolean graceful = options.has("graceful");
      boolean preempt = options.has("preempt-back");
      if (preempt && !link && !kill && !graceful) {
        link = kill = graceful = true; // preempt-back needs something to come back from
      }
      if (link) {
        step = "link";
        measure("link", "link-down", "n2", options.has("link"), () -> rig.lab.linkDown("n1"));
        step = "preempt-back";
        measure("preempt-back", "link-up", "n1", preempt, () -> rig.lab.linkUp("n1"));
      }
      if (kill) {
        step = "kill";
        measure("kill", "sigkill", "n2", options.has("kill"), () -> d1.crash());
        step = "preempt-back";
        measure(
            "preempt-back",
            "restart-after-kill",
            "n1",
            preempt,
            () -> d1 = rig.start(kind, n1, dir));
      }
      if (graceful) {
        step = "graceful";
        measure(
            "graceful",
            "sigterm",
            "n2",
            options.has("graceful"),
            () -> d1.terminate(Duration.ofSeconds(10)));
        step = "preempt-back";
        measure(
            "preempt-back",
            "restart-after-sigterm",
            "n1",
            preempt,
            () -> d1 = rig.start(kind, n1, dir));
      }
      if (options.has("move")) {
        step = "move";
        measure("move", "move-to-n2", "n2", true, this::moveToN2);
        step = "move-back";
        measure("move-back", "move-to-n1", "n1", true, this::moveBackToN1);
      }
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      samples.add(failed(step, message));
      rig.say(
          "%s %d ms rep %d: %s FAILED: %s (logs in %s)",
          system, interval.toMillis(), rep, step, message, dir);
    } finally {
      if (probe != null) {
        probe.stop();
      }
      rig.stopDaemons();
    }
    return samples;
  }

  /**
   * Runs {@code action} and waits for {@code expected} to answer steadily; records a sample when
   * {@code record}.
   */
  private void measure(
      String scenario, String cause, String expected, boolean record, Runnable action) {
    ProbeWatch.Mark mark = probe.mark();
    long actionNanos = System.nanoTime();
    action.run();
    ProbeReport report = probe.awaitSteady(expected, actionNanos, hold, failoverTimeout);
    if (!record) {
      return;
    }
    List<ProbeEvent.Outage> outages = ProbeWatch.outagesSince(report, mark);
    List<ProbeEvent.AnswererChanged> changes = ProbeWatch.changesSince(report, mark);
    Double switchMs =
        changes.stream()
            .filter(c -> c.to().equals(expected))
            .findFirst()
            .map(c -> (c.receiveNanos() - actionNanos) / 1e6)
            .orElse(null);
    Boolean vipLeft = scenario.equals("kill") ? rig.lab.hasAddress("n1", VIP) : null;
    JsonNode timeline =
        kind == NodeDaemon.Kind.TAKEOVER && (scenario.equals("link") || scenario.equals("kill"))
            ? timeline(expected, actionNanos).orElse(null)
            : null;
    FailoverSample sample =
        new FailoverSample(
            system,
            (int) interval.toMillis(),
            rep,
            scenario,
            cause,
            true,
            null,
            outages.stream().mapToDouble(ProbeEvent.Outage::durationMs).sum(),
            outages.stream().mapToLong(ProbeEvent.Outage::lost).sum(),
            outages.size(),
            mark.answerer(),
            report.currentAnswerer().orElse(null),
            changes.stream().map(ProbeEvent.AnswererChanged::to).toList(),
            switchMs,
            vipLeft,
            timeline);
    samples.add(sample);
    rig.say(
        "%-10s %4d ms rep %d  %-12s outage %7.1f ms (%d lost) %s→%s%s",
        system,
        interval.toMillis(),
        rep,
        scenario,
        sample.outageMs(),
        sample.lostProbes(),
        sample.answeredBefore(),
        sample.answeredAfter(),
        vipLeft == null ? "" : vipLeft ? ", VIP left on n1" : ", VIP gone from n1");
  }

  private FailoverSample failed(String scenario, String error) {
    return new FailoverSample(
        system,
        (int) interval.toMillis(),
        rep,
        scenario,
        null,
        false,
        error,
        0,
        0,
        0,
        null,
        null,
        List.of(),
        null,
        null,
        null);
  }

  /** The new master's transition.timeline event for this step, if its journal has one. */
  private Optional<JsonNode> timeline(String node, long sinceNanos) {
    Path journal = NodeConfig.stateDir(dir, node).resolve("journal.jsonl");
    long deadline = System.nanoTime() + Duration.ofMillis(300).toNanos();
    while (true) {
      // The journal is written by its own thread: give a late line a moment.
      Optional<JsonNode> found =
          JournalScan.timelines(JournalScan.readLines(journal), sinceNanos).stream()
              .filter(t -> t.to() == null || t.to().equals("MASTER"))
              .findFirst()
              .map(JournalScan.Timeline::fields);
      if (found.isPresent() || System.nanoTime() - deadline > 0) {
        return found;
      }
      LockSupport.parkNanos(20_000_000);
    }
  }

  // ------------------------------------------------------------ planned moves, each system's way

  private void moveToN2() {
    switch (kind) {
      case TAKEOVER -> takeoverMove("n1", "n2"); // asked of the master: it lowers itself
      case KEEPALIVED -> keepalivedPriority(d2, n2.withPriority(KEEPALIVED_MOVE_PRIORITY));
    }
  }

  private void moveBackToN1() {
    switch (kind) {
      case TAKEOVER -> takeoverMove("n1", "n1"); // asked of n1: it raises itself back
      case KEEPALIVED -> keepalivedPriority(d2, n2);
    }
  }

  /** What {@code takeover move GROUP --to NODE --socket ...} sends, on {@code node}'s socket. */
  private void takeoverMove(String node, String to) {
    Path socket = NodeConfig.stateDir(dir, node).resolve("control.sock");
    try {
      JsonNode response = new ControlClient(socket).call(new ControlRequest.Move(GROUP, to));
      if (!response.path("ok").asBoolean(false)
          || !response.path("result").path("accepted").asBoolean(true)) {
        throw new StepFailedException("move refused: " + response);
      }
    } catch (IOException e) {
      throw new StepFailedException("move via " + socket + ": " + e.getMessage(), e);
    }
  }

  /** keepalived's usual practice: rewrite the node's configuration, then SIGHUP. */
  private void keepalivedPriority(NodeDaemon daemon, NodeConfig config) {
    try {
      Files.writeString(
          daemon.configFile(),
          NodeDaemon.keepalivedConf(config, rig.launch.keepalivedGlobalDefs()));
    } catch (IOException e) {
      throw new StepFailedException("cannot rewrite " + daemon.configFile(), e);
    }
    daemon.reload();
  }
}
