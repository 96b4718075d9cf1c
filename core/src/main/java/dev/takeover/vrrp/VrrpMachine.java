package dev.takeover.vrrp;

import dev.takeover.action.Action;
import dev.takeover.action.Action.ClaimAddresses;
import dev.takeover.action.Action.ReleaseAddresses;
import dev.takeover.action.Action.SendAdvert;
import dev.takeover.action.Action.Transition;
import dev.takeover.action.GroupState;
import dev.takeover.wire.AddressText;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The VRRPv3 state machine of one virtual router: RFC 5798 §6.4 as updated by RFC 9568.
 *
 * <p>Each event method takes the current monotonic time and returns the actions to carry out, in
 * the order they must be carried out. The machine never reads a clock, sleeps, logs or touches the
 * network: the engine calls {@link #tick} when {@link #nextDeadline} has passed and hands every
 * advertisement it receives to {@link #advertReceived}.
 *
 * <h2>Implementation notes</h2>
 *
 * <ul>
 *   <li><b>Time.</b> Times are {@code long} nanoseconds from a monotonic clock whose origin is
 *       arbitrary and which may wrap past {@link Long#MAX_VALUE}. Points in time are therefore only
 *       compared by subtraction ({@code now - deadline >= 0}), which is correct as long as the two
 *       are less than 2^63 ns (292 years) apart. Deadlines are absolute values of that clock.
 *   <li><b>Timers.</b> Adver_Timer runs only in MASTER, Master_Down_Timer only in BACKUP, none in
 *       INITIALIZE or FAULT. Skew_Time and Master_Down_Interval are derived from the current
 *       priority and Master_Adver_Interval on every read, so "recompute" in the RFC is implicit; a
 *       running Master_Down_Timer keeps the deadline it was armed with.
 *   <li><b>Adver_Timer without drift.</b> When it fires it is re-armed from its previous deadline,
 *       not from {@code now}, so a late tick does not push every later advert back. If the tick is
 *       a whole interval late or more (a JVM pause, say), it is re-armed from {@code now} and only
 *       one advert is sent: a burst of catch-up adverts would tell nobody anything new.
 *   <li><b>One transition funnel.</b> Every state change goes through {@link #transition}, which
 *       emits the {@link Transition} action with a human reason. The transition is emitted last,
 *       after the actions the RFC lists before "Transition to ...".
 *   <li><b>Address owner.</b> A router whose current priority is 255 always preempts, whatever
 *       Preempt_Mode says (RFC 5798 §6.1), and ignores the preempt delay.
 *   <li><b>Preempt delay</b> (keepalived's {@code preempt_delay}, not in the RFC). With preempt on
 *       and a delay D &gt; 0, a backup hearing a lower-priority master first treats its adverts as
 *       if preempt were off: it accepts them, learns their interval and resets Master_Down_Timer.
 *       The window opens at the first lower-priority advert. Once D has passed since then, lower-
 *       priority adverts are discarded as RFC 9568 §6.4.2 says, so the backup takes over when
 *       Master_Down_Timer runs out: at most D + Master_Down_Interval after the first such advert.
 *       The window closes (and the next lower-priority advert opens a new one) when an advert of
 *       higher or equal priority, or of priority 0, arrives, or on any state change. Use it to give
 *       a rebooted high-priority node time to settle (routes, services) before it takes over.
 *   <li><b>Accept_Mode</b> (RFC 5798 §6.1) is not modelled: Takeover always accepts packets
 *       addressed to the virtual addresses while it holds them, so there is nothing for the machine
 *       to decide or carry.
 *   <li><b>FAULT</b> (keepalived's, not in the RFC). The group cannot serve: its link is down, or a
 *       tracked check that must pass has failed. Faults are a set of named reasons ({@code "link
 *       eth0 down"}, {@code "check web"}) from independent sources; {@link #fault} adds one, {@link
 *       #clearFault} removes one, each idempotent. The first fault takes BACKUP or MASTER to FAULT;
 *       a master first sends a priority 0 advert, as at shutdown (RFC 5798 §6.4.3), so the best
 *       backup takes over after Skew_Time rather than Master_Down_Interval, then releases the
 *       addresses. In FAULT no timer runs, no advert is sent and adverts received are ignored. When
 *       the last fault clears the group starts again as {@link #startup} does: BACKUP with
 *       Master_Down_Timer = Master_Down_Interval, or MASTER at once for the address owner. Faults
 *       describe the world, not the protocol, so they survive {@link #shutdown}: a group started
 *       while a fault is active enters FAULT instead of BACKUP, and faults may be reported before
 *       {@link #startup}.
 *   <li><b>Priority.</b> The priority in adverts and timer formulas is the <em>effective</em>
 *       priority: the base priority (configured, or as last set by {@link #setPriority}) plus the
 *       sum of the active adjustments, like keepalived's {@code track_script weight}. Adjustments
 *       are named by their source ({@code "check web"}) so that re-reporting one is a no-op and
 *       {@code takeover status} can show the priority with its reasons. The sum is clamped to
 *       1..254: weights never make a router the address owner, nor take it out of the election
 *       (priority 0 means "leaving", which is what FAULT is for). A base priority of 255 (the
 *       address owner) is never moved by adjustments, as in keepalived: an owner holds the
 *       addresses by definition (RFC 5798 §1), so tracking cannot demote it; a failure that must
 *       move an owner's addresses away is a fault. Priority changes reach the network as they do
 *       for {@link #setPriority}: a master advertises the new priority at once, and a backup with
 *       preempt on discards a lower-priority master's adverts and takes over within
 *       Master_Down_Interval.
 *   <li><b>Planned moves</b> ({@code takeover move GROUP --to NODE}) need nothing more than
 *       adjustments ({@link GroupPolicy} files them under {@code "move"} and settles them once the
 *       move is done). The target raises itself above the current master; with preempt on it
 *       discards the master's adverts from then on and claims the addresses when its
 *       Master_Down_Timer expires, within Master_Down_Interval; the old master lets go when it
 *       hears the target's first advert (and {@link GroupPolicy} holds the addresses a little
 *       longer, unannounced). So the addresses are held twice for one network delay rather than by
 *       no one, and the target's gratuitous ARP / unsolicited NA move the traffic:
 *       make-before-break. Lowering the old master below the target works the same way (it
 *       advertises its new priority at once). Either way the target must preempt. A quicker but
 *       break-before-make move is a fault on the old master once the target is the best backup: the
 *       priority 0 advert hands over after Skew_Time.
 *   <li><b>Extension point: explicit make-before-break handover</b> (not built). A handover in
 *       which the old master waits for the new one to confirm its claim would be a new event method
 *       (say {@code handoverRequested}) whose actions are assembled like {@link #becomeMaster} and
 *       {@link #leaveMaster}: those two methods are the only places that order {@link
 *       ClaimAddresses} and {@link ReleaseAddresses}, and any new state would be one more {@link
 *       GroupState} through the same {@link #transition} funnel.
 * </ul>
 *
 * <p>Not thread-safe: the engine's single thread owns it. Deterministic: the same events at the
 * same times give the same actions.
 */
public final class VrrpMachine {

  private static final String TIMER_EXPIRED = "master down timer expired";

  /** Largest magnitude of one adjustment: enough to move any priority across the whole range. */
  private static final int MAX_ADJUSTMENT = 254;

  /** Configured parameters; replaced whole by a reload ({@link #setAdvertisementInterval}, …). */
  private VrrpParams params;

  private GroupState state = GroupState.INITIALIZE;

  /** The priority before adjustments: configured, or as last given to {@link #setPriority}. */
  private int basePriority;

  /** The effective priority: {@link #basePriority} moved by {@link #adjustments}, clamped. */
  private int priority;

  /** Active priority adjustments by source. Sorted, so status output and reasons are stable. */
  private final TreeMap<String, Integer> adjustments = new TreeMap<>();

  /** Active fault reasons; the group is in FAULT (once started) exactly when this is not empty. */
  private final TreeSet<String> faults = new TreeSet<>();

  private long masterAdverIntervalNanos;

  private boolean adverTimerArmed;
  private long adverTimerDeadline;

  private boolean masterDownTimerArmed;
  private long masterDownTimerDeadline;

  /** Why Master_Down_Timer will expire, for the transition's reason; set whenever it is touched. */
  private String masterDownReason = TIMER_EXPIRED;

  /** The latest advert heard in BACKUP; null in other states. */
  private ObservedMaster lastMaster;

  /** Preempt delay window: open since the first lower-priority advert heard in BACKUP. */
  private boolean lowerPriorityWindowOpen;

  private long lowerPriorityFirstHeardAt;

  /**
   * A sync group member that follows the group's first member ({@link SyncGroup}): it never becomes
   * master on its own (no preemption, and Master_Down_Timer only re-arms), and as master it does
   * not yield to a higher priority advert; {@link #follow} moves it.
   */
  private boolean follower;

  public VrrpMachine(VrrpParams params) {
    this.params = Objects.requireNonNull(params, "params");
    this.basePriority = params.priority();
    this.priority = params.priority();
    this.masterAdverIntervalNanos = params.advertisementIntervalNanos();
  }

  // ---------------------------------------------------------------- events

  /**
   * Startup event (RFC 5798 §6.4.1). The address owner becomes MASTER at once; anyone else becomes
   * BACKUP and waits Master_Down_Interval for a master. With a fault active the group enters FAULT
   * instead. Ignored unless in INITIALIZE.
   */
  public List<Action> startup(long now) {
    if (state != GroupState.INITIALIZE) {
      return List.of();
    }
    List<Action> out = new ArrayList<>();
    if (!faults.isEmpty()) {
      transition(GroupState.FAULT, "startup in fault: " + String.join(", ", faults), out);
    } else {
      start("startup", now, out);
    }
    return List.copyOf(out);
  }

  /**
   * Shutdown event (RFC 5798 §6.4.2, §6.4.3). A master announces priority 0 first, so backups take
   * over after Skew_Time instead of Master_Down_Interval, then releases the addresses. Ignored in
   * INITIALIZE.
   */
  public List<Action> shutdown(long now) {
    List<Action> out = new ArrayList<>();
    switch (state) {
      case INITIALIZE -> {}
      case BACKUP -> {
        cancelMasterDownTimer();
        transition(GroupState.INITIALIZE, "shutdown", out);
      }
      case MASTER -> {
        cancelAdverTimer();
        out.add(new SendAdvert(VrrpTimers.STOP_PRIORITY));
        leaveMaster(GroupState.INITIALIZE, "shutdown", out);
      }
      case FAULT -> transition(GroupState.INITIALIZE, "shutdown", out); // Holds nothing.
    }
    return List.copyOf(out);
  }

  /**
   * A fault source reports a fault: the group's link is down, say, or a tracked check that must
   * pass has failed. The first active fault takes BACKUP or MASTER to FAULT; a master sends a
   * priority 0 advert first, so the best backup takes over after Skew_Time (RFC 5798 §6.4.3, as at
   * shutdown), then releases the addresses. Further faults, and repeats, are only recorded. Before
   * {@link #startup}, or after {@link #shutdown}, the fault is recorded for the next startup.
   *
   * @param reason names the fault and its source, e.g. {@code "link eth0 down"}; it is the key
   *     {@link #clearFault} removes and appears in the transition's reason
   */
  public List<Action> fault(String reason, long now) {
    requireReason(reason);
    if (!faults.add(reason)) {
      return List.of();
    }
    List<Action> out = new ArrayList<>();
    String why = "fault: " + reason;
    switch (state) {
      case INITIALIZE, FAULT -> {}
      case BACKUP -> {
        cancelMasterDownTimer();
        transition(GroupState.FAULT, why, out);
      }
      case MASTER -> {
        cancelAdverTimer();
        out.add(new SendAdvert(VrrpTimers.STOP_PRIORITY)); // RFC 5798 §6.4.3, as at shutdown.
        leaveMaster(GroupState.FAULT, why, out);
      }
    }
    return List.copyOf(out);
  }

  /**
   * A fault source reports that its fault has cleared. When no fault is left the group leaves FAULT
   * exactly as {@link #startup} starts it: BACKUP waiting Master_Down_Interval, or MASTER at once
   * for the address owner. Clearing a fault that is not active does nothing.
   */
  public List<Action> clearFault(String reason, long now) {
    requireReason(reason);
    if (!faults.remove(reason) || !faults.isEmpty() || state != GroupState.FAULT) {
      return List.of();
    }
    List<Action> out = new ArrayList<>();
    start("fault cleared: " + reason, now, out);
    return List.copyOf(out);
  }

  /**
   * An advertisement for this group passed every check of RFC 5798 §7.1 (the codec and engine do
   * those) and arrives here.
   *
   * @param source the advert's IP source address: the sender's primary address, same family as ours
   * @param advertPriority the advert's priority, 0..255
   * @param maxAdverIntervalCentis the advert's Max Adver Int, 1..4095 centiseconds
   * @param now the time it was received
   */
  public List<Action> advertReceived(
      InetAddress source, int advertPriority, int maxAdverIntervalCentis, long now) {
    Objects.requireNonNull(source, "source");
    if (advertPriority < 0 || advertPriority > VrrpTimers.OWNER_PRIORITY) {
      throw new IllegalArgumentException("advert priority must be 0..255, got " + advertPriority);
    }
    long advertIntervalNanos = VrrpTimers.centisToNanos(maxAdverIntervalCentis);
    if (source.getAddress().length != params.primaryAddress().getAddress().length) {
      // The engine demultiplexes by address family; a mix-up here is a bug, not a network event.
      throw new IllegalArgumentException(
          "advert source " + AddressText.of(source) + " is not in the group's address family");
    }
    List<Action> out = new ArrayList<>();
    switch (state) {
      case INITIALIZE -> {} // Not listening yet.
      case BACKUP -> backupReceived(source, advertPriority, advertIntervalNanos, now);
      case MASTER -> masterReceived(source, advertPriority, advertIntervalNanos, now, out);
      case FAULT -> {} // Not taking part: a faulted router must not preempt or defer to anyone.
    }
    return List.copyOf(out);
  }

  /** Makes this machine a sync group follower, or a group of its own again ({@link #follower}). */
  public void setFollower(boolean follower) {
    this.follower = follower;
  }

  public boolean follower() {
    return follower;
  }

  /**
   * A follower follows its sync group's first member: to MASTER from BACKUP (the claim, as when
   * Master_Down_Timer fires, RFC 5798 §6.4.2), or from MASTER to BACKUP, sending priority 0 first
   * so that whoever is to be master for this VRID takes over after Skew_Time (§6.4.3, as at
   * shutdown). Anything else does nothing.
   */
  public List<Action> follow(boolean master, String reason, long now) {
    requireReason(reason);
    List<Action> out = new ArrayList<>();
    if (master && state == GroupState.BACKUP) {
      becomeMaster(reason, now, out);
    } else if (!master && state == GroupState.MASTER) {
      cancelAdverTimer();
      out.add(new SendAdvert(VrrpTimers.STOP_PRIORITY));
      masterAdverIntervalNanos = params.advertisementIntervalNanos();
      armMasterDownTimer(now + masterDownIntervalNanos(), TIMER_EXPIRED);
      leaveMaster(GroupState.BACKUP, reason, out);
    }
    return List.copyOf(out);
  }

  /**
   * Fires whichever timer has expired by {@code now}. Call it at {@link #nextDeadline} or later.
   */
  public List<Action> tick(long now) {
    List<Action> out = new ArrayList<>();
    switch (state) {
      case INITIALIZE, FAULT -> {}
      case BACKUP -> {
        if (masterDownTimerArmed && now - masterDownTimerDeadline >= 0) {
          if (follower) {
            // A follower claims only with its sync group's first member (follow): wait again.
            armMasterDownTimer(now + masterDownIntervalNanos(), TIMER_EXPIRED);
          } else {
            // RFC 5798 §6.4.2: Master_Down_Timer fired.
            becomeMaster(masterDownReason, now, out);
          }
        }
      }
      case MASTER -> {
        if (adverTimerArmed && now - adverTimerDeadline >= 0) {
          // RFC 5798 §6.4.3: Adver_Timer fired: send an advert, reset the timer.
          out.add(new SendAdvert(priority));
          long next = adverTimerDeadline + params.advertisementIntervalNanos();
          if (now - next >= 0) {
            next = now + params.advertisementIntervalNanos(); // A whole interval late: restart.
          }
          adverTimerDeadline = next;
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * As BACKUP with Master_Down_Timer due: restart it from {@code now}, as an advert would (RFC 5798
   * §6.4.2), because the master is known to be alive by other means (the node links' guard).
   *
   * @return false (and nothing changed) unless BACKUP with the timer armed
   */
  public boolean restartMasterDownTimer(long now) {
    if (state != GroupState.BACKUP || !masterDownTimerArmed) {
      return false;
    }
    armMasterDownTimer(now + masterDownIntervalNanos(), TIMER_EXPIRED);
    return true;
  }

  /**
   * As BACKUP: Master_Down_Timer is to fire at {@code at} (if that is sooner than now set), with
   * {@code reason} for the transition: the master said over the node links that it released, as a
   * priority 0 advert would say (RFC 5798 §6.4.2). {@link #tick} at {@code at} makes us master.
   *
   * @return false (and nothing changed) unless BACKUP with the timer armed
   */
  public boolean expireMasterDownTimer(long at, String reason) {
    requireReason(reason);
    if (state != GroupState.BACKUP || !masterDownTimerArmed) {
      return false;
    }
    if (at - masterDownTimerDeadline < 0) {
      armMasterDownTimer(at, reason);
    }
    return true;
  }

  /**
   * Changes the base priority (a reload, say); active adjustments still apply on top of it. When
   * the effective priority changes, Skew_Time and Master_Down_Interval follow at once and a master
   * advertises the new priority at once, so backups with preempt on can react without waiting an
   * interval. 255 makes this router the address owner, which adjustments do not move.
   */
  public List<Action> setPriority(int newPriority, long now) {
    if (newPriority < 1 || newPriority > VrrpTimers.OWNER_PRIORITY) {
      throw new IllegalArgumentException("priority must be 1..255, got " + newPriority);
    }
    basePriority = newPriority;
    return applyEffectivePriority(now);
  }

  /**
   * Changes Advertisement_Interval (a reload), in place. RFC 5798 §6.1 and RFC 9568 §6.1 make it a
   * configured parameter of the router; what the protocol does with it:
   *
   * <ul>
   *   <li>MASTER: it advertises at once, carrying the new interval in Max Adver Int, and re-arms
   *       Adver_Timer to the new interval (§6.4.3). Backups set Master_Adver_Interval from that
   *       advert and recompute Skew_Time and Master_Down_Interval (RFC 9568 §6.4.2). Advertising at
   *       once matters when the interval grows: backups still time the master out on the old,
   *       shorter interval, and would declare it down if the first advert came a whole new interval
   *       later.
   *   <li>BACKUP: nothing moves now. Master_Adver_Interval is the master's, learned from its
   *       adverts (RFC 9568 §6.4.2); Advertisement_Interval is used only when this router starts
   *       (§6.4.1) or becomes master (§6.4.2). The running Master_Down_Timer keeps its deadline.
   *   <li>INITIALIZE, FAULT: kept for the next start.
   * </ul>
   *
   * @param intervalNanos a whole number of centiseconds, 10 ms..40.95 s
   */
  public List<Action> setAdvertisementInterval(long intervalNanos, long now) {
    VrrpParams next = params.withAdvertisementIntervalNanos(intervalNanos); // validates
    if (intervalNanos == params.advertisementIntervalNanos()) {
      return List.of();
    }
    params = next;
    if (state != GroupState.MASTER) {
      return List.of();
    }
    // As master, our own interval is the master's interval: status shows it.
    masterAdverIntervalNanos = intervalNanos;
    armAdverTimer(now + intervalNanos);
    return List.of(new SendAdvert(priority));
  }

  /**
   * Changes Preempt_Mode and the preempt delay (a reload), in place. Preempt_Mode is read only when
   * a BACKUP receives an advert of lower priority (RFC 5798 §6.4.2, as updated by RFC 9568), so no
   * action follows now: turned on, the next such advert is discarded and the takeover comes when
   * Master_Down_Timer runs out, the normal path; turned off, the next one is accepted and resets
   * the timer. An open preempt delay window keeps its start (the delay counts from the first
   * lower-priority advert) and is closed when preempt is turned off.
   */
  public List<Action> setPreempt(boolean preempt, long preemptDelayNanos) {
    params = params.withPreempt(preempt, preemptDelayNanos); // validates
    if (!preempt) {
      closeLowerPriorityWindow();
    }
    return List.of();
  }

  /**
   * Sets the priority adjustment from one source (keepalived's {@code track_script weight}): the
   * effective priority is the base priority plus the sum of all active adjustments, clamped to
   * 1..254, or 255 unchanged for the address owner. Reporting the same delta again does nothing; a
   * new delta replaces the source's old one.
   *
   * @param source names the adjustment, e.g. {@code "check web"}; the key {@link #clearAdjustment}
   *     removes
   * @param delta -254..254; negative lowers the priority
   */
  public List<Action> adjustPriority(String source, int delta, long now) {
    requireReason(source);
    if (delta < -MAX_ADJUSTMENT || delta > MAX_ADJUSTMENT) {
      throw new IllegalArgumentException(
          "priority adjustment must be -254..254, got " + delta + " from " + source);
    }
    Integer previous = adjustments.put(source, delta);
    if (previous != null && previous == delta) {
      return List.of();
    }
    return applyEffectivePriority(now);
  }

  /** Removes the adjustment from one source; does nothing when it has none. */
  public List<Action> clearAdjustment(String source, long now) {
    requireReason(source);
    if (adjustments.remove(source) == null) {
      return List.of();
    }
    return applyEffectivePriority(now);
  }

  // ---------------------------------------------------------------- queries

  /** The earliest armed timer's deadline (absolute nanos), or empty when no timer is armed. */
  public OptionalLong nextDeadline() {
    if (adverTimerArmed && masterDownTimerArmed) {
      // Not reachable today (one timer per state); kept total rather than assumed.
      return OptionalLong.of(
          adverTimerDeadline - masterDownTimerDeadline <= 0
              ? adverTimerDeadline
              : masterDownTimerDeadline);
    }
    if (adverTimerArmed) {
      return OptionalLong.of(adverTimerDeadline);
    }
    if (masterDownTimerArmed) {
      return OptionalLong.of(masterDownTimerDeadline);
    }
    return OptionalLong.empty();
  }

  public VrrpParams params() {
    return params;
  }

  public GroupState state() {
    return state;
  }

  /**
   * The effective priority, the one advertised and used by the timer formulas; the same as {@link
   * #effectivePriority}.
   */
  public int priority() {
    return priority;
  }

  /** The base priority moved by the active adjustments, clamped to 1..254; 255 for the owner. */
  public int effectivePriority() {
    return priority;
  }

  /** The priority before adjustments: the configured one, or as last given to setPriority. */
  public int basePriority() {
    return basePriority;
  }

  /** The active priority adjustments by source, sorted by source: the priority's reasons. */
  public SortedMap<String, Integer> priorityAdjustments() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(adjustments));
  }

  /** The active fault reasons, sorted; not empty exactly when the group is (or starts) in FAULT. */
  public SortedSet<String> faults() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(faults));
  }

  /** Master_Adver_Interval: learned from the master's adverts while BACKUP (RFC 9568 §6.4.2). */
  public long masterAdverIntervalNanos() {
    return masterAdverIntervalNanos;
  }

  /** Skew_Time for the current priority and Master_Adver_Interval (RFC 5798 §6.1). */
  public long skewTimeNanos() {
    return VrrpTimers.skewTimeNanos(priority, masterAdverIntervalNanos);
  }

  /** Master_Down_Interval for the current priority and Master_Adver_Interval (RFC 5798 §6.1). */
  public long masterDownIntervalNanos() {
    return VrrpTimers.masterDownIntervalNanos(priority, masterAdverIntervalNanos);
  }

  /** The sender of the latest advert heard while BACKUP; empty in other states. */
  public Optional<ObservedMaster> lastMaster() {
    return Optional.ofNullable(lastMaster);
  }

  @Override
  public String toString() {
    return "VrrpMachine[VRID "
        + params.vrid()
        + ", "
        + state
        + ", priority "
        + priority
        + (adjustments.isEmpty() ? "" : " (base " + basePriority + ", " + adjustments + ")")
        + (faults.isEmpty() ? "" : ", faults " + faults)
        + "]";
  }

  // ---------------------------------------------------------------- the RFC's rules

  /** RFC 5798 §6.4.2 as updated by RFC 9568: an advert while BACKUP. Never emits actions. */
  private void backupReceived(
      InetAddress source, int advertPriority, long advertIntervalNanos, long now) {
    lastMaster = new ObservedMaster(source, advertPriority);
    if (advertPriority == VrrpTimers.STOP_PRIORITY) {
      // The master is leaving. Waiting Skew_Time only lets the highest-priority backup go first.
      closeLowerPriorityWindow();
      armMasterDownTimer(
          now + skewTimeNanos(),
          TIMER_EXPIRED + " after priority 0 advert from " + AddressText.of(source));
      return;
    }
    boolean lowerPriority = advertPriority < priority;
    if (!lowerPriority) {
      closeLowerPriorityWindow();
    }
    if (!lowerPriority || follower || !preemptsNow(now)) {
      // Accept: learn the master's interval (RFC 9568), recompute, reset Master_Down_Timer.
      masterAdverIntervalNanos = advertIntervalNanos;
      armMasterDownTimer(now + masterDownIntervalNanos(), TIMER_EXPIRED);
      return;
    }
    // Preempt: discard, so Master_Down_Timer runs out and we take over.
    masterDownReason =
        String.format(
            Locale.ROOT,
            "%s, preempting lower priority master %s (prio %d)",
            TIMER_EXPIRED,
            AddressText.of(source),
            advertPriority);
  }

  /**
   * Whether a lower-priority advert heard now is to be discarded (preempt) rather than accepted.
   * Opens the preempt delay window on the first one.
   */
  private boolean preemptsNow(long now) {
    if (priority == VrrpTimers.OWNER_PRIORITY) {
      return true; // RFC 5798 §6.1: the owner always preempts.
    }
    if (!params.preempt()) {
      return false;
    }
    long delay = params.preemptDelayNanos();
    if (delay == 0) {
      return true;
    }
    if (!lowerPriorityWindowOpen) {
      lowerPriorityWindowOpen = true;
      lowerPriorityFirstHeardAt = now;
    }
    return now - lowerPriorityFirstHeardAt >= delay;
  }

  /** RFC 5798 §6.4.3 as updated by RFC 9568: an advert while MASTER. */
  private void masterReceived(
      InetAddress source,
      int advertPriority,
      long advertIntervalNanos,
      long now,
      List<Action> out) {
    if (advertPriority == VrrpTimers.STOP_PRIORITY) {
      // Another master is resigning; assert ourselves at once so backups don't take over.
      out.add(new SendAdvert(priority));
      armAdverTimer(now + params.advertisementIntervalNanos());
      return;
    }
    if (follower) {
      return; // A follower leaves MASTER with its sync group's first member only.
    }
    String reason;
    if (advertPriority > priority) {
      reason =
          String.format(
              Locale.ROOT,
              "higher priority advert from %s (prio %d)",
              AddressText.of(source),
              advertPriority);
    } else if (advertPriority == priority && isHigherAddress(source)) {
      reason =
          String.format(
              Locale.ROOT,
              "preempted by %s (equal prio %d, higher address)",
              AddressText.of(source),
              advertPriority);
    } else {
      return; // Discard: we stay master; our next advert tells the sender.
    }
    cancelAdverTimer();
    masterAdverIntervalNanos = advertIntervalNanos;
    armMasterDownTimer(now + masterDownIntervalNanos(), TIMER_EXPIRED);
    leaveMaster(GroupState.BACKUP, reason, out);
    lastMaster = new ObservedMaster(source, advertPriority);
  }

  /** RFC 5798 §6.4.3 tie-break: the higher primary address wins, as unsigned bytes. */
  private boolean isHigherAddress(InetAddress source) {
    return Arrays.compareUnsigned(source.getAddress(), params.primaryAddress().getAddress()) > 0;
  }

  // ---------------------------------------------------------------- start, priority

  /**
   * RFC 5798 §6.4.1 as updated by RFC 9568, for startup and for leaving FAULT: the address owner
   * becomes MASTER at once; anyone else becomes BACKUP with Master_Adver_Interval :=
   * Advertisement_Interval and Master_Down_Timer := Master_Down_Interval.
   */
  private void start(String reason, long now, List<Action> out) {
    masterAdverIntervalNanos = params.advertisementIntervalNanos();
    if (priority == VrrpTimers.OWNER_PRIORITY && !follower) {
      becomeMaster(reason + " as address owner (priority 255)", now, out);
    } else {
      armMasterDownTimer(now + masterDownIntervalNanos(), TIMER_EXPIRED);
      transition(GroupState.BACKUP, reason, out);
    }
  }

  /** Recomputes the effective priority; a master advertises a change at once. */
  private List<Action> applyEffectivePriority(long now) {
    int effective = effectivePriorityOf(basePriority, adjustments.values());
    if (effective == priority) {
      return List.of();
    }
    priority = effective;
    if (state == GroupState.MASTER) {
      armAdverTimer(now + params.advertisementIntervalNanos());
      return List.of(new SendAdvert(priority));
    }
    return List.of();
  }

  /**
   * Base plus adjustments, clamped to 1..254 (keepalived's rule); the owner's 255 is never moved.
   */
  static int effectivePriorityOf(int base, Iterable<Integer> deltas) {
    if (base == VrrpTimers.OWNER_PRIORITY) {
      return base;
    }
    long sum = base; // A long: many adjustments of ±254 cannot overflow it.
    for (int delta : deltas) {
      sum += delta;
    }
    return (int) Math.clamp(sum, 1L, VrrpTimers.OWNER_PRIORITY - 1L);
  }

  private static void requireReason(String reason) {
    Objects.requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException("a fault or adjustment needs a name");
    }
  }

  // ---------------------------------------------------------------- claim, release, transition

  /**
   * RFC 5798 §6.4.1 (owner) and §6.4.2 (Master_Down_Timer fired): advertise, claim the addresses,
   * arm Adver_Timer. {@link GroupPolicy} places the claim and its gratuitous ARP / unsolicited NA
   * before the advert (or behind a before-claim hook).
   */
  private void becomeMaster(String reason, long now, List<Action> out) {
    cancelMasterDownTimer();
    out.add(new SendAdvert(priority));
    out.add(new ClaimAddresses());
    armAdverTimer(now + params.advertisementIntervalNanos());
    transition(GroupState.MASTER, reason, out);
  }

  /** Leaves MASTER: the caller has already sent what it must; here the addresses go. */
  private void leaveMaster(GroupState to, String reason, List<Action> out) {
    out.add(new ReleaseAddresses());
    transition(to, reason, out);
  }

  /** The one place a state changes. */
  private void transition(GroupState to, String reason, List<Action> out) {
    GroupState from = state;
    state = to;
    closeLowerPriorityWindow();
    if (to != GroupState.BACKUP) {
      lastMaster = null;
    }
    out.add(new Transition(from, to, reason));
  }

  private void closeLowerPriorityWindow() {
    lowerPriorityWindowOpen = false;
  }

  private void armAdverTimer(long deadline) {
    adverTimerArmed = true;
    adverTimerDeadline = deadline;
  }

  private void cancelAdverTimer() {
    adverTimerArmed = false;
  }

  private void armMasterDownTimer(long deadline, String reason) {
    masterDownTimerArmed = true;
    masterDownTimerDeadline = deadline;
    masterDownReason = reason;
  }

  private void cancelMasterDownTimer() {
    masterDownTimerArmed = false;
  }
}
