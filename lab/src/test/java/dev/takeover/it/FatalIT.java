package dev.takeover.it;

import static dev.takeover.it.Cluster.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.lab.JavaLauncher;
import dev.takeover.lab.NodeDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9, item 2: a thread failover depends on dies, and the process ends at once with status 3
 * and a line on stderr, so that systemd restarts it; before, an OutOfMemoryError on the engine left
 * a live process with the addresses frozen. The fault is injected with the daemon's test-only
 * system property {@code takeover.faultInjection} (daemon.FaultInjection), which throws an Error on
 * that thread once the daemon has started.
 */
class FatalIT {
  @RegisterExtension final Cluster cluster = Cluster.withNodes(1);

  private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  // The engine is the one thread failover depends on: it also reads every receive socket (there
  // is no receive thread since docs/DECISIONS.md 65).
  @ParameterizedTest
  @ValueSource(strings = {"engine"})
  void aVitalThreadThatDiesEndsTheProcessWithinASecond(String thread) {
    List<String> argv = new ArrayList<>(daemonLauncher().takeover());
    argv.add(1, "-Dtakeover.faultInjection=" + thread); // a JVM option: right after the java binary
    NodeDaemon daemon =
        NodeDaemon.start(
            cluster.lab(),
            NodeDaemon.Kind.TAKEOVER,
            config("n1", 200),
            new NodeDaemon.Launch(argv, "", ""),
            cluster.logDir().resolve("conf"),
            cluster.logDir().resolve("n1-" + thread + ".log"));

    Optional<Integer> status = daemon.process().waitFor(Cluster.STARTUP);
    LocalTime exited = LocalTime.now();
    String log = daemon.process().log();
    assertThat(status).as(log).contains(3);
    assertThat(log)
        .contains(
            "takeover: fatal: thread takeover-"
                + thread
                + " died of dev.takeover.daemon.FaultInjection$InjectedFault: injected fault"
                + " (takeover.faultInjection="
                + thread
                + "); exiting with status 3 so that the service manager restarts it\n")
        .doesNotContain("stopping: leaving every group gracefully");

    // From the daemon's own time stamp of the injection to the exit the test saw: an upper bound.
    String injected =
        log.lines()
            .filter(l -> l.contains("is about to die of an injected Error"))
            .findFirst()
            .orElseThrow();
    LocalTime at = LocalTime.parse(injected.replaceFirst("^<\\d>", "").substring(0, 12), LOG_TIME);
    Duration took = Duration.between(at, exited);
    assertThat(took).as(log).isLessThan(Duration.ofSeconds(1));
    System.out.printf(
        "FatalIT %s: fault to observed exit at most %d ms%n", thread, took.toMillis());
  }

  private static JavaLauncher daemonLauncher() {
    String jar = System.getProperty("takeover.jar");
    return jar == null || jar.isBlank()
        ? JavaLauncher.current()
        : JavaLauncher.forJar(Path.of(jar));
  }
}
