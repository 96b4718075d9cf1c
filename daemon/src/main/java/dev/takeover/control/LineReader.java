package dev.takeover.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads newline-terminated UTF-8 lines from a channel with a hard bound on line length, so a client
 * that never sends a newline cannot make the reader buffer without limit.
 */
final class LineReader {
  /** A line longer than the bound; the stream cannot be resynchronised cheaply, so close it. */
  static final class LineTooLongException extends IOException {
    LineTooLongException(int max) {
      super("request larger than " + max + " bytes");
    }
  }

  private static final int INITIAL_BYTES = 1024;

  private final ReadableByteChannel channel;
  private final int maxLineBytes;
  private byte[] buf;
  private int len;
  private int scanned;

  LineReader(ReadableByteChannel channel, int maxLineBytes) {
    this.channel = channel;
    this.maxLineBytes = maxLineBytes;
    // Grown on demand up to one byte more than the bound (a full buffer without a newline is a
    // line that is too long): the daemon keeps one reader per connection, and requests are small.
    this.buf = new byte[Math.min(INITIAL_BYTES, maxLineBytes + 1)];
  }

  /** The next line without its terminator (and without a trailing CR), or null at end of stream. */
  String next() throws IOException {
    while (true) {
      for (; scanned < len; scanned++) {
        if (buf[scanned] == '\n') {
          int end = scanned > 0 && buf[scanned - 1] == '\r' ? scanned - 1 : scanned;
          String line = new String(buf, 0, end, StandardCharsets.UTF_8);
          int rest = len - scanned - 1;
          System.arraycopy(buf, scanned + 1, buf, 0, rest);
          len = rest;
          scanned = 0;
          return line;
        }
      }
      if (len > maxLineBytes) {
        throw new LineTooLongException(maxLineBytes);
      }
      if (len == buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(2L * buf.length, maxLineBytes + 1L));
      }
      int n = channel.read(ByteBuffer.wrap(buf, len, buf.length - len));
      if (n < 0) {
        if (len == 0) {
          return null;
        }
        // A last line without a newline still counts: `echo -n '{...}' | socat` should work.
        String line = new String(buf, 0, len, StandardCharsets.UTF_8);
        len = 0;
        scanned = 0;
        return line;
      }
      len += n;
    }
  }
}
