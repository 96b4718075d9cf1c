package dev.takeover.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the last {@code limit} bytes of a stream: a chatty program costs bounded memory, and the
 * end of its output (where the error usually is) is what the caller gets.
 */
final class OutputTail {
  private final byte[] ring;
  private long total;

  OutputTail(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("output limit must be positive: " + limit);
    }
    this.ring = new byte[limit];
  }

  /** Reads until end of stream; an I/O error (the pipe closed under us) just ends the reading. */
  void readFrom(InputStream in) {
    byte[] chunk = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(chunk)) >= 0) {
        append(chunk, n);
      }
    } catch (IOException e) {
      // The process is gone and its pipe with it: what was read is what there is.
    }
  }

  synchronized void append(byte[] bytes, int length) {
    for (int i = 0; i < length; i++) {
      ring[(int) (total++ % ring.length)] = bytes[i];
    }
  }

  /** Bytes written before the kept ones. */
  synchronized long dropped() {
    return Math.max(0, total - ring.length);
  }

  /** The kept bytes as UTF-8; a character cut in half at the start becomes U+FFFD. */
  synchronized String text() {
    int size = (int) Math.min(total, ring.length);
    byte[] out = new byte[size];
    int start = (int) ((total - size) % ring.length);
    for (int i = 0; i < size; i++) {
      out[i] = ring[(start + i) % ring.length];
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(out))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("a replacing decoder cannot fail", e);
    }
  }
}
