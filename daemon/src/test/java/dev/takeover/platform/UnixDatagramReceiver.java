package dev.takeover.platform;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A real AF_UNIX datagram socket bound to a path or an abstract name, standing in for systemd. */
public final class UnixDatagramReceiver implements AutoCloseable {
  private final int fd;

  /** Binds to {@code name}: a path, or {@code @name} for an abstract socket. */
  public UnixDatagramReceiver(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    boolean abstractName = bytes[0] == '@';
    fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment address = arena.allocate(2 + bytes.length + (abstractName ? 0 : 1), 2);
      address.set(JAVA_SHORT, 0, (short) Libc.AF_UNIX);
      MemorySegment.copy(bytes, 0, address, JAVA_BYTE, 2, bytes.length);
      if (abstractName) {
        address.set(JAVA_BYTE, 2, (byte) 0);
      }
      Libc.bind(fd, address);
    } catch (RuntimeException e) {
      Libc.close(fd);
      throw e;
    }
  }

  /**
   * Every datagram queued now, oldest first (a local datagram is queued by the time send returns).
   */
  public List<String> drain() {
    List<String> messages = new ArrayList<>();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(4096);
      while (true) {
        long n = Libc.recv(fd, buffer, Libc.MSG_DONTWAIT);
        if (n < 0) {
          return messages;
        }
        messages.add(new String(buffer.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8));
      }
    }
  }

  @Override
  public void close() {
    Libc.close(fd);
  }
}
