package dev.takeover.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole, validated configuration. Only {@link ConfigLoader} builds these from files; every value
 * in here has passed the checks documented in {@code docs/CONFIG.md}.
 *
 * @param node this node's name, used in logs, metrics and the journal
 * @param groups the VRRP groups, in file order
 */
public record TakeoverConfig(
    String node, List<GroupConfig> groups, AnnounceConfig announce, DaemonConfig daemon) {

  public TakeoverConfig {
    Objects.requireNonNull(node, "node");
    groups = List.copyOf(groups);
    Objects.requireNonNull(announce, "announce");
    Objects.requireNonNull(daemon, "daemon");
  }

  /** The group with this name, if any. */
  public Optional<GroupConfig> group(String name) {
    return groups.stream().filter(g -> g.name().equals(name)).findFirst();
  }
}
