package dev.takeover.lab;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The UDP probe protocol between {@link Prober} and {@link EchoResponder}.
 *
 * <pre>
 * request:  "TKVP" (4) | sequence number (8, big-endian)
 * response: "TKVR" (4) | sequence number (8, big-endian) | responder name (UTF-8, rest of datagram)
 * </pre>
 */
public final class ProbePacket {
  static final int REQUEST_MAGIC = 0x544B5650; // "TKVP"
  static final int RESPONSE_MAGIC = 0x544B5652; // "TKVR"
  public static final int REQUEST_LENGTH = 12;
  static final int MAX_NAME_BYTES = 64;

  /** A decoded response. */
  public record Answer(long sequence, String responder) {}

  private ProbePacket() {}

  public static void writeRequest(ByteBuffer buffer, long sequence) {
    buffer.clear().putInt(REQUEST_MAGIC).putLong(sequence).flip();
  }

  /** The sequence number of a request, or -1 if {@code datagram} is not one. */
  static long readRequest(ByteBuffer datagram) {
    if (datagram.remaining() < REQUEST_LENGTH || datagram.getInt() != REQUEST_MAGIC) {
      return -1;
    }
    return datagram.getLong();
  }

  static void writeResponse(ByteBuffer buffer, long sequence, byte[] responderName) {
    buffer.clear().putInt(RESPONSE_MAGIC).putLong(sequence).put(responderName).flip();
  }

  public static Optional<Answer> readResponse(ByteBuffer datagram) {
    if (datagram.remaining() < REQUEST_LENGTH || datagram.getInt() != RESPONSE_MAGIC) {
      return Optional.empty();
    }
    long sequence = datagram.getLong();
    byte[] name = new byte[datagram.remaining()];
    datagram.get(name);
    return Optional.of(new Answer(sequence, new String(name, StandardCharsets.UTF_8)));
  }
}
