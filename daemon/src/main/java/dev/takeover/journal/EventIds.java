package dev.takeover.journal;

import java.util.Optional;

/**
 * Event ids: {@code <millis><counter>-<node>}, e.g. {@code 0mhizi24r0000-lb1}.
 *
 * <p>{@code millis} is the wall-clock time in epoch milliseconds, base 36, 9 digits (enough until
 * the year 5188); {@code counter} is 4 base-36 digits that count events within one millisecond.
 * Both are fixed width, so ids compare as strings in time order, also between nodes (to the
 * precision of their clocks), and the node suffix makes ids of different nodes distinct.
 *
 * <p>Implementation notes: the time part never goes backwards. If the wall clock steps back (NTP,
 * an operator) or a restarted daemon finds a later id in its journal, the time part stays at the
 * last value and the counter carries on; when the counter is full the time part moves on by one. So
 * within one journal ids strictly increase, across restarts too, and the id's time can run a little
 * ahead of {@link JournalEvent#time()} after a clock step. Not thread-safe: the journal calls it
 * under its lock.
 */
final class EventIds {
  static final int MILLIS_DIGITS = 9;
  static final int COUNTER_DIGITS = 4;
  private static final long COUNTER_LIMIT = pow36(COUNTER_DIGITS);

  private final String node;
  private long lastMillis = -1;
  private long counter;

  /**
   * @param lastId the newest id already in the journal, to continue after; empty for a new journal
   */
  EventIds(String node, Optional<String> lastId) {
    this.node = node;
    lastId
        .flatMap(EventIds::parse)
        .ifPresent(
            p -> {
              lastMillis = p[0];
              counter = p[1];
            });
  }

  String next(long wallMillis) {
    if (wallMillis > lastMillis) {
      lastMillis = wallMillis;
      counter = 0;
    } else if (++counter >= COUNTER_LIMIT) {
      lastMillis++;
      counter = 0;
    }
    return pad(Long.toString(lastMillis, 36), MILLIS_DIGITS)
        + pad(Long.toString(counter, 36), COUNTER_DIGITS)
        + "-"
        + node;
  }

  /** {millis, counter} of an id, or empty when it is not one of ours. */
  static Optional<long[]> parse(String id) {
    int head = MILLIS_DIGITS + COUNTER_DIGITS;
    if (id.length() <= head || id.charAt(head) != '-') {
      return Optional.empty();
    }
    try {
      long millis = Long.parseLong(id.substring(0, MILLIS_DIGITS), 36);
      long count = Long.parseLong(id.substring(MILLIS_DIGITS, head), 36);
      return millis < 0 || count < 0 ? Optional.empty() : Optional.of(new long[] {millis, count});
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String pad(String digits, int width) {
    return "0".repeat(Math.max(0, width - digits.length())) + digits;
  }

  private static long pow36(int n) {
    long v = 1;
    for (int i = 0; i < n; i++) {
      v *= 36;
    }
    return v;
  }
}
