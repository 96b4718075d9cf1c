package dev.takeover.lab;

import dev.takeover.bench.BenchCommand;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Entry point of the test bed: the demo, the bench, and the helpers the lab starts inside its
 * namespaces ({@code java -cp takeover.jar dev.takeover.lab.LabMain probe --target 198.18.0.50}).
 *
 * <p>The lab and bench are to leave the daemon's jar for a module of their own with this class as
 * its main class. Until then the operator launcher registers {@link #commands()} too, hidden from
 * its {@code --help}, so {@code takeover demo} and {@code takeover bench} keep working.
 */
@Command(
    name = "takeover-lab",
    mixinStandardHelpOptions = true,
    versionProvider = LabMain.Version.class,
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

  /** The jar's version and the Java runtime, for the test bed's {@code --version}. */
  public static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = LabMain.class.getPackage().getImplementationVersion();
      return new String[] {
        "takeover-lab " + (v == null ? "development build" : v),
        "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }
}
