package dev.takeover.dns;

/**
 * How a record's queue retries and re-reads; all times in nanoseconds.
 *
 * @param servers how many servers there are to try, in order (at least 1)
 * @param initialBackoffNanos the wait after the first round of failures (every server failed once)
 * @param maxBackoffNanos the cap of the doubling wait
 * @param verifyIntervalNanos how often the RRset is read back: to learn what it holds (the next
 *     update's prerequisite) and, while we hold it, to repair drift; 0 reads only at start
 * @param overwriteOnConflict a failed prerequisite is overwritten (true) or left alone and alarmed
 */
public record RetryPolicy(
    int servers,
    long initialBackoffNanos,
    long maxBackoffNanos,
    long verifyIntervalNanos,
    boolean overwriteOnConflict) {

  public RetryPolicy {
    if (servers < 1 || initialBackoffNanos <= 0 || maxBackoffNanos < initialBackoffNanos) {
      throw new IllegalArgumentException("bad retry policy");
    }
    if (verifyIntervalNanos < 0) {
      throw new IllegalArgumentException("negative verify interval");
    }
  }

  /**
   * The wait before attempt {@code failures + 1}: none while servers of the current round are left
   * (they are tried in order, at once), then initial × 2^(round − 1), capped.
   */
  public long delayAfter(int failures) {
    if (failures % servers != 0) {
      return 0;
    }
    int round = failures / servers; // rounds completed, ≥ 1
    long delay = initialBackoffNanos;
    for (int i = 1; i < round && delay < maxBackoffNanos; i++) {
      delay = delay > maxBackoffNanos / 2 ? maxBackoffNanos : delay * 2;
    }
    return Math.min(delay, maxBackoffNanos);
  }
}
