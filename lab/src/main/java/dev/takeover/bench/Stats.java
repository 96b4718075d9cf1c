package dev.takeover.bench;

import java.util.Collection;
import java.util.List;

/**
 * Order statistics by the nearest-rank method: the p-th percentile of n sorted values is the value
 * at rank ⌈p/100 × n⌉ (1-based). Every reported percentile is then a value that was measured, never
 * an interpolation between two samples.
 */
public final class Stats {
  private Stats() {}

  /** min, median, p95, p99 and max of a non-empty sample, plus its size. */
  public record Summary(int count, double min, double median, double p95, double p99, double max) {}

  /** The summary of {@code values}; empty input has no summary (null). */
  public static Summary summarize(Collection<Double> values) {
    if (values.isEmpty()) {
      return null;
    }
    List<Double> sorted = values.stream().sorted().toList();
    return new Summary(
        sorted.size(),
        sorted.getFirst(),
        nearestRank(sorted, 50),
        nearestRank(sorted, 95),
        nearestRank(sorted, 99),
        sorted.getLast());
  }

  /** The {@code percent}-th percentile of ascending {@code sorted} (non-empty), by nearest rank. */
  public static double nearestRank(List<Double> sorted, double percent) {
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    if (percent <= 0 || percent > 100) {
      throw new IllegalArgumentException("percent must be in (0, 100]: " + percent);
    }
    int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
    return sorted.get(Math.max(1, rank) - 1);
  }
}
