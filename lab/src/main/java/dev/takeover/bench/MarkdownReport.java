package dev.takeover.bench;

import dev.takeover.bench.BenchResult.FootprintSample;
import dev.takeover.bench.BenchResult.LoadResult;
import dev.takeover.bench.BenchResult.OutageSummary;
import dev.takeover.bench.BenchResult.StartupSummary;
import dev.takeover.bench.BenchResult.TimelineSummary;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The human half of a run's results: Markdown tables, also printed at the end of a run. Pure. */
public final class MarkdownReport {
  static final String NA = "n/a";
  private static final List<String> SYSTEMS = List.of("takeover", "keepalived");

  private MarkdownReport() {}

  public static String render(BenchResult r) {
    StringBuilder md = new StringBuilder();
    BenchResult.Header h = r.header();
    md.append("# Takeover vs keepalived — ").append(h.date()).append(" on ").append(h.host());
    md.append("\n\n");
    md.append(
        "%s; %s, %d cores, %d MiB RAM; takeover %s; keepalived %s; %d rep(s), intervals %s ms;"
            .formatted(
                "Linux " + h.kernel(),
                h.cpu(),
                h.cores(),
                h.ramMiB(),
                h.takeoverVersion(),
                h.keepalivedVersion(),
                h.options().reps(),
                join(h.options().intervalsMs(), "/")));
    md.append(" run took %.0f s.\n\n".formatted(r.wallSeconds()));
    md.append("Settings — takeover: ").append(h.takeoverSettings());
    md.append("; keepalived: ").append(h.keepalivedSettings()).append(".\n");
    if (!r.outages().isEmpty()) {
      outageTable(md, r.outages());
    }
    if (!r.timelines().isEmpty()) {
      timelineTable(md, r.timelines());
    }
    if (!r.footprint().isEmpty()) {
      footprintTable(md, r.footprint());
    }
    if (!r.startupSummary().isEmpty()) {
      startupTable(md, r.startupSummary());
    }
    if (!r.cliSummary().isEmpty()) {
      cliTable(md, r.cliSummary());
    }
    if (!r.scale().isEmpty()) {
      scaleTable(md, r.scale());
    }
    if (!r.load().isEmpty()) {
      loadTable(md, r.load());
    }
    if (!r.nameSummary().isEmpty()) {
      nameTable(md, r.nameSummary());
    }
    if (!r.linkCutSummary().isEmpty()) {
      linkCutTable(md, r.linkCutSummary());
    }
    if (!r.routeSummary().isEmpty()) {
      routeTable(md, r.routeSummary());
    }
    if (!r.splitBrainSummary().isEmpty()) {
      splitBrainTable(md, r.splitBrainSummary());
    }
    if (!r.heartbeatCostSummary().isEmpty()) {
      heartbeatCostTable(md, r.heartbeatCostSummary());
    }
    return md.toString();
  }

  private static void outageTable(StringBuilder md, List<OutageSummary> rows) {
    md.append("\n## Failover: client-visible outage (ms, 1 ms UDP probes)\n\n");
    md.append("| scenario | interval |");
    for (String s : SYSTEMS) {
      md.append(
          " %1$s median / p95 / max | %1$s lost | %1$s n | %1$s switch | %1$s answered |"
              .formatted(s));
    }
    md.append('\n').append("|---".repeat(2 + 5 * SYSTEMS.size())).append("|\n");
    Map<String, Map<String, OutageSummary>> byRow = new java.util.LinkedHashMap<>();
    for (OutageSummary o : rows) {
      byRow
          .computeIfAbsent(o.scenario() + "\u0000" + o.intervalMs(), k -> new TreeMap<>())
          .put(o.system(), o);
    }
    List<String> kills = new ArrayList<>();
    for (Map<String, OutageSummary> row : byRow.values()) {
      OutageSummary any = row.values().iterator().next();
      md.append("| ").append(any.scenario()).append(" | ").append(any.intervalMs()).append(" ms |");
      for (String s : SYSTEMS) {
        OutageSummary o = row.get(s);
        if (o == null) {
          md.append(" | | | | |");
          continue;
        }
        md.append(' ')
            .append(
                o.samples() == 0
                    ? NA
                    : "%s / %s / %s".formatted(ms(o.medianMs()), ms(o.p95Ms()), ms(o.maxMs())))
            .append(" | ")
            .append(o.lostProbes())
            .append(" | ")
            .append(o.samples())
            .append(o.failed() > 0 ? " (+" + o.failed() + " failed)" : "")
            .append(" | ")
            .append(ms(o.switchMedianMs()))
            .append(" | ")
            .append(o.answeredBefore() == null ? "?" : o.answeredBefore())
            .append("→")
            .append(o.answeredAfter() == null ? "?" : o.answeredAfter())
            .append(" |");
        if (o.vipLeftOnDeadNode() != null) {
          kills.add(
              "%s at %d ms: %d of %d"
                  .formatted(s, o.intervalMs(), o.vipLeftOnDeadNode(), o.samples()));
        }
      }
      md.append('\n');
    }
    md.append(
        "\nOutage: the summed length of the runs of lost probes between the action and the"
            + " steady state. Switch: median ms from the action to the first probe answered by the"
            + " new node. Answered: the node answering before → after.\n");
    if (!kills.isEmpty()) {
      md.append("After kill -9 the VIP was still on the dead node's interface: ")
          .append(String.join("; ", kills))
          .append(" (its kernel keeps answering until a gratuitous ARP moves the client).\n");
    }
  }

  private static void timelineTable(StringBuilder md, List<TimelineSummary> rows) {
    md.append(
        "\n## Takeover: master-down timer expiry → first gratuitous ARP (µs, link + kill)\n\n");
    md.append("| interval | samples | p50 | p99 | max | max timer lateness |\n");
    md.append("|---|---|---|---|---|---|\n");
    for (TimelineSummary t : rows) {
      md.append(
          "| %d ms | %d%s | %s | %s | %s | %s |\n"
              .formatted(
                  t.intervalMs(),
                  t.samples(),
                  t.missing() > 0 ? " (" + t.missing() + " without timeline)" : "",
                  num(t.p50Us()),
                  num(t.p99Us()),
                  num(t.maxUs()),
                  num(t.maxTimerLateUs())));
    }
  }

  private static void footprintTable(StringBuilder md, List<FootprintSample> rows) {
    md.append("\n## Footprint at idle (RSS/PSS MiB, CPU % of one core)\n\n");
    md.append("| system | interval | master RSS | master PSS | master CPU % |");
    md.append(" backup RSS | backup PSS | backup CPU % |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    Set<String> keys = new LinkedHashSet<>();
    rows.forEach(f -> keys.add(f.system() + "\u0000" + f.intervalMs()));
    for (String key : keys) {
      String[] k = key.split("\u0000");
      md.append("| ").append(k[0]).append(" | ").append(k[1]).append(" ms |");
      for (String role : List.of("master", "backup")) {
        Optional<FootprintSample> f =
            rows.stream()
                .filter(x -> x.system().equals(k[0]))
                .filter(x -> Integer.toString(x.intervalMs()).equals(k[1]))
                .filter(x -> x.role().equals(role))
                .findFirst();
        if (f.isEmpty() || f.get().error() != null) {
          md.append(" ").append(NA).append(" | ").append(NA).append(" | ").append(NA).append(" |");
        } else {
          md.append(
              " %.1f | %.1f | %.2f |"
                  .formatted(f.get().rssMiB(), f.get().pssMiB(), f.get().cpuPercent()));
        }
      }
      md.append('\n');
    }
    md.append(
        "\nkeepalived: parent + VRRP child summed; CPU from utime+stime over the idle window.\n");
  }

  private static void startupTable(StringBuilder md, List<StartupSummary> rows) {
    md.append("\n## Start-up of a lone node, 10 ms adverts (ms)\n\n");
    md.append("| system | samples | spawn → first advert median / p95 / max |");
    md.append(" start-to-ready (minus Master_Down_Interval) median / max |\n");
    md.append("|---|---|---|---|\n");
    for (StartupSummary s : rows) {
      md.append(
          "| %s | %d%s | %s / %s / %s | %s / %s |\n"
              .formatted(
                  s.system(),
                  s.samples(),
                  s.failed() > 0 ? " (+" + s.failed() + " failed)" : "",
                  ms(s.firstAdvertMedianMs()),
                  ms(s.firstAdvertP95Ms()),
                  ms(s.firstAdvertMaxMs()),
                  ms(s.readyMedianMs()),
                  ms(s.readyMaxMs())));
    }
  }

  private static void cliTable(StringBuilder md, List<BenchResult.CliSummary> rows) {
    md.append("\n## Operator's commands, spawn to exit (ms, warm disk cache)\n\n");
    md.append("| system | command | runs | median / p95 / max |\n");
    md.append("|---|---|---|---|\n");
    for (BenchResult.CliSummary s : rows) {
      md.append(
          "| %s | %s | %d%s | %s / %s / %s |\n"
              .formatted(
                  s.system(),
                  s.system().equals("keepalived") ? keepalivedCommand(s.command()) : s.command(),
                  s.runs(),
                  s.failed() > 0 ? " (+" + s.failed() + " failed)" : "",
                  ms(s.medianMs()),
                  ms(s.p95Ms()),
                  ms(s.maxMs())));
    }
    md.append(
        "\ntakeover through its launcher with the CLI's AOT cache; keepalived has no status"
            + " command.\n");
  }

  private static void scaleTable(StringBuilder md, List<BenchResult.ScaleSample> rows) {
    md.append(
        "\n## Scale curve: N groups of one VIP each, idle pair, then the master's link down\n\n");
    md.append("| groups | interval | system | master CPU % | backup CPU % | master RSS MiB |");
    md.append(" backup RSS MiB | all VIPs moved after link down, ms |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (BenchResult.ScaleSample s : rows) {
      if (!s.ok()) {
        md.append(
            "| %d | %d ms | %s | failed: %s | | | | |\n"
                .formatted(s.groups(), s.intervalMs(), s.system(), s.error()));
        continue;
      }
      md.append(
          "| %d | %d ms | %s | %.2f | %.2f | %.1f | %.1f | %.0f |\n"
              .formatted(
                  s.groups(),
                  s.intervalMs(),
                  s.system(),
                  s.masterCpuPercent(),
                  s.backupCpuPercent(),
                  s.masterRssMiB(),
                  s.backupRssMiB(),
                  s.allMovedMs()));
    }
    md.append(
        "\nGroups 250 to a LAN (eth0, then LANs of their own); keepalived: parent + VRRP child"
            + " summed.\n");
  }

  private static String keepalivedCommand(String command) {
    return switch (command) {
      case "version" -> "--version";
      case "check" -> "-t -f FILE";
      default -> command;
    };
  }

  private static void loadTable(StringBuilder md, List<LoadResult> rows) {
    md.append("\n## Under CPU load, 10 ms adverts, both pairs at once\n\n");
    md.append("| system | duration | burners | false failovers | answerer changes | lost probes |");
    md.append(
        " max outage ms | at the end: answering / VIP on | max engine lateness ms | stalls >= 5 ms |");
    md.append(" settings |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (LoadResult l : rows) {
      md.append(
          "| %s | %.0f s | %d | %s | %d | %d | %s | %s / %s | %s | %s | %s |\n"
              .formatted(
                  l.system(),
                  l.durationSeconds(),
                  l.burners(),
                  l.ok() ? Integer.toString(l.falseFailovers()) : "failed: " + l.error(),
                  l.answererChanges(),
                  l.lostProbes(),
                  ms(l.maxOutageMs()),
                  l.answeredAfter() == null ? "?" : l.answeredAfter(),
                  l.vipHoldersAfter().isEmpty() ? "none" : String.join("+", l.vipHoldersAfter()),
                  ms(l.maxTimerLateMs()),
                  num(l.pauses()),
                  l.settings()));
    }
  }

  private static void nameTable(StringBuilder md, List<BenchResult.NameSummary> rows) {
    md.append("\n## Takeover: name outage on kill -9 (ms, BIND 9 asked every 10 ms)\n\n");
    md.append(
        "| adverts | Master_Down_Interval | runs | failed | name outage median | max"
            + " | ≤ MDI + 50 ms | update sent after the claim median | max"
            + " | confirmed after sending median | max |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (BenchResult.NameSummary n : rows) {
      md.append(
          "| %d ms | %.1f | %d | %d | %s | %s | %d of %d | %s | %s | %s | %s |\n"
              .formatted(
                  n.intervalMs(),
                  n.masterDownIntervalMs(),
                  n.samples(),
                  n.failed(),
                  ms(n.outageMedianMs()),
                  ms(n.outageMaxMs()),
                  n.withinTarget(),
                  n.samples(),
                  ms(n.sentMedianMs()),
                  ms(n.sentMaxMs()),
                  ms(n.confirmedMedianMs()),
                  ms(n.confirmedMaxMs())));
    }
  }

  private static void linkCutTable(StringBuilder md, List<BenchResult.LinkCutSummary> rows) {
    md.append(
        "\n## The master's VIP-LAN port cut, a second LAN between the nodes (ms, 1 ms UDP probes)\n\n");
    md.append(
        "takeover with node links (heartbeats every 100 ms on both LANs); keepalived as it is."
            + " Outage: the client's lost time; switch: from the cut to the first answer from the"
            + " backup.\n\n");
    md.append(
        "| system | adverts | Master_Down_Interval | runs | failed | outage median | max"
            + " | switch median | max |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    for (BenchResult.LinkCutSummary s : rows) {
      md.append(
          "| %s | %d ms | %.1f | %d | %d | %s | %s | %s | %s |\n"
              .formatted(
                  s.system(),
                  s.intervalMs(),
                  s.masterDownIntervalMs(),
                  s.samples(),
                  s.failed(),
                  ms(s.outageMedianMs()),
                  ms(s.outageMaxMs()),
                  ms(s.switchMedianMs()),
                  ms(s.switchMaxMs())));
    }
  }

  private static void routeTable(StringBuilder md, List<BenchResult.RouteSummary> rows) {
    md.append(
        "\n## Route failover and switchback (ms, 1 ms UDP probes from the client subnet)\n\n");
    md.append(
        "takeover pair with node links on both LANs (misses 3, goods 3); n1's route to"
            + " 198.18.100.0/24 via LAN A, else LAN B. Switch: n1's LAN A port cut to the first"
            + " answer over LAN B; switchback: the port healed (once path A was DOWN) to the first"
            + " answer over LAN A; route.changed: the same to n1's journal event. Median / max.\n\n");
    md.append(
        "| heartbeat | runs | switch | route.changed | lost | switchback | route.changed |"
            + " lost |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (BenchResult.RouteSummary s : rows) {
      md.append(
          "| %d ms | %s | %s / %s | %s / %s | %d | %s / %s | %s / %s | %d |\n"
              .formatted(
                  s.heartbeatMs(),
                  runs(s.samples(), s.failed()),
                  ms(s.switchMedianMs()),
                  ms(s.switchMaxMs()),
                  ms(s.kernelSwitchMedianMs()),
                  ms(s.kernelSwitchMaxMs()),
                  s.lostAtCut(),
                  ms(s.switchbackMedianMs()),
                  ms(s.switchbackMaxMs()),
                  ms(s.kernelSwitchbackMedianMs()),
                  ms(s.kernelSwitchbackMaxMs()),
                  s.lostAtHeal()));
    }
  }

  private static void splitBrainTable(StringBuilder md, List<BenchResult.SplitBrainSummary> rows) {
    md.append("\n## Split brain: VRRP multicast blocked on LAN A while both nodes run\n\n");
    md.append(
        "n2 drops VRRP multicast in and out (nftables); takeover with node links on both LANs"
            + " (heartbeats every 100 ms), with and without the guard; keepalived as it is. Both:"
            + " seconds within the window during which both nodes held the VIP (median / max);"
            + " client on n1: windows in which the client's every probe was answered by n1.\n\n");
    md.append(
        "| variant | adverts | runs | window | both hold the VIP (s) | first both after (ms) |"
            + " client on n1 |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (BenchResult.SplitBrainSummary s : rows) {
      md.append(
          "| %s | %d ms | %s | %.0f s | %s / %s | %s | %d of %d |\n"
              .formatted(
                  s.variant(),
                  s.intervalMs(),
                  runs(s.samples(), s.failed()),
                  s.windowSeconds(),
                  seconds(s.bothMedianSeconds()),
                  seconds(s.bothMaxSeconds()),
                  ms(s.firstBothMedianMs()),
                  s.clientStayedOnN1(),
                  s.samples()));
    }
  }

  private static void heartbeatCostTable(
      StringBuilder md, List<BenchResult.HeartbeatCostSummary> rows) {
    md.append("\n## Heartbeat CPU cost (% of one core, idle takeover pair, 100 ms heartbeats)\n\n");
    md.append(
        "Both daemons' utime + stime over the idle window; 1 s adverts. Extra: the pair's median"
            + " minus the median of the pair without node links; per path: extra / paths.\n\n");
    md.append("| paths | runs | pair median | min | max | extra | per path |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (BenchResult.HeartbeatCostSummary s : rows) {
      md.append(
          "| %s | %s | %s | %s | %s | %s | %s |\n"
              .formatted(
                  s.paths() == 0 ? "0 (no links)" : Integer.toString(s.paths()),
                  runs(s.samples(), s.failed()),
                  percent(s.pairMedianPercent()),
                  percent(s.pairMinPercent()),
                  percent(s.pairMaxPercent()),
                  percent(s.extraPercent()),
                  percent(s.perPathPercent())));
    }
  }

  private static String runs(int ok, int failed) {
    return failed == 0 ? Integer.toString(ok) : ok + " (+" + failed + " failed)";
  }

  static String seconds(Double value) {
    return value == null ? NA : String.format(Locale.ROOT, "%.2f", value);
  }

  static String percent(Double value) {
    return value == null ? NA : String.format(Locale.ROOT, "%.3f", value);
  }

  static String ms(Double value) {
    return value == null ? NA : String.format(Locale.ROOT, "%.1f", value);
  }

  static String num(Long value) {
    return value == null ? NA : Long.toString(value);
  }

  private static String join(List<?> values, String separator) {
    return String.join(separator, values.stream().map(String::valueOf).toList());
  }
}
