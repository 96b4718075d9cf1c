package dev.takeover.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The launcher run in this JVM with its stdout and stderr captured through picocli's writers, as a
 * terminal would show them. Output accumulates over runs until {@link #reset}; it may be read while
 * a command still runs on another thread.
 */
final class Console {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Runs {@code takeover args...} as the launcher does, and returns its exit code. */
  int run(String... args) {
    return Main.commandLine(args)
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }

  void reset() {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
  }
}
