package dev.takeover.effect;

import dev.takeover.action.Action;
import dev.takeover.action.GroupState;
import dev.takeover.action.HookPoint;
import dev.takeover.clock.Clock;
import dev.takeover.config.GroupConfig;
import dev.takeover.config.GroupHooks;
import dev.takeover.hook.HookRunner;
import dev.takeover.platform.AddressTable;
import dev.takeover.platform.RouteTable;
import dev.takeover.platform.RuleTable;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Carries out one group's actions, in the order given, and decides nothing: what to do and in which
 * order comes from {@code vrrp.GroupPolicy}. Each concern has its own part: {@link AddressClaims}
 * (addresses and announcements), {@link RouteClaims} (virtual routes), {@link TransitionRecorder}
 * (the transition funnel's record: log, journal, recent transitions, timeline) and {@link
 * HookDispatch} (hooks). Engine thread only; all times come from the injected {@link Clock}.
 */
public final class GroupEffects {

  private GroupConfig group;
  private final AdvertSender adverts;
  private final AddressClaims addresses;
  private final RouteClaims routes; // null when built without a route table (tests)
  private final RuleClaims rules; // null when built without a rule table (tests)
  private final TransitionRecorder transitions;
  private final HookDispatch hooks;
  private final Announcer announcer;
  private final ConflictRecorder conflicts;
  private Names names = Names.NONE;

  /**
   * Tells the DNS side (docs/DNS.md) that the group claimed or released its addresses. Both only
   * post to the DNS thread, so the update leaves within milliseconds of the claim and the engine
   * never waits for a server.
   */
  public record Names(Runnable claimed, Runnable released) {
    public static final Names NONE = new Names(() -> {}, () -> {});
  }

  /** A transition as {@code takeover status} lists it. */
  public record RecentTransition(Instant at, GroupState from, GroupState to, String reason) {}

  /**
   * @param burstInterval between the announcements of a burst, for the journal's record
   * @param hooks runs the group's hooks; null when the daemon runs none
   * @param claimProceed posts "the before-claim hook is done (or out of budget) for this claim
   *     epoch" back to the engine thread
   */
  public GroupEffects(
      GroupConfig group,
      int ifindex,
      AddressTable addressTable,
      AdvertSender adverts,
      Announcer announcer,
      Duration burstInterval,
      Recorder journal,
      HookRunner hooks,
      LongConsumer claimProceed,
      Clock clock) {
    this(
        group,
        ifindex,
        addressTable,
        null,
        name -> OptionalInt.empty(),
        adverts,
        announcer,
        burstInterval,
        journal,
        hooks,
        claimProceed,
        clock);
  }

  /**
   * @param routeTable where the group's virtual routes go
   * @param ifindexOf the index of an interface by name (a route's interface), empty if none
   */
  public GroupEffects(
      GroupConfig group,
      int ifindex,
      AddressTable addressTable,
      RouteTable routeTable,
      Function<String, OptionalInt> ifindexOf,
      AdvertSender adverts,
      Announcer announcer,
      Duration burstInterval,
      Recorder journal,
      HookRunner hooks,
      LongConsumer claimProceed,
      Clock clock) {
    this(
        group,
        ifindex,
        addressTable,
        routeTable,
        null,
        ifindexOf,
        adverts,
        announcer,
        burstInterval,
        journal,
        hooks,
        claimProceed,
        clock);
  }

  /**
   * @param routeTable where the group's virtual routes go
   * @param ruleTable where the group's policy rules go
   * @param ifindexOf the index of an interface by name (a route's interface), empty if none
   */
  public GroupEffects(
      GroupConfig group,
      int ifindex,
      AddressTable addressTable,
      RouteTable routeTable,
      RuleTable ruleTable,
      Function<String, OptionalInt> ifindexOf,
      AdvertSender adverts,
      Announcer announcer,
      Duration burstInterval,
      Recorder journal,
      HookRunner hooks,
      LongConsumer claimProceed,
      Clock clock) {
    this.rules = ruleTable == null ? null : new RuleClaims(group, ruleTable, journal);
    this.group = group;
    this.adverts = adverts;
    this.transitions = new TransitionRecorder(group, journal, clock);
    this.routes =
        routeTable == null
            ? null
            : new RouteClaims(group, routeTable, ifindexOf, journal, transitions.timeline(), clock);
    this.addresses =
        new AddressClaims(
            group,
            ifindex,
            ifindexOf,
            addressTable,
            announcer,
            burstInterval,
            journal,
            transitions.timeline(),
            clock);
    this.hooks = new HookDispatch(group.hooks(), hooks, transitions, claimProceed);
    this.announcer = announcer;
    this.conflicts = new ConflictRecorder(group, journal);
  }

  /** {@code [web][VRID 51][IPv4]}: how every log line about a group starts. */
  public static String label(GroupConfig group) {
    return "["
        + group.name()
        + "][VRID "
        + group.vrid()
        + "]["
        + group.family().displayName()
        + "]";
  }

  /** The hooks the policy may ask for: those configured, when the daemon runs hooks at all. */
  public static Set<HookPoint> hookPoints(GroupHooks hooks, boolean runsHooks) {
    Set<HookPoint> points = EnumSet.noneOf(HookPoint.class);
    if (runsHooks) {
      hooks.beforeClaim().ifPresent(h -> points.add(HookPoint.BEFORE_CLAIM));
      hooks.afterClaim().ifPresent(h -> points.add(HookPoint.AFTER_CLAIM));
      hooks.afterRelease().ifPresent(h -> points.add(HookPoint.AFTER_RELEASE));
      hooks.fault().ifPresent(h -> points.add(HookPoint.FAULT));
      hooks.backup().ifPresent(h -> points.add(HookPoint.BACKUP));
      hooks.stop().ifPresent(h -> points.add(HookPoint.STOP));
    }
    return points;
  }

  /**
   * A reload changed the group in place: from now on adverts carry the new interval, hooks are the
   * new ones and the journal records the new burst interval. Call it before applying the actions
   * the policy returns for the same change (a master's advert with the new interval). The settings
   * that name the group (VRID, interface, addresses) do not change in place, so the log label, the
   * addresses and the transition record stay as they are.
   */
  public void reconfigure(GroupConfig next, int adverIntervalCentis, Duration burstInterval) {
    group = next;
    adverts.setAdverIntervalCentis(adverIntervalCentis);
    addresses.setBurstInterval(burstInterval);
    hooks.replace(next.hooks());
  }

  /** The group's names follow its claims and releases from now on. */
  public void followNames(Names names) {
    this.names = names;
  }

  /** Carries out {@code actions} in order. */
  public void apply(List<Action> actions) {
    for (Action action : actions) {
      switch (action) {
        case Action.SendAdvert a -> {
          adverts.send(a.priority());
          transitions.advertSent();
        }
        case Action.ClaimAddresses c -> {
          addresses.claim(c.reason());
          names.claimed().run();
        }
        case Action.ReclaimAddresses r -> addresses.reclaim(r.removed());
        case Action.Announce a -> addresses.announce(a);
        case Action.Reannounce r -> addresses.reannounce(r.reason());
        case Action.HoldAddresses h -> addresses.hold();
        case Action.ReleaseAddresses r -> {
          addresses.release();
          names.released().run();
        }
        case Action.InstallRoutes i -> {
          // Routes before rules: a rule's table has its routes when packets start to match it.
          routes().install(i.reason());
          if (rules != null) {
            rules.install(i.reason());
          }
        }
        case Action.RemoveRoutes r -> {
          if (rules != null) {
            rules.remove();
          }
          routes().remove();
        }
        case Action.Transition t -> transitions.record(t);
        case Action.MasterDown m -> transitions.masterDown(m);
        case Action.RunHook h -> hooks.run(h.point());
        case Action.AwaitBeforeClaim w -> hooks.awaitBeforeClaim(w.epoch());
        case Action.Probe p -> announcer.probe();
        case Action.AddressConflict c -> conflicts.addressConflict(c);
        case Action.ConflictDetected c -> conflicts.conflictDetected(c);
      }
    }
    transitions.recordTimelineIfComplete();
  }

  /**
   * Marks when the transition to MASTER that follows was due (a timer's deadline, or the arrival of
   * the event that caused it) and when an advert was last heard ({@link Long#MIN_VALUE}: never),
   * for the transition's timeline in the journal. Times are the engine clock's monotonic nanos.
   */
  public void transitionDue(long dueNanos, long handledNanos, long lastAdvertHeardNanos) {
    transitions.transitionDue(dueNanos, handledNanos, lastAdvertHeardNanos);
  }

  /** Adverts sent for this group since it started; engine thread (for metrics). */
  public long advertsSent() {
    return adverts.sent();
  }

  /** The last few transitions, oldest first. */
  public List<RecentTransition> recentTransitions() {
    return transitions.recent();
  }

  /** At start-up, removes this group's addresses that a killed earlier run left behind. */
  public void removeLeftovers() {
    addresses.removeLeftovers();
  }

  /** The virtual routes installed now, as {@code ip route} shows them (status). */
  public List<String> installedRoutes() {
    List<String> all = new java.util.ArrayList<>(routes == null ? List.of() : routes.installed());
    if (rules != null) {
      all.addAll(rules.installed());
    }
    return all;
  }

  private RouteClaims routes() {
    if (routes == null) {
      throw new IllegalStateException("the group has routes but no route table");
    }
    return routes;
  }

  /** Whether {@code address} is one of this group's virtual addresses. */
  public boolean owns(InetAddress address) {
    return addresses.owns(address);
  }

  /**
   * Whether {@code address} on interface {@code ifindex} is one of this group's virtual addresses
   * where the group puts it (its own interface, or an address's other one).
   */
  public boolean owns(int ifindex, InetAddress address) {
    return addresses.owns(ifindex, address);
  }

  public GroupConfig group() {
    return group;
  }
}
