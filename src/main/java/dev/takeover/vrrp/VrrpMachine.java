package dev.takeover.vrrp;

import dev.takeover.wire.AddressText;
import dev.takeover.action.Action;
import dev.takeover.action.Action.ClaimAddresses;
import dev.takeover.action.Action.ReleaseAddresses;
import dev.takeover.action.Action.SendAdvert;
import dev.takeover.action.Action.Transition;
import dev.takeover.action.GroupState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

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
 *       INITIALIZE. Skew_Time and Master_Down_Interval are derived from the current priority and
 *       Master_Adver_Interval on every read, so "recompute" in the RFC is implicit; a running
 *       Master_Down_Timer keeps the deadline it was armed with.
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
 *   <li><b>Accept_Mode</b> is carried in {@link VrrpParams} only; the effects layer applies it.
 *   <li><b>Extension point: make-before-break handover</b> (not built). A planned move of
 *       mastership, where the new owner claims the addresses before the old one lets go, would be a
 *       new event method (say {@code handoverRequested}) whose actions are assembled like {@link
 *       #becomeMaster} and {@link #leaveMaster}: those two methods are the only places that order
 *       {@link ClaimAddresses} and {@link ReleaseAddresses}, and any new state would be one more
 *       {@link GroupState} through the same {@link #transition} funnel.
 * </ul>
 *
 * <p>Not thread-safe: the engine's single thread owns it. Deterministic: the same events at the
 * same times give the same actions.
 */
public final class VrrpMachine {

  private static final String TIMER_EXPIRED = "master down timer expired";

  private final VrrpParams params;

  private GroupState state = GroupState.INITIALIZE;
  private int priority;
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

  public VrrpMachine(VrrpParams params) {
    this.params = Objects.requireNonNull(params, "params");
    this.priority = params.priority();
    this.masterAdverIntervalNanos = params.advertisementIntervalNanos();
  }

  // ---------------------------------------------------------------- events

  /**
   * Startup event (RFC 5798 §6.4.1). The address owner becomes MASTER at once; anyone else becomes
   * BACKUP and waits Master_Down_Interval for a master. Ignored unless in INITIALIZE.
   */
  public List<Action> startup(long now) {
    if (state != GroupState.INITIALIZE) {
      return List.of();
    }
    List<Action> out = new ArrayList<>();
    masterAdverIntervalNanos = params.advertisementIntervalNanos();
    if (priority == VrrpTimers.OWNER_PRIORITY) {
      becomeMaster("startup as address owner (priority 255)", now, out);
    } else {
      // RFC 5798 §6.4.1 as updated by RFC 9568: Master_Adver_Interval := Advertisement_Interval,
      // Master_Down_Timer := Master_Down_Interval.
      armMasterDownTimer(now + masterDownIntervalNanos(), TIMER_EXPIRED);
      transition(GroupState.BACKUP, "startup", out);
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
    }
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
    }
    return List.copyOf(out);
  }

  /**
   * Fires whichever timer has expired by {@code now}. Call it at {@link #nextDeadline} or later.
   */
  public List<Action> tick(long now) {
    List<Action> out = new ArrayList<>();
    switch (state) {
      case INITIALIZE -> {}
      case BACKUP -> {
        if (masterDownTimerArmed && now - masterDownTimerDeadline >= 0) {
          // RFC 5798 §6.4.2: Master_Down_Timer fired.
          becomeMaster(masterDownReason, now, out);
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
   * Changes the current priority (tracking moves it by weights). Skew_Time and Master_Down_Interval
   * follow at once; a master advertises the new priority at once, so backups with preempt on can
   * react without waiting an interval.
   */
  public List<Action> setPriority(int newPriority, long now) {
    if (newPriority < 1 || newPriority > VrrpTimers.OWNER_PRIORITY) {
      throw new IllegalArgumentException("priority must be 1..255, got " + newPriority);
    }
    if (newPriority == priority) {
      return List.of();
    }
    priority = newPriority;
    if (state == GroupState.MASTER) {
      armAdverTimer(now + params.advertisementIntervalNanos());
      return List.of(new SendAdvert(priority));
    }
    return List.of();
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

  /** The current priority: the configured one as moved by {@link #setPriority}. */
  public int priority() {
    return priority;
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
    return "VrrpMachine[VRID " + params.vrid() + ", " + state + ", priority " + priority + "]";
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
    if (!lowerPriority || !preemptsNow(now)) {
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

  // ---------------------------------------------------------------- claim, release, transition

  /**
   * RFC 5798 §6.4.1 (owner) and §6.4.2 (Master_Down_Timer fired): advertise, claim the addresses
   * (the effects layer adds them and sends gratuitous ARP / unsolicited NA), arm Adver_Timer.
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
