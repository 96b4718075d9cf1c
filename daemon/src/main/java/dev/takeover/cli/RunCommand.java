package dev.takeover.cli;

import dev.takeover.daemon.Daemon;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "run",
    description =
        "Run the failover daemon in the foreground (root; SIGTERM stops it gracefully, SIGHUP"
            + " reloads the configuration).")
public final class RunCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      required = true,
      description = "The YAML configuration file.")
  Path config;

  @Override
  public Integer call() {
    return ConfigFiles.load(config)
        .map(c -> exitCode(Daemon.run(c, config)))
        .orElse(ExitCode.INVALID_CONFIG.code);
  }

  private static int exitCode(Daemon.Outcome outcome) {
    return switch (outcome) {
      case STOPPED -> ExitCode.OK.code;
      case FAILED -> ExitCode.FAILED.code;
    };
  }
}
