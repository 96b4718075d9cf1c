package dev.takeover.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;

/**
 * Runs the operator's everyday commands once each, in one JVM, so that the JDK can write the CLI's
 * AOT cache from what they load ({@code takeover-cli.aot}; {@code scripts/aot-train} starts it
 * through the launcher's {@code aot-train-cli}, against the training daemon). The daemon has its
 * own cache: preloading the daemon's 4,800 classes cost every {@code takeover version} about 100 ms
 * (docs/DECISIONS.md 60). Output is discarded; exit codes do not matter, only what was loaded.
 *
 * <p>Arguments: the training configuration and the training daemon's control socket.
 */
public final class CliTraining {
  private CliTraining() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: CliTraining CONFIG SOCKET");
      System.exit(ExitCode.USAGE.code);
    }
    String config = args[0];
    String socket = args[1];
    List<List<String>> runs =
        List.of(
            List.of("version"),
            List.of("version", "--json"),
            List.of("check", "-c", config),
            List.of("check", "--json", "-c", config),
            List.of("status", "--socket", socket),
            List.of("status", "--json", "--socket", socket),
            List.of("events", "--socket", socket),
            List.of("status", "--help"),
            List.of("--help"),
            List.of("frobnicate"));
    PrintWriter discard = new PrintWriter(Writer.nullWriter());
    for (List<String> run : runs) {
      String[] argv = run.toArray(String[]::new);
      Main.commandLine(argv).setOut(discard).setErr(discard).execute(argv);
    }
  }
}
