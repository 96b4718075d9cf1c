package dev.takeover.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Network namespaces for integration tests, built with {@code ip} (tests may shell out; product
 * code may not). Names carry a unique prefix {@code tkv-plat-<pid>-}; every namespace made here is
 * deleted on {@link #close}, and by a shutdown hook if the test JVM dies first.
 */
final class TestNamespaces implements AutoCloseable {

  private static final String PREFIX = "tkv-plat-" + ProcessHandle.current().pid() + "-";
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final List<String> created = new ArrayList<>();
  private final Thread cleanup = new Thread(this::deleteAll);

  TestNamespaces() {
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .anyMatch(line -> line.matches("Uid:\\s+0\\s.*"));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Creates a namespace with loopback up and IPv6 DAD off (so link-local addresses work at once).
   */
  String create() {
    String name = PREFIX + COUNTER.incrementAndGet();
    run("ip", "netns", "add", name);
    synchronized (created) {
      created.add(name);
    }
    ip(name, "link", "set", "lo", "up");
    run("ip", "netns", "exec", name, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0");
    run("ip", "netns", "exec", name, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0");
    return name;
  }

  /** A veth pair: {@code nameA} in {@code nsA}, {@code nameB} in {@code nsB}, both up. */
  void veth(String nsA, String nameA, String nsB, String nameB) {
    ip(nsA, "link", "add", nameA, "type", "veth", "peer", "name", nameB, "netns", nsB);
    ip(nsA, "link", "set", nameA, "up");
    ip(nsB, "link", "set", nameB, "up");
  }

  /** Runs {@code ip -n ns args...}; returns stdout, throws with the output on failure. */
  String ip(String ns, String... args) {
    List<String> command = new ArrayList<>(List.of("ip", "-n", ns));
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new));
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

  private void deleteAll() {
    List<String> names;
    synchronized (created) {
      names = new ArrayList<>(created);
      created.clear();
    }
    for (String name : names) {
      try {
        run("ip", "netns", "del", name);
      } catch (RuntimeException e) {
        System.err.println("could not delete namespace " + name + ": " + e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    deleteAll();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or will run; nothing left to do
    }
  }
}
