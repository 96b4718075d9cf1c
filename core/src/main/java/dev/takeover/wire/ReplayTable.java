package dev.takeover.wire;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The highest sequence accepted from each sender of one virtual router (the anti-replay mark of
 * draft-cassen-vrrp-auth-hmac), bounded: at most {@link #capacity} senders.
 *
 * <p>Implementation notes: an entry is only created for an advert whose HMAC verified, so only key
 * holders can add one, and a flood of spoofed sources cannot grow the table (keepalived's rule as
 * well). Even so the table is capped: when full, marks that no longer order anything (in time mode,
 * older than the window, which already rejects what they would) are forgotten first, then the
 * sender heard least recently. Access order, so a steady master is never the one evicted.
 */
final class ReplayTable {
  private final int capacity;
  private final LinkedHashMap<InetAddress, long[]> marks;

  ReplayTable(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
    this.marks = new LinkedHashMap<>(16, 0.75f, true);
  }

  /**
   * Accepts {@code sequence} from {@code source} if it comes after the mark, and raises the mark.
   *
   * @param windowSeconds the freshness window, or a negative value when marks never expire
   *     (monotonic mode)
   * @return false for a replay
   */
  boolean accept(InetAddress source, long sequence, long nowEpochSecond, int windowSeconds) {
    long[] mark = marks.get(source);
    if (mark != null && windowSeconds >= 0 && expired(mark[0], nowEpochSecond, windowSeconds)) {
      // A mark outside the window orders only adverts the window rejects anyway; forgetting it
      // lets a sender whose clock was stepped back recover (as keepalived does).
      mark = null;
    }
    if (mark != null && !AuthTrailer.after(sequence, mark[0])) {
      return false;
    }
    if (mark == null) {
      if (marks.size() >= capacity) {
        makeRoom(nowEpochSecond, windowSeconds);
      }
      marks.put(source, new long[] {sequence});
    } else {
      mark[0] = sequence;
    }
    return true;
  }

  private void makeRoom(long nowEpochSecond, int windowSeconds) {
    if (windowSeconds >= 0) {
      marks.values().removeIf(m -> expired(m[0], nowEpochSecond, windowSeconds));
    }
    Iterator<Map.Entry<InetAddress, long[]>> eldest = marks.entrySet().iterator();
    while (marks.size() >= capacity && eldest.hasNext()) {
      eldest.next();
      eldest.remove();
    }
  }

  private static boolean expired(long mark, long nowEpochSecond, int windowSeconds) {
    int age = AuthTrailer.secondsBetween(nowEpochSecond, AuthTrailer.seconds(mark));
    return age > windowSeconds || age < -windowSeconds;
  }

  int size() {
    return marks.size();
  }

  int capacity() {
    return capacity;
  }
}
