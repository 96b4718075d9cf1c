package dev.takeover.cli;

import dev.takeover.daemon.Daemon;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description =
        "Run the failover daemon in the foreground (root; SIGTERM stops it gracefully, SIGHUP"
            + " reloads the configuration).")
public final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      required = true,
      description = "The YAML configuration file.")
  Path config;

  @Override
  public Integer call() {
    return ConfigFiles.load(config, spec.commandLine().getErr())
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
