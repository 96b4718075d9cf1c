package dev.takeover.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the takeover launcher. */
@Command(
    name = "takeover",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "IP-address failover for Linux server clusters (VRRPv3).")
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
    CommandLine commandLine = new CommandLine(new Main());
    for (Object command : operatorCommands()) {
      commandLine.addSubcommand(command);
    }
    commandLine.addSubcommand(new CommandLine.HelpCommand());
    commandLine.addSubcommand(new CompletionCommand());
    return commandLine.setUsageHelpAutoWidth(true);
  }

  /** New instances of the operator's commands, in the order {@code --help} lists them. */
  public static List<Object> operatorCommands() {
    return List.of(
        new RunCommand(),
        new CheckCommand(),
        new VersionCommand(),
        new StatusCommand(),
        new EventsCommand(),
        new MoveCommand(),
        new MaintenanceCommand(),
        new ReloadCommand());
  }

  /** {@code takeover} alone is a usage error: the usage goes to stderr, the exit code is 2. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE.code;
  }
}
