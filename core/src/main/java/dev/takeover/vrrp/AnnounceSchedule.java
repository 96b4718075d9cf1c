package dev.takeover.vrrp;

import dev.takeover.action.Action.Announce;
import java.util.Optional;

/**
 * When a master tells the LAN again who owns its addresses: a burst of gratuitous ARPs /
 * unsolicited NAs when it claims them ({@code garp-count} frames {@code garp-interval} apart), then
 * one every {@code refresh-interval} while it holds them. Stale switch and neighbour caches are
 * keepalived's most reported pain, which is why refreshing is on by default.
 *
 * <p>Implementation notes: a pure schedule, driven by the engine's deadlines like the RFC timers,
 * so the frames are sent by the engine thread itself (one short syscall each) and no second thread
 * or lock is involved. {@link #stop()} is therefore exact: once the policy stops the schedule (a
 * release or a handover hold), no frame follows, and a late gratuitous ARP from the old master
 * cannot steal clients back from the new one. Like Adver_Timer, a frame is re-armed from its
 * previous deadline, or from {@code now} when a whole step late (a pause), so frames never bunch
 * up. Times compare by subtraction only.
 *
 * <p>Every burst repeats its first frame {@link #CONFIRM_NANOS} later. At a handover the old master
 * stops announcing only when it hears the new master's first advert, which follows the new master's
 * first frame; a frame of the old master's own burst that was already due in that gap (a
 * millisecond or two, longer on a loaded machine) lands after ours and takes the clients back, and
 * they would stay there until our next burst frame ({@code garp-interval} later, 200 ms by
 * default). The repeat bounds that to 20 ms: by then the old master has heard us and is silent.
 */
final class AnnounceSchedule {
  private int burstCount;
  private long burstIntervalNanos;
  private long refreshIntervalNanos;

  /** When the first frame of a burst is repeated; see the implementation notes. */
  static final long CONFIRM_NANOS = 20_000_000L;

  private boolean confirmPending;
  private long confirmAt;

  private boolean started; // between start() and stop(): the addresses are announced
  private boolean armed;
  private int sent; // frames of the current burst sent so far
  private long deadline;

  /**
   * @param burstCount frames in a burst, at least 1
   * @param burstIntervalNanos between the frames of a burst, positive
   * @param refreshIntervalNanos between refreshes after the burst; 0 for none
   */
  AnnounceSchedule(int burstCount, long burstIntervalNanos, long refreshIntervalNanos) {
    requireValid(burstCount, burstIntervalNanos, refreshIntervalNanos);
    this.burstCount = burstCount;
    this.burstIntervalNanos = burstIntervalNanos;
    this.refreshIntervalNanos = refreshIntervalNanos;
  }

  private static void requireValid(
      int burstCount, long burstIntervalNanos, long refreshIntervalNanos) {
    if (burstCount < 1 || burstIntervalNanos <= 0 || refreshIntervalNanos < 0) {
      throw new IllegalArgumentException(
          "announce burst "
              + burstCount
              + " every "
              + burstIntervalNanos
              + " ns, refresh "
              + refreshIntervalNanos
              + " ns");
    }
  }

  /**
   * New settings (a reload), in place: a burst under way goes on with the new count and spacing, a
   * refresh follows the new interval. No frame is sent now and none moves later than one new step
   * from {@code now}, so a shorter refresh interval takes effect at once rather than after the old,
   * longer one; a refresh turned off stops after the burst, one turned on is armed from now.
   */
  void reconfigure(int burstCount, long burstIntervalNanos, long refreshIntervalNanos, long now) {
    requireValid(burstCount, burstIntervalNanos, refreshIntervalNanos);
    this.burstCount = burstCount;
    this.burstIntervalNanos = burstIntervalNanos;
    this.refreshIntervalNanos = refreshIntervalNanos;
    if (!started) {
      return;
    }
    long step = sent < burstCount ? burstIntervalNanos : refreshIntervalNanos;
    if (step == 0) {
      armed = false; // burst done, refresh off
    } else if (!armed || deadline - (now + step) > 0) {
      armed = true;
      deadline = now + step;
    }
  }

  /** Starts a new burst (cancelling what was scheduled): its first frame, to be sent now. */
  Announce start(long now) {
    started = true;
    sent = 1;
    // Not worth a repeat when the burst's own next frame comes as soon.
    confirmPending = burstCount == 1 || burstIntervalNanos > CONFIRM_NANOS;
    confirmAt = now + CONFIRM_NANOS;
    armAfterFrame(now);
    return new Announce(1, burstCount);
  }

  /** Nothing more is due until the next {@link #start}. */
  void stop() {
    started = false;
    armed = false;
    confirmPending = false;
  }

  boolean armed() {
    return armed || confirmPending;
  }

  /** The next frame's deadline; only meaningful while {@link #armed()}. */
  long deadline() {
    if (confirmPending && (!armed || confirmAt - deadline < 0)) {
      return confirmAt;
    }
    return deadline;
  }

  /** The frame due by {@code now}, if any; re-arms for the one after. */
  Optional<Announce> tick(long now) {
    if (confirmPending && now - confirmAt >= 0) {
      confirmPending = false;
      return Optional.of(new Announce(1, burstCount, true)); // the first frame again
    }
    if (!armed || now - deadline < 0) {
      return Optional.empty();
    }
    long due = deadline;
    Announce frame;
    if (sent < burstCount) {
      sent++;
      frame = new Announce(sent, burstCount);
    } else {
      frame = new Announce(0, burstCount);
    }
    armAfterFrame(due);
    if (armed && now - deadline >= 0) {
      // A whole step late (a pause): one frame now, the next a full step from now.
      armAfterFrame(now);
    }
    return Optional.of(frame);
  }

  private void armAfterFrame(long sentAt) {
    if (sent < burstCount) {
      armed = true;
      deadline = sentAt + burstIntervalNanos;
    } else if (refreshIntervalNanos > 0) {
      armed = true;
      deadline = sentAt + refreshIntervalNanos;
    } else {
      armed = false;
    }
  }

  int burstCount() {
    return burstCount;
  }
}
