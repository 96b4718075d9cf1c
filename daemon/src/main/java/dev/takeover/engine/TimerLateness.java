package dev.takeover.engine;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongConsumer;

/**
 * How late the engine gets to its timers: the time from a deadline (an advert due, a
 * Master_Down_Timer) to the moment the engine thread ran it. It is the daemon's own measure of
 * everything that delays failover work — GC and safepoint pauses, CPU contention, a stopped VM — so
 * {@code takeover status} and the metrics show it, and a stall is journaled.
 *
 * <p>Written by the engine thread only, allocation-free; read by any thread.
 */
public final class TimerLateness {
  // Bucket i counts lateness below 2^i microseconds (the last one: everything above).
  private static final int BUCKETS = 26;
  private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);
  private final long stallThresholdNanos;
  private final LongConsumer onStall;
  private volatile long maxNanos;
  private volatile long stalls;
  private volatile long longestStallNanos;

  /**
   * @param stallThresholdNanos lateness from which a timer run counts as a stall
   * @param onStall told each stall's lateness, on the engine thread
   */
  public TimerLateness(long stallThresholdNanos, LongConsumer onStall) {
    this.stallThresholdNanos = stallThresholdNanos;
    this.onStall = onStall;
  }

  /**
   * Engine thread: a timer due at {@code deadline} ran at {@code now}. The engine thread is the
   * only writer; the fields are volatile only so that status reads them fresh.
   */
  @SuppressWarnings("NonAtomicVolatileUpdate")
  void record(long deadline, long now) {
    long late = Math.max(0, now - deadline);
    int bucket = Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(late / 1_000));
    buckets.lazySet(bucket, buckets.get(bucket) + 1);
    if (late > maxNanos) {
      maxNanos = late;
    }
    if (late >= stallThresholdNanos) {
      stalls = stalls + 1;
      if (late > longestStallNanos) {
        longestStallNanos = late;
      }
      onStall.accept(late);
    }
  }

  /** What is exported; microseconds. */
  public record Summary(
      long timers,
      long p50Us,
      long p99Us,
      long p999Us,
      long maxUs,
      long stalls,
      long longestStallUs) {}

  public Summary summary() {
    long[] counts = new long[BUCKETS];
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] = buckets.get(i);
      total += counts[i];
    }
    return new Summary(
        total,
        quantile(counts, total, 0.5),
        quantile(counts, total, 0.99),
        quantile(counts, total, 0.999),
        maxNanos / 1_000,
        stalls,
        longestStallNanos / 1_000);
  }

  /** The upper bound of the bucket holding quantile {@code q}: "at most this many µs late". */
  static long quantile(long[] counts, long total, double q) {
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return 1L << i;
      }
    }
    return 1L << (counts.length - 1);
  }
}
