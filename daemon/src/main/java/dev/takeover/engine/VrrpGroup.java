package dev.takeover.engine;

import dev.takeover.action.GroupState;
import dev.takeover.config.CheckConfig;
import dev.takeover.config.TrackInterface;
import dev.takeover.config.Weight;
import dev.takeover.effect.GroupEffects;
import dev.takeover.effect.Recorder;
import dev.takeover.action.Action;
import java.util.List;
import java.util.function.Predicate;
import dev.takeover.journal.Events;
import dev.takeover.platform.NetlinkEvent;
import dev.takeover.vrrp.VrrpMachine;
import dev.takeover.wire.AddressText;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One VRRP group on the engine thread: its pure state machine wired to its effects. */
public final class VrrpGroup implements Engine.GroupRuntime {
  private static final Logger log = LoggerFactory.getLogger("takeover");

  private final String label;
  private final int ifindex;
  private final VrrpMachine machine;
  private final GroupEffects effects;
  private final BooleanSupplier linkIsUp;
  private final Predicate<String> trackedLinkIsUp;
  private final Recorder journal;
  private final Map<InetAddress, Peer> peers = new LinkedHashMap<>();
  private final long handoverHoldNanos;
  private boolean maintenance;
  private long lastAdvertHeard = Long.MIN_VALUE; // any peer's advert; for the timeline
  // A planned handover in progress: addresses kept, unannounced, until holdUntil.
  private boolean awaitingNewMaster; // at a graceful stop: the hold starts when one is heard
  private long holdUntil;
  private boolean stopping;
  private long lastReannounce = Long.MIN_VALUE / 2;
  private static final long REANNOUNCE_GAP_NANOS = Duration.ofMillis(100).toNanos();
  // At a graceful stop, wait at most this long for a new master to be heard.
  private static final long STOP_WAIT_CAP_NANOS = Duration.ofSeconds(3).toNanos();
  private static final String MAINTENANCE = "maintenance";
  private static final String MOVE = "move";

  /**
   * @param linkIsUp asks the kernel whether the group's link is up now: at start-up, and on the
   *     rare event of an address removal, where event order alone cannot tell a link going down
   */
  public VrrpGroup(
      String label,
      int ifindex,
      VrrpMachine machine,
      GroupEffects effects,
      BooleanSupplier linkIsUp,
      Predicate<String> trackedLinkIsUp,
      Recorder journal,
      Duration handoverHold) {
    this.handoverHoldNanos = handoverHold.toNanos();
    this.label = label;
    this.ifindex = ifindex;
    this.machine = machine;
    this.effects = effects;
    this.linkIsUp = linkIsUp;
    this.trackedLinkIsUp = trackedLinkIsUp;
    this.journal = journal;
  }

  @Override
  public void start(long now) {
    effects.removeLeftovers();
    if (!linkIsUp.getAsBoolean()) {
      machine.fault(linkDownReason(), now); // start in FAULT: nothing to claim on a dead link
    }
    for (TrackInterface t : effects.group().trackInterfaces()) {
      if (!trackedLinkIsUp.test(t.interfaceName())) {
        weigh(trackReason(t.interfaceName()), t.weight(), true, now);
      }
    }
    // A check counts as down until it has passed `rise` times: a node must not become master
    // for a service it has not yet seen healthy.
    for (CheckConfig c : effects.group().checks()) {
      weigh(checkReason(c.name()), c.weight(), true, now);
    }
    apply(machine.startup(now), now, now);
  }

  /**
   * Leaves the group: a master sends priority 0 and releases. At a graceful stop ({@code
   * awaitHandover}) it keeps the addresses, unannounced, until a new master is heard plus the
   * handover hold, so no client packet finds the address gone before the new owner announced
   * itself: make-before-break. A master never hears its backups, so it cannot know whether one
   * exists: without one it waits out Master_Down_Interval (at most 3 s), still serving. On the
   * wire this is RFC 5798 §6.4.3's shutdown: one priority-0 advert, then silence.
   */
  @Override
  public void stop(long now, boolean awaitHandover) {
    stopping = true;
    boolean hold =
        awaitHandover
            && handoverHoldNanos > 0
            && machine.state() == GroupState.MASTER;
    effects.apply(machine.shutdown(now), hold);
    if (effects.holding()) {
      awaitingNewMaster = true;
      holdUntil = now + Math.min(machine.masterDownIntervalNanos(), STOP_WAIT_CAP_NANOS);
      return;
    }
    effects.stopped();
  }

  @Override
  public boolean handingOver() {
    return effects.holding();
  }

  /** Applies actions; marks when a transition among them was due, for the journal's timeline. */
  private void apply(List<Action> actions, long due, long now) {
    apply(actions, due, now, false);
  }

  private void apply(List<Action> actions, long due, long now, boolean handover) {
    for (Action a : actions) {
      if (a instanceof Action.Transition t && t.to() == GroupState.MASTER) {
        effects.transitionDue(due, now, lastAdvertHeard);
        awaitingNewMaster = false;
      }
    }
    effects.apply(actions, handover);
    if (handover && effects.holding()) {
      holdUntil = now + handoverHoldNanos;
    }
  }

  @Override
  public void checkChanged(String check, boolean up, String detail, long now) {
    for (CheckConfig c : effects.group().checks()) {
      if (c.name().equals(check)) {
        log.info("{} check {} is {} ({})", label, check, up ? "up" : "down", detail);
        journal.record(
            up
                ? Events.checkUp(effects.group().name(), check, detail)
                : Events.checkDown(effects.group().name(), check, detail));
        weigh(checkReason(check), c.weight(), !up, now);
      }
    }
  }

  @Override
  public void claimProceed(long epoch, long now) {
    if (machine.state() == GroupState.MASTER && !effects.proceedClaim(epoch)) {
      log.debug("{} claim {} is void: released meanwhile", label, epoch);
    }
  }

  /** A tracked thing went down (or came back): FAULT, or a priority adjustment, by its weight. */
  private void weigh(String source, Weight weight, boolean down, long now) {
    List<Action> actions =
        switch (weight) {
          case Weight.Fault f -> down ? machine.fault(source, now) : machine.clearFault(source, now);
          case Weight.Adjust a ->
              down
                  ? machine.adjustPriority(source, a.delta(), now)
                  : machine.clearAdjustment(source, now);
        };
    apply(actions, now, now);
  }

  private static String checkReason(String check) {
    return "check " + check + " down";
  }

  private static String trackReason(String interfaceName) {
    return "tracked link " + interfaceName + " down";
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
      boolean maintenance) {}

  /** A node heard advertising this group: its last priority and when. */
  public record Peer(int priority, long heardAt) {}

  public Snapshot snapshot(long now) {
    return new Snapshot(
        machine.state(),
        machine.basePriority(),
        machine.effectivePriority(),
        machine.priorityAdjustments(),
        machine.faults(),
        machine.lastMaster().map(m -> m.address()),
        Map.copyOf(peers),
        now,
        machine.masterAdverIntervalNanos(),
        maintenance);
  }

  /**
   * Maintenance on: lower our priority to the minimum so a preempting backup claims first and we
   * release when we hear it (make-before-break), then, once we are not master, stay in FAULT out of
   * elections. Off: back to normal.
   */
  public void maintenance(boolean on, long now) {
    maintenance = on;
    if (on) {
      apply(machine.adjustPriority(MAINTENANCE, -254, now), now, now);
      settleMaintenance(now);
    } else {
      apply(machine.clearFault(MAINTENANCE, now), now, now);
      apply(machine.clearAdjustment(MAINTENANCE, now), now, now);
    }
  }

  /**
   * A planned move: {@code here} raises our priority just above the master we hear (a preempting
   * target claims, then the old master yields); otherwise, as master, we lower ours to the minimum
   * so the best backup takes over. The adjustment stays until the next move.
   */
  public void move(boolean here, long now) {
    if (here) {
      int target =
          Math.min(254, 1 + peers.values().stream().mapToInt(Peer::priority).max().orElse(0));
      apply(
          machine.adjustPriority(MOVE, Math.max(0, target - machine.basePriority()), now), now, now);
    } else {
      apply(machine.adjustPriority(MOVE, -254, now), now, now);
    }
  }

  private void settleMaintenance(long now) {
    if (maintenance
        && machine.state() != GroupState.MASTER
        && !machine.faults().contains(MAINTENANCE)) {
      apply(machine.fault(MAINTENANCE, now), now, now);
    }
  }

  @Override
  public void advertReceived(Event.AdvertReceived advert, long now) {
    peers.put(advert.source(), new Peer(advert.priority(), now));
    lastAdvertHeard = advert.receivedAt();
    if (stopping) {
      if (awaitingNewMaster && advert.priority() > 0) {
        awaitingNewMaster = false; // the new master is up and has announced: hold a little more
        holdUntil = now + handoverHoldNanos;
      }
      return;
    }
    boolean wasMaster = machine.state() == GroupState.MASTER;
    List<Action> actions =
        machine.advertReceived(
            advert.source(), advert.priority(), advert.maxAdverIntervalCentis(), now);
    // Preempted by a better master, which announced itself before this advert: a handover.
    apply(actions, now, now, wasMaster && machine.state() == GroupState.BACKUP);
    if (wasMaster && machine.state() == GroupState.MASTER && advert.priority() > 0) {
      // Someone else believes it is master (it missed our adverts: a stall, a partition) and
      // has announced the addresses; our advert makes it yield, but clients now point at it.
      // Tell them again at once, as keepalived does, instead of leaving them stranded until
      // their neighbour entry ages out.
      if (now - lastReannounce >= REANNOUNCE_GAP_NANOS) {
        lastReannounce = now;
        effects.reannounce(
            "lower-priority advert from " + AddressText.of(advert.source()) + " while master");
      }
    }
  }

  @Override
  public void kernelEvent(NetlinkEvent event, long now) {
    switch (event) {
      case NetlinkEvent.AddressRemoved r when r.ifindex() == ifindex && effects.owns(r.address()) -> {
        // Link down deletes IPv6 addresses: that is no one's doing, and FAULT already released.
        if (machine.state() == GroupState.MASTER && linkIsUp.getAsBoolean()) {
          effects.removedByOthers(r.address());
          effects.reclaim(AddressText.of(r.address()) + " was removed by someone else");
        }
      }
      case NetlinkEvent.LinkChanged l when isTracked(l.name()) -> {
        log.info("{} tracked link {} is {}", label, l.name(), l.up() ? "up" : "down");
        journal.record(Events.linkChanged(effects.group().name(), l.name(), l.up()));
        for (TrackInterface t : effects.group().trackInterfaces()) {
          if (t.interfaceName().equals(l.name())) {
            weigh(trackReason(l.name()), t.weight(), !l.up(), now);
          }
        }
      }
      case NetlinkEvent.LinkChanged l when l.ifindex() == ifindex -> {
        log.info("{} link {} is {}", label, l.name(), l.up() ? "up" : "down");
        journal.record(Events.linkChanged(effects.group().name(), l.name(), l.up()));
        // A dead link is keepalived's FAULT: a master hands over (priority 0) and releases; when
        // the link returns the group starts over as BACKUP and preempts if it should.
        apply(
            l.up()
                ? machine.clearFault(linkDownReason(), now)
                : machine.fault(linkDownReason(), now),
            now,
            now);
      }
      default -> {}
    }
  }

  @Override
  public void tick(long now) {
    if (effects.holding() && now - holdUntil >= 0) {
      effects.finishHandover();
      if (stopping) {
        effects.stopped();
      }
    }
    if (stopping) {
      return;
    }
    settleMaintenance(now);
    OptionalLong deadline = machine.nextDeadline();
    if (deadline.isPresent() && deadline.getAsLong() - now <= 0) {
      GroupState before = machine.state();
      InetAddress heard = machine.lastMaster().map(m -> m.address()).orElse(null);
      var actions = machine.tick(now);
      if (before == GroupState.BACKUP && machine.state() == GroupState.MASTER) {
        // The outage's first moment of record: when and whom we stopped hearing.
        journal.record(
            Events.advertTimeout(
                effects.group().name(),
                heard,
                Duration.ofNanos(machine.masterDownIntervalNanos())));
      }
      apply(actions, deadline.getAsLong(), now);
    }
  }

  private boolean isTracked(String name) {
    return effects.group().trackInterfaces().stream().anyMatch(t -> t.interfaceName().equals(name));
  }

  private String linkDownReason() {
    return "link " + effects.group().interfaceName() + " down";
  }

  @Override
  public boolean hasDeadline() {
    return effects.holding() || machine.nextDeadline().isPresent();
  }

  @Override
  public long deadline() {
    OptionalLong machineDeadline = machine.nextDeadline();
    if (!effects.holding()) {
      return machineDeadline.getAsLong();
    }
    return machineDeadline.isPresent() && machineDeadline.getAsLong() - holdUntil < 0
        ? machineDeadline.getAsLong()
        : holdUntil;
  }

  public GroupState state() {
    return machine.state();
  }
}
