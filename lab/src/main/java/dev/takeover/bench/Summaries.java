package dev.takeover.bench;

import dev.takeover.bench.BenchResult.FailoverSample;
import dev.takeover.bench.BenchResult.OutageSummary;
import dev.takeover.bench.BenchResult.StartupSample;
import dev.takeover.bench.BenchResult.StartupSummary;
import dev.takeover.bench.BenchResult.TimelineSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Turns samples into the summaries of the report. Pure. */
public final class Summaries {
  /** The order rows appear in: the scenarios of the cycle, as a user reads them. */
  static final List<String> SCENARIO_ORDER =
      List.of("link", "kill", "graceful", "preempt-back", "move", "move-back");

  private Summaries() {}

  /** One summary per scenario × interval × system that has samples; failed samples are counted. */
  public static List<OutageSummary> outages(List<FailoverSample> samples) {
    Map<List<Object>, List<FailoverSample>> groups = new LinkedHashMap<>();
    samples.stream()
        .sorted(
            Comparator.comparing((FailoverSample s) -> scenarioRank(s.scenario()))
                .thenComparing(s -> -s.intervalMs())
                .thenComparing(FailoverSample::system, Comparator.reverseOrder()))
        .forEach(
            s ->
                groups
                    .computeIfAbsent(
                        List.of(s.scenario(), s.intervalMs(), s.system()), k -> new ArrayList<>())
                    .add(s));
    List<OutageSummary> result = new ArrayList<>();
    for (List<FailoverSample> group : groups.values()) {
      FailoverSample first = group.getFirst();
      List<FailoverSample> ok = group.stream().filter(FailoverSample::ok).toList();
      Stats.Summary stats = Stats.summarize(ok.stream().map(FailoverSample::outageMs).toList());
      List<FailoverSample> kills = ok.stream().filter(s -> s.vipLeftOnDeadNode() != null).toList();
      result.add(
          new OutageSummary(
              first.scenario(),
              first.intervalMs(),
              first.system(),
              ok.size(),
              group.size() - ok.size(),
              stats == null ? null : stats.min(),
              stats == null ? null : stats.median(),
              stats == null ? null : stats.p95(),
              stats == null ? null : stats.max(),
              ok.stream().mapToLong(FailoverSample::lostProbes).sum(),
              median(ok.stream().map(FailoverSample::switchMs).filter(Objects::nonNull).toList()),
              mostCommon(ok, FailoverSample::answeredBefore),
              mostCommon(ok, FailoverSample::answeredAfter),
              kills.isEmpty()
                  ? null
                  : (int) kills.stream().filter(FailoverSample::vipLeftOnDeadNode).count()));
    }
    return result;
  }

  private static Double median(List<Double> values) {
    Stats.Summary s = Stats.summarize(values);
    return s == null ? null : s.median();
  }

  private static int scenarioRank(String scenario) {
    int i = SCENARIO_ORDER.indexOf(scenario);
    return i < 0 ? SCENARIO_ORDER.size() : i;
  }

  /** The most frequent non-null value (ties: the first seen), or null. */
  static <T> String mostCommon(List<T> items, Function<T, String> value) {
    Map<String, Long> counts =
        items.stream()
            .map(value)
            .filter(Objects::nonNull)
            .collect(Collectors.groupingBy(v -> v, LinkedHashMap::new, Collectors.counting()));
    return counts.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .orElse(null);
  }

  /**
   * Takeover's expiry → first GARP per interval, over link and kill samples; samples without a
   * timeline are counted as missing.
   */
  public static List<TimelineSummary> timelines(List<FailoverSample> samples) {
    Map<Integer, List<FailoverSample>> byInterval = new LinkedHashMap<>();
    samples.stream()
        .filter(s -> s.system().equals("takeover") && s.ok())
        .filter(s -> s.scenario().equals("link") || s.scenario().equals("kill"))
        .sorted(Comparator.comparing(s -> -s.intervalMs()))
        .forEach(s -> byInterval.computeIfAbsent(s.intervalMs(), k -> new ArrayList<>()).add(s));
    List<TimelineSummary> result = new ArrayList<>();
    byInterval.forEach(
        (interval, group) -> {
          List<Double> garp = new ArrayList<>();
          Long maxLate = null;
          for (FailoverSample s : group) {
            if (s.timeline() == null) {
              continue;
            }
            var announcement = s.timeline().get("firstAnnouncementUs");
            if (announcement != null && announcement.isNumber()) {
              garp.add(announcement.asDouble());
            }
            var late = s.timeline().get("timerLateUs");
            if (late != null && late.isNumber()) {
              maxLate = maxLate == null ? late.asLong() : Math.max(maxLate, late.asLong());
            }
          }
          Stats.Summary stats = Stats.summarize(garp);
          result.add(
              new TimelineSummary(
                  interval,
                  garp.size(),
                  group.size() - garp.size(),
                  stats == null ? null : (long) stats.median(),
                  stats == null ? null : (long) stats.p99(),
                  stats == null ? null : (long) stats.max(),
                  maxLate));
        });
    return result;
  }

  /** Per system and command, in the order measured. */
  public static List<BenchResult.CliSummary> cli(List<BenchResult.CliSample> samples) {
    Map<String, List<BenchResult.CliSample>> by = new LinkedHashMap<>();
    samples.forEach(
        s -> by.computeIfAbsent(s.system() + " " + s.command(), k -> new ArrayList<>()).add(s));
    List<BenchResult.CliSummary> result = new ArrayList<>();
    by.forEach(
        (key, group) -> {
          List<BenchResult.CliSample> ok =
              group.stream().filter(BenchResult.CliSample::ok).toList();
          Stats.Summary ms = Stats.summarize(ok.stream().map(BenchResult.CliSample::ms).toList());
          result.add(
              new BenchResult.CliSummary(
                  group.getFirst().system(),
                  group.getFirst().command(),
                  ok.size(),
                  group.size() - ok.size(),
                  ms == null ? null : ms.median(),
                  ms == null ? null : ms.p95(),
                  ms == null ? null : ms.max()));
        });
    return result;
  }

  public static List<StartupSummary> startup(List<StartupSample> samples) {
    Map<String, List<StartupSample>> bySystem = new LinkedHashMap<>();
    samples.forEach(s -> bySystem.computeIfAbsent(s.system(), k -> new ArrayList<>()).add(s));
    List<StartupSummary> result = new ArrayList<>();
    bySystem.forEach(
        (system, group) -> {
          List<StartupSample> ok = group.stream().filter(StartupSample::ok).toList();
          Stats.Summary first =
              Stats.summarize(ok.stream().map(StartupSample::firstAdvertMs).toList());
          Stats.Summary ready = Stats.summarize(ok.stream().map(StartupSample::readyMs).toList());
          result.add(
              new StartupSummary(
                  system,
                  ok.size(),
                  group.size() - ok.size(),
                  first == null ? null : first.median(),
                  first == null ? null : first.p95(),
                  first == null ? null : first.max(),
                  ready == null ? null : ready.median(),
                  ready == null ? null : ready.max()));
        });
    return result;
  }

  /**
   * One summary per advert interval of the name scenario; {@code withinTarget} counts the samples
   * whose name outage is at most Master_Down_Interval + 50 ms (the target of issue 12).
   */
  public static List<BenchResult.NameSummary> names(List<BenchResult.NameSample> samples) {
    Map<Integer, List<BenchResult.NameSample>> byInterval = new LinkedHashMap<>();
    samples.stream()
        .sorted(Comparator.comparing((BenchResult.NameSample s) -> -s.intervalMs()))
        .forEach(s -> byInterval.computeIfAbsent(s.intervalMs(), k -> new ArrayList<>()).add(s));
    List<BenchResult.NameSummary> result = new ArrayList<>();
    byInterval.forEach(
        (interval, group) -> {
          List<BenchResult.NameSample> ok =
              group.stream().filter(BenchResult.NameSample::ok).toList();
          Stats.Summary outage = summarize(ok, BenchResult.NameSample::nameOutageMs);
          Stats.Summary sent = summarize(ok, BenchResult.NameSample::sentAfterClaimMs);
          Stats.Summary confirmed = summarize(ok, BenchResult.NameSample::confirmedAfterSentMs);
          int within =
              (int)
                  ok.stream()
                      .filter(
                          s ->
                              s.nameOutageMs() != null
                                  && s.nameOutageMs() <= s.masterDownIntervalMs() + 50)
                      .count();
          result.add(
              new BenchResult.NameSummary(
                  interval,
                  ok.size(),
                  group.size() - ok.size(),
                  group.getFirst().masterDownIntervalMs(),
                  outage == null ? null : outage.median(),
                  outage == null ? null : outage.max(),
                  sent == null ? null : sent.median(),
                  sent == null ? null : sent.max(),
                  confirmed == null ? null : confirmed.median(),
                  confirmed == null ? null : confirmed.max(),
                  within));
        });
    return result;
  }

  /** One summary per system and advert interval of the {@code links} scenario. */
  public static List<BenchResult.LinkCutSummary> linkCuts(List<BenchResult.LinkCutSample> samples) {
    Map<String, List<BenchResult.LinkCutSample>> by = new LinkedHashMap<>();
    samples.stream()
        .sorted(
            Comparator.comparing((BenchResult.LinkCutSample s) -> -s.intervalMs())
                .thenComparing(BenchResult.LinkCutSample::system, Comparator.reverseOrder()))
        .forEach(
            s ->
                by.computeIfAbsent(s.system() + " " + s.intervalMs(), k -> new ArrayList<>())
                    .add(s));
    List<BenchResult.LinkCutSummary> result = new ArrayList<>();
    by.forEach(
        (key, group) -> {
          List<BenchResult.LinkCutSample> ok =
              group.stream().filter(BenchResult.LinkCutSample::ok).toList();
          Stats.Summary outage =
              Stats.summarize(
                  ok.stream()
                      .map(BenchResult.LinkCutSample::outageMs)
                      .filter(Objects::nonNull)
                      .toList());
          Stats.Summary sw =
              Stats.summarize(
                  ok.stream()
                      .map(BenchResult.LinkCutSample::switchMs)
                      .filter(Objects::nonNull)
                      .toList());
          BenchResult.LinkCutSample first = group.getFirst();
          result.add(
              new BenchResult.LinkCutSummary(
                  first.system(),
                  first.intervalMs(),
                  ok.size(),
                  group.size() - ok.size(),
                  first.masterDownIntervalMs(),
                  outage == null ? null : outage.median(),
                  outage == null ? null : outage.max(),
                  sw == null ? null : sw.median(),
                  sw == null ? null : sw.max()));
        });
    return result;
  }

  /** One summary per heartbeat interval of the {@code routes} scenario, longest first. */
  public static List<BenchResult.RouteSummary> routes(List<BenchResult.RouteSample> samples) {
    Map<Integer, List<BenchResult.RouteSample>> by = new LinkedHashMap<>();
    samples.stream()
        .sorted(Comparator.comparing((BenchResult.RouteSample s) -> -s.heartbeatMs()))
        .forEach(s -> by.computeIfAbsent(s.heartbeatMs(), k -> new ArrayList<>()).add(s));
    List<BenchResult.RouteSummary> result = new ArrayList<>();
    by.forEach(
        (heartbeat, group) -> {
          List<BenchResult.RouteSample> ok =
              group.stream().filter(BenchResult.RouteSample::ok).toList();
          Stats.Summary sw = of(ok, BenchResult.RouteSample::switchMs);
          Stats.Summary ksw = of(ok, BenchResult.RouteSample::kernelSwitchMs);
          Stats.Summary back = of(ok, BenchResult.RouteSample::switchbackMs);
          Stats.Summary kback = of(ok, BenchResult.RouteSample::kernelSwitchbackMs);
          result.add(
              new BenchResult.RouteSummary(
                  heartbeat,
                  ok.size(),
                  group.size() - ok.size(),
                  median(sw),
                  max(sw),
                  median(ksw),
                  max(ksw),
                  median(back),
                  max(back),
                  median(kback),
                  max(kback),
                  ok.stream().mapToLong(BenchResult.RouteSample::lostAtCut).sum(),
                  ok.stream().mapToLong(BenchResult.RouteSample::lostAtHeal).sum()));
        });
    return result;
  }

  /**
   * One summary per advert interval (longest first) and variant (in {@link SplitBrainRun#VARIANTS}'
   * order) of the {@code split-brain} scenario.
   */
  public static List<BenchResult.SplitBrainSummary> splitBrain(
      List<BenchResult.SplitBrainSample> samples) {
    Map<List<Object>, List<BenchResult.SplitBrainSample>> by = new LinkedHashMap<>();
    samples.stream()
        .sorted(
            Comparator.comparing((BenchResult.SplitBrainSample s) -> -s.intervalMs())
                .thenComparing(s -> variantRank(s.variant())))
        .forEach(
            s ->
                by.computeIfAbsent(List.of(s.variant(), s.intervalMs()), k -> new ArrayList<>())
                    .add(s));
    List<BenchResult.SplitBrainSummary> result = new ArrayList<>();
    by.forEach(
        (key, group) -> {
          List<BenchResult.SplitBrainSample> ok =
              group.stream().filter(BenchResult.SplitBrainSample::ok).toList();
          Stats.Summary both = of(ok, BenchResult.SplitBrainSample::bothSeconds);
          Stats.Summary first = of(ok, BenchResult.SplitBrainSample::firstBothMs);
          BenchResult.SplitBrainSample s0 = group.getFirst();
          result.add(
              new BenchResult.SplitBrainSummary(
                  s0.variant(),
                  s0.intervalMs(),
                  ok.size(),
                  group.size() - ok.size(),
                  s0.windowSeconds(),
                  median(both),
                  max(both),
                  median(first),
                  (int)
                      ok.stream().filter(BenchResult.SplitBrainSample::clientStayedOnN1).count()));
        });
    return result;
  }

  private static int variantRank(String variant) {
    int i = SplitBrainRun.VARIANTS.indexOf(variant);
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  /**
   * One summary per path count of the {@code heartbeat-cost} scenario, ascending: the pair's CPU,
   * and what the paths add, median minus the median without links (0 paths), in all and per path.
   */
  public static List<BenchResult.HeartbeatCostSummary> heartbeatCost(
      List<BenchResult.HeartbeatCostSample> samples) {
    Map<Integer, List<BenchResult.HeartbeatCostSample>> by = new java.util.TreeMap<>();
    samples.forEach(s -> by.computeIfAbsent(s.paths(), k -> new ArrayList<>()).add(s));
    Map<Integer, Stats.Summary> pair = new LinkedHashMap<>();
    by.forEach(
        (paths, group) ->
            pair.put(
                paths,
                of(
                    group.stream().filter(BenchResult.HeartbeatCostSample::ok).toList(),
                    BenchResult.HeartbeatCostSample::pairCpuPercent)));
    Double baseline = median(pair.get(0));
    List<BenchResult.HeartbeatCostSummary> result = new ArrayList<>();
    by.forEach(
        (paths, group) -> {
          Stats.Summary p = pair.get(paths);
          int ok = (int) group.stream().filter(BenchResult.HeartbeatCostSample::ok).count();
          Double extra = paths == 0 || baseline == null || p == null ? null : p.median() - baseline;
          result.add(
              new BenchResult.HeartbeatCostSummary(
                  paths,
                  ok,
                  group.size() - ok,
                  median(p),
                  p == null ? null : p.min(),
                  max(p),
                  extra,
                  extra == null ? null : extra / paths));
        });
    return result;
  }

  private static <T> Stats.Summary of(List<T> samples, Function<T, Double> field) {
    return Stats.summarize(samples.stream().map(field).filter(Objects::nonNull).toList());
  }

  private static Double median(Stats.Summary s) {
    return s == null ? null : s.median();
  }

  private static Double max(Stats.Summary s) {
    return s == null ? null : s.max();
  }

  private static Stats.Summary summarize(
      List<BenchResult.NameSample> samples, Function<BenchResult.NameSample, Double> field) {
    return Stats.summarize(samples.stream().map(field).filter(Objects::nonNull).toList());
  }
}
