package dev.takeover.daemon;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.takeover.clock.Clock;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Counts the JVM's garbage collections and how long they stopped the daemon, from the JVM's own
 * notifications: no polling thread, nothing on the advert path. A collection long enough to miss
 * adverts also shows as engine timer lateness; this says whether GC was the cause.
 */
final class GcPauses {
  private final Clock clock;
  private volatile long count;
  private volatile long totalMillis;
  private volatile long maxMillis;
  private volatile long lastEndNanos;
  private volatile long heapAfterGcBytes = -1;

  /** Subscribes to every collector; the listener runs on a JMX thread after each collection. */
  static GcPauses watch(Clock clock) {
    GcPauses pauses = new GcPauses(clock);
    Set<String> heapPools =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(
            (n, handback) -> {
              if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                  n.getType())) {
                var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                pauses.collected(
                    info.getGcInfo().getDuration(),
                    heapUsed(info.getGcInfo().getMemoryUsageAfterGc(), heapPools));
              }
            },
            null,
            null);
      }
    }
    return pauses;
  }

  private GcPauses(Clock clock) {
    this.clock = clock;
  }

  private static long heapUsed(Map<String, MemoryUsage> afterGc, Set<String> heapPools) {
    long used = 0;
    for (var e : afterGc.entrySet()) {
      if (heapPools.contains(e.getKey())) {
        used += e.getValue().getUsed();
      }
    }
    return used;
  }

  private synchronized void collected(long millis, long heapAfter) {
    count++;
    heapAfterGcBytes = heapAfter;
    totalMillis += millis;
    maxMillis = Math.max(maxMillis, millis);
    lastEndNanos = clock.nanoTime();
  }

  /** Heap in use right after the last collection; -1 before the first. */
  long heapAfterGcBytes() {
    return heapAfterGcBytes;
  }

  long count() {
    return count;
  }

  long totalMillis() {
    return totalMillis;
  }

  long maxMillis() {
    return maxMillis;
  }

  /** Whether a collection ended within the last {@code nanos}: a stall just seen may be GC. */
  boolean endedWithin(long nanos) {
    return count > 0 && clock.nanoTime() - lastEndNanos <= nanos;
  }
}
