package dev.takeover.cli;

import dev.takeover.config.ConfigError;
import dev.takeover.config.ConfigLoader;
import dev.takeover.config.ConfigResult;
import dev.takeover.control.ControlProtocol;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every command that talks to the running daemon shares. */
public final class ControlOptions {
  /** Where packages put the configuration; read for its state-dir when it exists. */
  static final Path DEFAULT_CONFIG = Path.of("/etc/takeover/takeover.yaml");

  @Option(
      names = "--socket",
      paramLabel = "PATH",
      description =
          "The daemon's control socket (default: "
              + ControlProtocol.SOCKET_NAME
              + " in the configuration's daemon.state-dir, else "
              + ControlProtocol.DEFAULT_SOCKET_PATH
              + ").")
  Path socket;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description =
          "The daemon's configuration, read for its daemon.state-dir (default: /etc/takeover/"
              + "takeover.yaml if it exists).")
  Path config;

  @Option(names = "--json", description = "Print the daemon's answer as JSON.")
  boolean json;

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
