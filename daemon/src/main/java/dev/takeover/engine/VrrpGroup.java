package dev.takeover.engine;

import dev.takeover.action.Action;
import dev.takeover.action.GroupState;
import dev.takeover.config.CheckConfig;
import dev.takeover.config.GroupConfig;
import dev.takeover.config.TrackFile;
import dev.takeover.config.TrackInterface;
import dev.takeover.config.Weight;
import dev.takeover.effect.GroupEffects;
import dev.takeover.effect.Recorder;
import dev.takeover.journal.Events;
import dev.takeover.platform.NetlinkEvent;
import dev.takeover.vrrp.Conflict;
import dev.takeover.vrrp.GroupPolicy;
import dev.takeover.vrrp.Impact;
import dev.takeover.vrrp.MoveHold;
import dev.takeover.vrrp.MoveOutcome;
import dev.takeover.vrrp.NodeRef;
import dev.takeover.vrrp.Peer;
import dev.takeover.vrrp.PriorityCause;
import dev.takeover.vrrp.VrrpTimers;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One VRRP group on the engine thread: a thin adapter that turns the engine's events into calls on
 * the group's pure {@link GroupPolicy} and hands the actions it returns to the {@link
 * GroupEffects}. It decides nothing itself; it only translates configuration (checks, tracked
 * links, their weights) into typed causes, and notes when a transition to MASTER was due for the
 * journal's timeline.
 */
public final class VrrpGroup implements Engine.GroupRuntime {
  private static final Logger log = LoggerFactory.getLogger("takeover");

  private final String label;
  private final int ifindex;
  private final GroupPolicy policy;
  private final GroupEffects effects;
  private final BooleanSupplier linkIsUp;
  private final Predicate<String> trackedLinkIsUp;
  private final IntPredicate otherLinkIsUp;
  private final Recorder journal;
  private final BooleanSupplier inMaintenance;
  private GroupConfig group; // replaced by a reload that changes the group in place
  private long lastAdvertHeard = Long.MIN_VALUE; // any peer's advert, as received; for the timeline

  /**
   * @param linkIsUp asks the kernel whether the group's link is up now: at start-up, and on the
   *     rare event of an address removal, where event order alone cannot tell a link going down
   * @param trackedLinkIsUp the same for a tracked link, by name, at start-up
   * @param inMaintenance whether the node is in maintenance when the group starts (at start-up,
   *     from the state file, or when a reload adds the group): then it starts in FAULT
   */
  public VrrpGroup(
      String label,
      int ifindex,
      GroupPolicy policy,
      GroupEffects effects,
      BooleanSupplier linkIsUp,
      Predicate<String> trackedLinkIsUp,
      Recorder journal,
      BooleanSupplier inMaintenance) {
    this(
        label,
        ifindex,
        policy,
        effects,
        linkIsUp,
        trackedLinkIsUp,
        index -> true,
        journal,
        inMaintenance);
  }

  /**
   * @param otherLinkIsUp asks the kernel whether another link than the group's is up, by index: on
   *     the removal of an address that lives there
   */
  public VrrpGroup(
      String label,
      int ifindex,
      GroupPolicy policy,
      GroupEffects effects,
      BooleanSupplier linkIsUp,
      Predicate<String> trackedLinkIsUp,
      IntPredicate otherLinkIsUp,
      Recorder journal,
      BooleanSupplier inMaintenance) {
    this.otherLinkIsUp = otherLinkIsUp;
    this.inMaintenance = inMaintenance;
    this.label = label;
    this.ifindex = ifindex;
    this.policy = policy;
    this.effects = effects;
    this.linkIsUp = linkIsUp;
    this.trackedLinkIsUp = trackedLinkIsUp;
    this.journal = journal;
    this.group = effects.group();
  }

  /** A group of a node that is never in maintenance (tests). */
  public VrrpGroup(
      String label,
      int ifindex,
      GroupPolicy policy,
      GroupEffects effects,
      BooleanSupplier linkIsUp,
      Predicate<String> trackedLinkIsUp,
      Recorder journal) {
    this(label, ifindex, policy, effects, linkIsUp, trackedLinkIsUp, journal, () -> false);
  }

  @Override
  public void start(long now) {
    effects.removeLeftovers();
    if (inMaintenance.getAsBoolean()) {
      // Before startup, so the group starts in FAULT and never claims (GroupPolicy#maintenance).
      apply(policy.maintenance(true, now), now, now);
    }
    if (!linkIsUp.getAsBoolean()) {
      apply(policy.report(linkDown(), new Impact.Fault(), true, now), now, now);
    }
    for (TrackInterface t : group.trackInterfaces()) {
      if (!trackedLinkIsUp.test(t.interfaceName())) {
        report(new PriorityCause.TrackedLink(t.interfaceName()), t.weight(), true, now);
      }
    }
    // A check counts as down until it has passed `rise` times: a node must not become master
    // for a service it has not yet seen healthy.
    for (CheckConfig c : group.checks()) {
      report(new PriorityCause.Check(c.name()), c.weight(), true, now);
    }
    apply(policy.startup(now), now, now);
  }

  @Override
  public void stop(long now, boolean awaitHandover) {
    apply(policy.stop(now, awaitHandover), now, now);
  }

  @Override
  public boolean handingOver() {
    return policy.handingOver();
  }

  @Override
  public void advertReceived(Event.AdvertReceived advert, long now) {
    lastAdvertHeard = advert.receivedAt();
    apply(
        policy.advertReceived(
            advert.source(), advert.priority(), advert.maxAdverIntervalCentis(), now),
        now,
        now);
  }

  @Override
  public void foreignClaim(Event.ForeignClaim claim, long now) {
    apply(policy.foreignClaimSeen(claim.address(), claim.mac(), now), now, now);
  }

  @Override
  public void peerMac(Event.PeerMac peer, long now) {
    apply(policy.peerMacSeen(peer.mac(), now), now, now);
  }

  @Override
  public void rivalAdvert(Event.RivalAdvert rival, long now) {
    apply(policy.rivalAdvertSeen(rival.source(), rival.reason(), rival.priority(), now), now, now);
  }

  @Override
  public void checkChanged(String check, boolean up, String detail, long now) {
    for (CheckConfig c : group.checks()) {
      if (c.name().equals(check)) {
        if (up) {
          log.info("{} check {} is up ({})", label, check, detail);
        } else {
          log.warn("{} check {} is down ({})", label, check, detail);
        }
        journal.record(
            up
                ? Events.checkUp(group.name(), check, detail)
                : Events.checkDown(group.name(), check, detail));
        report(new PriorityCause.Check(check), c.weight(), !up, now);
      }
    }
  }

  @Override
  public void trackFileRead(String path, long value, long now) {
    for (TrackFile t : group.trackFiles()) {
      if (t.path().equals(path)) {
        log.info("{} track file {} reads {}", label, path, value);
        apply(policy.trackFileRead(path, t.weight(), t.reverse(), value, now), now, now);
      }
    }
  }

  @Override
  public void claimProceed(long epoch, long now) {
    List<Action> actions = policy.claimProceed(epoch, now);
    if (actions.isEmpty()) {
      log.debug("{} claim {} is void: released meanwhile", label, epoch);
    }
    apply(actions, now, now);
  }

  @Override
  public void kernelEvent(NetlinkEvent event, long now) {
    switch (event) {
      case NetlinkEvent.AddressRemoved r
          when effects.owns(r.ifindex(), r.address()) && policy.state() == GroupState.MASTER ->
          // Our own releases come back here too, as a non-master; asking the kernel whether the
          // link is up costs a netlink round trip, so only a master asks. The policy decides.
          // An address on another interface goes with that link too: the tracked link's event
          // (FAULT) follows, so a removal while it is down is not someone else's.
          apply(policy.addressRemoved(r.address(), addressLinkIsUp(r.ifindex()), now), now, now);
      case NetlinkEvent.LinkChanged l when isTracked(l.name()) -> {
        if (l.up()) {
          log.info("{} tracked link {} is up", label, l.name());
        } else {
          log.warn("{} tracked link {} is down", label, l.name());
        }
        journal.record(Events.linkChanged(group.name(), l.name(), l.up()));
        for (TrackInterface t : group.trackInterfaces()) {
          if (t.interfaceName().equals(l.name())) {
            report(new PriorityCause.TrackedLink(l.name()), t.weight(), !l.up(), now);
          }
        }
      }
      case NetlinkEvent.LinkChanged l when l.ifindex() == ifindex -> {
        if (l.up()) {
          log.info("{} link {} is up", label, l.name());
        } else {
          log.warn("{} link {} is down", label, l.name());
        }
        journal.record(Events.linkChanged(group.name(), l.name(), l.up()));
        // A dead link is keepalived's FAULT: a master hands over (priority 0) and releases; when
        // the link returns the group starts over as BACKUP and preempts if it should.
        apply(policy.report(linkDown(), new Impact.Fault(), !l.up(), now), now, now);
      }
      default -> {}
    }
  }

  @Override
  public void tick(long now) {
    OptionalLong timer = policy.timerDeadline();
    List<Action> actions = policy.tick(now);
    apply(actions, timer.isPresent() ? timer.getAsLong() : now, now);
  }

  @Override
  public boolean hasDeadline() {
    return policy.nextDeadline().isPresent();
  }

  @Override
  public long deadline() {
    return policy.nextDeadline().getAsLong();
  }

  /** Makes the group a sync group follower or not; see {@link GroupPolicy#setFollower}. */
  public void setFollower(boolean follower) {
    policy.setFollower(follower);
  }

  /** Another member of the group's sync group is in FAULT, or no longer. Engine thread. */
  public void syncFault(PriorityCause.SyncGroup cause, boolean active, long now) {
    apply(policy.report(cause, new Impact.Fault(), active, now), now, now);
  }

  /** Follows the first member of the sync group; see {@link GroupPolicy#follow}. Engine thread. */
  public void follow(boolean master, String reason, long now) {
    apply(policy.follow(master, reason, now), now, now);
  }

  public SortedSet<String> faults() {
    return policy.faults();
  }

  /** Maintenance on or off; see {@link GroupPolicy#maintenance}. Engine thread. */
  public void maintenance(boolean on, long now) {
    apply(policy.maintenance(on, now), now, now);
  }

  /** {@code takeover move} to this node; see {@link GroupPolicy#moveHere}. Engine thread. */
  public MoveOutcome moveHere(long now) {
    return applied(policy.moveHere(now), now);
  }

  /** {@code takeover move} to another node; see {@link GroupPolicy#moveAway}. Engine thread. */
  public MoveOutcome moveAway(NodeRef target, List<NodeRef> others, long now) {
    return applied(policy.moveAway(target, others, now), now);
  }

  /** What a move away would answer instead of moving; see {@link GroupPolicy#moveAwayInstead}. */
  public java.util.Optional<MoveOutcome> moveAwayInstead(NodeRef target, List<NodeRef> others) {
    return policy.moveAwayInstead(target, others);
  }

  /** How long a handover started now may take at most; see {@link GroupPolicy#moveWaitNanos}. */
  public long moveWaitNanos() {
    return policy.moveWaitNanos();
  }

  /** {@code takeover move --clear}; see {@link GroupPolicy#clearMove}. Engine thread. */
  public MoveOutcome clearMove(long now) {
    return applied(policy.clearMove(now), now);
  }

  private MoveOutcome applied(MoveOutcome outcome, long now) {
    apply(outcome.actions(), now, now);
    return outcome;
  }

  public GroupState state() {
    return policy.state();
  }

  public String name() {
    return group.name();
  }

  public int vrid() {
    return group.vrid();
  }

  public int effectivePriority() {
    return policy.effectivePriority();
  }

  public boolean maintenance() {
    return policy.maintenance();
  }

  /** This node's name and whether the group's node-link guard is on (docs/LINKS.md). */
  public void nodeLinks(String self, boolean guard) {
    policy.setNodeLinks(self, guard);
  }

  /** The node links' view of the peers for this group changed; the policy decides. */
  public void linkPeers(List<dev.takeover.vrrp.LinkPeer> peers, long now) {
    apply(policy.linkPeers(peers, now), now, now);
  }

  /**
   * A reload changed settings this group takes over in place (see {@code ConfigDiff}): the effects
   * first (adverts carry the new interval, new hooks), then the policy, whose actions follow the
   * normal paths: a master advertises a new priority or interval at once, and a handover happens
   * only when the new priorities make one due. Weights of checks and tracked links that stayed are
   * moved over ({@link GroupPolicy#reweigh}); those removed are withdrawn. A check added here
   * counts from its first verdict (docs/DECISIONS.md), unlike at start-up, where it counts as down
   * until it has passed: the reload reaches every node of the cluster at about the same time, and
   * counting a new check down everywhere at once would fault every node. A tracked link added is
   * asked about now. Engine thread.
   */
  public void reconfigure(
      GroupConfig next, GroupPolicy.Settings settings, Duration burstInterval, long now) {
    GroupConfig before = group;
    group = next;
    effects.reconfigure(
        next, VrrpTimers.nanosToCentis(next.advertInterval().toNanos()), burstInterval);
    apply(policy.setSettings(settings, now), now, now);
    apply(policy.setPreempt(next.preempt(), next.preemptDelay().toNanos(), now), now, now);
    apply(policy.setAdvertisementInterval(next.advertInterval().toNanos(), now), now, now);
    apply(policy.setPriority(next.priority(), now), now, now);
    Map<String, Weight> checksAfter = new LinkedHashMap<>();
    next.checks().forEach(c -> checksAfter.put(c.name(), c.weight()));
    for (CheckConfig c : before.checks()) {
      reweigh(new PriorityCause.Check(c.name()), c.weight(), checksAfter.get(c.name()), now);
    }
    Map<String, Weight> tracksAfter = new LinkedHashMap<>();
    next.trackInterfaces().forEach(t -> tracksAfter.put(t.interfaceName(), t.weight()));
    Set<String> trackedBefore = new HashSet<>();
    for (TrackInterface t : before.trackInterfaces()) {
      trackedBefore.add(t.interfaceName());
      reweigh(
          new PriorityCause.TrackedLink(t.interfaceName()),
          t.weight(),
          tracksAfter.get(t.interfaceName()),
          now);
    }
    for (TrackInterface t : next.trackInterfaces()) {
      if (!trackedBefore.contains(t.interfaceName()) && !trackedLinkIsUp.test(t.interfaceName())) {
        report(new PriorityCause.TrackedLink(t.interfaceName()), t.weight(), true, now);
      }
    }
  }

  /** A cause's weight moved from {@code before} to {@code after}; null: no longer configured. */
  private void reweigh(PriorityCause cause, Weight before, Weight after, long now) {
    if (after == null) {
      apply(policy.report(cause, impact(before), false, now), now, now);
    } else {
      apply(policy.reweigh(cause, impact(before), impact(after), now), now, now);
    }
  }

  /** What {@code takeover status} shows of a group; taken on the engine thread. */
  public record Snapshot(
      GroupState state,
      int basePriority,
      int effectivePriority,
      SortedMap<String, Integer> adjustments,
      SortedSet<String> faults,
      Optional<InetAddress> master,
      Map<InetAddress, Peer> peers,
      long now,
      long masterAdverIntervalNanos,
      long masterDownIntervalNanos,
      boolean maintenance,
      List<Conflict> conflicts,
      boolean claimWaitsForProbe,
      boolean handingOver,
      int moveAdjustment,
      Optional<MoveHold> moveHold) {}

  public Snapshot snapshot(long now) {
    return new Snapshot(
        policy.state(),
        policy.basePriority(),
        policy.effectivePriority(),
        policy.priorityAdjustments(),
        policy.faults(),
        policy.lastMaster(),
        policy.peers(),
        now,
        policy.masterAdverIntervalNanos(),
        policy.masterDownIntervalNanos(),
        policy.maintenance(),
        policy.conflicts(now),
        policy.claimWaitsForProbe(),
        policy.handingOver(),
        policy.moveAdjustment(),
        policy.moveHold());
  }

  /**
   * Hands actions to the effects; when they hold a transition to MASTER, first tells the timeline
   * when it was due ({@code due}: a timer's deadline, or the event's arrival).
   */
  private void apply(List<Action> actions, long due, long now) {
    for (Action a : actions) {
      if (a instanceof Action.Transition t && t.to() == GroupState.MASTER) {
        effects.transitionDue(due, now, lastAdvertHeard);
      }
    }
    effects.apply(actions);
  }

  private void report(PriorityCause cause, Weight weight, boolean down, long now) {
    apply(policy.report(cause, impact(weight), down, now), now, now);
  }

  private static Impact impact(Weight weight) {
    return switch (weight) {
      case Weight.Fault f -> new Impact.Fault();
      case Weight.Adjust a -> new Impact.Adjust(a.delta());
    };
  }

  private PriorityCause linkDown() {
    return new PriorityCause.LinkDown(group.interfaceName());
  }

  private boolean addressLinkIsUp(int index) {
    return index == ifindex ? linkIsUp.getAsBoolean() : otherLinkIsUp.test(index);
  }

  private boolean isTracked(String name) {
    return group.trackInterfaces().stream().anyMatch(t -> t.interfaceName().equals(name));
  }
}
