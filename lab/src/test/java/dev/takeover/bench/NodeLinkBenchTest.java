package dev.takeover.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.bench.BenchResult.HeartbeatCostSample;
import dev.takeover.bench.BenchResult.RouteSample;
import dev.takeover.bench.BenchResult.SplitBrainSample;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pure parts of the node-link scenarios ({@code routes}, {@code split-brain}, {@code
 * heartbeat-cost}): summaries, their tables, and the route probe's arithmetic.
 */
class NodeLinkBenchTest {
  private static final String LAN_A = "198.18.0.1";
  private static final String LAN_B = "198.18.2.1";

  private static RouteSample route(int heartbeat, int rep, double sw, double back) {
    return new RouteSample(heartbeat, rep, true, null, sw, sw - 1, 3, back, back - 2, 0, 1.0);
  }

  private static final List<RouteSample> ROUTES =
      List.of(
          route(100, 1, 14, 420),
          route(1000, 1, 12, 3300),
          route(100, 2, 20, 380),
          route(100, 3, 16, 500),
          RouteSample.failed(100, 4, "boom"));

  private static SplitBrainSample split(
      String variant, int rep, Double both, Double first, boolean stayed) {
    return new SplitBrainSample(
        variant,
        1000,
        rep,
        true,
        null,
        10,
        both,
        first,
        stayed,
        stayed ? List.of() : List.of("n2"),
        stayed ? 0 : 3,
        4.0);
  }

  private static final List<SplitBrainSample> SPLITS =
      List.of(
          split("keepalived", 1, 6.4, 3600.0, false),
          split("takeover", 1, 6.3, 3610.0, false),
          split("takeover+guard", 1, 0.0, null, true),
          split("takeover+guard", 2, 0.0, null, true),
          new SplitBrainSample(
              "takeover", 1000, 2, false, "boom", 10, null, null, false, List.of(), 0, null));

  private static HeartbeatCostSample cost(int paths, int rep, double pair) {
    return new HeartbeatCostSample(paths, rep, true, null, 20, pair / 2, pair / 2, pair);
  }

  private static final List<HeartbeatCostSample> COSTS =
      List.of(
          cost(2, 1, 0.70),
          cost(0, 1, 0.50),
          cost(0, 2, 0.60),
          cost(0, 3, 0.40),
          cost(1, 1, 0.60),
          cost(2, 2, 0.80),
          cost(2, 3, 0.90),
          new HeartbeatCostSample(4, 1, false, "exited", 0, null, null, null));

  @Test
  void routeSummariesPerHeartbeatLongestFirstMedianByNearestRank() {
    var rows = Summaries.routes(ROUTES);
    assertThat(rows).extracting(BenchResult.RouteSummary::heartbeatMs).containsExactly(1000, 100);
    var at100 = rows.get(1);
    assertThat(at100.samples()).isEqualTo(3);
    assertThat(at100.failed()).isEqualTo(1);
    assertThat(at100.switchMedianMs()).isEqualTo(16.0);
    assertThat(at100.switchMaxMs()).isEqualTo(20.0);
    assertThat(at100.kernelSwitchMedianMs()).isEqualTo(15.0);
    assertThat(at100.switchbackMedianMs()).isEqualTo(420.0);
    assertThat(at100.switchbackMaxMs()).isEqualTo(500.0);
    assertThat(at100.kernelSwitchbackMaxMs()).isEqualTo(498.0);
    assertThat(at100.lostAtCut()).as("failed runs count nothing").isEqualTo(9);
  }

  @Test
  void splitBrainSummariesPerIntervalInVariantOrder() {
    var rows = Summaries.splitBrain(SPLITS);
    assertThat(rows)
        .extracting(BenchResult.SplitBrainSummary::variant)
        .containsExactly("takeover+guard", "takeover", "keepalived");
    assertThat(rows.get(0).bothMaxSeconds()).isEqualTo(0.0);
    assertThat(rows.get(0).firstBothMedianMs()).isNull();
    assertThat(rows.get(0).clientStayedOnN1()).isEqualTo(2);
    assertThat(rows.get(1).samples()).isEqualTo(1);
    assertThat(rows.get(1).failed()).isEqualTo(1);
    assertThat(rows.get(1).bothMedianSeconds()).isEqualTo(6.3);
    assertThat(rows.get(2).clientStayedOnN1()).isZero();
  }

  @Test
  void heartbeatCostSubtractsThePairWithoutLinksAndDividesByThePaths() {
    var rows = Summaries.heartbeatCost(COSTS);
    assertThat(rows)
        .extracting(BenchResult.HeartbeatCostSummary::paths)
        .containsExactly(0, 1, 2, 4);
    assertThat(rows.get(0).pairMedianPercent()).isEqualTo(0.50);
    assertThat(rows.get(0).extraPercent()).isNull();
    assertThat(rows.get(1).extraPercent()).isCloseTo(0.10, within());
    assertThat(rows.get(2).pairMedianPercent()).isEqualTo(0.80);
    assertThat(rows.get(2).pairMinPercent()).isEqualTo(0.70);
    assertThat(rows.get(2).extraPercent()).isCloseTo(0.30, within());
    assertThat(rows.get(2).perPathPercent()).isCloseTo(0.15, within());
    assertThat(rows.get(3).samples()).isZero();
    assertThat(rows.get(3).failed()).isEqualTo(1);
    assertThat(rows.get(3).perPathPercent()).isNull();
  }

  @Test
  void heartbeatCostWithoutABaselineHasNoExtra() {
    var rows = Summaries.heartbeatCost(List.of(cost(1, 1, 0.6)));
    assertThat(rows.getFirst().extraPercent()).isNull();
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }

  @Test
  void markdownHasTheThreeTables() {
    BenchOptions options =
        new BenchOptions(
            3,
            List.of(1000),
            List.of("routes", "split-brain", "heartbeat-cost"),
            0,
            20_000,
            10_000,
            5,
            false,
            false);
    BenchResult result =
        new BenchResult(
            new BenchResult.Header(
                "2026-12-03T16:00:00Z",
                "vm",
                "6.18.0",
                "AMD EPYC",
                2,
                24105,
                "abc123",
                "Keepalived v2.2.7",
                List.of("takeover"),
                "defaults",
                "defaults",
                options),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            ROUTES,
            Summaries.routes(ROUTES),
            SPLITS,
            Summaries.splitBrain(SPLITS),
            COSTS,
            Summaries.heartbeatCost(COSTS),
            60);
    String md = MarkdownReport.render(result);
    assertThat(md)
        .contains("## Route failover and switchback")
        .contains("| 1000 ms | 1 | 12.0 / 12.0 | 11.0 / 11.0 | 3 | 3300.0 / 3300.0 |")
        .contains(
            "| 100 ms | 3 (+1 failed) | 16.0 / 20.0 | 15.0 / 19.0 | 9 | 420.0 / 500.0 |"
                + " 418.0 / 498.0 | 0 |")
        .contains("## Split brain")
        .contains("| takeover+guard | 1000 ms | 2 | 10 s | 0.00 / 0.00 | n/a | 2 of 2 |")
        .contains("| takeover | 1000 ms | 1 (+1 failed) | 10 s | 6.30 / 6.30 | 3610.0 | 0 of 1 |")
        .contains("| keepalived | 1000 ms | 1 | 10 s | 6.40 / 6.40 | 3600.0 | 0 of 1 |")
        .contains("## Heartbeat CPU cost")
        .contains("| 0 (no links) | 3 | 0.500 | 0.400 | 0.600 | n/a | n/a |")
        .contains("| 2 | 3 | 0.800 | 0.700 | 0.900 | 0.300 | 0.150 |")
        .contains("| 4 | 0 (+1 failed) | n/a | n/a | n/a | n/a | n/a |");
  }

  private static RouteProbe.Answer answer(long seq, long sent, long received, String from) {
    return new RouteProbe.Answer(seq, sent, received, from);
  }

  @Test
  void theFirstAnswerOverALanCountsOnlyRequestsSentAfterTheEvent() {
    List<RouteProbe.Answer> answers =
        List.of(
            answer(1, 1_000_000, 1_200_000, LAN_A),
            answer(5, 5_000_000, 21_000_000, LAN_B), // sent before the cut at 6 ms: not counted
            answer(9, 9_000_000, 20_000_000, LAN_B),
            answer(10, 10_000_000, 20_500_000, LAN_B));
    assertThat(RouteProbe.firstFrom(answers, LAN_B, 6_000_000)).isEqualTo(14.0);
    assertThat(RouteProbe.firstFrom(answers, LAN_A, 6_000_000)).isNull();
  }

  @Test
  void unansweredCountsRequestsInTheSpanThatNoAnswerNames() {
    long[] sent = {0, 1_000_000, 2_000_000, 3_000_000, 4_000_000, 0, 0};
    BitSet answered = new BitSet();
    answered.set(0);
    answered.set(3);
    assertThat(RouteProbe.unanswered(sent, 5, answered, 1_000_000, 4_000_000)).isEqualTo(2);
    assertThat(RouteProbe.unanswered(sent, 5, answered, 0, 5_000_000)).isEqualTo(3);
    assertThat(RouteProbe.unanswered(sent, 0, answered, 0, 5_000_000)).isZero();
  }

  @Test
  void heartbeatCostPathsAreLanAThenLanBThenIpv6() {
    String two = HeartbeatCostRun.linksYaml("n1", Path.of("/k"), 2);
    assertThat(two)
        .contains("interval: 100ms")
        .contains("    n2:\n")
        .contains("{local: \"198.18.0.1\", peer: \"198.18.0.2\"}")
        .contains("{local: \"198.18.2.1\", peer: \"198.18.2.2\"}")
        .doesNotContain("2001:db8");
    String four = HeartbeatCostRun.linksYaml("n2", Path.of("/k"), 4);
    assertThat(four.lines().filter(l -> l.contains("{local:"))).hasSize(4);
    assertThat(four)
        .contains("{local: \"2001:db8::2\", peer: \"2001:db8::1\"}")
        .contains("{local: \"2001:db8:2::2\", peer: \"2001:db8:2::1\"}");
  }
}
