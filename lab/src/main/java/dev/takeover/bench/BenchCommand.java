package dev.takeover.bench;

import dev.takeover.lab.DurationConverter;
import dev.takeover.lab.JavaLauncher;
import dev.takeover.lab.LabVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code takeover bench}: Takeover side by side with keepalived (see bench/README.md). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = LabVersion.class,
    description = {
      "Measure takeover and keepalived side by side in network namespaces (needs root).",
      "",
      "Failover outages as a client sees them (link down, kill -9, SIGTERM, preempt-back, planned"
          + " move), idle footprint, start-up time and false failovers under CPU load. Writes"
          + " bench/results/<UTC date>-<host>.json and .md and prints the tables. A full run takes"
          + " about 90 minutes (40 without the node-link scenarios); --quick about seven."
    })
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--reps", paramLabel = "N", description = "Repetitions per interval (default 10)")
  Integer reps;

  @Option(
      names = "--intervals",
      split = ",",
      paramLabel = "MS",
      description = "Advert intervals in ms (default 1000,100,10)")
  List<Integer> intervals;

  @Option(
      names = "--scenarios",
      split = ",",
      paramLabel = "NAME",
      description =
          "Any of link,kill,graceful,preempt-back,move,footprint,startup,cli,name,links,routes,"
              + "split-brain,heartbeat-cost,scale,load"
              + " (default all)")
  List<String> scenarios;

  @Option(
      names = "--load-duration",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "How long the load scenario runs (default 10m)")
  Duration loadDuration;

  @Option(
      names = "--idle-window",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "Footprint: CPU is measured over this idle window (default 20s)")
  Duration idleWindow;

  @Option(
      names = "--settle",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "Footprint: wait this long after start-up before measuring (default 10s)")
  Duration settle;

  @Option(
      names = "--startup-samples",
      paramLabel = "N",
      description = "Start-up samples per system (default 5)")
  Integer startupSamples;

  @Option(
      names = "--quick",
      description = "A smoke run: --reps 2 --intervals 100 --load-duration 30s, short footprint")
  boolean quick;

  @Option(
      names = "--realtime",
      description =
          "Run both with real-time scheduling: takeover daemon.realtime-priority 50,"
              + " keepalived vrrp_rt_priority 50")
  boolean realtime;

  @Option(names = "--keep-logs", description = "Keep the daemons' logs and configs")
  boolean keepLogs;

  @Option(
      names = "--results",
      paramLabel = "DIR",
      defaultValue = "bench/results",
      description = "Where to write the results (default: ${DEFAULT-VALUE})")
  Path resultsDir;

  @Option(
      names = "--launcher",
      paramLabel = "PATH",
      defaultValue = "takeover",
      description =
          "The takeover launcher script daemons are started with (default: ./${DEFAULT-VALUE})")
  Path launcher;

  @Override
  public Integer call() {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new ParameterException(
          spec.commandLine(), "the bench builds network namespaces: run it as root");
    }
    BenchOptions options;
    try {
      options = options();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (!Files.isExecutable(launcher)) {
      spec.commandLine()
          .getErr()
          .println(
              "bench: no launcher script at " + launcher + "; starting takeover with this JVM");
    }
    Bench.Outcome outcome =
        new Bench(
                options,
                takeoverCommand(launcher),
                resultsDir,
                spec.commandLine().getOut(),
                keepLogs)
            .run();
    boolean anyFailed =
        outcome.result().failover().stream().anyMatch(s -> !s.ok())
            || outcome.result().load().stream().anyMatch(l -> !l.ok());
    return anyFailed ? 1 : 0;
  }

  /** The options after {@code --quick} filled in what was not given. */
  BenchOptions options() {
    return new BenchOptions(
        reps != null ? reps : quick ? 2 : 10,
        intervals != null ? intervals : quick ? List.of(100) : BenchOptions.DEFAULT_INTERVALS_MS,
        scenarios != null ? scenarios : BenchOptions.ALL_SCENARIOS,
        (loadDuration != null
                ? loadDuration
                : quick ? Duration.ofSeconds(30) : Duration.ofMinutes(10))
            .toMillis(),
        (idleWindow != null ? idleWindow : quick ? Duration.ofSeconds(5) : Duration.ofSeconds(20))
            .toMillis(),
        (settle != null ? settle : quick ? Duration.ofSeconds(3) : Duration.ofSeconds(10))
            .toMillis(),
        startupSamples != null ? startupSamples : 5,
        realtime,
        quick);
  }

  /**
   * The shipped launcher script with a clean environment: the bench's own JVM options
   * (TAKEOVER_JAVA_OPTS) and a test run's log level must not leak into the daemons measured.
   * Without the script (an installed jar, say), the daemon runs in a JVM like this one.
   */
  public static List<String> takeoverCommand(Path launcher) {
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(launcher)) {
      command.addAll(List.of("env", "-u", "TAKEOVER_JAVA_OPTS", "-u", "TAKEOVER_LOG_LEVEL"));
      command.add(launcher.toAbsolutePath().toString());
    } else {
      command.addAll(JavaLauncher.current().takeover());
    }
    return command;
  }
}
