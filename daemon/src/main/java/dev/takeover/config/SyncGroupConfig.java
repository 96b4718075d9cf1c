package dev.takeover.config;

import java.util.List;
import java.util.Objects;

/**
 * A sync group (keepalived's {@code vrrp_sync_group}): groups that are master together on one node.
 * The first member is elected; the others follow it (docs/CONFIG.md, DECISIONS 49).
 *
 * @param groups two or more group names, in order; the first is the one elected
 * @param hooks the set's hooks: {@code after-claim} (every member master), {@code backup}, {@code
 *     fault}; the other kinds are always empty
 */
public record SyncGroupConfig(String name, List<String> groups, GroupHooks hooks) {
  public SyncGroupConfig {
    Objects.requireNonNull(name, "name");
    groups = List.copyOf(groups);
    Objects.requireNonNull(hooks, "hooks");
  }
}
