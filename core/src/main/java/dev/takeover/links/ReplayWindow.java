package dev.takeover.links;

/**
 * A sliding anti-replay window over one sender's sequence numbers (the scheme of RFC 4303 §3.4.3:
 * the highest sequence seen and a bitmap of the {@value #SIZE} below it). One sender's packets
 * reach us over several paths, so they may arrive out of order; a packet older than the window, or
 * one seen already, is a replay. Check only authenticated packets: a forged sequence must not move
 * the window.
 */
public final class ReplayWindow {
  static final int SIZE = 64;

  private long highest;
  private long seen; // bit i: highest - i was accepted
  private boolean any;

  /** Accepts {@code sequence} (and remembers it) or returns false for a replay. */
  public boolean accept(long sequence) {
    if (!any) {
      any = true;
      highest = sequence;
      seen = 1;
      return true;
    }
    long ahead = sequence - highest;
    if (Long.compareUnsigned(sequence, highest) > 0) {
      seen = ahead >= SIZE ? 1 : (seen << ahead) | 1;
      highest = sequence;
      return true;
    }
    long behind = highest - sequence;
    if (Long.compareUnsigned(behind, SIZE) >= 0) {
      return false;
    }
    long bit = 1L << behind;
    if ((seen & bit) != 0) {
      return false;
    }
    seen |= bit;
    return true;
  }

  /** The highest sequence accepted; 0 before the first. */
  public long highest() {
    return highest;
  }
}
