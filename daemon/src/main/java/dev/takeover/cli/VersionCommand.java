package dev.takeover.cli;

import dev.takeover.daemon.Version;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Print the version and the Java runtime.")
public final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  public static String version() {
    return Version.current();
  }

  @Override
  public Integer call() {
    for (String line : new Provider().getVersion()) {
      spec.commandLine().getOut().println(line);
    }
    return ExitCode.OK.code;
  }

  /** Shared with {@code takeover --version}. */
  public static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "takeover " + version(),
        "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }
}
