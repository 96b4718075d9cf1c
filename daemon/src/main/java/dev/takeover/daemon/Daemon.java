package dev.takeover.daemon;

import dev.takeover.clock.Clock;
import dev.takeover.config.GroupConfig;
import dev.takeover.config.TakeoverConfig;
import dev.takeover.control.ControlProtocol;
import dev.takeover.control.ControlServer;
import dev.takeover.control.RuntimeView;
import dev.takeover.effect.Recorder;
import dev.takeover.effect.StaleRoutes;
import dev.takeover.engine.Engine;
import dev.takeover.engine.Event;
import dev.takeover.engine.LinkRuntime;
import dev.takeover.engine.TimerLateness;
import dev.takeover.hook.HookRunner;
import dev.takeover.journal.Events;
import dev.takeover.journal.Journal;
import dev.takeover.journal.JournalOptions;
import dev.takeover.platform.NativeException;
import dev.takeover.platform.ProcessSignals;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires a validated configuration to the kernel and runs it until SIGTERM or SIGINT; SIGHUP
 * reloads. Construction order matters: resolve every interface and source address first (fail
 * before touching anything), then open sockets, then start the engine, which removes leftovers and
 * starts each group.
 */
public final class Daemon {
  private static final Logger log = LoggerFactory.getLogger("takeover");

  private Daemon() {}

  /** How a run ended. */
  public enum Outcome {
    /** Stopped on request (SIGTERM, SIGINT). */
    STOPPED,
    /** Could not start, or failed while running. */
    FAILED
  }

  /** Runs in the foreground until stopped or failed. */
  public static Outcome run(TakeoverConfig config, Path configFile) {
    LogLevels.applyAtStart(config.daemon().logLevel());
    Clock clock = Clock.system();
    // First, so that every thread failover depends on can end the process (see Fatal).
    Fatal fatal = Fatal.install();
    try (Platform platform = Platform.open();
        Journal journal =
            Journal.open(
                config.daemon().stateDir(), config.node(), JournalOptions.DEFAULTS, clock, fatal)) {
      return runWith(config, configFile, platform, journal, clock, fatal);
    } catch (IOException e) {
      log.error("cannot start: journal in {}: {}", config.daemon().stateDir(), e.getMessage());
      return Outcome.FAILED;
    } catch (StartupException | NativeException e) {
      log.error("cannot start: {}", e.getMessage());
      return Outcome.FAILED;
    }
  }

  private static Outcome runWith(
      TakeoverConfig config,
      Path configFile,
      Platform platform,
      Journal journal,
      Clock clock,
      Fatal fatal) {
    long startedAt = clock.nanoTime();
    Recorder record = draft -> journal.append(draft).id();
    HookRunner hooks =
        new HookRunner(config.node(), event -> journal.append(Hooks.event(event)), clock);
    // Groups post to the engine (hook budgets, checks), the engine runs the groups: a holder.
    AtomicReference<Engine> engineRef = new AtomicReference<>();
    Node node = new Node(configFile, config, platform, record, hooks, clock, engineRef::get);
    if (MaintenanceFile.read(config.daemon().stateDir())) {
      // Left in maintenance (takeover maintenance on, then a restart or reboot): every group
      // starts in FAULT and never claims until `takeover maintenance off`.
      log.warn(
          "starting in maintenance ({} exists): this node claims nothing until `takeover"
              + " maintenance off`",
          MaintenanceFile.path(config.daemon().stateDir()));
      node.maintenance(true);
    }
    // Before any group can claim: groups' routes and the links' share protocol 175 (StaleRoutes).
    StaleRoutes.remove(platform.routes(), config);
    StaleRoutes.removeRules(platform.rules());
    var runtimes = node.buildAll();

    int rtPriority = config.daemon().realtimePriority();
    CountDownLatch stop = new CountDownLatch(1);
    GcPauses gc = GcPauses.watch(clock);
    TimerLateness lateness =
        new TimerLateness(STALL_THRESHOLD_NANOS, new StallRecorder(journal, gc, clock)::stalled);
    Engine engine =
        new Engine(
            runtimes,
            clock,
            _ -> platform.raisePriority(rtPriority, "engine"),
            fatal,
            lateness,
            platform.waiter());
    engineRef.set(engine);
    NodeLinksSetup.Started started = NodeLinksSetup.build(config, platform, record, clock, engine);
    if (started != null) {
      LinkRuntime links = started.runtime();
      // Its own stale-route sweep runs after the groups start: an address owner's routes are
      // already in (priority 255 claims at once) and must stay.
      links.spareRoutes(NodeLinksSetup.spared(config));
      engine.setLinks(links);
      node.linksOwned(started.owned());
    }
    engine.settleWith(node::settleSyncGroups);
    node.listen();
    platform.watchKernel(event -> engine.post(new Event.Kernel(event)));
    platform.raiseJvmPriority(rtPriority);

    Signals.onTerminate(stop::countDown);
    DaemonControl control =
        new DaemonControl(
            node, engine, journal, clock, () -> runtimeView(lateness, gc, rtPriority, engine));
    engine.start();
    node.startChecks();
    // After the engine, on a thread of its own: loading the HTTP server, client and metrics
    // classes takes a while on a loaded machine, and failover must not wait for the API.
    AtomicReference<Management> management = new AtomicReference<>();
    Thread managementStart =
        Thread.ofPlatform()
            .name("takeover-management-start")
            .start(
                () ->
                    management.set(
                        Management.start(
                            config, new DaemonApi(node, engine, control), journal, clock)));
    ServiceManager systemd = ServiceManager.fromEnvironment(System.getenv(), clock);
    // Started under nohup (or by anything that ignores SIGHUP), the JVM would store our handler
    // and leave the signal ignored: every SIGHUP reload would be lost without a word.
    if (ProcessSignals.takeBackIgnored(ProcessSignals.SIGHUP)) {
      log.info("SIGHUP was ignored when this process started (nohup?): it reloads now");
    }
    // The JDK runs each signal's handler on a new platform thread of its own, so the reload runs
    // right there, not behind a hop to a virtual thread.
    Signals.onHangup(() -> reload(control, systemd));
    ControlServer server = startControl(config, control, fatal);
    log.info("node {} running {} group(s)", config.node(), runtimes.size());
    journal.append(
        Events.daemonStarted(
            Version.current(),
            ProcessHandle.current().pid(),
            config.groups().stream().map(GroupConfig::name).toList()));
    try {
      if (engine.awaitStarted(10, TimeUnit.SECONDS)) {
        systemd.ready(runtimes.size(), engine);
      }
      FaultInjection.fromSystemProperties().ifPresent(f -> f.inject(engine));
      stop.await();
      systemd.stopping();
      log.info("stopping: leaving every group gracefully");
      // Up to a few seconds of that is a master holding its addresses until the new one is heard.
      if (!engine.shutdown(10, TimeUnit.SECONDS)) {
        log.error("engine did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (server != null) {
        server.close();
      }
      try {
        managementStart.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (management.get() != null) {
        management.get().close();
      }
      node.stopChecks();
      node.stopNames();
      hooks.close(); // stop hooks run to the end (bounded by their timeouts)
      systemd.close();
    }
    journal.append(Events.daemonStopped("signal", Duration.ofNanos(clock.nanoTime() - startedAt)));
    log.info("stopped");
    return Outcome.STOPPED;
  }

  /** A SIGHUP reload, bracketed for systemd so that {@code systemctl reload} waits for it. */
  private static void reload(DaemonControl control, ServiceManager systemd) {
    systemd.reloading();
    String status = "reload failed";
    try {
      status = control.reload().applied() ? "running (reloaded)" : "running (reload refused)";
    } finally {
      systemd.reloaded(status);
    }
  }

  // Late enough to matter at the shortest advert interval (10 ms: Master_Down_Interval ~36 ms).
  private static final long STALL_THRESHOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /** Journals stalls, at most one a second (the rest are counted in the next one). */
  private static final class StallRecorder {
    private static final long MIN_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);
    private final Journal journal;
    private final GcPauses gc;
    private final Clock clock;
    private long lastRecorded;
    private long suppressed;

    StallRecorder(Journal journal, GcPauses gc, Clock clock) {
      this.journal = journal;
      this.gc = gc;
      this.clock = clock;
      this.lastRecorded = clock.nanoTime() - MIN_GAP_NANOS;
    }

    void stalled(long lateNanos) {
      long now = clock.nanoTime();
      if (now - lastRecorded < MIN_GAP_NANOS) {
        suppressed++;
        return;
      }
      lastRecorded = now;
      boolean afterGc = gc.endedWithin(lateNanos + STALL_THRESHOLD_NANOS);
      log.warn("engine ran {} ms late{}", lateNanos / 1_000_000, afterGc ? " after a GC" : "");
      journal.append(
          Events.engineStall(Duration.ofNanos(lateNanos), afterGc, gc.maxMillis(), suppressed));
      suppressed = 0;
    }
  }

  private static RuntimeView runtimeView(
      TimerLateness lateness, GcPauses gc, int rtPriority, Engine engine) {
    TimerLateness.Summary s = lateness.summary();
    return new RuntimeView(
        s.timers(),
        s.p50Us(),
        s.p99Us(),
        s.p999Us(),
        s.maxUs(),
        STALL_THRESHOLD_NANOS / 1_000_000,
        s.stalls(),
        s.longestStallUs(),
        gc.count(),
        gc.totalMillis(),
        gc.maxMillis(),
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
        residentBytes(),
        rtPriority,
        gc.heapAfterGcBytes(),
        engine.droppedEvents());
  }

  /** VmRSS of this process, or -1 if /proc cannot tell. */
  static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or /proc not mounted: report unknown
    }
    return -1;
  }

  /** The local control socket; without it failover still runs, so a failure is only logged. */
  private static ControlServer startControl(
      TakeoverConfig config, DaemonControl control, Fatal fatal) {
    Path socket = config.daemon().stateDir().resolve(ControlProtocol.SOCKET_NAME);
    try {
      ControlServer server = ControlServer.start(socket, control, fatal);
      log.info("control socket {}", socket);
      return server;
    } catch (IOException | RuntimeException e) {
      log.warn("no control socket at {}: {}", socket, e.getMessage());
      return null;
    }
  }

  /** A start-up problem the operator must fix; reported in one line. */
  static final class StartupException extends RuntimeException {
    StartupException(String message) {
      super(message);
    }
  }
}
