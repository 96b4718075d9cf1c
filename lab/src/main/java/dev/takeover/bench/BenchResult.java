package dev.takeover.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Everything one bench run measured, as written to {@code bench/results/<date>-<host>.json}: every
 * sample is kept, summaries are derived from them. Times are milliseconds unless a name ends in
 * {@code Us} (microseconds) or {@code Seconds}; a null number means "not measured".
 */
public record BenchResult(
    Header header,
    List<FailoverSample> failover,
    List<OutageSummary> outages,
    List<TimelineSummary> timelines,
    List<FootprintSample> footprint,
    List<StartupSample> startup,
    List<StartupSummary> startupSummary,
    List<LoadResult> load,
    List<NameSample> names,
    List<NameSummary> nameSummary,
    List<LinkCutSample> linkCuts,
    List<LinkCutSummary> linkCutSummary,
    List<CliSample> cli,
    List<CliSummary> cliSummary,
    List<ScaleSample> scale,
    List<RouteSample> routes,
    List<RouteSummary> routeSummary,
    List<SplitBrainSample> splitBrain,
    List<SplitBrainSummary> splitBrainSummary,
    List<HeartbeatCostSample> heartbeatCost,
    List<HeartbeatCostSummary> heartbeatCostSummary,
    double wallSeconds) {

  /** Without the node-link route, split-brain and heartbeat-cost scenarios (older results). */
  public BenchResult(
      Header header,
      List<FailoverSample> failover,
      List<OutageSummary> outages,
      List<TimelineSummary> timelines,
      List<FootprintSample> footprint,
      List<StartupSample> startup,
      List<StartupSummary> startupSummary,
      List<LoadResult> load,
      List<NameSample> names,
      List<NameSummary> nameSummary,
      List<LinkCutSample> linkCuts,
      List<LinkCutSummary> linkCutSummary,
      List<CliSample> cli,
      List<CliSummary> cliSummary,
      List<ScaleSample> scale,
      double wallSeconds) {
    this(
        header,
        failover,
        outages,
        timelines,
        footprint,
        startup,
        startupSummary,
        load,
        names,
        nameSummary,
        linkCuts,
        linkCutSummary,
        cli,
        cliSummary,
        scale,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        wallSeconds);
  }

  /** Without the scale curve (results written before it existed). */
  public BenchResult(
      Header header,
      List<FailoverSample> failover,
      List<OutageSummary> outages,
      List<TimelineSummary> timelines,
      List<FootprintSample> footprint,
      List<StartupSample> startup,
      List<StartupSummary> startupSummary,
      List<LoadResult> load,
      List<NameSample> names,
      List<NameSummary> nameSummary,
      List<LinkCutSample> linkCuts,
      List<LinkCutSummary> linkCutSummary,
      List<CliSample> cli,
      List<CliSummary> cliSummary,
      double wallSeconds) {
    this(
        header,
        failover,
        outages,
        timelines,
        footprint,
        startup,
        startupSummary,
        load,
        names,
        nameSummary,
        linkCuts,
        linkCutSummary,
        cli,
        cliSummary,
        List.of(),
        wallSeconds);
  }

  /** Without the CLI scenario (results written before it existed). */
  public BenchResult(
      Header header,
      List<FailoverSample> failover,
      List<OutageSummary> outages,
      List<TimelineSummary> timelines,
      List<FootprintSample> footprint,
      List<StartupSample> startup,
      List<StartupSummary> startupSummary,
      List<LoadResult> load,
      List<NameSample> names,
      List<NameSummary> nameSummary,
      List<LinkCutSample> linkCuts,
      List<LinkCutSummary> linkCutSummary,
      double wallSeconds) {
    this(
        header,
        failover,
        outages,
        timelines,
        footprint,
        startup,
        startupSummary,
        load,
        names,
        nameSummary,
        linkCuts,
        linkCutSummary,
        List.of(),
        List.of(),
        List.of(),
        wallSeconds);
  }

  /** Without the node-links scenario (results written before it existed). */
  public BenchResult(
      Header header,
      List<FailoverSample> failover,
      List<OutageSummary> outages,
      List<TimelineSummary> timelines,
      List<FootprintSample> footprint,
      List<StartupSample> startup,
      List<StartupSummary> startupSummary,
      List<LoadResult> load,
      List<NameSample> names,
      List<NameSummary> nameSummary,
      double wallSeconds) {
    this(
        header,
        failover,
        outages,
        timelines,
        footprint,
        startup,
        startupSummary,
        load,
        names,
        nameSummary,
        List.of(),
        List.of(),
        wallSeconds);
  }

  /**
   * One run of an operator's command, spawn to exit ({@code cli} scenario, issue 15).
   *
   * @param command {@code version}, {@code check} or {@code status} (keepalived: {@code --version}
   *     and {@code -t})
   */
  public record CliSample(
      String system, String command, int sample, boolean ok, String error, Double ms) {}

  /**
   * One point of the scale curve ({@code scale} scenario, issue 15): a pair with {@code groups}
   * groups of one VIP each.
   *
   * @param allMovedMs from the master's link going down until the backup held every VIP
   */
  public record ScaleSample(
      String system,
      int groups,
      int intervalMs,
      boolean ok,
      String error,
      Double masterCpuPercent,
      Double backupCpuPercent,
      Double masterRssMiB,
      Double backupRssMiB,
      Double allMovedMs) {}

  public record CliSummary(
      String system,
      String command,
      int runs,
      int failed,
      Double medianMs,
      Double p95Ms,
      Double maxMs) {}

  /**
   * One cut of the master's VIP-LAN port with a second LAN between the nodes (the {@code links}
   * scenario, issue 11): takeover with node links, keepalived as it is.
   *
   * @param outageMs the client's lost time (1 ms probes), summed
   * @param switchMs from the cut to the client's first answer from the backup
   * @param loadAverage the 1-minute load average just before the cut
   */
  public record LinkCutSample(
      String system,
      int intervalMs,
      int rep,
      boolean ok,
      String error,
      Double outageMs,
      Double switchMs,
      long lost,
      double masterDownIntervalMs,
      Double loadAverage) {}

  /** Per system and advert interval, over the cuts that worked. */
  public record LinkCutSummary(
      String system,
      int intervalMs,
      int samples,
      int failed,
      double masterDownIntervalMs,
      Double outageMedianMs,
      Double outageMaxMs,
      Double switchMedianMs,
      Double switchMaxMs) {}

  /**
   * One cut and heal of n1's LAN A port with a route to the client subnet via LAN A, else LAN B
   * ({@code routes} scenario, issue 11), as the client behind the gateway sees it.
   *
   * @param heartbeatMs the node links' heartbeat interval (misses 3, goods 3)
   * @param switchMs from the cut to the first probe answered over LAN B
   * @param kernelSwitchMs from the cut to n1's {@code route.changed} onto eth1 (journal)
   * @param lostAtCut probes sent from the cut until the switch that were never answered
   * @param switchbackMs from the heal (once path A was DOWN) to the first probe answered over LAN A
   * @param kernelSwitchbackMs from the heal to n1's {@code route.changed} back onto eth0
   * @param lostAtHeal probes sent from the heal until the switchback that were never answered
   * @param loadAverage the 1-minute load average just before the cut
   */
  public record RouteSample(
      int heartbeatMs,
      int rep,
      boolean ok,
      String error,
      Double switchMs,
      Double kernelSwitchMs,
      long lostAtCut,
      Double switchbackMs,
      Double kernelSwitchbackMs,
      long lostAtHeal,
      Double loadAverage) {
    static RouteSample failed(int heartbeatMs, int rep, String error) {
      return new RouteSample(heartbeatMs, rep, false, error, null, null, 0, null, null, 0, null);
    }
  }

  /** Per heartbeat interval, over the repetitions that worked: median and max. */
  public record RouteSummary(
      int heartbeatMs,
      int samples,
      int failed,
      Double switchMedianMs,
      Double switchMaxMs,
      Double kernelSwitchMedianMs,
      Double kernelSwitchMaxMs,
      Double switchbackMedianMs,
      Double switchbackMaxMs,
      Double kernelSwitchbackMedianMs,
      Double kernelSwitchbackMaxMs,
      long lostAtCut,
      long lostAtHeal) {}

  /**
   * One window with VRRP multicast blocked on n2 while both nodes run ({@code split-brain}
   * scenario, issue 11).
   *
   * @param variant {@code takeover+guard}, {@code takeover} (node links, no guard) or {@code
   *     keepalived}
   * @param bothSeconds time within the window during which both nodes held the VIP
   * @param firstBothMs from the block to the first poll that found the VIP on both, or null
   * @param clientStayedOnN1 the client's probes were all answered by n1 throughout the window
   * @param answerers every change of the node answering the client during the window
   * @param pollMs the mean time between two polls of both nodes' addresses (the sum's resolution)
   */
  public record SplitBrainSample(
      String variant,
      int intervalMs,
      int rep,
      boolean ok,
      String error,
      double windowSeconds,
      Double bothSeconds,
      Double firstBothMs,
      boolean clientStayedOnN1,
      List<String> answerers,
      long lostProbes,
      Double pollMs) {}

  /** Per variant and advert interval, over the windows that worked. */
  public record SplitBrainSummary(
      String variant,
      int intervalMs,
      int samples,
      int failed,
      double windowSeconds,
      Double bothMedianSeconds,
      Double bothMaxSeconds,
      Double firstBothMedianMs,
      int clientStayedOnN1) {}

  /**
   * CPU of an idle takeover pair with {@code paths} node-link paths at 100 ms heartbeats, 0 for
   * none ({@code heartbeat-cost} scenario, issue 11); % of one core over the window.
   */
  public record HeartbeatCostSample(
      int paths,
      int rep,
      boolean ok,
      String error,
      double windowSeconds,
      Double n1CpuPercent,
      Double n2CpuPercent,
      Double pairCpuPercent) {}

  /**
   * Per path count: the pair's median CPU, and what the paths add over the median of the pair
   * without links, in all and per path (null for 0 paths or without a baseline).
   */
  public record HeartbeatCostSummary(
      int paths,
      int samples,
      int failed,
      Double pairMedianPercent,
      Double pairMinPercent,
      Double pairMaxPercent,
      Double extraPercent,
      Double perPathPercent) {}

  /** The machine, the versions and how the run was configured. */
  public record Header(
      String date,
      String host,
      String kernel,
      String cpu,
      int cores,
      long ramMiB,
      String takeoverVersion,
      String keepalivedVersion,
      List<String> takeoverCommand,
      String takeoverSettings,
      String keepalivedSettings,
      BenchOptions options) {}

  /**
   * One step of a failover cycle.
   *
   * @param scenario link, kill, graceful, preempt-back, move or move-back
   * @param cause what the step did (link-down, link-up, sigkill, restart-after-kill, ...)
   * @param outageMs the client-visible gap: the summed duration of every run of lost probes between
   *     the action and the steady state (0 if no probe was lost)
   * @param switchMs action to the first probe answered by the expected node (null if it already
   *     answered)
   * @param answerers every change of answering node after the action, in order
   * @param vipLeftOnDeadNode kill only: whether the killed node still had the VIP afterwards
   * @param timeline takeover link/kill only: the new master's transition.timeline fields, if any
   */
  public record FailoverSample(
      String system,
      int intervalMs,
      int rep,
      String scenario,
      String cause,
      boolean ok,
      String error,
      double outageMs,
      long lostProbes,
      int outageCount,
      String answeredBefore,
      String answeredAfter,
      List<String> answerers,
      Double switchMs,
      Boolean vipLeftOnDeadNode,
      JsonNode timeline) {}

  /**
   * Per system, scenario and interval: the distribution of client-visible outages.
   *
   * @param switchMedianMs median time from the action to the first probe answered by the new node
   */
  public record OutageSummary(
      String scenario,
      int intervalMs,
      String system,
      int samples,
      int failed,
      Double minMs,
      Double medianMs,
      Double p95Ms,
      Double maxMs,
      long lostProbes,
      Double switchMedianMs,
      String answeredBefore,
      String answeredAfter,
      Integer vipLeftOnDeadNode) {}

  /** Takeover's timer expiry → first gratuitous ARP, over its link and kill samples. */
  public record TimelineSummary(
      int intervalMs,
      int samples,
      int missing,
      Long p50Us,
      Long p99Us,
      Long maxUs,
      Long maxTimerLateUs) {}

  /** One daemon's footprint over an idle window. */
  public record FootprintSample(
      String system,
      int intervalMs,
      String role,
      List<Long> pids,
      double rssMiB,
      double pssMiB,
      double cpuPercent,
      double windowSeconds,
      String error) {}

  /**
   * A lone node from spawn to its first advert on the wire.
   *
   * @param readyMs first advert minus Master_Down_Interval: when the daemon was ready to listen
   */
  public record StartupSample(
      String system,
      int sample,
      int intervalMs,
      boolean ok,
      String error,
      Double firstAdvertMs,
      double masterDownIntervalMs,
      Double readyMs) {}

  public record StartupSummary(
      String system,
      int samples,
      int failed,
      Double firstAdvertMedianMs,
      Double firstAdvertP95Ms,
      Double firstAdvertMaxMs,
      Double readyMedianMs,
      Double readyMaxMs) {}

  /**
   * One system's pair under CPU load.
   *
   * @param falseFailovers backup → master transitions (takeover: state.changed in the backup's
   *     journal; keepalived: "Entering MASTER STATE" lines of the backup)
   * @param answeredAfter the node answering the client's last probe
   * @param vipHoldersAfter the nodes holding the pair's VIP when the load ended (one, if all is
   *     well)
   * @param runtime takeover only: the {@code runtime} object of each node's {@code status --json},
   *     when the daemon reports one
   */
  public record LoadResult(
      String system,
      boolean ok,
      String error,
      double durationSeconds,
      int burners,
      String settings,
      int falseFailovers,
      List<String> transitions,
      long answererChanges,
      long lostProbes,
      double maxOutageMs,
      String answeredAfter,
      List<String> vipHoldersAfter,
      Map<String, JsonNode> runtime,
      Double maxTimerLateMs,
      Long pauses) {}

  /**
   * One kill -9 of the master of a pair whose name follows it ({@code points-to: self}), against
   * BIND 9 in the client namespace, asked for the name every 10 ms (the {@code name} scenario).
   *
   * @param nameOutageMs from the kill to the first answer of named with the new master's address
   * @param masterDownIntervalMs the backup's Master_Down_Interval (RFC 5798 §6.1, priority 100)
   * @param sentAfterClaimMs the new master's {@code dns.update.sent} {@code sinceClaimUs}: from the
   *     claim to the update leaving
   * @param confirmedAfterSentMs from that update leaving to its {@code dns.update.confirmed}
   * @param loadAverage the 1-minute load average just before the kill
   */
  public record NameSample(
      int intervalMs,
      int rep,
      boolean ok,
      String error,
      Double nameOutageMs,
      double masterDownIntervalMs,
      Double sentAfterClaimMs,
      Double confirmedAfterSentMs,
      Double loadAverage) {}

  /**
   * Per advert interval: the name outages, and the update's timing, over the samples that worked.
   */
  public record NameSummary(
      int intervalMs,
      int samples,
      int failed,
      double masterDownIntervalMs,
      Double outageMedianMs,
      Double outageMaxMs,
      Double sentMedianMs,
      Double sentMaxMs,
      Double confirmedMedianMs,
      Double confirmedMaxMs,
      int withinTarget) {}
}
