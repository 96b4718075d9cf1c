package dev.takeover.config;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Strict UTF-8 decoding that says where the first invalid byte is, as line and column. */
final class Utf8 {
  private Utf8() {}

  /** Bytes that are not UTF-8, at a 1-based line and column (columns count characters). */
  static final class InvalidUtf8Exception extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;

    InvalidUtf8Exception(int line, int column, String message) {
      super(message);
      this.line = line;
      this.column = column;
    }

    int line() {
      return line;
    }

    int column() {
      return column;
    }
  }

  static String decode(byte[] bytes) throws InvalidUtf8Exception {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw invalidAt(bytes, in.position(), result.length());
    }
    return out.flip().toString();
  }

  private static InvalidUtf8Exception invalidAt(byte[] bytes, int offset, int length) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    // Everything before the offset decoded, so each character there has exactly one lead byte.
    int column = 1;
    for (int i = lineStart; i < offset; i++) {
      if ((bytes[i] & 0xC0) != 0x80) {
        column++;
      }
    }
    StringBuilder shown = new StringBuilder();
    for (int i = offset; i < Math.min(bytes.length, offset + Math.max(1, length)); i++) {
      shown
          .append(shown.isEmpty() ? "" : " ")
          .append(String.format(Locale.ROOT, "0x%02X", bytes[i] & 0xFF));
    }
    return new InvalidUtf8Exception(
        line, column, "not valid UTF-8 (" + shown + "); the file must be UTF-8 text");
  }
}
