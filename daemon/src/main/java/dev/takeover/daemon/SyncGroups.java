package dev.takeover.daemon;

import dev.takeover.action.GroupState;
import dev.takeover.config.GroupConfig;
import dev.takeover.config.HookConfig;
import dev.takeover.config.SyncGroupConfig;
import dev.takeover.config.TakeoverConfig;
import dev.takeover.config.VirtualAddress;
import dev.takeover.effect.Recorder;
import dev.takeover.engine.VrrpGroup;
import dev.takeover.hook.HookContext;
import dev.takeover.hook.HookKind;
import dev.takeover.hook.HookRunner;
import dev.takeover.hook.HookSpec;
import dev.takeover.journal.Events;
import dev.takeover.vrrp.SyncGroup;
import dev.takeover.wire.AddressText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what the pure {@link SyncGroup}s decide, on the engine thread after every event
 * ({@code Engine#settleWith}): files and clears the sync faults, makes followers claim and hand
 * over, and records and hooks a change of the set's state. Decides nothing itself.
 */
final class SyncGroups {
  private static final Logger log = LoggerFactory.getLogger("takeover");

  private final Supplier<TakeoverConfig> config;
  private final Function<String, VrrpGroup> running;
  private final Recorder record;
  private final HookRunner hooks; // null: no hooks
  // Engine thread.
  private final Map<String, SyncGroup> sets = new LinkedHashMap<>();
  private final Map<String, GroupState> states = new LinkedHashMap<>();

  SyncGroups(
      Supplier<TakeoverConfig> config,
      Function<String, VrrpGroup> running,
      Recorder record,
      HookRunner hooks) {
    this.config = config;
    this.running = running;
    this.record = record;
    this.hooks = hooks;
  }

  /** The sync group's state as {@code status} shows it, if the group is a member of one. */
  Optional<String> describe(String group) {
    return config
        .get()
        .syncGroupOf(group)
        .map(
            s ->
                s.name()
                    + " ("
                    + (s.groups().getFirst().equals(group) ? "elected" : "follows ")
                    + (s.groups().getFirst().equals(group) ? "" : s.groups().getFirst())
                    + ", set "
                    + states.getOrDefault(s.name(), GroupState.INITIALIZE)
                    + ")");
  }

  /** Settles every sync group; engine thread. */
  void settle(long now) {
    TakeoverConfig c = config.get();
    if (c.syncGroups().isEmpty() && sets.isEmpty()) {
      return; // runs after every event: nothing to build when there is no sync group (issue 15)
    }
    sets.keySet().retainAll(c.syncGroups().stream().map(SyncGroupConfig::name).toList());
    for (SyncGroupConfig sc : c.syncGroups()) {
      SyncGroup sync = sets.get(sc.name());
      if (sync == null || !sync.members().equals(sc.groups())) {
        sync = new SyncGroup(sc.name(), sc.groups());
        sets.put(sc.name(), sync);
      }
      Map<String, VrrpGroup> members = new LinkedHashMap<>();
      for (String m : sc.groups()) {
        VrrpGroup g = running.apply(m);
        if (g == null) {
          break; // a reload is swapping it; settled on the next turn
        }
        g.setFollower(sync.isFollower(m));
        members.put(m, g);
      }
      if (members.size() != sc.groups().size()) {
        continue;
      }
      Map<String, SyncGroup.Member> view = view(members);
      // Each round moves every member at most once: a few rounds settle any set.
      for (int round = 0; round <= 2 * members.size() + 2; round++) {
        List<SyncGroup.Step> steps = sync.settle(view);
        if (steps.isEmpty()) {
          break;
        }
        for (SyncGroup.Step step : steps) {
          VrrpGroup g = members.get(step.member());
          switch (step) {
            case SyncGroup.Fault f -> {
              log.info(
                  "[{}] sync group {}: {} {}",
                  step.member(),
                  sc.name(),
                  f.active() ? "fault" : "fault cleared",
                  f.cause().text());
              g.syncFault(f.cause(), f.active(), now);
            }
            case SyncGroup.Follow f -> {
              log.info("[{}] {}", step.member(), f.reason());
              g.follow(f.master(), f.reason(), now);
            }
          }
        }
        view = view(members);
      }
      GroupState state = sync.state(view);
      GroupState before = states.put(sc.name(), state);
      if (before != state && state != GroupState.INITIALIZE) {
        GroupState from = before == null ? GroupState.INITIALIZE : before;
        String reason = sc.groups().getFirst() + " is " + view.get(sc.groups().getFirst()).state();
        log.info("sync group {}: {} -> {} ({})", sc.name(), from, state, reason);
        String id = record.record(Events.syncChanged(sc.name(), from, state, reason, sc.groups()));
        hook(c, sc, from, state, reason, id);
      }
    }
  }

  private static Map<String, SyncGroup.Member> view(Map<String, VrrpGroup> members) {
    Map<String, SyncGroup.Member> view = new LinkedHashMap<>();
    members.forEach((name, g) -> view.put(name, new SyncGroup.Member(g.state(), g.faults())));
    return view;
  }

  /** The set's hook for its new state (keepalived's sync group notify_master/backup/fault). */
  private void hook(
      TakeoverConfig c,
      SyncGroupConfig sc,
      GroupState from,
      GroupState to,
      String reason,
      String eventId) {
    HookKind kind;
    Optional<HookConfig> hook;
    switch (to) {
      case MASTER -> {
        kind = HookKind.AFTER_CLAIM;
        hook = sc.hooks().afterClaim();
      }
      case BACKUP -> {
        kind = HookKind.BACKUP;
        hook = sc.hooks().backup();
      }
      case FAULT -> {
        kind = HookKind.FAULT;
        hook = sc.hooks().fault();
      }
      default -> {
        return;
      }
    }
    if (hooks == null || hook.isEmpty()) {
      return;
    }
    List<String> vips = new ArrayList<>();
    int vrid = 0;
    for (String m : sc.groups()) {
      Optional<GroupConfig> g = c.group(m);
      if (g.isPresent()) {
        vrid = vrid == 0 ? g.get().vrid() : vrid;
        for (VirtualAddress a : g.get().addresses()) {
          vips.add(AddressText.of(a.address()) + "/" + a.prefixLength());
        }
      }
    }
    HookConfig h = hook.get();
    hooks.submit(
        kind,
        new HookSpec(kind.configName(), h.command(), h.env(), h.timeout()),
        // The set's hooks run in order among themselves, apart from its members' own.
        new HookContext(
            "sync:" + sc.name(),
            vrid,
            from.toString(),
            to.toString(),
            vips,
            reason,
            eventId == null ? "" : eventId));
  }
}
