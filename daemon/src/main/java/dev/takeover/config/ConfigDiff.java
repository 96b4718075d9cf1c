package dev.takeover.config;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a reload changes: the difference between the running configuration and a new, valid one.
 * Pure: it compares values and decides nothing; the reload decides what to do with it.
 *
 * <p>Groups are matched by {@code name}. A renamed group is one group removed and another added
 * (its addresses then show up in {@link #moved()}). A changed group lists the settings that differ;
 * {@link GroupChange#soft()} tells whether the group can keep running through the change (only
 * checks, tracking or hooks differ) or must be taken down and set up again.
 *
 * @param added groups only in the new configuration, in its order
 * @param removed groups only in the old configuration, in its order
 * @param changed groups in both whose settings differ, in the new configuration's order
 * @param moved virtual addresses that belong to a different group (by name) afterwards; the old
 *     group must release them before the new one claims them
 * @param nodeChanged whether {@code node} differs
 * @param announceChanged whether the top-level {@code announce} settings differ; a soft change,
 *     they only shape announcements yet to come
 * @param daemonChanged whether the {@code daemon} settings differ
 */
public record ConfigDiff(
    List<GroupConfig> added,
    List<GroupConfig> removed,
    List<GroupChange> changed,
    List<MovedAddress> moved,
    boolean nodeChanged,
    boolean announceChanged,
    boolean daemonChanged) {

  public ConfigDiff {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    changed = List.copyOf(changed);
    moved = List.copyOf(moved);
  }

  /**
   * A setting of a group, and whether changing it is hard: the running virtual router cannot take
   * it over, it has to be stopped (releasing its addresses) and started again.
   */
  public enum GroupSetting {
    VRID("vrid", true, GroupConfig::vrid),
    INTERFACE("interfaceName", true, GroupConfig::interfaceName),
    FAMILY("family", true, GroupConfig::family),
    ADDRESSES("addresses", true, GroupConfig::addresses),
    ADVERT_INTERVAL("advertInterval", true, GroupConfig::advertInterval),
    PRIORITY("priority", true, GroupConfig::priority),
    PREEMPT("preempt", true, GroupConfig::preempt),
    PREEMPT_DELAY("preemptDelay", true, GroupConfig::preemptDelay),
    CHECKSUM("checksumMode", true, GroupConfig::checksumMode),
    UNICAST_PEERS("unicastPeers", true, GroupConfig::unicastPeers),
    UNICAST_SOURCE("unicastSource", true, GroupConfig::unicastSource),
    CHECKS("checks", false, GroupConfig::checks),
    TRACK_INTERFACES("trackInterfaces", false, GroupConfig::trackInterfaces),
    HOOKS("hooks", false, GroupConfig::hooks),
    // Soft: the trailer is per advert; a running group could switch signer and verifier in place.
    AUTH("auth", false, GroupConfig::auth);

    private final String component;
    private final boolean hard;
    private final Function<GroupConfig, Object> value;

    GroupSetting(String component, boolean hard, Function<GroupConfig, Object> value) {
      this.component = component;
      this.hard = hard;
      this.value = value;
    }

    /** The {@link GroupConfig} component this setting is. */
    public String component() {
      return component;
    }

    public boolean hard() {
      return hard;
    }

    boolean differs(GroupConfig a, GroupConfig b) {
      return !Objects.equals(value.apply(a), value.apply(b));
    }
  }

  /** A group present before and after whose settings differ. */
  public record GroupChange(GroupConfig before, GroupConfig after, Set<GroupSetting> settings) {
    public GroupChange {
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(after, "after");
      if (settings.isEmpty()) {
        throw new IllegalArgumentException("a change changes at least one setting");
      }
      settings = Collections.unmodifiableSet(EnumSet.copyOf(settings));
    }

    public String name() {
      return after.name();
    }

    /** Whether only settings the running group can take over changed. */
    public boolean soft() {
      return settings.stream().noneMatch(GroupSetting::hard);
    }
  }

  /** A virtual address that belongs to group {@code from} before and to group {@code to} after. */
  public record MovedAddress(InetAddress address, String from, String to) {
    public MovedAddress {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }

    @Override
    public String toString() {
      return IpLiterals.format(address) + " " + from + " -> " + to;
    }
  }

  /** Compares two valid configurations. */
  public static ConfigDiff between(TakeoverConfig old, TakeoverConfig neu) {
    Map<String, GroupConfig> before = byName(old);
    Map<String, GroupConfig> after = byName(neu);
    List<GroupConfig> added = new ArrayList<>();
    List<GroupChange> changed = new ArrayList<>();
    for (GroupConfig g : neu.groups()) {
      GroupConfig was = before.get(g.name());
      if (was == null) {
        added.add(g);
        continue;
      }
      Set<GroupSetting> settings = EnumSet.noneOf(GroupSetting.class);
      for (GroupSetting s : GroupSetting.values()) {
        if (s.differs(was, g)) {
          settings.add(s);
        }
      }
      if (!settings.isEmpty()) {
        changed.add(new GroupChange(was, g, settings));
      }
    }
    List<GroupConfig> removed =
        old.groups().stream().filter(g -> !after.containsKey(g.name())).toList();
    return new ConfigDiff(
        added,
        removed,
        changed,
        moved(old, neu),
        !old.node().equals(neu.node()),
        !old.announce().equals(neu.announce()),
        !old.daemon().equals(neu.daemon()));
  }

  /** Whether the two configurations are the same in every respect. */
  public boolean isEmpty() {
    return added.isEmpty()
        && removed.isEmpty()
        && changed.isEmpty()
        && moved.isEmpty()
        && !nodeChanged
        && !announceChanged
        && !daemonChanged;
  }

  /** The change of the group with this name, if it changed. */
  public Optional<GroupChange> change(String name) {
    return changed.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  private static Map<String, GroupConfig> byName(TakeoverConfig config) {
    Map<String, GroupConfig> m = new LinkedHashMap<>();
    config.groups().forEach(g -> m.put(g.name(), g));
    return m;
  }

  // Addresses are compared without their prefix length: the address is what a neighbour's ARP or
  // neighbour cache points at, so that is what must be released before it is claimed elsewhere.
  private static List<MovedAddress> moved(TakeoverConfig old, TakeoverConfig neu) {
    Map<InetAddress, String> ownerBefore = new LinkedHashMap<>();
    for (GroupConfig g : old.groups()) {
      g.addresses().forEach(a -> ownerBefore.put(a.address(), g.name()));
    }
    List<MovedAddress> moved = new ArrayList<>();
    for (GroupConfig g : neu.groups()) {
      for (VirtualAddress a : g.addresses()) {
        String from = ownerBefore.get(a.address());
        if (from != null && !from.equals(g.name())) {
          moved.add(new MovedAddress(a.address(), from, g.name()));
        }
      }
    }
    return moved;
  }
}
