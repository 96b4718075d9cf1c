package dev.takeover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.takeover.bench.Bench;
import dev.takeover.bench.BenchCommand;
import dev.takeover.bench.BenchOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench in a tiny mode, in this JVM: one repetition of link and graceful at 100 ms adverts,
 * both systems, daemons started through the repository's launcher script (which finds
 * daemon/target/takeover.jar). Checks the JSON holds both systems with plausible numbers.
 */
class BenchIT {
  @TempDir Path results;

  @Test
  @Timeout(60)
  void tinyRunMeasuresBothSystems() throws Exception {
    assumeTrue(Cluster.isRoot(), "the bench builds network namespaces: it needs root");
    BenchOptions options =
        new BenchOptions(1, List.of(100), List.of("link", "graceful"), 0, 0, 0, 0, false, true);
    StringWriter printed = new StringWriter();
    Bench.Outcome outcome;
    try (PrintWriter out = new PrintWriter(printed, true)) {
      outcome =
          new Bench(options, BenchCommand.takeoverCommand(Path.of("takeover")), results, out, false)
              .run();
    }
    String text = printed.toString();
    System.out.println(text);

    assertThat(outcome.json()).exists().hasParent(results);
    assertThat(outcome.markdown()).exists();
    assertThat(Files.readString(outcome.markdown())).contains("| link | 100 ms |");
    JsonNode json = new ObjectMapper().readTree(outcome.json().toFile());
    assertThat(json.path("header").path("keepalivedVersion").asText()).contains("2.2.7");

    List<String> seen = new ArrayList<>();
    for (JsonNode s : json.path("failover")) {
      String what = s.path("system").asText() + "/" + s.path("scenario").asText();
      seen.add(what);
      assertThat(s.path("ok").asBoolean()).as(what + " " + s.path("error").asText()).isTrue();
      assertThat(s.path("answeredBefore").asText()).as(what).isEqualTo("n1");
      assertThat(s.path("answeredAfter").asText()).as(what).isEqualTo("n2");
      double outage = s.path("outageMs").asDouble();
      switch (s.path("scenario").asText()) {
        // Link down: Master_Down_Interval (about 361 ms at 100 ms adverts, priority 100) plus the
        // time for the gratuitous ARP to reach the client.
        case "link" -> assertThat(outage).as(what).isBetween(150.0, 2000.0);
        // SIGTERM: a priority-0 advert, so the backup takes over after Skew_Time (61 ms).
        case "graceful" -> assertThat(outage).as(what).isBetween(0.0, 1000.0);
        default -> throw new AssertionError("unexpected scenario " + what);
      }
    }
    assertThat(seen)
        .containsExactlyInAnyOrder(
            "takeover/link", "takeover/graceful", "keepalived/link", "keepalived/graceful");
    assertThat(json.path("outages")).hasSize(4);
  }

  /**
   * The {@code routes} scenario once per heartbeat interval: the client behind the gateway gets
   * answers over LAN B after the cut and over LAN A after the heal, and n1 journals both changes.
   */
  @Test
  @Timeout(60)
  void routesScenarioMeasuresSwitchAndSwitchback() throws Exception {
    assumeTrue(Cluster.isRoot(), "the bench builds network namespaces: it needs root");
    BenchOptions options =
        new BenchOptions(1, List.of(100), List.of("routes"), 0, 0, 0, 0, false, true);
    Bench.Outcome outcome;
    StringWriter printed = new StringWriter();
    try (PrintWriter out = new PrintWriter(printed, true)) {
      outcome =
          new Bench(options, BenchCommand.takeoverCommand(Path.of("takeover")), results, out, false)
              .run();
    }
    System.out.println(printed);
    JsonNode json = new ObjectMapper().readTree(outcome.json().toFile());
    assertThat(json.path("routes")).hasSize(2);
    for (JsonNode s : json.path("routes")) {
      String what = s.path("heartbeatMs").asText() + " ms: " + s.path("error").asText();
      assertThat(s.path("ok").asBoolean()).as(what).isTrue();
      // The carrier goes: the route moves at once, whatever the heartbeat interval.
      assertThat(s.path("switchMs").asDouble()).as(what).isBetween(0.0, 1000.0);
      assertThat(s.path("kernelSwitchMs").isNumber()).as(what).isTrue();
      // Back after goods (3) answered inquiries.
      double back = s.path("switchbackMs").asDouble();
      assertThat(back).as(what).isGreaterThan(s.path("heartbeatMs").asDouble());
      assertThat(s.path("kernelSwitchbackMs").isNumber()).as(what).isTrue();
    }
    assertThat(json.path("routeSummary")).hasSize(2);
    assertThat(Files.readString(outcome.markdown())).contains("## Route failover and switchback");
  }
}
