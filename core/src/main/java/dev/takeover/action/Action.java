package dev.takeover.action;

import java.net.InetAddress;
import java.util.Optional;

/**
 * What the pure core ({@code vrrp.VrrpMachine} and {@code vrrp.GroupPolicy}) asks the outside world
 * to do. The engine hands the policy's actions to the effects layer, which carries them out in the
 * order given: every decision (what, when, in which order) is taken before an action is made.
 */
public sealed interface Action {

  /**
   * Send one advertisement now with this priority (0 when giving up mastership, RFC 5798 §6.4.3).
   */
  record SendAdvert(int priority) implements Action {}

  /**
   * Add the group's virtual addresses to the interface (those already there stay). Announcing them
   * is a separate {@link Announce}; the state machine emits this when it becomes master and the
   * policy places it and the announcement before the first advert.
   *
   * @param reason why, for the log and the journal's "address added" records
   */
  record ClaimAddresses(String reason) implements Action {
    public static final String BECAME_MASTER = "became master";

    public ClaimAddresses() {
      this(BECAME_MASTER);
    }
  }

  /** Remove the group's virtual addresses from the interface now. */
  record ReleaseAddresses() implements Action {}

  /**
   * A planned handover: keep the addresses on the interface, unannounced, so packets still on their
   * way here are answered until the new master's announcements have moved the clients
   * (make-before-break). A {@link ReleaseAddresses} ends the hold.
   *
   * @param untilNanos when the hold ends at the latest (monotonic), for the log
   */
  record HoldAddresses(long untilNanos) implements Action {}

  /**
   * Install the group's virtual routes (keepalived's {@code virtual_routes}), or replace them with
   * the same ones: emitted right after {@link ClaimAddresses} or {@link ReclaimAddresses}, so a
   * route whose gateway or source needs a virtual address finds it on the interface.
   *
   * @param reason why, for the log and the journal's "route installed" records
   */
  record InstallRoutes(String reason) implements Action {}

  /**
   * Remove the group's virtual routes: emitted just before {@link ReleaseAddresses}, so routes stay
   * as long as the addresses do (through a handover hold) and go before them.
   */
  record RemoveRoutes() implements Action {}

  /** While master: someone else removed {@code removed}; put the addresses back. */
  record ReclaimAddresses(InetAddress removed) implements Action {}

  /**
   * Send one gratuitous ARP / unsolicited NA for every address.
   *
   * @param frame 1..{@code burst} within a burst (1 starts a burst, the one of record), or 0 for a
   *     periodic refresh
   * @param burst the burst's length
   * @param repeat the first frame sent again shortly after the burst began (see {@code
   *     vrrp.AnnounceSchedule}); not a new burst
   */
  record Announce(int frame, int burst, boolean repeat) implements Action {
    public Announce(int frame, int burst) {
      this(frame, burst, false);
    }

    public boolean startsBurst() {
      return frame == 1 && !repeat;
    }
  }

  /** A new burst of announcements follows though nothing changed here; {@code reason} says why. */
  record Reannounce(String reason) implements Action {}

  /**
   * Ask whether the addresses are in use before claiming them: an ARP Probe (RFC 5227 §2.1.1) for
   * every IPv4 address, a Duplicate Address Detection Neighbor Solicitation from {@code ::} (RFC
   * 4862 §5.4.2) for every IPv6 one. Answers come back as observed claims.
   */
  record Probe() implements Action {}

  /**
   * Another host (not one of the group's VRRP peers) uses one of the group's addresses (RFC 5227):
   * to be logged and journaled as {@code address.conflict}. Emitted once per episode.
   *
   * @param mac the other host's MAC, {@code aa:bb:cc:dd:ee:ff}
   * @param detail what was seen and what the group does about it
   */
  record AddressConflict(InetAddress address, String mac, String detail) implements Action {}

  /**
   * Another router acts as master of the group where only one may (unreadable adverts while we are
   * master, a rogue source, two address owners, two masters): to be logged at ERROR and journaled
   * as {@code conflict.detected}. Emitted once per episode.
   *
   * @param kind the conflict's stable name, e.g. {@code dual-owner}
   * @param subject the other router's address
   * @param detail one human phrase
   */
  record ConflictDetected(String kind, String subject, String detail) implements Action {}

  /** Run the operator's hook of this kind (only emitted for configured hooks). */
  record RunHook(HookPoint point) implements Action {}

  /**
   * Start the before-claim hook. When it is done or out of its budget the engine reports {@code
   * epoch} back; the claim goes on only if that epoch is still the current one (no release came in
   * between).
   */
  record AwaitBeforeClaim(long epoch) implements Action {}

  /**
   * The master stopped being heard: the outage's first moment of record.
   *
   * @param lastMaster the master heard last, if any
   * @param masterDownIntervalNanos the Master_Down_Interval that ran out
   */
  record MasterDown(Optional<InetAddress> lastMaster, long masterDownIntervalNanos)
      implements Action {}

  /** A state change of record, to be logged, counted and journaled. */
  record Transition(GroupState from, GroupState to, String reason) implements Action {}
}
