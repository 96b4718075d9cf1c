package dev.takeover.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.takeover.bench.BenchResult.FailoverSample;
import dev.takeover.bench.BenchResult.FootprintSample;
import dev.takeover.bench.BenchResult.LoadResult;
import dev.takeover.bench.BenchResult.OutageSummary;
import dev.takeover.bench.BenchResult.StartupSample;
import dev.takeover.bench.BenchResult.TimelineSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Summaries and the Markdown tables, from hand-made samples. */
class ReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static FailoverSample sample(
      String system, String scenario, int intervalMs, double outageMs, long lost, JsonNode tl) {
    return new FailoverSample(
        system,
        intervalMs,
        1,
        scenario,
        "cause",
        true,
        null,
        outageMs,
        lost,
        lost > 0 ? 1 : 0,
        "n1",
        "n2",
        List.of("n2"),
        outageMs + 1,
        scenario.equals("kill") ? true : null,
        tl);
  }

  private static FailoverSample failed(String system, String scenario, int intervalMs) {
    return new FailoverSample(
        system,
        intervalMs,
        2,
        scenario,
        null,
        false,
        "timeout",
        0,
        0,
        0,
        null,
        null,
        List.of(),
        null,
        null,
        null);
  }

  private static JsonNode timeline(long garpUs, long lateUs) throws Exception {
    return JSON.readTree(
        "{\"from\":\"BACKUP\",\"to\":\"MASTER\",\"firstAnnouncementUs\":%d,\"timerLateUs\":%d}"
            .formatted(garpUs, lateUs));
  }

  private static List<FailoverSample> samples() throws Exception {
    List<FailoverSample> s = new ArrayList<>();
    for (double ms : List.of(300.0, 310.0, 320.0)) {
      s.add(sample("keepalived", "link", 100, ms, (long) ms, null));
    }
    s.add(sample("takeover", "link", 100, 290, 290, timeline(200, 50)));
    s.add(sample("takeover", "link", 100, 280, 280, timeline(100, 80)));
    s.add(sample("takeover", "kill", 100, 0, 0, null));
    s.add(sample("takeover", "link", 1000, 3100, 3100, timeline(300, 10)));
    s.add(failed("takeover", "link", 100));
    s.add(sample("takeover", "graceful", 100, 60, 60, null));
    return s;
  }

  @Test
  void outageSummariesPerScenarioIntervalAndSystem() throws Exception {
    List<OutageSummary> rows = Summaries.outages(samples());
    assertThat(rows)
        .extracting(r -> r.scenario() + "/" + r.intervalMs() + "/" + r.system())
        .containsExactly(
            "link/1000/takeover",
            "link/100/takeover",
            "link/100/keepalived",
            "kill/100/takeover",
            "graceful/100/takeover");
    OutageSummary takeover = rows.get(1);
    assertThat(takeover.samples()).isEqualTo(2);
    assertThat(takeover.failed()).isEqualTo(1);
    assertThat(takeover.medianMs()).isEqualTo(280.0);
    assertThat(takeover.maxMs()).isEqualTo(290.0);
    assertThat(takeover.lostProbes()).isEqualTo(570);
    assertThat(takeover.answeredBefore()).isEqualTo("n1");
    assertThat(takeover.answeredAfter()).isEqualTo("n2");
    assertThat(rows.get(2).medianMs()).isEqualTo(310.0);
    assertThat(rows.get(2).p95Ms()).isEqualTo(320.0);
    assertThat(rows.get(3).vipLeftOnDeadNode()).isEqualTo(1);
    assertThat(rows.get(1).vipLeftOnDeadNode()).isNull();
  }

  @Test
  void timelineSummaryCountsMissingTimelines() throws Exception {
    List<TimelineSummary> rows = Summaries.timelines(samples());
    assertThat(rows).extracting(TimelineSummary::intervalMs).containsExactly(1000, 100);
    TimelineSummary at100 = rows.get(1);
    assertThat(at100.samples()).isEqualTo(2);
    assertThat(at100.missing()).as("the kill sample had no timeline").isEqualTo(1);
    assertThat(at100.p50Us()).isEqualTo(100L);
    assertThat(at100.p99Us()).isEqualTo(200L);
    assertThat(at100.maxTimerLateUs()).isEqualTo(80L);
  }

  @Test
  void startupSummary() {
    List<StartupSample> s =
        List.of(
            new StartupSample("takeover", 1, 10, true, null, 500.0, 32.1875, 467.8125),
            new StartupSample("takeover", 2, 10, true, null, 520.0, 32.1875, 487.8125),
            new StartupSample("keepalived", 1, 10, false, "no advert", null, 32.1875, null));
    var rows = Summaries.startup(s);
    assertThat(rows.getFirst().firstAdvertMedianMs()).isEqualTo(500.0);
    assertThat(rows.getFirst().readyMaxMs()).isEqualTo(487.8125);
    assertThat(rows.get(1).samples()).isZero();
    assertThat(rows.get(1).failed()).isEqualTo(1);
    assertThat(rows.get(1).firstAdvertMedianMs()).isNull();
    assertThat(StartupRun.masterDownIntervalMs(200, 10)).isEqualTo(32.1875);
  }

  @Test
  void markdownHasEveryTable() throws Exception {
    List<FailoverSample> failover = samples();
    List<BenchResult.NameSample> names =
        List.of(
            new BenchResult.NameSample(100, 1, true, null, 330.0, 360.9, 2.5, 40.0, 3.5),
            new BenchResult.NameSample(100, 2, true, null, 420.0, 360.9, 9.0, 20.0, 3.5),
            new BenchResult.NameSample(100, 3, false, "boom", null, 360.9, null, null, null));
    List<BenchResult.LinkCutSample> linkCuts =
        List.of(
            new BenchResult.LinkCutSample(
                "keepalived", 100, 1, true, null, 305.2, 309.3, 298, 360.9, 3.0),
            new BenchResult.LinkCutSample(
                "takeover", 100, 1, true, null, 12.0, 27.0, 11, 360.9, 3.0),
            new BenchResult.LinkCutSample("takeover", 100, 2, true, null, 0.0, 30.4, 0, 360.9, 3.0),
            new BenchResult.LinkCutSample(
                "takeover", 100, 3, false, "boom", null, null, 0, 360.9, null));
    List<BenchResult.CliSample> cli =
        List.of(
            new BenchResult.CliSample("takeover", "status", 1, true, null, 120.0),
            new BenchResult.CliSample("takeover", "status", 2, true, null, 140.0),
            new BenchResult.CliSample("takeover", "status", 3, false, "exit 3", 90.0),
            new BenchResult.CliSample("keepalived", "check", 1, true, null, 30.0));
    BenchOptions options =
        new BenchOptions(
            2, List.of(1000, 100), BenchOptions.ALL_SCENARIOS, 30_000, 5000, 3000, 5, false, true);
    BenchResult result =
        new BenchResult(
            new BenchResult.Header(
                "2026-11-23T10:00:00Z",
                "vm",
                "6.18.0",
                "AMD EPYC",
                2,
                24105,
                "abc123",
                "Keepalived v2.2.7",
                List.of("takeover"),
                "default scheduling",
                "default scheduling",
                options),
            failover,
            Summaries.outages(failover),
            Summaries.timelines(failover),
            List.of(
                new FootprintSample(
                    "takeover", 100, "master", List.of(1L), 75.2, 60.1, 0.67, 20, null),
                new FootprintSample("takeover", 100, "backup", List.of(2L), 0, 0, 0, 0, "exited")),
            List.of(new StartupSample("takeover", 1, 10, true, null, 500.0, 32.1875, 467.8125)),
            Summaries.startup(
                List.of(
                    new StartupSample("takeover", 1, 10, true, null, 500.0, 32.1875, 467.8125))),
            List.of(
                new LoadResult(
                    "takeover",
                    true,
                    null,
                    30,
                    2,
                    "default scheduling",
                    0,
                    List.of(),
                    0,
                    0,
                    0,
                    "n1",
                    List.of("n1"),
                    Map.of(),
                    1.5,
                    0L),
                new LoadResult(
                    "keepalived",
                    false,
                    "boom",
                    0,
                    0,
                    "default",
                    0,
                    List.of(),
                    0,
                    0,
                    0,
                    null,
                    List.of(),
                    Map.of(),
                    null,
                    null)),
            names,
            Summaries.names(names),
            linkCuts,
            Summaries.linkCuts(linkCuts),
            cli,
            Summaries.cli(cli),
            List.of(
                new BenchResult.ScaleSample(
                    "takeover", 1000, 100, true, null, 3.0, 4.5, 90.0, 91.5, 412.0),
                new BenchResult.ScaleSample(
                    "keepalived", 1000, 100, false, "boom", null, null, null, null, null)),
            95);
    String md = MarkdownReport.render(result);
    assertThat(md)
        .contains("# Takeover vs keepalived — 2026-11-23T10:00:00Z on vm")
        .contains("takeover abc123; keepalived Keepalived v2.2.7")
        .contains(
            "| link | 100 ms | 280.0 / 290.0 / 290.0 | 570 | 2 (+1 failed) | 281.0 | n1→n2 |"
                + " 310.0 / 320.0 / 320.0 | 930 | 3 | 311.0 | n1→n2 |")
        // a scenario keepalived has no samples for: empty cells, the column count kept
        .contains("| graceful | 100 ms | 60.0 / 60.0 / 60.0 | 60 | 1 | 61.0 | n1→n2 | | | | | |")
        .contains("takeover at 100 ms: 1 of 1")
        .contains("| 100 ms | 2 (1 without timeline) | 100 | 200 | 200 | 80 |")
        .contains("| takeover | 100 ms | 75.2 | 60.1 | 0.67 | n/a | n/a | n/a |")
        .contains("| takeover | 1 | 500.0 / 500.0 / 500.0 | 467.8 / 467.8 |")
        .contains(
            "| takeover | 30 s | 2 | 0 | 0 | 0 | 0.0 | n1 / n1 | 1.5 | 0 | default scheduling |")
        .contains("| keepalived | 0 s | 0 | failed: boom |")
        // median by nearest rank: the lower of two; one of the two within MDI + 50 ms
        .contains("| 100 ms | 360.9 | 2 | 1 | 330.0 | 420.0 | 1 of 2 | 2.5 | 9.0 | 20.0 | 40.0 |")
        // takeover first; median by nearest rank: the lower of two
        .contains("| takeover | 100 ms | 360.9 | 2 | 1 | 0.0 | 12.0 | 27.0 | 30.4 |")
        .contains("| keepalived | 100 ms | 360.9 | 1 | 0 | 305.2 | 305.2 | 309.3 | 309.3 |")
        // a failed run is counted, not summarized; keepalived's commands under their own names
        .contains("| takeover | status | 2 (+1 failed) | 120.0 / 140.0 / 140.0 |")
        .contains("| keepalived | -t -f FILE | 1 | 30.0 / 30.0 / 30.0 |")
        .contains("| 1000 | 100 ms | takeover | 3.00 | 4.50 | 90.0 | 91.5 | 412 |")
        .contains("| 1000 | 100 ms | keepalived | failed: boom | | | | |");
    // Every row of the outage table has as many cells as its header.
    List<String> outageRows =
        md.lines().filter(l -> l.startsWith("| link") || l.startsWith("| scenario")).toList();
    long headerCells = outageRows.getFirst().chars().filter(c -> c == '|').count();
    assertThat(outageRows)
        .allSatisfy(
            l -> assertThat(l.chars().filter(c -> c == '|').count()).isEqualTo(headerCells));
  }

  @Test
  void runtimeObjectIsRead() throws Exception {
    JsonNode runtime = JSON.readTree("{\"timers\":900,\"lateMaxUs\":2500,\"stalls\":3}");
    assertThat(LoadRun.maxTimerLatenessMs(runtime)).isEqualTo(2.5);
    assertThat(LoadRun.pauseCount(runtime)).isEqualTo(3L);
    assertThat(LoadRun.maxTimerLatenessMs(JSON.readTree("{}"))).isNull();
    assertThat(LoadRun.pauseCount(JSON.readTree("{}"))).isNull();
  }
}
