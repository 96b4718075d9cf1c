package dev.takeover.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Entry point of the takeover launcher. Declared with picocli's programmatic API ({@link Specs}),
 * as are {@code run}, {@code status}, {@code check} and {@code version}: reading annotations costs
 * every start about 55 ms (docs/DECISIONS.md 73).
 */
public final class Main {
  private CommandSpec spec;

  private Main() {}

  /** The launcher's own command, without subcommands. */
  static CommandSpec spec() {
    Main main = new Main();
    main.spec =
        Specs.command(
            "takeover",
            main::call,
            "IP-address failover for Linux server clusters (VRRPv3).",
            "",
            "`takeover run` is the daemon: it elects a master per group with VRRPv3 adverts (RFC"
                + " 5798), puts the group's virtual addresses on the master and announces them. The"
                + " other commands talk to a running daemon over its control socket, or read its"
                + " files.");
    Map<String, String> exitCodes = new LinkedHashMap<>();
    exitCodes.put("0", "done");
    exitCodes.put("1", "the configuration is invalid (check, run, reload)");
    exitCodes.put("2", "wrong command line");
    exitCodes.put(
        "3",
        "failed: the daemon is not running or refused the request, or run could not start"
            + " (interface, permission, socket)");
    main.spec
        .usageMessage()
        .exitCodeListHeading("%nExit status:%n")
        .exitCodeList(exitCodes)
        .footerHeading("%nFiles:%n")
        .footer(
            "  /etc/takeover/takeover.yaml   the configuration (takeover.yaml(5))",
            "  daemon.state-dir              journal, maintenance state and control socket",
            "                                (/var/lib/takeover under the packaged unit)",
            "",
            "Signals (to `takeover run`): SIGHUP reloads the configuration; SIGTERM and SIGINT stop"
                + " gracefully, handing every group over first.",
            "",
            "Environment: JAVA_HOME selects the Java 25 runtime; TAKEOVER_LOG_LEVEL overrides the"
                + " log level.");
    return main.spec;
  }

  public static void main(String[] args) {
    System.exit(commandLine(args).execute(args));
  }

  /**
   * The command line for these arguments: when the first names an operator command, only that
   * command is built. picocli reads every command's annotations when it is added, so building all
   * nine for {@code takeover status} cost a start-up the operator waits for (docs/DECISIONS.md 60);
   * anything else ({@code --help}, {@code help}, a typo that deserves a suggestion) gets the full
   * tree.
   */
  public static CommandLine commandLine(String... args) {
    Object only = args.length == 0 ? null : operatorCommand(args[0]);
    if (only == null) {
      return commandLine();
    }
    CommandLine commandLine = new CommandLine(spec());
    commandLine.addSubcommand(only);
    return commandLine.setUsageHelpAutoWidth(true);
  }

  /**
   * The launcher's command line, printing to stdout and stderr; tests capture its output with
   * {@link CommandLine#setOut} and {@link CommandLine#setErr}.
   */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(spec());
    for (Object command : operatorCommands()) {
      commandLine.addSubcommand(command);
    }
    commandLine.addSubcommand(new CommandLine.HelpCommand());
    commandLine.addSubcommand(new CompletionCommand());
    return commandLine.setUsageHelpAutoWidth(true);
  }

  /** A new instance (or spec) of the operator's command of this name, or null. */
  static Object operatorCommand(String name) {
    return switch (name) {
      case "run" -> RunCommand.spec();
      case "check" -> CheckCommand.spec();
      case "import" -> new ImportCommand();
      case "version" -> VersionCommand.spec();
      case "status" -> StatusCommand.spec();
      case "events" -> new EventsCommand();
      case "move" -> new MoveCommand();
      case "maintenance" -> new MaintenanceCommand();
      case "reload" -> new ReloadCommand();
      default -> null;
    };
  }

  /**
   * New instances of the operator's commands (annotated objects, or specs of commands declared
   * programmatically), in the order {@code --help} lists them.
   */
  public static List<Object> operatorCommands() {
    return List.of(
        RunCommand.spec(),
        CheckCommand.spec(),
        new ImportCommand(),
        VersionCommand.spec(),
        StatusCommand.spec(),
        new EventsCommand(),
        new MoveCommand(),
        new MaintenanceCommand(),
        new ReloadCommand());
  }

  /** {@code takeover} alone is a usage error: the usage goes to stderr, the exit code is 2. */
  private int call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE.code;
  }
}
