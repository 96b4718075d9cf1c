package dev.takeover.cli;

import dev.takeover.control.ControlProtocol;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that talks to the running daemon shares. */
public final class ControlOptions {
  @Option(
      names = "--socket",
      paramLabel = "PATH",
      defaultValue = ControlProtocol.DEFAULT_SOCKET_PATH,
      description = "The daemon's control socket (default: ${DEFAULT-VALUE}).")
  Path socket;

  @Option(names = "--json", description = "Print the daemon's answer as JSON.")
  boolean json;
}
