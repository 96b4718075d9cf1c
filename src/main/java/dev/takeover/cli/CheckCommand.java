package dev.takeover.cli;

import dev.takeover.config.ConfigError;
import dev.takeover.config.ConfigLoader;
import dev.takeover.config.ConfigResult;
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
    switch (ConfigLoader.load(config)) {
      case ConfigResult.Invalid invalid -> {
        for (ConfigError e : invalid.errors()) {
          System.err.println(e);
        }
        System.err.println(config + ": " + invalid.errors().size() + " error(s)");
        return ExitCode.INVALID_CONFIG.code;
      }
      case ConfigResult.Valid valid -> {
        for (ConfigError w : valid.warnings()) {
          System.err.println("warning: " + w);
        }
        System.out.println(
            config + ": OK (node " + valid.config().node() + ", "
                + valid.config().groups().size() + " group(s))");
        return ExitCode.OK.code;
      }
    }
  }
}
