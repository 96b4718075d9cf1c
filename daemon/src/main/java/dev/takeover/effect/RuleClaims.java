package dev.takeover.effect;

import dev.takeover.config.GroupConfig;
import dev.takeover.config.VirtualRule;
import dev.takeover.journal.Events;
import dev.takeover.platform.NativeException;
import dev.takeover.platform.RouteTable;
import dev.takeover.platform.RuleTable;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group's policy routing rules (keepalived's {@code virtual_rules}): added with the group's
 * routes (the policy's {@code InstallRoutes}) and deleted with them ({@code RemoveRoutes}), marked
 * with Takeover's protocol number. A rule added once stays until removed: the kernel would add an
 * identical rule twice, so a second {@code InstallRoutes} (a reclaim) skips the rules it already
 * added. A refusal is logged at ERROR and journaled as {@code route.failed} with the rule's text;
 * the others still go in. Engine thread only.
 */
final class RuleClaims {
  private static final Logger log = LoggerFactory.getLogger("takeover");

  private final GroupConfig group;
  private final String label;
  private final RuleTable table;
  private final Recorder journal;
  private final List<VirtualRule> installed = new ArrayList<>();

  RuleClaims(GroupConfig group, RuleTable table, Recorder journal) {
    this.group = group;
    this.label = GroupEffects.label(group);
    this.table = table;
    this.journal = journal;
  }

  void install(String reason) {
    for (VirtualRule rule : group.rules()) {
      if (installed.contains(rule)) {
        continue;
      }
      try {
        table.add(platform(rule));
      } catch (NativeException | IllegalArgumentException e) {
        failed(rule, Events.Operation.ADD, e.getMessage());
        continue;
      }
      installed.add(rule);
      log.info("{} added rule {} ({})", label, rule, reason);
      journal.record(
          Events.routeInstalled(group.name(), group.interfaceName(), "rule " + rule, reason));
    }
  }

  void remove() {
    for (VirtualRule rule : group.rules()) {
      installed.remove(rule);
      try {
        if (table.delete(platform(rule))) {
          log.info("{} removed rule {}", label, rule);
          journal.record(Events.routeRemoved(group.name(), group.interfaceName(), "rule " + rule));
        }
      } catch (NativeException | IllegalArgumentException e) {
        failed(rule, Events.Operation.DELETE, e.getMessage());
      }
    }
  }

  /** The rules added now, as {@code ip rule} shows them. */
  List<String> installed() {
    return installed.stream().map(r -> "rule " + r).toList();
  }

  static RuleTable.Rule platform(VirtualRule rule) {
    return new RuleTable.Rule(
        rule.family() == dev.takeover.config.AddressFamily.IPV6,
        rule.from().map(p -> new RuleTable.Prefix(p.address(), p.length())),
        rule.to().map(p -> new RuleTable.Prefix(p.address(), p.length())),
        rule.table(),
        rule.priority(),
        rule.inInterface(),
        rule.outInterface(),
        rule.fwmark());
  }

  private void failed(VirtualRule rule, Events.Operation op, String error) {
    log.error(
        "{} could not {} rule {}: {}",
        label,
        op == Events.Operation.ADD ? "add" : "remove",
        rule,
        error);
    journal.record(
        Events.routeFailed(group.name(), group.interfaceName(), "rule " + rule, op, error));
  }

  /**
   * At start-up, before any group runs: every rule of ours is stale (no group is master yet, and
   * the node links install no rules). A failure is logged, never fatal.
   */
  static void removeStale(RuleTable table) {
    try {
      for (RuleTable.Rule stale : table.ourRules()) {
        if (table.delete(stale)) {
          log.info(
              "removed stale rule {} (protocol {}) left by an earlier run",
              stale,
              RouteTable.PROTOCOL);
        }
      }
    } catch (NativeException e) {
      log.warn("could not list or remove stale rules: {}", e.getMessage());
    }
  }
}
