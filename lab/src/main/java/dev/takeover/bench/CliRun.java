package dev.takeover.bench;

import dev.takeover.bench.BenchResult.CliSample;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The operator's commands end to end, as a shell runs them (issue 15): {@code takeover version},
 * {@code check} of the node's configuration and {@code status} against the running node, through
 * the launcher as shipped (with its AOT caches); keepalived's nearest equivalents, {@code
 * keepalived --version} and {@code keepalived -t -f FILE} (configuration test). keepalived has no
 * status command. Each command runs once unmeasured first (disk cache warm), then {@code samples}
 * times; the time is from spawn to exit.
 */
final class CliRun {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  private CliRun() {}

  static List<CliSample> run(Rig rig, List<String> takeoverCommand, int samples) {
    Path dir = rig.work.resolve("cli");
    rig.reset(List.of(FailoverCycle.VIP));
    NodeConfig config = NodeConfig.of("n1", 200, Duration.ofSeconds(1), FailoverCycle.VIP + "/24");
    List<CliSample> result = new ArrayList<>();
    try {
      NodeDaemon takeover = rig.start(NodeDaemon.Kind.TAKEOVER, config, dir);
      Rig.awaitBackup(takeover, Rig.STARTUP);
      Path socket = NodeConfig.stateDir(dir, "n1").resolve("control.sock");
      Path file = takeover.configFile();
      result.addAll(measure(rig, "takeover", "version", cat(takeoverCommand, "version"), samples));
      result.addAll(
          measure(
              rig,
              "takeover",
              "check",
              cat(takeoverCommand, "check", "-c", file.toString()),
              samples));
      result.addAll(
          measure(
              rig,
              "takeover",
              "status",
              cat(takeoverCommand, "status", "--socket", socket.toString()),
              samples));
      rig.stopDaemons();
      // keepalived -t reads the file only: written, not run.
      Path conf = NodeDaemon.keepalivedConfFile(dir, "n1");
      try {
        Files.writeString(conf, NodeDaemon.keepalivedConf(config));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      result.addAll(
          measure(rig, "keepalived", "version", List.of("keepalived", "--version"), samples));
      result.addAll(
          measure(
              rig,
              "keepalived",
              "check",
              List.of("keepalived", "-t", "-f", conf.toString()),
              samples));
    } finally {
      rig.stopDaemons();
    }
    return result;
  }

  private static List<CliSample> measure(
      Rig rig, String system, String command, List<String> argv, int samples) {
    List<CliSample> result = new ArrayList<>();
    for (int i = 0; i <= samples; i++) {
      CliSample sample = once(system, command, i, argv);
      if (i == 0) {
        if (!sample.ok()) {
          rig.say("%s %s: warm-up run failed: %s", system, command, sample.error());
        }
        continue; // warms the disk cache
      }
      result.add(sample);
    }
    List<Double> ms = result.stream().filter(CliSample::ok).map(CliSample::ms).sorted().toList();
    rig.say(
        "%-10s %-8s %d runs, median %s ms",
        system,
        command,
        ms.size(),
        ms.isEmpty() ? "n/a" : String.format("%.1f", ms.get(ms.size() / 2)));
    return result;
  }

  private static CliSample once(String system, String command, int i, List<String> argv) {
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    long start = System.nanoTime();
    try {
      Process p = builder.start();
      if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        Rig.kill(p);
        return new CliSample(system, command, i, false, "timed out", null);
      }
      double ms = (System.nanoTime() - start) / 1e6;
      // keepalived -t exits 0 on a good file; takeover status exits 0 without a conflict.
      return p.exitValue() == 0
          ? new CliSample(system, command, i, true, null, ms)
          : new CliSample(system, command, i, false, "exit " + p.exitValue(), ms);
    } catch (IOException e) {
      return new CliSample(system, command, i, false, e.getMessage(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new CliSample(system, command, i, false, "interrupted", null);
    }
  }

  private static List<String> cat(List<String> command, String... args) {
    List<String> all = new ArrayList<>(command);
    all.addAll(List.of(args));
    return all;
  }
}
