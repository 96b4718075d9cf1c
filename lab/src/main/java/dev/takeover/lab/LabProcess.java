package dev.takeover.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A process the lab started inside one of its namespaces. Its stdout and stderr go to one log file.
 *
 * <p>{@code ip netns exec} enters the namespace and then execs the command without forking, so
 * {@link #pid()} is the PID of the command itself and signals reach it directly.
 */
public final class LabProcess {
  /** The signals a test bed needs: orderly stop, crash, a frozen process (STOP/CONT), reload. */
  public enum Signal {
    TERM,
    KILL,
    STOP,
    CONT,
    HUP,
    /** HotSpot prints every thread's stack to the process's output. */
    QUIT
  }

  private final String name;
  private final String namespace;
  private final Process process;
  private final Path logFile;
  private final List<String> argv;

  LabProcess(String name, String namespace, Process process, Path logFile, List<String> argv) {
    this.name = name;
    this.namespace = namespace;
    this.process = process;
    this.logFile = logFile;
    this.argv = List.copyOf(argv);
  }

  /** A short label, e.g. {@code n1/takeover}. */
  public String name() {
    return name;
  }

  public String namespace() {
    return namespace;
  }

  public long pid() {
    return process.pid();
  }

  /** Its PID and its live descendants' (keepalived's VRRP child); empty once it has exited. */
  public List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    ProcessHandle.of(process.pid())
        .filter(ProcessHandle::isAlive)
        .ifPresent(
            root -> {
              pids.add(root.pid());
              root.descendants().filter(ProcessHandle::isAlive).forEach(h -> pids.add(h.pid()));
            });
    return pids;
  }

  public Path logFile() {
    return logFile;
  }

  public List<String> argv() {
    return argv;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Sends {@code signal} to this process only (by PID). No effect once it has exited. */
  public void signal(Signal signal) {
    if (!process.isAlive()) {
      return;
    }
    switch (signal) {
      case TERM -> process.destroy(); // SIGTERM on Linux
      case KILL -> process.destroyForcibly(); // SIGKILL on Linux
      // The JDK has no API for STOP/CONT; the lab may shell out (it is a test bed, not the daemon).
      case STOP, CONT, HUP, QUIT -> {
        try {
          Commands.run(List.of("kill", "-" + signal.name(), Long.toString(pid())));
        } catch (LabException e) {
          if (process.isAlive()) {
            throw e;
          } // else it exited meanwhile: nothing to signal
        }
      }
    }
  }

  /** Waits up to {@code timeout} for the process to exit; returns its exit code if it did. */
  public Optional<Integer> waitFor(Duration timeout) {
    try {
      if (process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        return Optional.of(process.exitValue());
      }
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** TERM, then KILL if it has not exited after {@code grace}. Returns the exit code. */
  public int stop(Duration grace) {
    signal(Signal.CONT); // a stopped process cannot handle TERM
    signal(Signal.TERM);
    return waitFor(grace)
        .orElseGet(
            () -> {
              signal(Signal.KILL);
              return waitFor(Duration.ofSeconds(5)).orElse(-1);
            });
  }

  /** Everything the process has written so far. */
  public String log() {
    try {
      return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return name + "[pid " + pid() + (isAlive() ? "" : ", exited") + "]";
  }
}
