package dev.takeover.cli;

import dev.takeover.daemon.Daemon;
import dev.takeover.daemon.HostSnapshot;
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
    // The same host checks as `check --host`: a missing interface or hook program is refused
    // here, with file:line:column, instead of failing halfway through start-up.
    return ConfigFiles.load(config, spec.commandLine().getErr(), HostSnapshot.read())
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
