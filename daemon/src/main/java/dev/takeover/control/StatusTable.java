package dev.takeover.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link StatusView} the way {@code takeover status} prints it. The daemon renders it for
 * a status request with {@code "text":true}, so the CLI prints it as it comes (docs/DECISIONS.md
 * 73); the CLI renders it itself only from a daemon that does not.
 */
public final class StatusTable {
  private StatusTable() {}

  public static String render(StatusView status) {
    StringBuilder out = new StringBuilder();
    out.append("node ").append(status.node()).append('\n');
    // Conflicts first and loud: clients may be reaching the wrong host.
    for (GroupView g : status.groups()) {
      for (ConflictView c : g.conflicts()) {
        out.append("CONFLICT: group ")
            .append(g.name())
            .append(" (VRID ")
            .append(g.vrid())
            .append(") ")
            .append(c.kind())
            .append(": ")
            .append(c.detail())
            .append('\n');
      }
      if (g.conflict() && g.conflicts().isEmpty()) { // an older daemon: no details
        out.append("CONFLICT: group ")
            .append(g.name())
            .append(" (VRID ")
            .append(g.vrid())
            .append("): more than one node claims to be master\n");
      }
    }
    for (String w : status.warnings()) {
      out.append("WARNING: ").append(w).append('\n');
    }
    if (status.groups().isEmpty()) {
      out.append("no groups configured\n");
    }
    for (GroupView g : status.groups()) {
      out.append('\n');
      appendGroup(out, g);
      appendNames(out, status.names().stream().filter(n -> n.group().equals(g.name())).toList());
    }
    if (status.links() != null) {
      out.append('\n');
      appendLinks(out, status.links());
    }
    if (status.runtime() != null) {
      out.append('\n').append(runtime(status.runtime())).append('\n');
    }
    return out.toString();
  }

  /** The node links (docs/LINKS.md): paths with RTT, peers, routes with their next hop, drops. */
  static void appendLinks(StringBuilder out, LinksView links) {
    out.append("node links\n");
    for (LinksView.PathView p : links.paths()) {
      out.append(
          String.format(
              Locale.ROOT,
              "  path %s %s -> %s  %s  rtt %s  (%s; every %d ms, down after %d, up after %d)%n",
              p.node(),
              p.local(),
              p.peer(),
              p.state(),
              p.rttMs() < 0 ? "-" : String.format(Locale.ROOT, "%.2f ms", p.rttMs()),
              p.reason(),
              p.intervalMs(),
              p.misses(),
              p.goods()));
    }
    for (LinksView.NodeView n : links.nodes()) {
      out.append("  peer ")
          .append(n.node())
          .append(n.reachable() ? " reachable" : " UNREACHABLE")
          .append(n.configDiffers() ? ", configuration differs" : "")
          .append(n.groups().isEmpty() ? "" : ": " + String.join(", ", n.groups()))
          .append('\n');
    }
    for (LinksView.RouteView r : links.routes()) {
      out.append("  route ")
          .append(r.destination())
          .append(
              r.interfaceName().isEmpty()
                  ? ""
                  : " via " + r.gateway() + " dev " + r.interfaceName())
          .append(" (")
          .append(r.reason())
          .append(")\n");
      for (LinksView.HopView h : links.hops()) {
        if (!h.destination().equals(r.destination())) {
          continue;
        }
        out.append(
            String.format(
                Locale.ROOT,
                "    %s next hop %s dev %s  %s  (%s)%s%n",
                h.active() ? "*" : " ",
                h.gateway(),
                h.interfaceName(),
                h.healthy() ? "healthy" : "UNHEALTHY",
                h.reason(),
                h.probe().isEmpty()
                    ? ""
                    : String.format(
                        Locale.ROOT,
                        "; %s probe %s, rtt %s (%s; every %d ms, down after %d, up after %d)",
                        h.probeKind(),
                        h.probe(),
                        h.probeRttMs() < 0
                            ? "-"
                            : String.format(Locale.ROOT, "%.2f ms", h.probeRttMs()),
                        h.probeReason(),
                        h.probeIntervalMs(),
                        h.probeMisses(),
                        h.probeGoods())));
      }
    }
    if (!links.drops().isEmpty()) {
      out.append("  dropped: ");
      out.append(
          String.join(
              ", ",
              links.drops().entrySet().stream()
                  .map(e -> e.getKey() + " " + e.getValue())
                  .toList()));
      out.append('\n');
    }
  }

  /** One line on how punctually the daemon runs. */
  static String runtime(RuntimeView r) {
    return String.format(
        Locale.ROOT,
        "runtime: timers late p50 <%d us, p99 <%d us, max %.1f ms; %d stall(s) >= %d ms"
            + " (longest %.1f ms); %d GC(s), longest %d ms; heap %.1f MiB (%s after GC),"
            + " RSS %.1f MiB;%s %s",
        r.lateP50Us(),
        r.lateP99Us(),
        r.lateMaxUs() / 1000.0,
        r.stalls(),
        r.stallThresholdMs(),
        r.longestStallUs() / 1000.0,
        r.gcCount(),
        r.gcMaxMs(),
        r.heapUsedBytes() / 1048576.0,
        r.heapAfterGcBytes() < 0
            ? "none yet"
            : String.format(Locale.ROOT, "%.1f MiB", r.heapAfterGcBytes() / 1048576.0),
        r.residentBytes() / 1048576.0,
        r.droppedEvents() > 0 ? " " + r.droppedEvents() + " event(s) dropped (queue full);" : "",
        r.realtimePriority() > 0 ? "SCHED_FIFO " + r.realtimePriority() : "normal scheduling");
  }

  private static void appendGroup(StringBuilder out, GroupView g) {
    out.append("group ")
        .append(g.name())
        .append("  VRID ")
        .append(g.vrid())
        .append("  ")
        .append(g.interfaceName())
        .append("  ")
        .append(g.family())
        .append('\n');
    row(out, "state", g.state() + stateNote(g));
    row(out, "priority", priority(g));
    row(out, "VIPs", g.vips().isEmpty() ? "none" : String.join(", ", g.vips()));
    row(out, "VIP owner", g.vipOwner() == null ? "unknown" : g.vipOwner());
    if (g.peers().isEmpty()) {
      row(out, "peers", "none heard");
    } else {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"ADDRESS", "PRIORITY", "HEARD", "STATE"});
      for (PeerView p : g.peers()) {
        rows.add(
            new String[] {
              p.node() == null ? p.address() : p.address() + " (" + p.node() + ")",
              Integer.toString(p.priority()),
              ago(p.lastHeardMillisAgo()),
              p.state()
            });
      }
      List<String> lines = columns(rows);
      row(out, "peers", lines.getFirst());
      for (String line : lines.subList(1, lines.size())) {
        row(out, "", line);
      }
    }
    if (!g.conflicts().isEmpty()) {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"KIND", "WHO", "SINCE", "LAST SEEN"});
      for (ConflictView c : g.conflicts()) {
        rows.add(
            new String[] {
              c.kind(), c.subject(), ago(c.sinceMillisAgo()), ago(c.lastSeenMillisAgo())
            });
      }
      List<String> lines = columns(rows);
      for (int i = 0; i < lines.size(); i++) {
        row(out, i == 0 ? "conflicts" : "", lines.get(i));
      }
    }
    row(out, "drops", drops(g));
    if (!g.routes().isEmpty()) {
      row(out, "routes", String.join(", ", g.routes()));
    }
    if (g.lastTransitions().isEmpty()) {
      row(out, "transitions", "none");
    } else {
      List<String[]> rows = new ArrayList<>();
      for (TransitionView t : g.lastTransitions()) {
        rows.add(new String[] {t.time(), t.from() + " -> " + t.to(), t.reason()});
      }
      List<String> lines = columns(rows);
      for (int i = 0; i < lines.size(); i++) {
        row(out, i == 0 ? "transitions" : "", lines.get(i));
      }
    }
  }

  private static String stateNote(GroupView g) {
    if (g.claimWaitsForProbe()) {
      return "  (CONFLICT: addresses not claimed, in use by another host; probing)";
    }
    return g.conflict() ? "  (CONFLICT)" : "";
  }

  /** Dropped adverts by reason, e.g. {@code BAD_VERSION 12, CHECKSUM_MODE_MISMATCH 3}. */
  private static String drops(GroupView g) {
    if (g.drops().isEmpty()) {
      return "none";
    }
    StringBuilder s = new StringBuilder();
    g.drops()
        .forEach(
            (reason, n) -> s.append(s.isEmpty() ? "" : ", ").append(reason).append(' ').append(n));
    return s.toString();
  }

  /** The group's DNS records: what each should hold, what a server last confirmed, retries. */
  private static void appendNames(StringBuilder out, List<NameView> names) {
    if (names.isEmpty()) {
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"RECORD", "WANT", "CONFIRMED", "PENDING", "LAST ERROR"});
    for (NameView n : names) {
      rows.add(
          new String[] {
            n.record(),
            n.desired() == null ? "-" : n.desired(),
            n.lastConfirmed() == null ? "-" : n.lastConfirmed(),
            n.pending() ? "yes (" + n.failures() + " failed)" : n.conflict() ? "CONFLICT" : "no",
            n.lastError() == null ? "-" : n.lastError()
          });
    }
    List<String> lines = columns(rows);
    for (int i = 0; i < lines.size(); i++) {
      row(out, i == 0 ? "names" : "", lines.get(i));
    }
  }

  private static String priority(GroupView g) {
    if (g.effectivePriority() == g.configuredPriority() && g.priorityReasons().isEmpty()) {
      return Integer.toString(g.effectivePriority());
    }
    StringBuilder s =
        new StringBuilder()
            .append(g.effectivePriority())
            .append(" (configured ")
            .append(g.configuredPriority());
    for (String reason : g.priorityReasons()) {
      s.append("; ").append(reason);
    }
    return s.append(')').toString();
  }

  static String ago(long millis) {
    if (millis < 1000) {
      return millis + " ms ago";
    }
    return String.format("%.1f s ago", millis / 1000.0);
  }

  private static void row(StringBuilder out, String label, String value) {
    out.append("  ").append(String.format("%-13s", label)).append(value).append('\n');
  }

  /** Left-aligned columns two spaces apart; the last column is not padded. */
  private static List<String> columns(List<String[]> rows) {
    int n = rows.getFirst().length;
    int[] width = new int[n];
    for (String[] r : rows) {
      for (int i = 0; i < n; i++) {
        width[i] = Math.max(width[i], String.valueOf(r[i]).length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < n; i++) {
        String cell = String.valueOf(r[i]);
        line.append(i == n - 1 ? cell : String.format("%-" + (width[i] + 2) + "s", cell));
      }
      lines.add(line.toString());
    }
    return lines;
  }
}
