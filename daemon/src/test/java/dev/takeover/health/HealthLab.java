package dev.takeover.health;

import dev.takeover.platform.Netns;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A test bed for the health checks: one network namespace {@code tkv-health-<pid>-<n>} joined to
 * the test JVM's namespace by a veth pair, so checks run in the JVM and servers run behind the
 * veth. The JVM's end is {@link #clientAddress} ({@code 198.19.X.1/24}), the namespace's end is
 * {@link #serverAddress} ({@code .2}); {@link #deadAddress} ({@code .3}) answers nothing. Deleting
 * the namespace removes both veth ends; it happens on {@link #close} and in a shutdown hook. Tests
 * may shell out to {@code ip}; product code may not.
 */
final class HealthLab implements AutoCloseable {
  private static final long PID = ProcessHandle.current().pid();
  private static final AtomicInteger COUNTER = new AtomicInteger();

  final String namespace;
  final String hostLink;
  final String nsLink;
  final Inet4Address clientAddress;
  final Inet4Address serverAddress;
  final Inet4Address deadAddress;
  final String subnet; // "198.19.X"
  private final List<Process> processes = new ArrayList<>();
  private final Thread cleanup = new Thread(this::deleteNamespace);

  HealthLab() {
    int n = COUNTER.incrementAndGet();
    namespace = "tkv-health-" + PID + "-" + n;
    hostLink = "th" + PID + "h" + n;
    nsLink = "th" + PID + "n" + n;
    // One /24 of 198.19.0.0/16 (inside the 198.18.0.0/15 test range) per lab, spread by pid so
    // concurrent test JVMs rarely meet; it exists in the JVM's namespace only while the lab does.
    subnet = "198.19." + ((PID * 7 + n) % 250 + 1);
    clientAddress = ipv4(subnet + ".1");
    serverAddress = ipv4(subnet + ".2");
    deadAddress = ipv4(subnet + ".3");
    run("ip", "netns", "add", namespace);
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      run("ip", "-n", namespace, "link", "set", "lo", "up");
      run(
          "ip", "link", "add", hostLink, "type", "veth", "peer", "name", nsLink, "netns",
          namespace);
      run("ip", "addr", "add", clientAddress.getHostAddress() + "/24", "dev", hostLink);
      run("ip", "link", "set", hostLink, "up");
      run(
          "ip",
          "-n",
          namespace,
          "addr",
          "add",
          serverAddress.getHostAddress() + "/24",
          "dev",
          nsLink);
      run("ip", "-n", namespace, "link", "set", nsLink, "up");
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .anyMatch(line -> line.matches("Uid:\\s+0\\s.*"));
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether {@code program} is an executable file in one of the usual sbin/bin directories. */
  static boolean installed(String program) {
    return List.of("/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/").stream()
        .anyMatch(dir -> Files.isExecutable(Path.of(dir + program)));
  }

  /**
   * Starts {@code command} inside the namespace; its output goes to {@code log}. Killed on close.
   */
  Process start(Path log, String... command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    full.addAll(List.of(command));
    try {
      Process process =
          new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      synchronized (processes) {
        processes.add(process);
      }
      return process;
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", full), e);
    }
  }

  /** Kills {@code process} (SIGKILL, by its PID) and waits for it. */
  static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Calls {@code body} on a platform thread inside the namespace (sockets it opens stay there). */
  <T> T inside(Callable<T> body) {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    Netns.enter(namespace);
                    result.set(body.call());
                  } catch (Throwable t) {
                    failure.set(t);
                  }
                });
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (failure.get() != null) {
      throw new IllegalStateException("in namespace " + namespace, failure.get());
    }
    return result.get();
  }

  static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + ": timed out");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited " + process.exitValue() + ": " + output);
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(String.join(" ", command), e);
    }
  }

  static Inet4Address ipv4(String text) {
    try {
      return (Inet4Address) InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /** An IPv4 or IPv6 literal as an address. */
  static InetAddress ipv4OrV6(String literal) {
    try {
      return InetAddress.ofLiteral(literal);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  private void deleteNamespace() {
    List<Process> started;
    synchronized (processes) {
      started = new ArrayList<>(processes);
      processes.clear();
    }
    started.forEach(HealthLab::kill);
    try {
      run("ip", "netns", "del", namespace);
    } catch (RuntimeException e) {
      System.err.println("could not delete namespace " + namespace + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    deleteNamespace();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }
}
