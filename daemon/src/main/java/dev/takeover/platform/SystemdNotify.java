package dev.takeover.platform;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sd_notify protocol: one datagram per message on the AF_UNIX socket named by {@code
 * $NOTIFY_SOCKET}, without libsystemd. A path starting with {@code @} names an abstract socket (the
 * {@code @} becomes a leading NUL). When the variable is unset (not started by systemd, or not
 * {@code Type=notify}) every method does nothing.
 *
 * <p>Implementation notes: the socket is unbound and unconnected; each message is a {@code sendto}
 * to the saved address, so a restarted systemd (daemon-reexec) that recreated the socket is still
 * reached. A failed send is logged and otherwise ignored: readiness and watchdog are a courtesy to
 * the service manager and must never stop failover. systemd reads messages only from this process
 * ({@code NotifyAccess=main}), which is why no helper process sends them.
 */
public final class SystemdNotify implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SystemdNotify.class);

  /** sizeof(sockaddr_un.sun_path) on Linux. */
  static final int SUN_PATH_SIZE = 108;

  private static final SystemdNotify DISABLED = new SystemdNotify(-1, null, "");

  private final int fd;
  private final MemorySegment address; // sockaddr_un, exactly as long as the kernel must read
  private final String socket;
  private boolean closed;

  private SystemdNotify(int fd, MemorySegment address, String socket) {
    this.fd = fd;
    this.address = address;
    this.socket = socket;
  }

  /** From {@code NOTIFY_SOCKET} in {@code environment}; disabled when it is unset or empty. */
  public static SystemdNotify fromEnvironment(Map<String, String> environment) {
    String socket = environment.get("NOTIFY_SOCKET");
    if (socket == null || socket.isEmpty()) {
      return DISABLED;
    }
    return open(socket);
  }

  /**
   * A notifier for the socket {@code socket}: a file system path, or {@code @name} for an abstract
   * socket.
   *
   * @throws IllegalArgumentException if the name does not fit a sockaddr_un or is relative
   */
  public static SystemdNotify open(String socket) {
    byte[] name = socket.getBytes(StandardCharsets.UTF_8);
    boolean abstractName = name.length > 0 && name[0] == '@';
    if (!abstractName && (name.length == 0 || name[0] != '/')) {
      throw new IllegalArgumentException("NOTIFY_SOCKET is neither a path nor @name: " + socket);
    }
    // A path needs its terminating NUL inside sun_path; an abstract name is exactly its bytes.
    int pathLength = abstractName ? name.length : name.length + 1;
    if (pathLength > SUN_PATH_SIZE) {
      throw new IllegalArgumentException("NOTIFY_SOCKET is too long: " + socket);
    }
    MemorySegment address = Arena.global().allocate(2 + pathLength, 2);
    address.set(JAVA_SHORT, 0, (short) Libc.AF_UNIX);
    MemorySegment.copy(name, 0, address, JAVA_BYTE, 2, name.length);
    if (abstractName) {
      address.set(JAVA_BYTE, 2, (byte) 0);
    }
    int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
    return new SystemdNotify(fd, address, socket);
  }

  /** True when messages go somewhere. */
  public boolean enabled() {
    return fd >= 0;
  }

  /**
   * Sends one message, e.g. {@code READY=1} or several {@code KEY=value} lines joined by a newline.
   *
   * @return whether it was sent (false when disabled, closed or the send failed)
   */
  public synchronized boolean send(String message) {
    if (fd < 0 || closed) {
      return false;
    }
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(Math.max(1, bytes.length));
      MemorySegment.copy(bytes, 0, buffer, JAVA_BYTE, 0, bytes.length);
      Libc.sendto(fd, buffer, bytes.length, 0, address);
      return true;
    } catch (NativeException e) {
      log.warn("cannot notify systemd at {}: {}", socket, e.getMessage());
      return false;
    }
  }

  @Override
  public synchronized void close() {
    if (fd >= 0 && !closed) {
      closed = true;
      Libc.close(fd);
    }
  }
}
