package dev.takeover.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "check",
    description = "Validate a configuration file without root or network access.")
public final class CheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      required = true,
      description = "The YAML configuration file.")
  Path config;

  @Override
  public Integer call() {
    return ConfigFiles.load(config, spec.commandLine().getErr())
        .map(
            c -> {
              spec.commandLine()
                  .getOut()
                  .println(
                      config + ": OK (node " + c.node() + ", " + c.groups().size() + " group(s))");
              return ExitCode.OK.code;
            })
        .orElse(ExitCode.INVALID_CONFIG.code);
  }
}
