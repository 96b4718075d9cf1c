package dev.takeover.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs short external commands ({@code ip}, {@code nft}, {@code kill}) for the lab and returns
 * their stdout. Only the lab and tests use this: the daemon never shells out.
 */
final class Commands {
  private static final long TIMEOUT_SECONDS = 20;

  private Commands() {}

  static String run(List<String> argv) {
    return run(argv, null);
  }

  /** Runs {@code argv}, feeding {@code stdin} if not null; throws with stderr unless it exits 0. */
  static String run(List<String> argv, String stdin) {
    Process process;
    try {
      process = new ProcessBuilder(argv).start();
    } catch (IOException e) {
      throw new LabException("cannot start " + String.join(" ", argv), e);
    }
    try {
      // Read stderr concurrently so neither pipe can fill up and block the child.
      CompletableFuture<String> stderr =
          CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      try (var in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      String stdout = readAll(process.getInputStream());
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new LabException(
            "timed out after " + TIMEOUT_SECONDS + " s: " + String.join(" ", argv));
      }
      int code = process.exitValue();
      if (code != 0) {
        throw new LabException(
            String.join(" ", argv) + " exited " + code + ": " + stderr.join().strip());
      }
      return stdout;
    } catch (IOException e) {
      throw new LabException("I/O error running " + String.join(" ", argv), e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new LabException("interrupted: " + String.join(" ", argv), e);
    }
  }

  private static String readAll(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
