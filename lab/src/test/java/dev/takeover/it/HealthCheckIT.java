package dev.takeover.it;

import static dev.takeover.it.Cluster.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.lab.LabProcess;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.ProbeEvent;
import dev.takeover.lab.ProbeFollower;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A failover for a service, not a server: each node checks its own web server over HTTP; when n1's
 * stops answering, n1 goes to FAULT (priority-0 advert, addresses released) and n2 serves the
 * client within fall × interval + Master_Down_Interval.
 */
class HealthCheckIT {
  static final Duration INTERVAL = Duration.ofMillis(100);
  static final int FALL = 3;

  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);
  private final Map<String, LabProcess> webServers = new HashMap<>();

  private static NodeConfig withCheck(NodeConfig c) {
    return c.withGroupYaml(
        """
            checks:
              - name: web
                type: http
                url: http://127.0.0.1:8080/
                interval: 100ms
                timeout: 50ms
                rise: 2
                fall: %d
                weight: fault
        """
            .formatted(FALL));
  }

  private void startWebServer(String node) throws Exception {
    Path root = Files.createDirectories(cluster.logDir().resolve("www-" + node));
    Path jwebserver = Path.of(System.getProperty("java.home"), "bin", "jwebserver");
    webServers.put(
        node,
        cluster
            .lab()
            .start(
                node,
                List.of(
                    jwebserver.toString(), "-b", "127.0.0.1", "-p", "8080", "-d", root.toString()),
                cluster.logDir().resolve(node + "-web.log")));
  }

  @Test
  void vipMovesWhenTheServiceStopsAnswering() throws Exception {
    startWebServer("n1");
    startWebServer("n2");
    ProbeFollower probe =
        cluster.startPair(withCheck(config("n1", 200)), withCheck(config("n2", 100)));

    int mark = probe.mark();
    long stopped = System.nanoTime();
    webServers.get("n1").signal(LabProcess.Signal.KILL);

    ProbeEvent.AnswererChanged answered = probe.awaitAnswerer(mark, "n2", Duration.ofSeconds(5));
    double limit =
        INTERVAL.toMillis() * (FALL + 1)
            + Cluster.masterDownInterval(100, Cluster.ADVERT_INTERVAL).toNanos() / 1e6
            + 50;
    assertThat(Cluster.millisBetween(stopped, answered.receiveNanos()))
        .as("ms from the web server's death to the client's first answer from n2")
        .isLessThan(limit);
    cluster.awaitReleased("n1", Duration.ofSeconds(1));

    Path journal = cluster.stateDir("n1").resolve("journal.jsonl");
    Poll.until(
        Duration.ofSeconds(2),
        () -> read(journal).contains("\"check.down\""),
        () -> "n1's journal to record check.down");
    assertThat(read(journal)).contains("MASTER", "FAULT");
  }

  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
