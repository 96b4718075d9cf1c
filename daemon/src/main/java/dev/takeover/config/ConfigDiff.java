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
 * {@link GroupChange#soft()} tells whether the running group can take the change over in place
 * (priority, advert interval, preempt, preempt delay, checks, tracking, hooks) or must be taken
 * down and set up again (what identifies the virtual router on the wire or in the kernel: VRID,
 * interface, family, addresses, checksum, unicast peers and source).
 *
 * @param added groups only in the new configuration, in its order
 * @param removed groups only in the old configuration, in its order
 * @param changed groups in both whose settings differ, in the new configuration's order
 * @param moved virtual addresses that belong to a different group (by name) afterwards; the old
 *     group must release them before the new one claims them
 * @param nodeChanged whether {@code node} differs
 * @param announceChanged whether the top-level {@code announce} settings differ; a soft change,
 *     they only shape announcements and holds yet to come
 * @param daemonChanged whether the {@code daemon} settings differ (only {@code log-level} takes
 *     effect without a restart)
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
   * it over, it has to be stopped (releasing its addresses) and started again. Soft settings change
   * in place on the running group (docs/CONFIG.md, "Reload").
   */
  public enum GroupSetting {
    // Hard: they name the virtual router on the wire (VRID, family, addresses in its adverts,
    // checksum, where adverts go) or in the kernel (interface, sockets). Addresses could move in
    // place one day; today a change of addresses restarts the group.
    VRID("vrid", "vrid", true, GroupConfig::vrid),
    INTERFACE("interfaceName", "interface", true, GroupConfig::interfaceName),
    FAMILY("family", "family", true, GroupConfig::family),
    ADDRESSES("addresses", "addresses", true, GroupConfig::addresses),
    ADVERT_INTERVAL("advertInterval", "advert-interval", false, GroupConfig::advertInterval),
    PRIORITY("priority", "priority", false, GroupConfig::priority),
    PREEMPT("preempt", "preempt", false, GroupConfig::preempt),
    PREEMPT_DELAY("preemptDelay", "preempt-delay", false, GroupConfig::preemptDelay),
    CHECKSUM("checksumMode", "checksum", true, GroupConfig::checksumMode),
    UNICAST_PEERS("unicastPeers", "unicast-peers", true, GroupConfig::unicastPeers),
    UNICAST_SOURCE("unicastSource", "unicast-source", true, GroupConfig::unicastSource),
    CHECKS("checks", "checks", false, GroupConfig::checks),
    TRACK_INTERFACES("trackInterfaces", "track-interfaces", false, GroupConfig::trackInterfaces),
    HOOKS("hooks", "hooks", false, GroupConfig::hooks),
    // Hard for now: the signer and verifier are built with the group; switching them in place is
    // possible (the trailer is per advert) but not done, so a key rollout restarts the group.
    AUTH("auth", "auth", true, GroupConfig::auth),
    // Hard: the receive side's table is built with the group.
    ACCEPT_TTL("acceptTtl", "accept-ttl", true, GroupConfig::acceptTtl),
    VERSION("version", "version", true, GroupConfig::version),
    // SimplePassword compares by content and never prints it.
    AUTHENTICATION("password", "authentication", true, GroupConfig::password),
    // Hard for now: the reader is set up with the group (a soft change is possible, not done).
    TRACK_FILES("trackFiles", "track-files", true, GroupConfig::trackFiles),
    // Hard: a restart removes the old routes (the release) and installs the new ones (the next
    // claim) through the policy's actions; an in-place change would need a diff of routes.
    ROUTES("routes", "routes", true, GroupConfig::routes),
    // Hard, as routes: they are installed and removed together.
    RULES("rules", "rules", true, GroupConfig::rules);

    private final String component;
    private final String key;
    private final boolean hard;
    private final Function<GroupConfig, Object> value;

    GroupSetting(String component, String key, boolean hard, Function<GroupConfig, Object> value) {
      this.component = component;
      this.key = key;
      this.hard = hard;
      this.value = value;
    }

    /** The setting's key in the file. */
    public String key() {
      return key;
    }

    /**
     * How the setting changed, for the reload's answer and log: {@code priority 200 -> 190}; for
     * lists and sections whose values are long, the names of what is in them.
     */
    public String describe(GroupConfig before, GroupConfig after) {
      String was = text(before);
      String is = text(after);
      return was.equals(is) ? key + " " + is + " changed" : key + " " + was + " -> " + is;
    }

    private String text(GroupConfig g) {
      return switch (this) {
        case ADVERT_INTERVAL -> Durations.format(g.advertInterval());
        case PREEMPT_DELAY -> Durations.format(g.preemptDelay());
        case ADDRESSES -> g.addresses().stream().map(VirtualAddress::toString).toList().toString();
        case UNICAST_PEERS -> g.unicastPeers().stream().map(IpLiterals::format).toList().toString();
        case UNICAST_SOURCE -> g.unicastSource().map(IpLiterals::format).orElse("(none)");
        case CHECKS -> g.checks().stream().map(CheckConfig::name).toList().toString();
        case TRACK_INTERFACES ->
            g.trackInterfaces().stream().map(TrackInterface::interfaceName).toList().toString();
        case HOOKS -> hooksText(g.hooks());
        default -> String.valueOf(value.apply(g));
      };
    }

    private static String hooksText(GroupHooks h) {
      List<String> kinds = new ArrayList<>();
      h.beforeClaim().ifPresent(x -> kinds.add("before-claim"));
      h.afterClaim().ifPresent(x -> kinds.add("after-claim"));
      h.afterRelease().ifPresent(x -> kinds.add("after-release"));
      h.fault().ifPresent(x -> kinds.add("fault"));
      h.backup().ifPresent(x -> kinds.add("backup"));
      h.stop().ifPresent(x -> kinds.add("stop"));
      return kinds.toString();
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

    /** Whether only settings the running group can take over in place changed. */
    public boolean soft() {
      return settings.stream().noneMatch(GroupSetting::hard);
    }

    /** Each changed setting as {@code key before -> after}, in the settings' order. */
    public List<String> descriptions() {
      return settings.stream().map(s -> s.describe(before, after)).toList();
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
