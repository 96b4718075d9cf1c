package dev.takeover.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.takeover.lab.JavaLauncher;
import dev.takeover.lab.Lab;
import dev.takeover.lab.LabProcess;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import dev.takeover.lab.ProbeFollower;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A lab with VRRP daemons on its nodes, for integration tests. Register it per test:
 *
 * <pre>{@code @RegisterExtension final Cluster cluster = Cluster.withNodes(2);}</pre>
 *
 * <p>Before each test it skips unless running as root, then builds a fresh {@link Lab}; after each
 * test it tears everything down. Every process's output goes to {@code
 * target/it-logs/<TestClass>/<method>/}; when a test fails, all of it is printed.
 *
 * <p>The daemon comes from the jar named by system property {@code takeover.jar} (failsafe sets it
 * to target/takeover.jar), else from the test class path. With {@code
 * -Dtakeover.it.daemon=keepalived}, {@link #start(NodeConfig)} runs keepalived instead: the tests
 * then check themselves against the reference implementation.
 */
public final class Cluster
    implements BeforeEachCallback, AfterTestExecutionCallback, AfterEachCallback {
  public static final String VIP = "198.18.0.50";
  public static final String CLIENT = Lab.CLIENT;
  public static final int ECHO_PORT = 7000;
  public static final Duration ADVERT_INTERVAL = Duration.ofMillis(100);

  /** Time for JVMs to start and a first election on a busy 2-core machine. */
  public static final Duration STARTUP = Duration.ofSeconds(20);

  private final int nodeCount;
  private final NodeDaemon.Kind defaultKind;
  private final JavaLauncher tools = JavaLauncher.current();
  private final Map<String, NodeDaemon> daemons = new LinkedHashMap<>();
  private final List<LabProcess> helpers = new ArrayList<>();
  private final AtomicInteger starts = new AtomicInteger();
  private Lab lab;
  private Path logDir;

  private Cluster(int nodeCount) {
    this.nodeCount = nodeCount;
    this.defaultKind =
        NodeDaemon.Kind.valueOf(
            System.getProperty("takeover.it.daemon", "takeover").toUpperCase(Locale.ROOT));
  }

  public static Cluster withNodes(int nodeCount) {
    return new Cluster(nodeCount);
  }

  public static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    assumeTrue(isRoot(), "integration tests build network namespaces: they need root");
    logDir =
        Path.of(
                "target",
                "it-logs",
                context.getRequiredTestClass().getSimpleName(),
                testName(context))
            .toAbsolutePath();
    deleteRecursively(logDir); // logs of an earlier run of this test
    Files.createDirectories(logDir);
    lab = Lab.create(nodeCount);
    for (String node : lab.nodes()) {
      deleteRecursively(stateDir(node));
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /** The method name, plus the display name for parameterized tests (which share a method). */
  private static String testName(ExtensionContext context) {
    String method = context.getRequiredTestMethod().getName();
    String display = context.getDisplayName();
    if (display.startsWith(method + "(")) {
      return method;
    }
    return method + "_" + display.replaceAll("[^A-Za-z0-9]+", "_");
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      printLogs();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    if (lab != null) {
      lab.close();
      for (String node : lab.nodes()) {
        deleteRecursively(stateDir(node));
      }
    }
  }

  public Lab lab() {
    return lab;
  }

  public Path logDir() {
    return logDir;
  }

  /**
   * {@code takeover status --json} against the node's control socket, through the CLI as an
   * operator runs it; an empty object while the socket does not answer.
   */
  public com.fasterxml.jackson.databind.JsonNode statusJson(String node) {
    String out = status(node, "--json");
    try {
      return out.isBlank()
          ? dev.takeover.control.ControlJson.MAPPER.createObjectNode()
          : dev.takeover.control.ControlJson.MAPPER.readTree(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code takeover status} as text, for failure messages. */
  public String statusText(String node) {
    return status(node);
  }

  private String status(String node, String... options) {
    java.io.StringWriter out = new java.io.StringWriter();
    // The CLI in this JVM, not a program: argv for picocli.
    List<String> argv = new ArrayList<>();
    argv.add("status");
    argv.addAll(List.of(options));
    argv.addAll(List.of("--socket", stateDir(node).resolve("control.sock").toString()));
    dev.takeover.cli.Main.commandLine()
        .setOut(new java.io.PrintWriter(out, true))
        .setErr(new java.io.PrintWriter(new java.io.StringWriter(), true))
        .execute(argv.toArray(String[]::new));
    return out.toString();
  }

  /** The node's journal events of one type, oldest first. */
  public List<dev.takeover.journal.JournalEvent> journal(
      String node, dev.takeover.journal.EventType type) {
    return dev.takeover.journal.Journal.read(stateDir(node), e -> e.type() == type, 1000).events();
  }

  /** Where {@code node}'s daemon keeps its journal and control socket. */
  public Path stateDir(String node) {
    return NodeConfig.stateDir(logDir.resolve("conf"), node);
  }

  /** n-th node's standard config: group web, VRID 51, 100 ms adverts, VIP 198.18.0.50/24. */
  public static NodeConfig config(String node, int priority) {
    return NodeConfig.of(node, priority, ADVERT_INTERVAL, VIP + "/24");
  }

  /** Starts the default daemon (takeover, unless overridden) with {@code config}. */
  public NodeDaemon start(NodeConfig config) {
    return start(defaultKind, config);
  }

  /** Starts takeover (or the stand-in chosen with {@code -Dtakeover.it.daemon}). */
  public NodeDaemon startTakeover(NodeConfig config) {
    return start(defaultKind, config);
  }

  public NodeDaemon startKeepalived(NodeConfig config) {
    return start(NodeDaemon.Kind.KEEPALIVED, config);
  }

  /**
   * keepalived with {@code globalDefs} added to its {@code global_defs} (after the lab's own lines,
   * so e.g. {@code " vrrp_version 2\n"} wins).
   */
  public NodeDaemon startKeepalived(NodeConfig config, String globalDefs) {
    return startKeepalived(config, globalDefs, "");
  }

  /**
   * As {@link #startKeepalived(NodeConfig, String)}, with {@code instance} lines in the instance.
   */
  public NodeDaemon startKeepalived(NodeConfig config, String globalDefs, String instance) {
    Path log = logDir.resolve(config.node() + "-keepalived-" + starts.incrementAndGet() + ".log");
    NodeDaemon daemon =
        NodeDaemon.start(
            lab,
            NodeDaemon.Kind.KEEPALIVED,
            config,
            new NodeDaemon.Launch(daemonLauncher().takeover(), "", globalDefs, instance),
            logDir.resolve("conf"),
            log);
    daemons.put(config.node(), daemon);
    return daemon;
  }

  /** keepalived on {@code node} with {@code conf} as its whole configuration. */
  public NodeDaemon startKeepalivedConf(String node, String conf) {
    Path log = logDir.resolve(node + "-keepalived-" + starts.incrementAndGet() + ".log");
    NodeDaemon daemon =
        NodeDaemon.keepalived(lab, config(node, 100), conf, logDir.resolve("conf"), log);
    daemons.put(node, daemon);
    return daemon;
  }

  private NodeDaemon start(NodeDaemon.Kind kind, NodeConfig config) {
    String name = kind.name().toLowerCase(Locale.ROOT);
    Path log = logDir.resolve(config.node() + "-" + name + "-" + starts.incrementAndGet() + ".log");
    NodeDaemon daemon =
        NodeDaemon.start(lab, kind, config, daemonLauncher(), logDir.resolve("conf"), log);
    daemons.put(config.node(), daemon);
    return daemon;
  }

  /** The launcher of the daemon under test: {@code -Dtakeover.jar}, else this build's classes. */
  JavaLauncher daemonLauncher() {
    String jar = System.getProperty("takeover.jar");
    return jar == null || jar.isBlank() ? tools : JavaLauncher.forJar(Path.of(jar));
  }

  /**
   * The usual opening: echo on every node, the probe in the client, then daemons with {@code
   * master} and {@code backup}; returns once {@code master.node()} holds the VIP, the other does
   * not, and the client is answered by the master.
   */
  public ProbeFollower startPair(NodeConfig master, NodeConfig backup) {
    startEcho();
    ProbeFollower probe = startProbe();
    // The master first, the backup once the master answers: started together, the backup's JVM
    // may win the start-up race, become master for a moment and leave the client's ARP entry
    // pointing at it (its announcement burst racing the master's), which is start-up noise, not
    // the failover a test means to measure.
    start(master);
    awaitMaster(master.node(), STARTUP);
    probe.awaitAnswerer(0, master.node(), STARTUP);
    NodeDaemon b = start(backup);
    Poll.until(
        STARTUP,
        () ->
            b.process().log().contains("-> BACKUP")
                || b.process().log().contains("Entering BACKUP STATE"),
        () -> backup.node() + " to enter BACKUP" + state());
    Poll.holdsFor(
        ADVERT_INTERVAL.multipliedBy(5),
        () -> holdsVip(master.node()) && !holdsVip(backup.node()),
        () -> master.node() + " stays master while " + backup.node() + " starts" + state());
    return probe;
  }

  /** Milliseconds from {@code fromNanos} to {@code toNanos} (both System.nanoTime()). */
  public static double millisBetween(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1e6;
  }

  /** Waits until the client's neighbour entry for the VIP points at {@code node}'s MAC. */
  public void awaitClientNeighbour(String node, Duration timeout) {
    String mac = lab.mac(node);
    Poll.until(
        timeout,
        () -> lab.neighbourMac(CLIENT, VIP).filter(mac::equals).isPresent(),
        () ->
            "client neighbour entry for "
                + VIP
                + " = "
                + mac
                + " ("
                + node
                + "), is "
                + lab.neighbourMac(CLIENT, VIP).orElse("none"));
  }

  /** Waits until keepalived on {@code daemon}'s node has logged entering {@code state}. */
  public static void awaitKeepalivedState(NodeDaemon daemon, String state, Duration timeout) {
    Poll.until(
        timeout,
        () ->
            daemon.stateLines().stream().anyMatch(l -> l.contains("Entering " + state + " STATE")),
        () -> daemon + " to log 'Entering " + state + " STATE'; it logged " + daemon.stateLines());
  }

  /**
   * Waits until the takeover daemon {@code daemon} has logged a transition to {@code state}: a JVM
   * on a loaded machine can take seconds to start, and a window that assumes it runs must not begin
   * before it does.
   */
  public static void awaitTakeoverState(NodeDaemon daemon, String state, Duration timeout) {
    awaitTakeoverState(daemon.process(), state, timeout);
  }

  /** As above, for a takeover process the lab started without a NodeDaemon. */
  public static void awaitTakeoverState(LabProcess process, String state, Duration timeout) {
    Poll.until(
        timeout,
        () -> process.log().lines().anyMatch(l -> l.contains("-> " + state + " (")),
        () -> process + " to log a transition to " + state);
  }

  /** The daemon most recently started on {@code node}. */
  public NodeDaemon daemon(String node) {
    NodeDaemon d = daemons.get(node);
    if (d == null) {
      throw new IllegalStateException("no daemon started on " + node);
    }
    return d;
  }

  /** Starts {@code takeover echo} on every node (answering with the node's name). */
  public void startEcho() {
    for (String node : lab.nodes()) {
      helpers.add(
          lab.start(
              node,
              tools.labTool("echo", "--port", Integer.toString(ECHO_PORT), "--name", node),
              logDir.resolve(node + "-echo.log")));
    }
  }

  /** Starts {@code takeover probe} in the client against the VIP, every 1 ms. */
  public ProbeFollower startProbe() {
    return startProbe(VIP);
  }

  public ProbeFollower startProbe(String target) {
    LabProcess probe =
        lab.start(
            CLIENT,
            tools.labTool(
                "probe",
                "--target",
                target,
                "--port",
                Integer.toString(ECHO_PORT),
                "--interval",
                "1ms"),
            logDir.resolve("client-probe.log"));
    helpers.add(probe);
    return new ProbeFollower(probe);
  }

  public boolean holdsVip(String node) {
    return lab.hasAddress(node, VIP);
  }

  /** Waits until {@code node} holds the VIP. */
  public void awaitMaster(String node, Duration timeout) {
    Poll.until(
        timeout,
        () -> {
          NodeDaemon daemon = daemons.get(node);
          if (daemon != null && !daemon.process().isAlive()) {
            // Fail now rather than at the deadline: a daemon that exited will not become master.
            throw new AssertionError(
                daemon
                    + " exited with "
                    + daemon.process().waitFor(Duration.ZERO).orElse(-1)
                    + " while waiting for it to become master; its output:\n"
                    + daemon.process().log());
          }
          return holdsVip(node);
        },
        () -> node + " to hold " + VIP + state());
  }

  /** Waits until {@code node} no longer holds the VIP. */
  public void awaitReleased(String node, Duration timeout) {
    Poll.until(timeout, () -> !holdsVip(node), () -> node + " to release " + VIP + state());
  }

  /** Who holds the VIP right now, for failure messages. */
  public String state() {
    StringBuilder s = new StringBuilder(" (VIP held by:");
    try {
      for (String node : lab.nodes()) {
        if (holdsVip(node)) {
          s.append(' ').append(node);
        }
      }
    } catch (RuntimeException e) {
      s.append(" unknown: ").append(e.getMessage());
    }
    daemons.values().forEach(d -> s.append("; ").append(d));
    return s.append(')').toString();
  }

  /** RFC 5798 §6.1: Master_Down_Interval = 3 × Advertisement_Interval + Skew_Time. */
  public static Duration masterDownInterval(int priority, Duration advertInterval) {
    return advertInterval.multipliedBy(3).plus(skewTime(priority, advertInterval));
  }

  /** RFC 5798 §6.1: Skew_Time = ((256 − priority) × Advertisement_Interval) / 256. */
  public static Duration skewTime(int priority, Duration advertInterval) {
    return Duration.ofNanos((256 - priority) * advertInterval.toNanos() / 256);
  }

  /** Prints every log file of this test (on failure). */
  public void printLogs() {
    if (logDir == null || !Files.isDirectory(logDir)) {
      return;
    }
    try (var files = Files.walk(logDir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        System.out.println("===== " + f + " =====");
        String text = Files.readString(f);
        // The probe's log is long but only the event lines matter; cap everything at 200 lines.
        List<String> lines = text.lines().toList();
        int from = Math.max(0, lines.size() - 200);
        if (from > 0) {
          System.out.println("... (" + from + " earlier lines)");
        }
        lines.subList(from, lines.size()).forEach(System.out::println);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println("===== " + state());
  }
}
