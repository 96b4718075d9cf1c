package dev.takeover.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the takeover launcher. */
@Command(
    name = "takeover",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "IP-address failover for Linux server clusters (VRRPv3).",
    subcommands = {
      RunCommand.class,
      CheckCommand.class,
      VersionCommand.class,
      StatusCommand.class,
      EventsCommand.class,
      MoveCommand.class,
      MaintenanceCommand.class,
      ReloadCommand.class,
      dev.takeover.bench.BenchCommand.class,
      dev.takeover.lab.DemoCommand.class,
      dev.takeover.lab.EchoCommand.class,
      dev.takeover.lab.ProbeCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The launcher's command line, printing to stdout and stderr; tests capture its output with
   * {@link CommandLine#setOut} and {@link CommandLine#setErr}.
   */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setUsageHelpAutoWidth(true);
  }

  /** {@code takeover} alone is a usage error: the usage goes to stderr, the exit code is 2. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE.code;
  }
}
