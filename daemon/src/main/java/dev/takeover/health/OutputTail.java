package dev.takeover.health;

import java.nio.charset.StandardCharsets;

/** The last {@code capacity} bytes written to it: a script's output without unbounded memory. */
final class OutputTail {
  private final byte[] ring;
  private long written;

  OutputTail(int capacity) {
    this.ring = new byte[capacity];
  }

  synchronized void write(byte[] bytes, int offset, int length) {
    for (int i = 0; i < length; i++) {
      ring[(int) (written++ % ring.length)] = bytes[offset + i];
    }
  }

  /** The kept bytes as UTF-8 (a character cut at the start becomes U+FFFD), with a marker if cut. */
  synchronized String text() {
    int kept = (int) Math.min(written, ring.length);
    byte[] out = new byte[kept];
    long from = written - kept;
    for (int i = 0; i < kept; i++) {
      out[i] = ring[(int) ((from + i) % ring.length)];
    }
    String text = new String(out, StandardCharsets.UTF_8);
    return written > ring.length ? "[..." + (written - ring.length) + " bytes cut]" + text : text;
  }
}
