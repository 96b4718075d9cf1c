package dev.takeover.effect;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the LAN who owns a group's addresses: a burst of gratuitous ARPs / unsolicited NAs when the
 * addresses are claimed, then one every refresh interval while they are held.
 *
 * <p>The first announcement goes out on the caller's (engine) thread, so the time from "master"
 * to the first frame on the wire is one syscall. The rest of the burst and the refreshes run on a
 * shared scheduler. Stale switch and neighbour caches are keepalived's most reported pain, which is
 * why refreshing is on by default.
 */
public final class Announcer {
  private static final Logger log = LoggerFactory.getLogger("takeover.arp");

  /** Sends one announcement for every address of the group. */
  public interface Announcement {
    void sendOnce();
  }

  private final String group;
  private final Announcement announcement;
  private final ScheduledExecutorService scheduler;
  private final int burstCount;
  private final Duration burstInterval;
  private final Duration refreshInterval;
  private final Object lock = new Object();
  private ScheduledFuture<?> burst;
  private ScheduledFuture<?> refresh;
  private long generation;

  public Announcer(
      String group,
      Announcement announcement,
      ScheduledExecutorService scheduler,
      int burstCount,
      Duration burstInterval,
      Duration refreshInterval) {
    this.group = group;
    this.announcement = announcement;
    this.scheduler = scheduler;
    this.burstCount = burstCount;
    this.burstInterval = burstInterval;
    this.refreshInterval = refreshInterval;
  }

  /**
   * Announce now, then the rest of the burst, then refresh until {@link #stop()}.
   *
   * @return {@link System#nanoTime()} right after the first announcement was sent (for the
   *     transition's timeline)
   */
  public long start() {
    long gen;
    synchronized (lock) {
      cancelLocked();
      gen = ++generation;
    }
    send(gen);
    long sentAt = System.nanoTime();
    synchronized (lock) {
      if (gen != generation) {
        return sentAt;
      }
      long step = burstInterval.toNanos();
      if (burstCount > 1) {
        int[] sent = {1};
        burst =
            scheduler.scheduleAtFixedRate(
                () -> {
                  if (send(gen) && ++sent[0] >= burstCount) {
                    log.debug("{} announcement burst of {} done", group, burstCount);
                    throw new BurstDone();
                  }
                },
                step,
                step,
                TimeUnit.NANOSECONDS);
      }
      if (!refreshInterval.isZero()) {
        long period = refreshInterval.toNanos();
        refresh =
            scheduler.scheduleAtFixedRate(
                () -> send(gen), step * (burstCount - 1) + period, period, TimeUnit.NANOSECONDS);
      }
    }
    log.info("{} announced addresses (1 of {})", group, burstCount);
    return sentAt;
  }

  public int burstCount() {
    return burstCount;
  }

  public Duration burstInterval() {
    return burstInterval;
  }

  /** Stop announcing: nothing more is sent after this returns. */
  public void stop() {
    synchronized (lock) {
      cancelLocked();
      generation++;
    }
  }

  private void cancelLocked() {
    if (burst != null) {
      burst.cancel(false);
      burst = null;
    }
    if (refresh != null) {
      refresh.cancel(false);
      refresh = null;
    }
  }

  /** Sends unless a stop or a newer start came in between; holding the lock orders it with stop. */
  private boolean send(long gen) {
    synchronized (lock) {
      if (gen != generation) {
        return false;
      }
      try {
        announcement.sendOnce();
      } catch (RuntimeException e) {
        log.warn("{} announcement failed: {}", group, e.getMessage());
      }
      return true;
    }
  }

  /** Ends a fixed-rate burst task; the scheduler swallows it. */
  private static final class BurstDone extends RuntimeException {
    BurstDone() {
      super(null, null, false, false);
    }
  }
}
