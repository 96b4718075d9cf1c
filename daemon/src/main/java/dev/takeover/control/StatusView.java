package dev.takeover.control;

import java.util.List;

/**
 * What {@code takeover status} shows: this node's name, every group, and warnings the operator
 * should see first (e.g. a group in conflict, a hook failing), and how punctually the daemon runs
 * ({@code runtime}; null from a daemon that does not report it), and the DNS records that follow
 * the groups ({@code names}, docs/DNS.md), and the node links ({@code links}, docs/LINKS.md; null
 * when none are configured).
 */
public record StatusView(
    String node,
    List<GroupView> groups,
    List<String> warnings,
    RuntimeView runtime,
    List<NameView> names,
    LinksView links) {
  public StatusView {
    groups = ControlProtocol.copy(groups);
    warnings = ControlProtocol.copy(warnings);
    names = ControlProtocol.copy(names);
  }

  /** Without node links (none configured, or from an older daemon). */
  public StatusView(
      String node,
      List<GroupView> groups,
      List<String> warnings,
      RuntimeView runtime,
      List<NameView> names) {
    this(node, groups, warnings, runtime, names, null);
  }

  /** Without DNS names (none configured, or from an older daemon). */
  public StatusView(
      String node, List<GroupView> groups, List<String> warnings, RuntimeView runtime) {
    this(node, groups, warnings, runtime, List.of());
  }

  /** Whether any group is in CONFLICT: {@code takeover status} then exits 4. */
  public boolean anyConflict() {
    return groups.stream().anyMatch(GroupView::conflict);
  }

  /** Without runtime figures (from an older daemon, or in tests). */
  public StatusView(String node, List<GroupView> groups, List<String> warnings) {
    this(node, groups, warnings, null);
  }
}
