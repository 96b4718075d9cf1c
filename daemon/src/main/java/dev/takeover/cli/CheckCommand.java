package dev.takeover.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "check",
    description = "Validate a configuration file without root or network access.")
public final class CheckCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      required = true,
      description = "The YAML configuration file.")
  Path config;

  @Override
  public Integer call() {
    return ConfigFiles.load(config)
        .map(
            c -> {
              System.out.println(
                  config + ": OK (node " + c.node() + ", " + c.groups().size() + " group(s))");
              return ExitCode.OK.code;
            })
        .orElse(ExitCode.INVALID_CONFIG.code);
  }
}
