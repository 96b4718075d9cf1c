package dev.takeover.vrrp;

import dev.takeover.action.Action;
import dev.takeover.action.Action.AddressConflict;
import dev.takeover.action.Action.Announce;
import dev.takeover.action.Action.AwaitBeforeClaim;
import dev.takeover.action.Action.ClaimAddresses;
import dev.takeover.action.Action.ConflictDetected;
import dev.takeover.action.Action.HoldAddresses;
import dev.takeover.action.Action.InstallRoutes;
import dev.takeover.action.Action.MasterDown;
import dev.takeover.action.Action.Probe;
import dev.takeover.action.Action.Reannounce;
import dev.takeover.action.Action.ReclaimAddresses;
import dev.takeover.action.Action.ReleaseAddresses;
import dev.takeover.action.Action.RemoveRoutes;
import dev.takeover.action.Action.RunHook;
import dev.takeover.action.Action.SendAdvert;
import dev.takeover.action.Action.Transition;
import dev.takeover.action.GroupState;
import dev.takeover.action.HookPoint;
import dev.takeover.vrrp.Conflict.ConflictKind;
import dev.takeover.wire.AddressText;
import dev.takeover.wire.DropReason;
import dev.takeover.wire.MacAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Everything one group decides beyond the RFC: a {@link VrrpMachine} plus the operator's and the
 * daemon's policies around it. Like the machine it takes events and the current monotonic time and
 * returns the actions to carry out, in the order they must be carried out; the effects layer only
 * carries them out.
 *
 * <h2>Implementation notes</h2>
 *
 * <ul>
 *   <li><b>Claim before advert.</b> A new master adds its addresses and sends its first gratuitous
 *       ARP / unsolicited NA before its first advert: that advert is what makes a preempted master
 *       let go, so the addresses are already here when it does (make-before-break). With a
 *       before-claim hook the advert cannot wait for the hook: the transition and the advert go
 *       out, then {@link AwaitBeforeClaim} with a new claim epoch; {@link #claimProceed} claims
 *       only while that epoch is current. Every release (and every new claim) moves the epoch on,
 *       so a late "proceed" after a release is void and adds nothing.
 *   <li><b>Handover holds</b> ({@code announce.handover-hold}). A master preempted by a better one
 *       heard its advert, and that node claimed and announced before it advertised (above): the old
 *       master stops announcing at once ({@link HoldAddresses}) but keeps the addresses for the
 *       hold, so packets still on their way here are answered, then releases them. A fault releases
 *       at once: the link may be dead, and the fault hands over by priority 0.
 *   <li><b>Virtual routes</b> (keepalived's {@code virtual_routes}) follow the addresses: {@link
 *       InstallRoutes} right after every claim (and after a reclaim, since the kernel drops a route
 *       whose source or gateway went with the address), {@link RemoveRoutes} just before the
 *       addresses are released, so at the end of a handover hold, not at its start. The held
 *       addresses still answer the packets on their way here, and the answers may need the routes;
 *       at a graceful stop the new master claims only after Skew_Time, and removing the routes at
 *       once would leave them on no node for that long. A route is per node, so two nodes holding
 *       it for the hold clash with nothing.
 *   <li><b>Graceful stop.</b> A stopping master sends priority 0 (RFC 5798 §6.4.3) and holds its
 *       addresses, unannounced, until a new master is heard plus the handover hold. A master never
 *       hears its backups, so it cannot know whether one exists: without one it waits out
 *       Master_Down_Interval, capped at {@value #STOP_WAIT_CAP_MILLIS} ms, still serving.
 *   <li><b>Announcements</b> are an {@link AnnounceSchedule} driven by {@link #nextDeadline}, so
 *       nothing is sent after a release or hold starts.
 *   <li><b>Never strand a client.</b> A master re-announces whenever clients may have been pulled
 *       away: a rival's advert (any priority, also one the intake drops for version, checksum mode,
 *       address list, ownership or peer list), or another MAC announcing or answering for one of
 *       our addresses (seen on the link). A rival master (it missed our adverts: a stall, a
 *       partition) stays beaten (RFC 5798 §6.4.3), but it has announced the addresses, and a
 *       keepalived peer sends a second burst seconds later. Re-announcing is immediate, then rate
 *       limited without dropping evidence ({@link ClientGuard}), so a false failover costs a client
 *       at most {@value #REANNOUNCE_GAP_MILLIS} ms more; a flood of spoofed adverts cannot become a
 *       flood of ARPs. Our own return to MASTER always starts a burst (the claim).
 *   <li><b>Address conflicts</b> (RFC 5227). With {@link Settings#probeBeforeClaim}, a group that
 *       enters BACKUP without having heard a master probes its addresses while Master_Down_Interval
 *       runs; if a host that is not a VRRP peer answers, the claim waits (the group is master but
 *       holds nothing) and the probe repeats until the addresses are free. A claim after a master
 *       was heard within twice Master_Down_Interval (every failover between peers: the timer that
 *       fires was set by that master's last advert, or by its priority-0 advert) never waits for a
 *       probe, so probing adds no latency to a failover; the address owner claims at once as RFC
 *       5798 §6.4.1 says. While master, a MAC that is not a peer's announcing one of our addresses
 *       is a conflict, defended at most once per DEFEND_INTERVAL (RFC 5227 §2.4).
 *   <li><b>Conflicts</b> between routers (unreadable adverts while master, rogue sources, two
 *       address owners, two equal masters) are reported once per episode and listed by {@link
 *       #conflicts} while active.
 *   <li><b>Causes.</b> Faults and priority adjustments are reported with a typed {@link
 *       PriorityCause}; the machine files them under the cause's text, which is what status and the
 *       journal show.
 *   <li><b>Maintenance</b> lowers the priority to the minimum, so a preempting backup claims first
 *       and we release when we hear it (a handover, held as above); once not master the group stays
 *       in FAULT, out of elections. Without preempt no backup would ever take over from a live
 *       master, so the group goes to FAULT at once (priority 0, RFC 5798 §6.4.3: the best backup
 *       takes over after Skew_Time). A group started in maintenance (the daemon persists it) starts
 *       in FAULT and never claims. Maintenance ends any move. Off clears both.
 *   <li><b>Moves</b> are one-shot handovers under one adjustment ({@link PriorityCause.Move}),
 *       replaced by each move, never added to. Moving here raises us just above the master heard;
 *       moving away, as master, lowers us to 1, and only when the target is the only other node
 *       that could win (there is no channel between nodes to ask the others). Once the handover
 *       settled the adjustment is cleared whenever clearing does not make a preemption due (RFC
 *       5798 §6.4.2: a backup with preempt takes over only from a master of <em>lower</em>
 *       priority; equal is no takeover): moved away, we clear it on hearing the new master unless
 *       our priority without it is above the master's, and then hold just below it instead; moved
 *       here, we clear it after one advertisement interval as master without a rival unless the
 *       node we took over from has a higher priority than ours without it. A held adjustment is
 *       reported ({@link #moveHold}) and cleared by {@link #clearMove}, by becoming master anyway
 *       (moved away), or by a higher master (moved here). So on equal-priority nodes a move and a
 *       move back leave every priority as configured.
 *   <li><b>Node links</b> (docs/LINKS.md): peers as the links show them ({@link LinkPeer}). A
 *       backup claims at once when the master reports over the links that it released; with the
 *       guard it does not claim while the master reports MASTER there; a peer reporting MASTER
 *       while we are master is a conflict. See {@link #linkPeers}.
 *   <li><b>Peers</b> heard are kept for status and moves, at most {@value #MAX_PEERS}; the one
 *       heard longest ago among those heard only once goes first, so a flood of spoofed sources can
 *       neither grow memory nor push out the master.
 * </ul>
 *
 * <p>Not thread-safe: the engine's single thread owns it. Deterministic: the same events at the
 * same times give the same actions.
 */
public final class GroupPolicy {

  static final long REANNOUNCE_GAP_MILLIS = 100;
  static final long STOP_WAIT_CAP_MILLIS = 3_000;
  static final int MAX_PEERS = 64;
  private static final long STOP_WAIT_CAP_NANOS = STOP_WAIT_CAP_MILLIS * 1_000_000L;
  private static final int MAX_ADJUSTMENT = 254;
  private static final String MAINTENANCE = new PriorityCause.Maintenance().text();
  // How long a peer's announcement while we are master waits for that peer's advert.
  static final long PEER_CLAIM_GRACE_NANOS = 20_000_000L;
  private static final String MOVE = new PriorityCause.Move().text();

  /**
   * The daemon's settings that shape the policy.
   *
   * @param handoverHoldNanos {@code announce.handover-hold}: how long a master that hands over in
   *     order keeps its addresses, unannounced; 0 releases at once
   * @param burstCount gratuitous ARPs / unsolicited NAs in a burst, at least 1
   * @param burstIntervalNanos between the frames of a burst
   * @param refreshIntervalNanos between refreshes while master; 0 for none
   * @param hooks the hooks configured for the group
   * @param probeBeforeClaim probe the addresses (RFC 5227) before a claim when no master was heard
   * @param routes the group has virtual routes: install them with every claim, remove them when
   *     mastership ends
   */
  public record Settings(
      long handoverHoldNanos,
      int burstCount,
      long burstIntervalNanos,
      long refreshIntervalNanos,
      Set<HookPoint> hooks,
      boolean probeBeforeClaim,
      boolean routes) {
    public Settings {
      if (handoverHoldNanos < 0) {
        throw new IllegalArgumentException("handover hold must not be negative");
      }
      hooks = hooks.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(hooks));
    }

    /** Without virtual routes. */
    public Settings(
        long handoverHoldNanos,
        int burstCount,
        long burstIntervalNanos,
        long refreshIntervalNanos,
        Set<HookPoint> hooks,
        boolean probeBeforeClaim) {
      this(
          handoverHoldNanos,
          burstCount,
          burstIntervalNanos,
          refreshIntervalNanos,
          hooks,
          probeBeforeClaim,
          false);
    }

    /** Without probing before a claim. */
    public Settings(
        long handoverHoldNanos,
        int burstCount,
        long burstIntervalNanos,
        long refreshIntervalNanos,
        Set<HookPoint> hooks) {
      this(handoverHoldNanos, burstCount, burstIntervalNanos, refreshIntervalNanos, hooks, false);
    }
  }

  /** Where the group's addresses are, as far as this policy has asked for them. */
  private enum Addresses {
    /** Not on the interface (or removed by the last action). */
    NONE,
    /** On the interface and announced: a master's. */
    CLAIMED,
    /** Master, waiting for the before-claim hook; held addresses from a hold may be present. */
    AWAITING_HOOK,
    /** Kept, unannounced, for a handover until {@link #holdUntil}. */
    HELD,
    /** Master, waiting for the probe to find the addresses free (RFC 5227); none are here. */
    PROBING
  }

  /** Whether a release in the machine's actions is a planned handover. */
  private enum Release {
    NOW,
    PREEMPTED,
    STOPPING
  }

  private final VrrpMachine machine;
  private Settings settings; // replaced whole by a reload (setSettings)
  private final AnnounceSchedule announcements;

  private Addresses addresses = Addresses.NONE;
  private boolean routesInstalled; // InstallRoutes was the last route action
  private long holdUntil;
  private boolean awaitingNewMaster; // at a graceful stop: the hold's end waits for a new master
  private boolean stopping;
  private long claimEpoch;
  private boolean maintenance;
  private final ClientGuard guard = new ClientGuard();
  // Tracked files whose value has an impact now, by path (TrackFileRule).
  private final Map<String, Impact> trackFiles = new TreeMap<>();
  private boolean heardAny; // an advert was accepted since start-up
  private long lastHeardAt;
  private boolean releasedOverLinks; // a master reported over the node links that it released
  private long releasedOverLinksAt;

  /** The move adjustment in force, as filed with the machine; 0 for none. */
  private int moveDelta;

  /**
   * The move adjustment did its work and stays, because clearing it would make a preemption due.
   */
  private boolean moveHeld;

  /** When we last became master, and whether another master was heard since. */
  private long masterSince;

  private boolean rivalSinceMaster;

  /** The master we took over from when we last became master: its address and priority. */
  private ObservedMaster displaced;

  /** Peers by source, least recently heard first; at most {@value #MAX_PEERS} (see remember). */
  private final LinkedHashMap<InetAddress, Peer> peers = new LinkedHashMap<>();

  /** The peers heard more than once: a real router repeats itself, a spoofed flood rarely does. */
  private final Set<InetAddress> heardAgain = new HashSet<>();

  // Node links (docs/LINKS.md): this node's name, whether the guard is on, the peers as last seen.
  private String selfNode = "";
  private boolean linkGuard;
  private List<LinkPeer> linkPeers = List.of();

  /** The guard kept us BACKUP since the last advert: the master is alive only over the links. */
  private boolean guardHeld;

  public GroupPolicy(VrrpMachine machine, Settings settings) {
    this.machine = Objects.requireNonNull(machine, "machine");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.announcements =
        new AnnounceSchedule(
            settings.burstCount(), settings.burstIntervalNanos(), settings.refreshIntervalNanos());
  }

  // ---------------------------------------------------------------- events

  /** Starts the group (RFC 5798 §6.4.1); causes already reported apply from the start. */
  public List<Action> startup(long now) {
    return carry(machine.startup(now), Release.NOW, now);
  }

  /**
   * Leaves the group: a master sends priority 0 (RFC 5798 §6.4.3). At a graceful stop ({@code
   * awaitHandover}) it keeps its addresses, unannounced, until a new master is heard plus the
   * handover hold ({@link #handingOver()} until then); otherwise it releases at once. The stop hook
   * runs once the addresses are gone.
   */
  public List<Action> stop(long now, boolean awaitHandover) {
    stopping = true;
    Release release = awaitHandover ? Release.STOPPING : Release.NOW;
    List<Action> out = carry(machine.shutdown(now), release, now);
    announcements.stop();
    if (addresses != Addresses.HELD) {
      hook(HookPoint.STOP, out);
    }
    return out;
  }

  /** An advertisement that passed RFC 5798 §7.1's checks, heard at {@code now}. */
  public List<Action> advertReceived(
      InetAddress source, int priority, int maxAdverIntervalCentis, long now) {
    heardAny = true;
    lastHeardAt = now;
    if (priority > 0) {
      guardHeld = false; // the VRRP path works again
    }
    remember(source, priority, now);
    if (stopping) {
      if (addresses == Addresses.HELD && awaitingNewMaster && priority > 0) {
        // The new master is up and has announced itself: hold a little more, then release.
        awaitingNewMaster = false;
        holdUntil = now + settings.handoverHoldNanos();
      }
      return List.of();
    }
    boolean wasMaster = machine.state() == GroupState.MASTER;
    List<Action> fromMachine =
        machine.advertReceived(source, priority, maxAdverIntervalCentis, now);
    boolean preempted = wasMaster && machine.state() == GroupState.BACKUP;
    List<Action> out = carry(fromMachine, preempted ? Release.PREEMPTED : Release.NOW, now);
    if (wasMaster && machine.state() == GroupState.MASTER) {
      if (priority > 0) {
        rivalSinceMaster = true;
      }
      rivalWhileMaster(source, priority, now, out);
    }
    if (machine.state() == GroupState.BACKUP && priority > 0) {
      guard.stopProbing(); // a master is here: VRRP decides who claims
      settleMoveAsBackup(priority, now, out);
    }
    return out;
  }

  /** Makes the group a sync group follower, or a group of its own again ({@link SyncGroup}). */
  public void setFollower(boolean follower) {
    machine.setFollower(follower);
  }

  /**
   * A sync group follower follows its first member ({@link VrrpMachine#follow}): claims as a new
   * master does, or hands over as a preempted master does (held for {@code handover-hold}).
   */
  public List<Action> follow(boolean master, String reason, long now) {
    if (stopping) {
      return List.of();
    }
    return carry(
        machine.follow(master, reason, now), master ? Release.NOW : Release.PREEMPTED, now);
  }

  /** Fires what is due by {@code now}: the end of a hold, the machine's timer, an announcement. */
  public List<Action> tick(long now) {
    List<Action> out = new ArrayList<>();
    if (addresses == Addresses.HELD && now - holdUntil >= 0) {
      addresses = Addresses.NONE;
      awaitingNewMaster = false;
      removeRoutes(out);
      out.add(new ReleaseAddresses());
      hook(HookPoint.AFTER_RELEASE, out);
      if (stopping) {
        hook(HookPoint.STOP, out);
      }
    }
    if (stopping) {
      return out;
    }
    settleMaintenance(now, out);
    OptionalLong deadline = machine.nextDeadline();
    if (deadline.isPresent() && deadline.getAsLong() - now <= 0) {
      guardMasterDown(now, out);
      deadline = machine.nextDeadline();
    }
    if (deadline.isPresent() && deadline.getAsLong() - now <= 0) {
      GroupState before = machine.state();
      Optional<ObservedMaster> observed = machine.lastMaster();
      Optional<InetAddress> heard = observed.map(ObservedMaster::address);
      List<Action> fromMachine = machine.tick(now);
      List<Action> carried = carry(fromMachine, Release.NOW, now);
      if (before == GroupState.BACKUP && machine.state() == GroupState.MASTER) {
        // Recorded with the transition, after the claim and its first announcement: clients are
        // waiting for those, not for the journal.
        int at = 0;
        while (at < carried.size() && !(carried.get(at) instanceof Transition)) {
          at++;
        }
        carried.add(at, new MasterDown(heard, machine.masterDownIntervalNanos()));
        displaced = observed.filter(m -> m.priority() > 0).orElse(null);
      }
      out.addAll(carried);
    }
    guardTick(now, out);
    settleMoveAsMaster(now, out);
    if (addresses == Addresses.CLAIMED) {
      // Not ifPresent(out::add): a bound method reference is a new object every tick, made through
      // Unsafe.allocateInstance, which C1 does not inline (7 % of a 10 ms master's engine in perf).
      Optional<Announce> announce = announcements.tick(now);
      if (announce.isPresent()) {
        out.add(announce.get());
      }
    }
    return out;
  }

  /**
   * The before-claim hook of claim {@code epoch} is done or out of its budget. Claims only while
   * still master and no release (or newer claim) came in between; otherwise returns nothing.
   */
  public List<Action> claimProceed(long epoch, long now) {
    if (machine.state() != GroupState.MASTER
        || addresses != Addresses.AWAITING_HOOK
        || epoch != claimEpoch) {
      return List.of();
    }
    List<Action> out = new ArrayList<>();
    claim(ClaimAddresses.BECAME_MASTER, now, out);
    hook(HookPoint.AFTER_CLAIM, out);
    return out;
  }

  /**
   * A cause went down ({@code active}) or came back. Its impact is a fault (the group goes to FAULT
   * while any fault is active) or a priority adjustment. Repeats do nothing.
   */
  public List<Action> report(PriorityCause cause, Impact impact, boolean active, long now) {
    int before = machine.effectivePriority();
    String key = cause.text();
    List<Action> fromMachine =
        switch (impact) {
          case Impact.Fault f -> active ? machine.fault(key, now) : machine.clearFault(key, now);
          case Impact.Adjust a ->
              active
                  ? machine.adjustPriority(key, a.delta(), now)
                  : machine.clearAdjustment(key, now);
        };
    List<Action> out = carry(fromMachine, Release.NOW, now);
    keepMoveHold(before, now, out);
    return out;
  }

  /**
   * A tracked file (keepalived's {@code track_file}) was read: {@link TrackFileRule} turns the
   * value into a fault, an adjustment or nothing, and the cause {@code track file PATH} is filed,
   * re-weighed or withdrawn so that only its latest value counts. Repeats do nothing, so the reader
   * may report every read.
   */
  public List<Action> trackFileRead(
      String path, int weight, boolean reverse, long value, long now) {
    PriorityCause cause = new PriorityCause.TrackFile(path);
    Optional<Impact> next = TrackFileRule.impact(value, weight, reverse);
    Impact previous = trackFiles.get(path);
    if (Optional.ofNullable(previous).equals(next)) {
      return List.of();
    }
    List<Action> out;
    if (previous == null) {
      out = report(cause, next.get(), true, now);
    } else if (next.isEmpty()) {
      out = report(cause, previous, false, now);
    } else {
      out = reweigh(cause, previous, next.get(), now);
    }
    if (next.isPresent()) {
      trackFiles.put(path, next.get());
    } else {
      trackFiles.remove(path);
    }
    return out;
  }

  /** The impact each tracked file has now; files that change nothing are absent. */
  public Map<String, Impact> trackFileImpacts() {
    return Map.copyOf(trackFiles);
  }

  /**
   * Maintenance on: the minimum priority, so a preempting backup claims first and we hand over when
   * we hear it; once we are not master, FAULT until off (without preempt, FAULT at once: no backup
   * would take over). Before {@link #startup} (a restart in maintenance) the group starts in FAULT.
   * Ends any move. Off: both cleared. Repeats do nothing.
   */
  public List<Action> maintenance(boolean on, long now) {
    if (on == maintenance) {
      return List.of();
    }
    maintenance = on;
    List<Action> out = new ArrayList<>();
    if (on) {
      List<Action> lowered = machine.adjustPriority(MAINTENANCE, -MAX_ADJUSTMENT, now);
      out.addAll(carry(lowered, Release.NOW, now));
      if (moveDelta != 0) {
        out.addAll(setMove(0, now)); // maintenance supersedes a move; at 1 already, no advert
      }
      settleMaintenance(now, out);
    } else {
      out.addAll(carry(machine.clearFault(MAINTENANCE, now), Release.NOW, now));
      out.addAll(carry(machine.clearAdjustment(MAINTENANCE, now), Release.NOW, now));
    }
    return out;
  }

  /**
   * Changes the base priority (see {@link VrrpMachine#setPriority}); a master advertises a change
   * at once. Active adjustments still apply on top of it.
   */
  public List<Action> setPriority(int priority, long now) {
    int before = machine.effectivePriority();
    List<Action> out = carry(machine.setPriority(priority, now), Release.NOW, now);
    keepMoveHold(before, now, out);
    return out;
  }

  // ---------------------------------------------------------------- reload, in place

  /**
   * Changes Advertisement_Interval in place (a reload); see {@link
   * VrrpMachine#setAdvertisementInterval}: a master advertises the new interval at once, so backups
   * learn it (RFC 9568 §6.4.2); nobody changes state.
   */
  public List<Action> setAdvertisementInterval(long intervalNanos, long now) {
    return carry(machine.setAdvertisementInterval(intervalNanos, now), Release.NOW, now);
  }

  /**
   * Changes Preempt_Mode and the preempt delay in place (a reload); see {@link
   * VrrpMachine#setPreempt}. Nothing happens now: the next advert heard as backup is judged by the
   * new setting.
   */
  public List<Action> setPreempt(boolean preempt, long preemptDelayNanos, long now) {
    return carry(machine.setPreempt(preempt, preemptDelayNanos), Release.NOW, now);
  }

  /**
   * New settings in place (a reload): the hooks asked for from now on, the handover hold of the
   * next release, and the announcement schedule (see {@link AnnounceSchedule#reconfigure}). A hold
   * or a before-claim wait under way keeps the deadline and epoch it has. Returns no action: none
   * of this is due now.
   */
  public List<Action> setSettings(Settings next, long now) {
    settings = Objects.requireNonNull(next, "settings");
    announcements.reconfigure(
        next.burstCount(), next.burstIntervalNanos(), next.refreshIntervalNanos(), now);
    return List.of();
  }

  /**
   * A reload changed what an active cause weighs (a check's or tracked link's {@code weight}): the
   * cause stays active under its new impact. The new impact is filed before the old one is
   * withdrawn, so a fault turned into an adjustment restarts the group at the adjusted priority,
   * and an adjustment turned into a fault goes to FAULT without first advertising the priority it
   * had without the adjustment. A cause that is not active under {@code before} is left alone: its
   * next report uses the new weight.
   */
  public List<Action> reweigh(PriorityCause cause, Impact before, Impact after, long now) {
    String key = cause.text();
    boolean active =
        switch (before) {
          case Impact.Fault f -> machine.faults().contains(key);
          case Impact.Adjust a -> machine.priorityAdjustments().containsKey(key);
        };
    if (!active || before.equals(after)) {
      return List.of();
    }
    List<Action> out = new ArrayList<>(report(cause, after, true, now));
    if (!(before instanceof Impact.Adjust && after instanceof Impact.Adjust)) {
      // Two adjustments share the cause's key: the new delta has replaced the old one already.
      out.addAll(report(cause, before, false, now));
    }
    return out;
  }

  /**
   * {@code takeover move GROUP --to <this node>}: as a backup, raise our priority just above the
   * master heard, so we preempt it (RFC 5798 §6.4.2) and it lets go when it hears us. Refused when
   * that cannot work: in maintenance or FAULT, without preempt, or above an address owner.
   */
  public MoveOutcome moveHere(long now) {
    Optional<MoveOutcome> refused = refuseMove();
    if (refused.isPresent()) {
      return refused.get();
    }
    switch (machine.state()) {
      case MASTER -> {
        // A move away still under way is called off; otherwise there is nothing to do.
        List<Action> actions = moveDelta < 0 ? setMove(0, now) : List.of();
        return new MoveOutcome(
            MoveOutcome.Kind.ALREADY_THERE,
            "this node is master already" + (actions.isEmpty() ? "" : "; the move away is off"),
            0,
            actions);
      }
      case BACKUP -> {}
      default -> {
        return MoveOutcome.refused(notRunning());
      }
    }
    Optional<ObservedMaster> master = machine.lastMaster().filter(m -> m.priority() > 0);
    int without = priorityWithoutMove();
    if (master.isEmpty()) {
      // No master heard: Master_Down_Timer makes us master anyway; a stale move-away must not
      // hold us back.
      return moving(setMove(Math.max(0, moveDelta), now), "no master heard: this node takes over");
    }
    int heard = master.get().priority();
    String who = AddressText.of(master.get().address()) + " (priority " + heard + ")";
    if (heard == VrrpTimers.OWNER_PRIORITY) {
      return MoveOutcome.refused(
          "the master " + who + " is the address owner, which no priority can preempt");
    }
    if (!preempt() && machine.basePriority() != VrrpTimers.OWNER_PRIORITY) {
      return MoveOutcome.refused(
          "preempt is off for this group: a backup never takes over from a live master, so a"
              + " move cannot hand over (stop the master, or put it in maintenance)");
    }
    int target = heard + 1; // equal priority is no takeover (RFC 5798 §6.4.2)
    if (target > VrrpTimers.OWNER_PRIORITY - 1) {
      return MoveOutcome.refused(
          "the master "
              + who
              + " is at the highest priority an adjustment reaches (254); lower its priority"
              + " or move it away on that node");
    }
    List<Action> actions = setMove(Math.max(0, target - without), now);
    return moving(
        actions,
        "priority "
            + machine.effectivePriority()
            + " (configured "
            + machine.basePriority()
            + ") is above the master "
            + who
            + ": this node takes over");
  }

  /**
   * {@code takeover move GROUP --to NODE} run on another node than the target. Only the master can
   * hand over, and only when the target is the one node that can win: it lowers its priority to 1
   * and the target, a backup with preempt, takes over. With other nodes known ({@code others}: the
   * configuration's nodes and unicast peers; the peers heard count too), one of them might win
   * instead, so the move is refused: it must be run on the target, which raises itself.
   *
   * @param target the node the group should move to
   * @param others every other node known for this group, the target included or not
   */
  public MoveOutcome moveAway(NodeRef target, List<NodeRef> others, long now) {
    Optional<MoveOutcome> instead = moveAwayInstead(target, others);
    if (instead.isPresent()) {
      return instead.get();
    }
    List<Action> actions = setMove(-MAX_ADJUSTMENT, now);
    return moving(actions, "priority lowered to 1: " + target.name() + " takes over");
  }

  /**
   * What {@link #moveAway} would answer instead of starting a handover (a refusal, or "already
   * there"), changing nothing; empty when it would start one. The control path asks first when a
   * planned move lowers DNS TTLs before it hands over (docs/DNS.md "Planned moves"), so a move that
   * would be refused is refused at once, not after the wait.
   */
  public Optional<MoveOutcome> moveAwayInstead(NodeRef target, List<NodeRef> others) {
    Optional<MoveOutcome> refused = refuseMove();
    if (refused.isPresent()) {
      return refused;
    }
    if (machine.state() == GroupState.BACKUP) {
      Optional<ObservedMaster> master = machine.lastMaster().filter(m -> m.priority() > 0);
      if (master.isPresent() && target.has(master.get().address())) {
        return Optional.of(
            new MoveOutcome(
                MoveOutcome.Kind.ALREADY_THERE,
                target.name() + " is master already",
                0,
                List.of()));
      }
    }
    if (machine.state() != GroupState.MASTER) {
      return refusal(
          (machine.state() == GroupState.BACKUP ? "this node is not master" : notRunning())
              + "; run the move on "
              + target.name()
              + ", the target (there is no control channel between nodes)");
    }
    if (machine.basePriority() == VrrpTimers.OWNER_PRIORITY) {
      return refusal(
          "this node is the address owner (priority 255), which no adjustment lowers; give it a"
              + " lower priority in the configuration");
    }
    if (!preempt()) {
      return refusal(
          "preempt is off for this group: no backup takes over from a live master, so a move"
              + " cannot hand over (use maintenance, or stop this node)");
    }
    List<String> rivals = rivals(target, others);
    if (!rivals.isEmpty()) {
      return refusal(
          "other nodes than "
              + target.name()
              + " could take over ("
              + String.join(", ", rivals)
              + "); run the move on "
              + target.name()
              + ", the target (there is no control channel between nodes)");
    }
    return Optional.empty();
  }

  private static Optional<MoveOutcome> refusal(String message) {
    return Optional.of(MoveOutcome.refused(message));
  }

  /**
   * How long a handover may take at most, at the group's current priority: what {@link
   * MoveOutcome#waitNanos} says for {@link MoveOutcome.Kind#MOVING} (computed there after the
   * move's own priority change, so a move away says a little more: Skew_Time grows as the priority
   * falls, RFC 5798 §6.1).
   */
  public long moveWaitNanos() {
    // Master_Down_Interval for the target to take over (plus a preempt delay, assumed the same on
    // every node), three times over for scheduling and a lost advert.
    return 3 * (machine.masterDownIntervalNanos() + machine.params().preemptDelayNanos());
  }

  /** {@code takeover move GROUP --clear}: drops this node's move adjustment, held or not. */
  public MoveOutcome clearMove(long now) {
    if (moveDelta == 0) {
      return new MoveOutcome(
          MoveOutcome.Kind.NOTHING_TO_CLEAR, "no move adjustment in force", 0, List.of());
    }
    List<Action> actions = setMove(0, now);
    return new MoveOutcome(
        MoveOutcome.Kind.CLEARED,
        "move adjustment cleared: priority " + machine.effectivePriority(),
        0,
        actions);
  }

  /**
   * While master, someone else removed {@code address} from the interface (the kernel said so and
   * the link is up: a link going down removes IPv6 addresses, and that is no one's doing): put the
   * addresses back and announce them again.
   */
  public List<Action> addressRemoved(InetAddress address, boolean linkUp, long now) {
    if (machine.state() != GroupState.MASTER || !linkUp || addresses != Addresses.CLAIMED) {
      return List.of();
    }
    List<Action> out = new ArrayList<>(3);
    out.add(new ReclaimAddresses(address));
    out.add(announcements.start(now));
    if (routesInstalled) {
      out.add(new InstallRoutes("address restored")); // the kernel dropped routes that needed it
    }
    return out;
  }

  // ---------------------------------------------------------------- queries

  /** The earliest deadline: the machine's timer, the end of a hold, the next announcement. */
  public OptionalLong nextDeadline() {
    OptionalLong next = stopping ? OptionalLong.empty() : machine.nextDeadline();
    if (addresses == Addresses.HELD) {
      next = earlier(next, holdUntil);
    }
    if (addresses == Addresses.CLAIMED && announcements.armed()) {
      next = earlier(next, announcements.deadline());
    }
    OptionalLong guarded = stopping ? OptionalLong.empty() : guardDeadline();
    if (guarded.isPresent()) {
      next = earlier(next, guarded.getAsLong());
    }
    return next;
  }

  /** The machine's own timer (Adver_Timer or Master_Down_Timer): when a transition would be due. */
  public OptionalLong timerDeadline() {
    return machine.nextDeadline();
  }

  /** Whether addresses are held for a handover (at a graceful stop the engine waits for it). */
  public boolean handingOver() {
    return addresses == Addresses.HELD;
  }

  public GroupState state() {
    return machine.state();
  }

  public int basePriority() {
    return machine.basePriority();
  }

  public int effectivePriority() {
    return machine.effectivePriority();
  }

  /** Active adjustments by their cause's text. */
  public SortedMap<String, Integer> priorityAdjustments() {
    return machine.priorityAdjustments();
  }

  /** Active faults by their cause's text. */
  public SortedSet<String> faults() {
    return machine.faults();
  }

  public Optional<InetAddress> lastMaster() {
    return machine.lastMaster().map(ObservedMaster::address);
  }

  public long masterAdverIntervalNanos() {
    return machine.masterAdverIntervalNanos();
  }

  public long masterDownIntervalNanos() {
    return machine.masterDownIntervalNanos();
  }

  /** The peers heard (at most {@value #MAX_PEERS}), least recently heard first. */
  public Map<InetAddress, Peer> peers() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(peers));
  }

  public boolean maintenance() {
    return maintenance;
  }

  /** A move adjustment that stays after its handover; see {@link MoveHold}. */
  public Optional<MoveHold> moveHold() {
    if (!moveHeld || moveDelta == 0) {
      return Optional.empty();
    }
    boolean away = moveDelta < 0;
    Optional<ObservedMaster> other = away ? machine.lastMaster() : Optional.ofNullable(displaced);
    return Optional.of(
        new MoveHold(
            away,
            machine.effectivePriority(),
            priorityWithoutMove(),
            other.map(ObservedMaster::address),
            other.map(ObservedMaster::priority).orElse(0)));
  }

  /** The move adjustment in force (0 for none). */
  public int moveAdjustment() {
    return moveDelta;
  }

  @Override
  public String toString() {
    return "GroupPolicy[" + machine + ", addresses " + addresses + "]";
  }

  // ---------------------------------------------------------------- the machine's actions, placed

  /**
   * Places the machine's actions: the claim (or the before-claim wait), the release or the hold,
   * the hooks; the transition stays the machine's, recorded once by the effects.
   */
  private List<Action> carry(List<Action> fromMachine, Release release, long now) {
    Transition transition = null;
    boolean claims = false;
    boolean releases = false;
    List<SendAdvert> adverts = new ArrayList<>(1);
    for (Action a : fromMachine) {
      switch (a) {
        case Transition t -> transition = t;
        case ClaimAddresses c -> claims = true;
        case ReleaseAddresses r -> releases = true;
        case SendAdvert s -> adverts.add(s);
        default -> throw new IllegalStateException("the machine does not emit " + a);
      }
    }
    List<Action> out = new ArrayList<>(fromMachine.size() + 3);
    if (claims) {
      boolean waitForProbe = mustProbeBeforeClaim(now);
      boolean waitForHook = !waitForProbe && settings.hooks().contains(HookPoint.BEFORE_CLAIM);
      if (!waitForHook && !waitForProbe) {
        claim(ClaimAddresses.BECAME_MASTER, now, out); // before the advert: see the class notes
      }
      add(transition, out);
      out.addAll(adverts);
      if (waitForProbe) {
        addresses = Addresses.PROBING; // guardTick claims once the probe finds them free
      } else if (waitForHook) {
        addresses = Addresses.AWAITING_HOOK; // held addresses, if any, stay until the hook is done
        out.add(new AwaitBeforeClaim(++claimEpoch));
      } else {
        hook(HookPoint.AFTER_CLAIM, out);
      }
    } else {
      out.addAll(adverts); // priority 0 first: backups start taking over while we record
      add(transition, out);
      if (releases) {
        release(release, now, out);
      }
    }
    if (transition != null && transition.to() == GroupState.FAULT) {
      hook(HookPoint.FAULT, out);
    }
    if (transition != null && transition.to() == GroupState.BACKUP) {
      hook(HookPoint.BACKUP, out);
    }
    if (transition != null && transition.to() == GroupState.MASTER) {
      masterSince = now;
      rivalSinceMaster = false;
      if (moveDelta < 0) {
        out.addAll(setMove(0, now)); // moved away, yet master again: the others are gone
      }
    }
    if (transition != null) {
      guardTransition(transition, now);
    }
    return out;
  }

  private void claim(String reason, long now, List<Action> out) {
    addresses = Addresses.CLAIMED;
    awaitingNewMaster = false;
    claimEpoch++;
    out.add(new ClaimAddresses(reason));
    out.add(announcements.start(now));
    if (settings.routes()) {
      routesInstalled = true;
      out.add(new InstallRoutes(reason)); // after the addresses: a route may need one as source
    }
  }

  /** Before the addresses go: a route may need one of them (see the class notes). */
  private void removeRoutes(List<Action> out) {
    if (routesInstalled) {
      routesInstalled = false;
      out.add(new RemoveRoutes());
    }
  }

  private void release(Release kind, long now, List<Action> out) {
    announcements.stop();
    claimEpoch++; // a before-claim hook still running for an older claim must not add anything
    boolean hold =
        kind != Release.NOW && addresses == Addresses.CLAIMED && settings.handoverHoldNanos() > 0;
    if (!hold) {
      addresses = Addresses.NONE;
      removeRoutes(out);
      out.add(new ReleaseAddresses());
      hook(HookPoint.AFTER_RELEASE, out);
      return;
    }
    addresses = Addresses.HELD;
    if (kind == Release.STOPPING) {
      awaitingNewMaster = true;
      // Backups learned our Advertisement_Interval from our adverts (RFC 9568 §6.4.2), so any of
      // them takes over within Skew_Time <= one interval of our priority 0: Master_Down_Interval
      // on *our* interval bounds it. (Master_Adver_Interval may still hold the interval learned
      // from a former master, which can be far shorter.)
      long wait =
          VrrpTimers.masterDownIntervalNanos(
              machine.priority(), machine.params().advertisementIntervalNanos());
      holdUntil = now + Math.min(wait, STOP_WAIT_CAP_NANOS);
    } else {
      holdUntil = now + settings.handoverHoldNanos();
    }
    out.add(new HoldAddresses(holdUntil));
  }

  private void settleMaintenance(long now, List<Action> out) {
    if (maintenance
        && (machine.state() != GroupState.MASTER || !preempt())
        && !machine.faults().contains(MAINTENANCE)) {
      out.addAll(carry(machine.fault(MAINTENANCE, now), Release.NOW, now));
    }
  }

  /**
   * Files {@code source} as heard at {@code now}, most recent last. When the table is full the
   * least recently heard peer that was heard only once goes, else the least recently heard: a flood
   * of one-off spoofed sources then churns among itself and cannot push out the master, which is
   * heard again every advert interval.
   */
  private void remember(InetAddress source, int priority, long now) {
    if (peers.remove(source) != null) {
      heardAgain.add(source);
    } else if (peers.size() >= MAX_PEERS) {
      InetAddress victim = null;
      for (InetAddress p : peers.keySet()) {
        if (!heardAgain.contains(p)) {
          victim = p;
          break;
        }
      }
      if (victim == null) {
        victim = peers.keySet().iterator().next();
      }
      peers.remove(victim);
      heardAgain.remove(victim);
    }
    peers.put(source, new Peer(priority, now));
  }

  // ---------------------------------------------------------------- moves

  /**
   * As BACKUP, hearing a master of {@code heard} above us: a move that did its work. Moved here and
   * a higher master took over since: the move is over. Moved away: clear the adjustment unless our
   * priority without it would preempt that master (RFC 5798 §6.4.2: only a master of lower priority
   * is preempted), and then hold just below it. Only when the master is above us: a master below us
   * (its priority dropped, or it moved away in turn) is one we should take over from.
   */
  private void settleMoveAsBackup(int heard, long now, List<Action> out) {
    if (moveDelta == 0 || heard <= machine.effectivePriority()) {
      return;
    }
    if (moveDelta > 0) {
      out.addAll(setMove(0, now));
      return;
    }
    holdBelow(heard, now, out);
  }

  private void holdBelow(int heard, long now, List<Action> out) {
    int without = priorityWithoutMove();
    if (!preempt() || without <= heard) {
      out.addAll(setMove(0, now));
    } else {
      out.addAll(setMove(heard - 1 - without, now));
      moveHeld = true;
    }
  }

  /**
   * As MASTER after a move here: once we have been master for an advertisement interval and no
   * other master was heard, the handover is done; clear the raise unless the node we took over from
   * (a backup with preempt now) has a higher priority than ours without it.
   */
  private void settleMoveAsMaster(long now, List<Action> out) {
    if (moveDelta <= 0
        || moveHeld
        || machine.state() != GroupState.MASTER
        || rivalSinceMaster
        || now - masterSince < machine.params().advertisementIntervalNanos()) {
      return;
    }
    if (!preempt() || displaced == null || priorityWithoutMove() >= displaced.priority()) {
      out.addAll(setMove(0, now));
    } else {
      moveHeld = true;
    }
  }

  /**
   * Our own priority changed (a check, a tracked link, a reload) while a move-away held us below
   * the master: keep holding below it rather than preempting it, or clear the hold when it is no
   * longer needed.
   */
  private void keepMoveHold(int before, long now, List<Action> out) {
    Optional<ObservedMaster> master = machine.lastMaster().filter(m -> m.priority() > 0);
    if (moveDelta < 0
        && machine.state() == GroupState.BACKUP
        && master.isPresent()
        && before < master.get().priority()) {
      holdBelow(master.get().priority(), now, out);
    }
  }

  private Optional<MoveOutcome> refuseMove() {
    if (stopping) {
      return Optional.of(MoveOutcome.refused("the group is stopping"));
    }
    if (maintenance) {
      return Optional.of(
          MoveOutcome.refused(
              "this node is in maintenance (it hands over and stays out); `takeover maintenance"
                  + " off` first"));
    }
    if (machine.follower()) {
      // A follower never takes over on its own (SyncGroup): a raised priority would move nothing.
      return Optional.of(
          MoveOutcome.refused(
              "the group follows the first group of its sync group; move that group instead"));
    }
    return Optional.empty();
  }

  private String notRunning() {
    return machine.state() == GroupState.FAULT
        ? "the group is in FAULT (" + String.join(", ", machine.faults()) + ")"
        : "the group is " + machine.state();
  }

  /** Other nodes than the target that could win the election, by name or address. */
  private List<String> rivals(NodeRef target, List<NodeRef> others) {
    List<String> rivals = new ArrayList<>();
    for (NodeRef n : others) {
      if (!n.name().equals(target.name())
          && (n.addresses().isEmpty() || n.addresses().stream().noneMatch(target::has))) {
        rivals.add(n.name());
      }
    }
    for (InetAddress heard : peers.keySet()) {
      boolean known = target.has(heard) || others.stream().anyMatch(n -> n.has(heard));
      if (!known) {
        rivals.add(AddressText.of(heard));
      }
    }
    return rivals;
  }

  private MoveOutcome moving(List<Action> actions, String message) {
    return new MoveOutcome(MoveOutcome.Kind.MOVING, message, moveWaitNanos(), actions);
  }

  private List<Action> setMove(int delta, long now) {
    int clamped = Math.clamp(delta, -MAX_ADJUSTMENT, MAX_ADJUSTMENT);
    moveDelta = clamped;
    moveHeld = false;
    return carry(
        clamped == 0
            ? machine.clearAdjustment(MOVE, now)
            : machine.adjustPriority(MOVE, clamped, now),
        Release.NOW,
        now);
  }

  /** Preempt_Mode (RFC 5798 §6.1); one place to read it. */
  private boolean preempt() {
    return machine.params().preempt();
  }

  /** The effective priority the other adjustments alone would give. */
  private int priorityWithoutMove() {
    SortedMap<String, Integer> others = new TreeMap<>(machine.priorityAdjustments());
    others.remove(MOVE);
    return VrrpMachine.effectivePriorityOf(machine.basePriority(), others.values());
  }

  // ---------------------------------------------------------------- node links

  /**
   * This node's name and whether the group's guard ({@code link-guard}) is on. Takes effect at the
   * next decision; returns nothing.
   */
  public void setNodeLinks(String self, boolean guard) {
    this.selfNode = Objects.requireNonNull(self, "self");
    this.linkGuard = guard;
  }

  /**
   * The node links' view of the other nodes changed (a summary or a path's state). Decides:
   *
   * <ul>
   *   <li>As BACKUP: a peer that reported itself MASTER of the group and now reports anything else
   *       over the links (FAULT at its VIP link's going down, a release) has released, as a
   *       priority 0 advert says (RFC 5798 §6.4.2); unless another reachable peer reports MASTER,
   *       Master_Down_Timer fires now if we are the best backup the links show (highest priority,
   *       ties to the higher node name), else after Skew_Time. A master the guard held us back for
   *       that is now unreachable on every path is gone: claim now, as above.
   *   <li>As MASTER: a reachable peer reporting MASTER of the group at our priority or below (a
   *       higher one is preempting us) is a conflict ({@code link-dual-master}), reported once per
   *       episode; clients may have been pulled away, so we re-announce (rate limited).
   * </ul>
   */
  public List<Action> linkPeers(List<LinkPeer> peers, long now) {
    List<LinkPeer> before = linkPeers;
    linkPeers = List.copyOf(peers);
    if (stopping) {
      return List.of();
    }
    List<Action> out = new ArrayList<>();
    switch (machine.state()) {
      case MASTER -> {
        for (LinkPeer p : linkPeers) {
          // A higher-priority master is preempting us: its advert ends our mastership in a
          // moment, so that is a handover, not a conflict.
          if (p.reportsMaster() && p.priority() <= machine.priority()) {
            report(
                ConflictKind.LINK_DUAL_MASTER,
                p.node(),
                p.node()
                    + " reports master of this group (priority "
                    + p.priority()
                    + ") over the node links while this node is master",
                now,
                out);
            evidence(p.node() + " reports master over the node links while master", now, out);
          }
        }
      }
      case BACKUP -> {
        if (linkMaster().isPresent()) {
          // A master is here, heard over the node links: VRRP decides who claims, as when its
          // advert is heard (advertReceived); a probe would only find the master's own address
          // and, its answer counted, hold our claim when the master hands over (issue 11).
          guard.stopProbing();
          return out;
        }
        String released = null;
        for (LinkPeer p : linkPeers) {
          LinkPeer was = find(before, p.node());
          if (was != null && was.reportsMaster() && p.reachable()) {
            released = p.node() + " reports " + p.state() + " over the node links";
          }
        }
        if (released == null && guardHeld) {
          released = "the master is silent on every node-link path";
        }
        if (released == null) {
          return out;
        }
        if (!guardHeld) {
          // The master itself said it released: a handover between peers, claimed without a
          // probe, as after its priority 0 advert (mustProbeBeforeClaim).
          releasedOverLinks = true;
          releasedOverLinksAt = now;
        }
        guardHeld = false;
        long at = bestLinkBackup() ? now : now + machine.skewTimeNanos();
        machine.expireMasterDownTimer(at, "master down timer expired: " + released);
        out.addAll(tick(now));
      }
      case INITIALIZE, FAULT -> {}
    }
    return out;
  }

  /** The peers as the node links last showed them, for status. */
  public List<LinkPeer> linkPeers() {
    return linkPeers;
  }

  /**
   * With the guard on, Master_Down_Timer is due as BACKUP and a reachable peer reports MASTER: the
   * master is alive and only its adverts are lost (blocked multicast, a broken switch port on the
   * VIP LAN), so claiming would make two masters. Restart the timer instead, as an advert would,
   * and report the VIP-path fault once per episode.
   */
  private void guardMasterDown(long now, List<Action> out) {
    if (!linkGuard || machine.state() != GroupState.BACKUP) {
      return;
    }
    Optional<LinkPeer> master = linkMaster();
    if (master.isEmpty() || !machine.restartMasterDownTimer(now)) {
      return;
    }
    guardHeld = true;
    LinkPeer m = master.get();
    report(
        ConflictKind.VIP_PATH_FAULT,
        m.node(),
        "Master_Down_Timer fired but "
            + m.node()
            + " reports master (priority "
            + m.priority()
            + ") over the node links: the VRRP path is broken, not the master; staying BACKUP"
            + " (link-guard)",
        now,
        out);
  }

  private Optional<LinkPeer> linkMaster() {
    return linkPeers.stream().filter(LinkPeer::reportsMaster).findFirst();
  }

  /** No reachable backup the links show beats us (priority, then the higher node name). */
  private boolean bestLinkBackup() {
    int ours = machine.priority();
    for (LinkPeer p : linkPeers) {
      if (p.reachable() && p.state() == GroupState.BACKUP) {
        if (p.priority() > ours || (p.priority() == ours && p.node().compareTo(selfNode) > 0)) {
          return false;
        }
      }
    }
    return true;
  }

  private static LinkPeer find(List<LinkPeer> peers, String node) {
    for (LinkPeer p : peers) {
      if (p.node().equals(node)) {
        return p;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- clients and conflicts

  /**
   * A VRRP advert for this group that passed the intake's checks came from {@code mac} (the
   * platform saw the frame): that MAC is a peer's. See {@link ClientGuard}.
   */
  public List<Action> peerMacSeen(MacAddress mac, long now) {
    guard.peerMac(mac, now);
    return List.of();
  }

  /**
   * Another MAC than ours announced, answered for or used {@code address}, one of the group's
   * addresses (an ARP packet with it as sender address, a Neighbor Advertisement for it, a Neighbor
   * Solicitation from it). As master: a peer's MAC pulls clients away, so re-announce (rate
   * limited); a MAC that stays unknown is an address conflict (RFC 5227 §2.4), defended at most
   * once per DEFEND_INTERVAL. Otherwise it answers the probe, if one runs.
   */
  public List<Action> foreignClaimSeen(InetAddress address, MacAddress mac, long now) {
    if (stopping) {
      return List.of();
    }
    if (machine.state() != GroupState.MASTER || addresses != Addresses.CLAIMED) {
      guard.claimWhileNotHolding(address, mac);
      return List.of();
    }
    List<Action> out = new ArrayList<>();
    String what = AddressText.of(address);
    String subject = what + " " + mac;
    if (guard.isPeer(mac)) {
      // A peer that preempts us announces before its first advert (DECISIONS 17); fighting that
      // announcement would pull clients back for a moment (ReloadInPlaceIT saw n2, n1, n2 within
      // 32 ms). Its advert makes us BACKUP within the grace and the evidence is dropped; a peer
      // that claimed by mistake and stays silent gets our re-announcement when the grace ends.
      guard.deferReannounce(
          "peer " + mac + " announced or answered for " + what + " while master",
          now + PEER_CLAIM_GRACE_NANOS);
    } else if (guard.activeConflict(ConflictKind.ADDRESS_IN_USE, subject, now)) {
      guard.conflict(ConflictKind.ADDRESS_IN_USE, subject, defendedDetail(), now);
      if (guard.defendNow(now)) {
        out.add(new Reannounce("defending " + what + " against " + mac + " (RFC 5227 §2.4)"));
        out.add(new Announce(0, settings.burstCount())); // one announcement, not a burst
      }
    } else {
      // Unknown so far: perhaps a backup that claimed by mistake and has not advertised yet.
      guard.unclassifiedClaim(address, mac, now);
      evidence(mac + " announced or answered for " + what + " while master", now, out);
    }
    return out;
  }

  /**
   * An advert for this group that the intake dropped (or accepted with a complaint, {@link
   * DropReason#ADDRESS_LIST_MISMATCH}), with the priority it claims. As master any of them is a
   * rival whose announcements may have pulled clients away; some are conflicts: unreadable adverts
   * (version, checksum mode, address list, authentication) while master, another address owner, a
   * source outside the configured peers advertising as master.
   */
  public List<Action> rivalAdvertSeen(
      InetAddress source, DropReason reason, int priority, long now) {
    if (stopping) {
      return List.of();
    }
    boolean master = machine.state() == GroupState.MASTER;
    String who = AddressText.of(source);
    List<Action> out = new ArrayList<>();
    switch (reason) {
      case BAD_VERSION,
          CHECKSUM_MODE_MISMATCH,
          ADDRESS_LIST_MISMATCH,
          AUTH_MISSING,
          AUTH_MALFORMED,
          AUTH_UNKNOWN_KEY,
          AUTH_BAD_HMAC,
          AUTH_TYPE_MISMATCH,
          AUTH_BAD_PASSWORD,
          AUTH_STALE,
          AUTH_REPLAY -> {
        if (master && priority > 0) {
          report(
              ConflictKind.UNREADABLE_MASTER,
              who,
              who + " advertises as master (priority " + priority + ") but " + reason.description(),
              now,
              out);
        }
      }
      case ADDRESS_OWNER -> {
        if (priority == VrrpTimers.OWNER_PRIORITY) {
          report(
              ConflictKind.DUAL_OWNER,
              who,
              who + " also advertises priority 255: two address owners hold the addresses",
              now,
              out);
        }
      }
      case NOT_A_PEER -> {
        if (priority > 0) {
          report(
              ConflictKind.ROGUE_MASTER,
              who,
              who + " advertises priority " + priority + " but is not a configured unicast peer",
              now,
              out);
        }
      }
      default -> {
        return List.of(); // damaged or misrouted: nothing about who is master
      }
    }
    if (master) {
      evidence("advert from " + who + " (" + reason.name() + ") while master", now, out);
    }
    return out;
  }

  /** The conflicts active at {@code now}, oldest first. */
  public List<Conflict> conflicts(long now) {
    return guard.conflicts(now);
  }

  /** Master, but the addresses wait for a probe that finds them free (RFC 5227). */
  public boolean claimWaitsForProbe() {
    return addresses == Addresses.PROBING;
  }

  /** As master, after an accepted advert from a rival we stay master over (RFC 5798 §6.4.3). */
  private void rivalWhileMaster(InetAddress source, int priority, long now, List<Action> out) {
    String who = AddressText.of(source);
    String reason;
    if (priority == VrrpTimers.STOP_PRIORITY) {
      reason = "priority 0 advert from " + who + " while master";
    } else if (priority < machine.priority()) {
      reason = "lower-priority advert from " + who + " while master";
    } else {
      reason = "equal-priority advert from " + who + " while master";
      if (guard.equalPriorityAdvert(source, now)) {
        report(
            ConflictKind.DUAL_MASTER,
            who,
            who + " keeps advertising priority " + priority + " while this node is master",
            now,
            out);
      }
    }
    evidence(reason, now, out);
  }

  /** Clients may have been pulled away: re-announce now, or when the rate limit allows. */
  private void evidence(String reason, long now, List<Action> out) {
    if (addresses == Addresses.CLAIMED && guard.reannounceNow(reason, now)) {
      out.add(new Reannounce(reason));
      out.add(announcements.start(now));
    }
  }

  private void report(
      ConflictKind kind, String subject, String detail, long now, List<Action> out) {
    if (guard.conflict(kind, subject, detail, now)) {
      out.add(new ConflictDetected(kind.wireName(), subject, detail));
    }
  }

  /**
   * Whether a claim must wait for the probe: probing is on, this is not the address owner (RFC 5798
   * §6.4.1: it claims at once), no advert was heard and no master reported its release over the
   * node links within twice Master_Down_Interval (either is a failover between peers), and no
   * finished probe found the addresses free.
   */
  private boolean mustProbeBeforeClaim(long now) {
    long recent = 2 * machine.masterDownIntervalNanos();
    boolean heardRecently =
        (heardAny && now - lastHeardAt < recent)
            || (releasedOverLinks && now - releasedOverLinksAt < recent);
    if (!settings.probeBeforeClaim()
        || machine.priority() == VrrpTimers.OWNER_PRIORITY
        || heardRecently
        || guard.verdict() == ClientGuard.Verdict.FREE) {
      return false;
    }
    if (!guard.probing()) {
      guard.startProbing(machine.params().advertisementIntervalNanos(), now);
    }
    return true;
  }

  /**
   * Entering BACKUP without a master heard starts a probe; leaving MASTER ends what was pending.
   */
  private void guardTransition(Transition t, long now) {
    if (t.to() == GroupState.BACKUP
        && t.from() != GroupState.MASTER
        && settings.probeBeforeClaim()) {
      guard.startProbing(machine.params().advertisementIntervalNanos(), now);
    }
    if (t.from() == GroupState.MASTER) {
      guard.dropPendingReannounce();
      guard.forgetUnclassified();
    }
    if (t.to() == GroupState.FAULT || t.to() == GroupState.INITIALIZE) {
      guard.stopProbing();
    }
  }

  /** The guard's part of {@link #tick}: probes, a claim they allow, deferred re-announcements. */
  private void guardTick(long now, List<Action> out) {
    switch (guard.probe(now)) {
      case NONE -> {}
      case SEND -> out.add(new Probe());
      case IN_USE -> {
        var by = guard.inUseBy();
        String what = AddressText.of(by.getValue());
        String detail =
            "answered our probe: in use by another host; not claiming"
                + (addresses == Addresses.PROBING ? "" : " if we become master")
                + ", probing again every "
                + ClientGuard.PROBE_RETRY_MILLIS
                + " ms (RFC 5227 §2.1.1)";
        if (guard.conflict(ConflictKind.ADDRESS_IN_USE, what + " " + by.getKey(), detail, now)) {
          out.add(new AddressConflict(by.getValue(), by.getKey().toString(), detail));
        }
      }
      case FREE -> {
        if (addresses == Addresses.PROBING && machine.state() == GroupState.MASTER) {
          claimAfterProbe(now, out);
        }
      }
    }
    if (addresses == Addresses.CLAIMED) {
      String reason = guard.reannounceDue(now);
      if (reason != null) {
        out.add(new Reannounce(reason));
        out.add(announcements.start(now));
      }
      for (ClientGuard.Foreign foreign : guard.classify(machine.masterDownIntervalNanos(), now)) {
        String what = AddressText.of(foreign.address());
        String detail = defendedDetail();
        if (guard.conflict(ConflictKind.ADDRESS_IN_USE, what + " " + foreign.mac(), detail, now)) {
          out.add(new AddressConflict(foreign.address(), foreign.mac().toString(), detail));
        }
        guard.defendedAt(foreign.at()); // we re-announced when it was seen: that was the defence
      }
    }
  }

  private static String defendedDetail() {
    return "announced while this node is master; defended at most every "
        + ClientGuard.DEFEND_INTERVAL_MILLIS / 1000
        + " s (RFC 5227 §2.4)";
  }

  /** The probe found the addresses free: claim, as the machine asked when it became master. */
  private void claimAfterProbe(long now, List<Action> out) {
    guard.clearConflicts(ConflictKind.ADDRESS_IN_USE);
    guard.resetVerdict();
    if (settings.hooks().contains(HookPoint.BEFORE_CLAIM)) {
      addresses = Addresses.AWAITING_HOOK;
      out.add(new AwaitBeforeClaim(++claimEpoch));
    } else {
      claim("probe found the addresses free", now, out);
      hook(HookPoint.AFTER_CLAIM, out);
    }
  }

  private OptionalLong guardDeadline() {
    return guard.deadline(machine.masterDownIntervalNanos());
  }

  // ---------------------------------------------------------------- helpers

  private void hook(HookPoint point, List<Action> out) {
    if (settings.hooks().contains(point)) {
      out.add(new RunHook(point));
    }
  }

  private static void add(Transition transition, List<Action> out) {
    if (transition != null) {
      out.add(transition);
    }
  }

  private static OptionalLong earlier(OptionalLong a, long b) {
    return a.isPresent() && a.getAsLong() - b <= 0 ? a : OptionalLong.of(b);
  }
}
