package dev.takeover.cli;

import dev.takeover.config.ConfigError;
import dev.takeover.config.ConfigLoader;
import dev.takeover.config.ConfigResult;
import dev.takeover.control.ControlProtocol;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The options every command that talks to the running daemon shares. */
public final class ControlOptions {
  /** Where packages put the configuration; read for its state-dir when it exists. */
  static final Path DEFAULT_CONFIG = Path.of("/etc/takeover/takeover.yaml");

  static final String SOCKET_DESCRIPTION =
      "The daemon's control socket (default: "
          + ControlProtocol.SOCKET_NAME
          + " in the configuration's daemon.state-dir, else "
          + ControlProtocol.DEFAULT_SOCKET_PATH
          + ").";
  static final String CONFIG_DESCRIPTION =
      "The daemon's configuration, read for its daemon.state-dir (default: /etc/takeover/"
          + "takeover.yaml if it exists).";
  static final String JSON_DESCRIPTION = "Print the daemon's answer as JSON.";

  @Option(names = "--socket", paramLabel = "PATH", description = SOCKET_DESCRIPTION)
  Path socket;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = CONFIG_DESCRIPTION)
  Path config;

  @Option(names = "--json", description = JSON_DESCRIPTION)
  boolean json;

  /**
   * The same options for a command declared with picocli's programmatic API ({@link Specs}); read
   * them back with {@link #from}.
   */
  static void addTo(CommandSpec spec) {
    spec.addOption(Specs.option(Path.class, "PATH", SOCKET_DESCRIPTION, "--socket"));
    spec.addOption(Specs.option(Path.class, "FILE", CONFIG_DESCRIPTION, "-c", "--config"));
    spec.addOption(Specs.flag(JSON_DESCRIPTION, "--json"));
  }

  /** The options the command line gave a command declared with {@link #addTo}. */
  static ControlOptions from(CommandSpec spec) {
    ControlOptions options = new ControlOptions();
    options.socket = Specs.value(spec, "--socket", Path.class);
    options.config = Specs.value(spec, "--config", Path.class);
    options.json = Specs.given(spec, "--json");
    return options;
  }

  /**
   * The socket to talk to: {@code --socket}, else the one in the state-dir of {@code -c FILE} (or
   * of {@link #DEFAULT_CONFIG} when it exists), else {@link ControlProtocol#DEFAULT_SOCKET}; empty
   * after printing why the configuration cannot be read.
   */
  Optional<Path> socket(PrintWriter err) {
    if (socket != null) {
      return Optional.of(socket);
    }
    Path file =
        config != null ? config : Files.isRegularFile(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null;
    if (file == null) {
      return Optional.of(ControlProtocol.DEFAULT_SOCKET);
    }
    // Only the state-dir is needed; warnings are check's business, not status's.
    return switch (ConfigLoader.load(file)) {
      case ConfigResult.Valid valid ->
          Optional.of(valid.config().daemon().stateDir().resolve(ControlProtocol.SOCKET_NAME));
      case ConfigResult.Invalid invalid -> {
        for (ConfigError e : invalid.errors()) {
          err.println(e);
        }
        err.println(file + ": " + invalid.errors().size() + " error(s)");
        yield Optional.empty();
      }
    };
  }
}
