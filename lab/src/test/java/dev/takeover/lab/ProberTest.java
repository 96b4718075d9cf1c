package dev.takeover.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Prober, echo responder and the probe command over loopback: no namespaces, no root. */
class ProberTest {
  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("timed out").isNegative();
      LockSupport.parkNanos(1_000_000);
    }
  }

  @Test
  void seesTheResponderChangeAndTheGapBetween() throws Exception {
    List<ProbeEvent> events = new CopyOnWriteArrayList<>();
    EchoResponder first = EchoResponder.start(0, "n1");
    int port = first.port();
    var target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    try (Prober prober = Prober.start(target, Duration.ofMillis(1), events::add)) {
      await(
          () ->
              events.stream()
                  .anyMatch(e -> e instanceof ProbeEvent.AnswererChanged c && c.to().equals("n1")));
      assertThat(events.getFirst()).isInstanceOf(ProbeEvent.Started.class);

      first.close();
      // A bare parkNanos may return at once ("for no reason", its contract says): park to the end.
      long end = System.nanoTime() + Duration.ofMillis(60).toNanos();
      for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
        LockSupport.parkNanos(left);
      }
      try (EchoResponder second = EchoResponder.start(port, "n2")) {
        assertThat(second.port()).isEqualTo(port);
        await(
            () ->
                events.stream()
                    .anyMatch(
                        e -> e instanceof ProbeEvent.AnswererChanged c && c.to().equals("n2")));
        ProbeReport snapshot = prober.snapshot();
        assertThat(snapshot.outages()).hasSize(1);
        ProbeEvent.Outage outage = snapshot.outages().getFirst();
        assertThat(outage.before()).isEqualTo("n1");
        assertThat(outage.after()).isEqualTo("n2");
        assertThat(outage.durationMs()).isGreaterThanOrEqualTo(60);
        assertThat(outage.lost()).isGreaterThan(10);
        assertThat(snapshot.currentAnswerer()).contains("n2");

        ProbeReport report = prober.stop();
        assertThat(report.pending()).isZero();
        assertThat(report.sent()).isEqualTo(report.answered() + report.lost());
        assertThat(report.transitions())
            .extracting(ProbeEvent.AnswererChanged::to)
            .containsExactly("n1", "n2");
      }
    }
  }

  @Test
  void probeCommandPrintsLiveEventsThenASummary() throws Exception {
    try (EchoResponder echo = EchoResponder.start(0, "n1")) {
      StringWriter text = new StringWriter();
      int code =
          new CommandLine(new ProbeCommand())
              .setOut(new PrintWriter(text))
              .execute(
                  "--target",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(echo.port()),
                  "--interval",
                  "1ms",
                  "--duration",
                  "300ms");
      assertThat(code).isZero();
      List<ProbeEvent> events =
          text.toString().lines().map(l -> ProbeJson.parse(l).orElseThrow()).toList();
      assertThat(events.getFirst()).isInstanceOf(ProbeEvent.Started.class);
      assertThat(events.get(1))
          .isInstanceOfSatisfying(
              ProbeEvent.AnswererChanged.class, c -> assertThat(c.to()).isEqualTo("n1"));
      assertThat(events.getLast())
          .isInstanceOfSatisfying(
              ProbeReport.class,
              r -> {
                assertThat(r.sent()).isBetween(100L, 310L);
                assertThat(r.answered()).isEqualTo(r.sent());
                assertThat(r.answersByNode()).containsOnlyKeys("n1");
              });
      assertThat(echo.answered()).isEqualTo(((ProbeReport) events.getLast()).answered());
    }
  }

  @Test
  void durations() {
    assertThat(DurationConverter.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
    assertThat(DurationConverter.parse("1ms")).isEqualTo(Duration.ofMillis(1));
    assertThat(DurationConverter.parse("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(DurationConverter.parse("0")).isZero();
    assertThat(DurationConverter.parse("PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThat(NodeConfig.format(Duration.ofMillis(100))).isEqualTo("100ms");
    assertThat(NodeConfig.format(Duration.ofSeconds(60))).isEqualTo("60s");
  }

  @Test
  void nodeConfigYamlHasTheDaemonsShape() {
    String yaml =
        NodeConfig.of("n1", 200, Duration.ofMillis(100), "198.18.0.50/24")
            .withUnicastPeers(List.of("198.18.0.2"))
            .toYaml();
    assertThat(yaml)
        .isEqualTo(
            """
            node: n1
            announce: { garp-count: 5, garp-interval: 200ms, garp-refresh: 60s }
            groups:
              - name: web
                vrid: 51
                interface: eth0
                priority: 200
                advert-interval: 100ms
                preempt: true
                addresses: ["198.18.0.50/24"]
                unicast-peers: ["198.18.0.2"]
            """);
    assertThat(
            NodeDaemon.keepalivedConf(
                NodeConfig.of("n2", 100, Duration.ofMillis(100), "198.18.0.50/24")))
        .contains(
            "vrrp_version 3",
            "virtual_router_id 51",
            "priority 100",
            "advert_int 0.1",
            "198.18.0.50/24");
  }
}
