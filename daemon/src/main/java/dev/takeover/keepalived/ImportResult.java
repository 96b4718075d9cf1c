package dev.takeover.keepalived;

import dev.takeover.keepalived.ReportEntry.Status;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code takeover import} produced.
 *
 * @param yaml the Takeover configuration
 * @param report every directive and what became of it, in file and line order
 * @param groups the names of the groups written, in order; empty if no vrrp_instance could be
 *     imported (then {@code yaml} is not a valid configuration)
 * @param node the node name and where it came from
 */
public record ImportResult(
    String source, String yaml, List<ReportEntry> report, List<String> groups, String node) {

  public ImportResult {
    report = List.copyOf(report);
    groups = List.copyOf(groups);
  }

  /** How many directives had each status. */
  public Map<Status, Integer> counts() {
    Map<Status, Integer> counts = new EnumMap<>(Status.class);
    for (Status s : Status.values()) {
      counts.put(s, 0);
    }
    report.forEach(e -> counts.merge(e.status(), 1, Integer::sum));
    return counts;
  }

  /** The report as {@code takeover import --report} writes it. */
  public String reportText() {
    StringBuilder s = new StringBuilder();
    s.append("# takeover import report for ").append(source).append('\n');
    s.append("# node: ").append(node).append('\n');
    s.append("# groups: ")
        .append(groups.isEmpty() ? "none (nothing could be imported)" : String.join(", ", groups))
        .append('\n');
    s.append("# directives: ").append(report.size());
    counts().forEach((status, n) -> s.append(", ").append(n).append(' ').append(status.label));
    s.append('\n');
    s.append(
        "# mapped: same behaviour; approximated: the nearest Takeover setting, or built in (the"
            + " note says the gap);\n"
            + "# not yet supported: Takeover will have the key named (issue 14), left out until"
            + " then; not mapped: left out.\n");
    report.forEach(e -> s.append(e).append('\n'));
    return s.toString();
  }
}
