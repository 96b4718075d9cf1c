package dev.takeover.bench;

import dev.takeover.lab.DemoCommand;
import dev.takeover.lab.EchoCommand;
import dev.takeover.lab.LabVersion;
import dev.takeover.lab.ProbeCommand;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Entry point of the lab's jar ({@code takeover-lab.jar}): the demo, the bench, and the helpers the
 * lab starts inside its namespaces. The {@code takeover} launcher sends {@code demo} and {@code
 * bench} here; the daemon's own jar holds none of this. It lives in {@code bench} because the bench
 * builds on the lab, not the other way round; the lab starts its helpers through {@code
 * dev.takeover.lab.LabTools}.
 */
@Command(
    name = "takeover-lab",
    mixinStandardHelpOptions = true,
    versionProvider = LabVersion.class,
    description = "Test-bed tools: the demo, a UDP echo responder, a failover prober, the bench.")
public final class LabMain implements Callable<Integer> {
  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The test bed's command line, printing to stdout and stderr. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new LabMain());
    for (Object command : commands()) {
      commandLine.addSubcommand(command);
    }
    commandLine.addSubcommand(new HelpCommand());
    return commandLine.setUsageHelpAutoWidth(true);
  }

  /** New instances of the test bed's commands, in the order its {@code --help} lists them. */
  public static List<Object> commands() {
    return List.of(new DemoCommand(), new EchoCommand(), new ProbeCommand(), new BenchCommand());
  }

  /** No command is a usage error: the usage goes to stderr, the exit code is 2. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }
}
