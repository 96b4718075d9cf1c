package dev.takeover.cli;

import dev.takeover.config.ConfigError;
import dev.takeover.config.ConfigLoader;
import dev.takeover.config.ConfigResult;
import dev.takeover.daemon.Daemon;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "run",
    description = "Run the failover daemon in the foreground (root; stops gracefully on SIGTERM).")
public final class RunCommand implements Callable<Integer> {
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
        return ExitCode.INVALID_CONFIG.code;
      }
      case ConfigResult.Valid valid -> {
        for (ConfigError w : valid.warnings()) {
          System.err.println("warning: " + w);
        }
        return Daemon.run(valid.config());
      }
    }
  }
}
