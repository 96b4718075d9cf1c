package dev.takeover.effect;

import dev.takeover.clock.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a repeated message at most once per key and period, saying how many were suppressed, so a
 * flood of bad packets or failing sends cannot flood the journal.
 */
public final class RateLimitedLog {
  private final Logger log;
  private final long periodNanos;
  private final Clock clock;
  private final ConcurrentHashMap<Object, Window> windows = new ConcurrentHashMap<>();

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
  }

  /** Warn unless this key was logged less than a period ago. */
  public void warn(Object key, String format, Object... args) {
    long now = clock.nanoTime();
    Window w = windows.get(key);
    if (w == null) {
      w = windows.computeIfAbsent(key, k -> new Window(now - periodNanos));
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
}
