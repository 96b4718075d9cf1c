package dev.takeover.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Validate a configuration file without root or network access.")
public final class CheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "FILE",
      description = "The YAML configuration file (the same as -c FILE).")
  Path file;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "The YAML configuration file.")
  Path config;

  @Override
  public Integer call() {
    // Both spellings are documented (`check FILE` in CONFIG.md, `check -c FILE` in the unit).
    if (file != null && config != null) {
      throw new ParameterException(
          spec.commandLine(), "give the configuration file once: FILE or -c FILE, not both");
    }
    Path path = file != null ? file : config;
    if (path == null) {
      throw new ParameterException(
          spec.commandLine(), "Missing the configuration file: takeover check FILE (or -c FILE)");
    }
    return ConfigFiles.load(path, spec.commandLine().getErr())
        .map(
            c -> {
              spec.commandLine()
                  .getOut()
                  .println(
                      path + ": OK (node " + c.node() + ", " + c.groups().size() + " group(s))");
              return ExitCode.OK.code;
            })
        .orElse(ExitCode.INVALID_CONFIG.code);
  }
}
