package dev.takeover.cli;

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
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code; tests call this instead of main. */
  public static int execute(String... args) {
    return new CommandLine(new Main()).setUsageHelpAutoWidth(true).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
