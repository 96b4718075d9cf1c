package dev.takeover.cli;

import dev.takeover.daemon.Daemon;
import dev.takeover.daemon.HostSnapshot;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code takeover run}: the daemon. Declared with picocli's programmatic API ({@link Specs}): its
 * start-up is the time to the first advert.
 */
public final class RunCommand {
  private CommandSpec spec;

  private RunCommand() {}

  static CommandSpec spec() {
    RunCommand command = new RunCommand();
    command.spec =
        Specs.command(
            "run",
            command::call,
            "Run the failover daemon in the foreground (root; SIGTERM stops it gracefully, SIGHUP"
                + " reloads the configuration).");
    command.spec.addOption(
        OptionSpec.builder("-c", "--config")
            .type(Path.class)
            .paramLabel("<config>")
            .required(true)
            .description("The YAML configuration file.")
            .build());
    return command.spec;
  }

  private int call() {
    Path config = Specs.value(spec, "--config", Path.class);
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
