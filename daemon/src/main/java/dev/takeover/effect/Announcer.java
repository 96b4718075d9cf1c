package dev.takeover.effect;

import dev.takeover.action.Action;
import dev.takeover.action.Action.Announce;
import dev.takeover.clock.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a group's announcements: one gratuitous ARP / unsolicited NA for every address per {@link
 * Announce}, on the caller's thread, which is the engine's. When they go out (the burst, the
 * refresh, and that nothing follows a release or a handover hold) is the pure {@code
 * vrrp.GroupPolicy}'s decision, driven by the engine's deadlines: there is no scheduler thread and
 * no lock here, so the real-time engine thread never waits on a normal-priority thread doing I/O
 * (issue 8, item 6). One frame is one short non-blocking syscall per address.
 */
public final class Announcer {
  private static final Logger log = LoggerFactory.getLogger("takeover.arp");

  /** Sends one announcement for every address of the group. */
  public interface Announcement {
    void sendOnce();
  }

  private final String group;
  private final Announcement announcement;
  private final Announcement probe;
  private final RateLimitedLog failures;

  /** Without probes: a {@link Action.Probe} sends nothing. */
  public Announcer(String group, Announcement announcement, Clock clock) {
    this(group, announcement, () -> {}, clock);
  }

  /**
   * @param probe sends one ARP Probe / DAD Neighbor Solicitation for every address (RFC 5227
   *     §2.1.1, RFC 4862 §5.4.2)
   */
  public Announcer(String group, Announcement announcement, Announcement probe, Clock clock) {
    this.group = group;
    this.announcement = announcement;
    this.probe = probe;
    this.failures = new RateLimitedLog(log, 10, TimeUnit.SECONDS, clock);
  }

  /** Sends one probe for every address; a failure is logged (rate-limited), not thrown. */
  public void probe() {
    try {
      probe.sendOnce();
    } catch (RuntimeException e) {
      failures.warn(Action.Probe.class, "{} address probe failed: {}", group, e.getMessage());
      return;
    }
    log.debug("{} probed addresses (RFC 5227)", group);
  }

  /** Sends one frame; a failure is logged (rate-limited), not thrown: the next one may get out. */
  public void send(Announce frame) {
    try {
      announcement.sendOnce();
    } catch (RuntimeException e) {
      failures.warn(Announcer.class, "{} announcement failed: {}", group, e.getMessage());
      return;
    }
    if (frame.startsBurst()) {
      log.info("{} announced addresses (1 of {})", group, frame.burst());
    } else if (log.isDebugEnabled()) {
      log.debug(
          "{} announcement {}",
          group,
          frame.frame() == 0
              ? "refresh"
              : frame.frame() + " of " + frame.burst() + (frame.repeat() ? " (repeated)" : ""));
    }
  }
}
