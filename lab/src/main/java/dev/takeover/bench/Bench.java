package dev.takeover.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.takeover.bench.BenchResult.FailoverSample;
import dev.takeover.bench.BenchResult.FootprintSample;
import dev.takeover.bench.BenchResult.LoadResult;
import dev.takeover.bench.BenchResult.StartupSample;
import dev.takeover.daemon.Version;
import dev.takeover.lab.Lab;
import dev.takeover.lab.NodeDaemon;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Takeover side by side with keepalived: the failover cycle at each advert interval (systems
 * alternating per repetition so machine noise hits both alike), idle footprint, start-up and safety
 * under CPU load, written as JSON (every sample) and a Markdown table.
 *
 * <p>Both systems get identical VRRP settings: VRID 51, priorities 200/100, preempt on, the same
 * advert interval and VIP 198.18.0.50/24; takeover is started through the shipped launcher script
 * so its JVM options are the ones users get.
 */
public final class Bench {
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** What a run produced: the results and where they were written. */
  public record Outcome(BenchResult result, Path json, Path markdown, String markdownText) {}

  private final BenchOptions options;
  private final List<String> takeoverCommand;
  private final Path resultsDir;
  private final PrintWriter out;
  private final boolean keepLogs;

  /**
   * @param takeoverCommand the command line {@code run -c FILE} is appended to, e.g. {@code env -u
   *     TAKEOVER_JAVA_OPTS /repo/takeover}
   */
  public Bench(
      BenchOptions options,
      List<String> takeoverCommand,
      Path resultsDir,
      PrintWriter out,
      boolean keepLogs) {
    this.options = options;
    this.takeoverCommand = List.copyOf(takeoverCommand);
    this.resultsDir = resultsDir;
    this.out = out;
    this.keepLogs = keepLogs;
  }

  public Outcome run() {
    long origin = System.nanoTime();
    Instant started = Instant.now();
    NodeDaemon.Launch launch =
        new NodeDaemon.Launch(
            takeoverCommand,
            options.realtime() ? "  realtime-priority: 50\n" : "",
            options.realtime() ? "  vrrp_rt_priority 50\n" : "");
    String takeoverSettings =
        options.realtime()
            ? "launcher JVM options, daemon.realtime-priority 50 (SCHED_FIFO engine and VM"
                + " threads)"
            : "defaults: launcher JVM options, daemon.realtime-priority 10 (SCHED_FIFO engine"
                + " and VM threads)";
    String keepalivedSettings =
        options.realtime()
            ? "vrrp_rt_priority 50 (real-time VRRP process)"
            : "defaults: normal scheduling (no vrrp_rt_priority)";
    BenchResult.Header header = header(started, takeoverSettings, keepalivedSettings);
    out.printf(
        "takeover bench: %s; takeover %s vs %s; scenarios %s; %d rep(s) at %s ms%n",
        header.kernel(),
        header.takeoverVersion(),
        header.keepalivedVersion(),
        String.join(",", options.scenarios()),
        options.reps(),
        options.intervalsMs());

    Path work;
    try {
      work = Files.createTempDirectory("takeover-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<FailoverSample> failover = new ArrayList<>();
    List<FootprintSample> footprint = new ArrayList<>();
    List<StartupSample> startup = new ArrayList<>();
    List<LoadResult> load = new ArrayList<>();
    List<BenchResult.NameSample> names = new ArrayList<>();
    List<BenchResult.LinkCutSample> linkCuts = new ArrayList<>();
    List<BenchResult.CliSample> cli = new ArrayList<>();
    List<BenchResult.ScaleSample> scale = new ArrayList<>();
    List<BenchResult.RouteSample> routes = new ArrayList<>();
    List<BenchResult.SplitBrainSample> splitBrain = new ArrayList<>();
    List<BenchResult.HeartbeatCostSample> heartbeatCost = new ArrayList<>();
    boolean pairPhases =
        options.anyCycle()
            || options.has("footprint")
            || options.has("startup")
            || options.has("cli")
            || options.has("scale")
            || options.has("name")
            || options.has("links")
            || options.has("routes")
            || options.has("split-brain")
            || options.has("heartbeat-cost");
    try {
      if (pairPhases) {
        try (Rig rig = new Rig(Lab.create(2), work, launch, out, origin)) {
          rig.startEcho();
          if (options.anyCycle()) {
            for (int interval : options.intervalsMs()) {
              for (int rep = 1; rep <= options.reps(); rep++) {
                for (NodeDaemon.Kind kind : alternating(rep)) {
                  failover.addAll(new FailoverCycle(rig, kind, interval, rep, options).run());
                }
              }
            }
          }
          if (options.has("footprint")) {
            int i = 0;
            for (int interval : options.intervalsMs()) {
              for (NodeDaemon.Kind kind : alternating(++i)) {
                footprint.addAll(FootprintRun.run(rig, kind, interval, options));
              }
            }
          }
          if (options.has("startup")) {
            startup.addAll(StartupRun.run(rig, options.startupSamples()));
          }
          if (options.has("cli")) {
            cli.addAll(CliRun.run(rig, takeoverCommand, options.quick() ? 3 : 10));
          }
          if (options.has("name")) {
            names.addAll(NameOutageRun.run(rig, options));
          }
          if (options.has("scale")) {
            scale.addAll(ScaleRun.run(rig, options, takeoverCommand, launch.takeoverDaemonYaml()));
          }
          if (options.has("links")) {
            linkCuts.addAll(LinkCutRun.run(rig, options));
          }
          if (options.has("routes")) {
            routes.addAll(RouteSwitchRun.run(rig, options));
          }
          if (options.has("split-brain")) {
            splitBrain.addAll(SplitBrainRun.run(rig, options));
          }
          if (options.has("heartbeat-cost")) {
            heartbeatCost.addAll(HeartbeatCostRun.run(rig, options));
          }
        }
      }
      if (options.has("load")) {
        try (Rig rig = new Rig(Lab.create(4), work, launch, out, origin)) {
          rig.startEcho();
          load.addAll(LoadRun.run(rig, options, takeoverSettings, keepalivedSettings));
        }
      }
    } finally {
      if (keepLogs) {
        out.println("logs and configs: " + work);
      } else {
        Rig.deleteRecursively(work);
      }
    }

    BenchResult result =
        new BenchResult(
            header,
            failover,
            Summaries.outages(failover),
            Summaries.timelines(failover),
            footprint,
            startup,
            Summaries.startup(startup),
            load,
            names,
            Summaries.names(names),
            linkCuts,
            Summaries.linkCuts(linkCuts),
            cli,
            Summaries.cli(cli),
            scale,
            routes,
            Summaries.routes(routes),
            splitBrain,
            Summaries.splitBrain(splitBrain),
            heartbeatCost,
            Summaries.heartbeatCost(heartbeatCost),
            (System.nanoTime() - origin) / 1e9);
    return write(result, started);
  }

  /** Odd repetitions start with takeover, even ones with keepalived. */
  static List<NodeDaemon.Kind> alternating(int rep) {
    return rep % 2 == 1
        ? List.of(NodeDaemon.Kind.TAKEOVER, NodeDaemon.Kind.KEEPALIVED)
        : List.of(NodeDaemon.Kind.KEEPALIVED, NodeDaemon.Kind.TAKEOVER);
  }

  private Outcome write(BenchResult result, Instant started) {
    String markdown = MarkdownReport.render(result);
    String base = FILE_TIME.format(started) + "-" + result.header().host();
    try {
      Files.createDirectories(resultsDir);
      Path json = resultsDir.resolve(base + ".json");
      Path md = resultsDir.resolve(base + ".md");
      JSON.writeValue(json.toFile(), result);
      Files.writeString(md, markdown, StandardCharsets.UTF_8);
      out.println();
      out.println(markdown);
      out.println("results: " + json + " and " + md);
      return new Outcome(result, json, md, markdown);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write results to " + resultsDir, e);
    }
  }

  private BenchResult.Header header(
      Instant started, String takeoverSettings, String keepalivedSettings) {
    return new BenchResult.Header(
        started.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
        hostName(),
        System.getProperty("os.version"),
        cpuModel(),
        Runtime.getRuntime().availableProcessors(),
        memTotalMiB(),
        takeoverVersion(),
        firstLine(output(List.of("keepalived", "--version")), "keepalived (version unknown)"),
        takeoverCommand,
        takeoverSettings,
        keepalivedSettings,
        options);
  }

  private static String hostName() {
    String name = firstLine(output(List.of("hostname")), "");
    if (name.isBlank()) {
      name = firstLine(read(Path.of("/etc/hostname")), "host");
    }
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static String takeoverVersion() {
    String git = firstLine(output(List.of("git", "describe", "--always", "--dirty", "--tags")), "");
    return git.isBlank() || git.startsWith("fatal") ? Version.current() : git;
  }

  static String cpuModel() {
    return read(Path.of("/proc/cpuinfo"))
        .lines()
        .filter(l -> l.startsWith("model name"))
        .map(l -> l.substring(l.indexOf(':') + 1).strip())
        .findFirst()
        .orElse(System.getProperty("os.arch"));
  }

  static long memTotalMiB() {
    return read(Path.of("/proc/meminfo"))
        .lines()
        .filter(l -> l.startsWith("MemTotal:"))
        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024)
        .findFirst()
        .orElse(0L);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private static String firstLine(String text, String otherwise) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(otherwise);
  }

  /** Stdout and stderr of a short command, or "" if it cannot run. For the header only. */
  private static String output(List<String> argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "";
      }
      return p.exitValue() == 0 ? text : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
