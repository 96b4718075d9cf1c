package dev.takeover.effect;

import dev.takeover.clock.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a repeated message at most once per key and period, saying how many were suppressed, so a
 * flood of bad packets or failing sends cannot flood the journal.
 *
 * <p>Bounded: it keeps at most {@value #MAX_KEYS} keys (a few more while threads race). Callers key
 * by reason, not by anything a packet chooses, but a table a packet could grow must not depend on
 * every caller getting that right: when the table is full, keys whose period is over with nothing
 * suppressed are forgotten (at most once a period), and a key that still finds no room shares one
 * overflow window, so its messages are still logged, rate-limited together.
 */
public final class RateLimitedLog {
  /** Keys kept; callers use a handful (drop reasons, failing calls). */
  public static final int MAX_KEYS = 256;

  private static final Object OVERFLOW = new Object();

  private final Logger log;
  private final long periodNanos;
  private final Clock clock;
  private final ConcurrentHashMap<Object, Window> windows = new ConcurrentHashMap<>();
  private volatile long lastSweep;

  private static final class Window {
    volatile long openedAt;
    final AtomicLong suppressed = new AtomicLong();

    Window(long openedAt) {
      this.openedAt = openedAt;
    }
  }

  /** Windows measured on {@code clock}; read on whichever thread logs. */
  public RateLimitedLog(Logger log, long period, TimeUnit unit, Clock clock) {
    this.log = log;
    this.periodNanos = unit.toNanos(period);
    this.clock = clock;
    this.lastSweep = clock.nanoTime() - periodNanos;
  }

  /** Warn unless this key was logged less than a period ago. */
  public void warn(Object key, String format, Object... args) {
    long now = clock.nanoTime();
    Window w = windows.get(key);
    if (w == null) {
      w = windows.computeIfAbsent(room(now) ? key : OVERFLOW, k -> new Window(now - periodNanos));
    }
    if (now - w.openedAt < periodNanos) {
      w.suppressed.incrementAndGet();
      return;
    }
    w.openedAt = now;
    long skipped = w.suppressed.getAndSet(0);
    if (skipped > 0) {
      log.warn(format + " (" + skipped + " more suppressed)", args);
    } else {
      log.warn(format, args);
    }
  }

  /** Whether a new key fits, after forgetting stale ones if the table is full. */
  private boolean room(long now) {
    if (windows.size() < MAX_KEYS) {
      return true;
    }
    if (now - lastSweep >= periodNanos) {
      lastSweep = now;
      // A window whose period is over and that suppressed nothing has nothing left to say.
      windows.values().removeIf(w -> now - w.openedAt >= periodNanos && w.suppressed.get() == 0);
    }
    return windows.size() < MAX_KEYS;
  }

  /** Keys held now (for tests). */
  int keys() {
    return windows.size();
  }
}
