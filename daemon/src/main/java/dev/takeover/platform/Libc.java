package dev.takeover.platform;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * libc downcalls used by the platform layer. Every call that fails throws {@link NativeException}
 * naming the call, except where a method says it reports a transient errno by its return value.
 *
 * <p>Implementation notes: each downcall handle lives in its own holder class, so a handle is
 * linked (60–100 ms for the first, a few ms per new shape) only when first used. errno is captured
 * by the linker ({@code captureCallState("errno")}); reading {@code __errno_location} afterwards is
 * unreliable because the JVM may run native code in between. The capture segment is per thread, so
 * the hot receive and send paths allocate nothing.
 */
final class Libc {

  // errno values (asm-generic/errno-base.h, errno.h).
  static final int EPERM = 1;
  static final int ENOENT = 2;
  static final int ESRCH = 3;
  static final int EINTR = 4;
  static final int EAGAIN = 11;
  static final int EEXIST = 17;
  static final int ENODEV = 19;
  static final int EINVAL = 22;
  static final int ENOBUFS = 105;
  static final int EADDRNOTAVAIL = 99;

  // Address families and socket types.
  static final int AF_UNIX = 1;
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  static final int AF_NETLINK = 16;
  static final int AF_PACKET = 17;
  static final int SOCK_DGRAM = 2;
  static final int SOCK_RAW = 3;
  static final int SOCK_NONBLOCK = 0x800;
  static final int SOCK_CLOEXEC = 0x80000;

  // Socket option levels and names.
  static final int SOL_SOCKET = 1;
  static final int SO_RCVBUF = 8;
  static final int SO_BINDTOIFINDEX = 62;
  static final int IPPROTO_IP = 0;
  static final int IPPROTO_ICMP = 1;
  static final int IPPROTO_IPV6 = 41;
  static final int IPPROTO_ICMPV6 = 58;
  static final int IPPROTO_VRRP = 112;
  static final int IP_TOS = 1;
  static final int IP_TTL = 2;
  static final int IP_PKTINFO = 8;
  static final int IP_RECVTTL = 12;
  static final int IP_MULTICAST_IF = 32;
  static final int IP_MULTICAST_TTL = 33;
  static final int IP_MULTICAST_LOOP = 34;
  static final int IP_ADD_MEMBERSHIP = 35;
  static final int IPV6_CHECKSUM = 7;
  static final int IPV6_UNICAST_HOPS = 16;
  static final int IPV6_V6ONLY = 26;
  static final int IPV6_MULTICAST_IF = 17;
  static final int IPV6_MULTICAST_HOPS = 18;
  static final int IPV6_MULTICAST_LOOP = 19;
  static final int IPV6_ADD_MEMBERSHIP = 20;
  static final int IPV6_RECVPKTINFO = 49;
  static final int IPV6_PKTINFO = 50;
  static final int IPV6_RECVHOPLIMIT = 51;
  static final int IPV6_HOPLIMIT = 52;
  static final int IPV6_TCLASS = 67;
  static final int ICMP6_FILTER = 1;
  static final int SOL_RAW = 255;
  static final int ICMP_FILTER = 1; // linux/icmp.h: on SOL_RAW, a set bit drops that ICMP type

  static final int MSG_DONTWAIT = 0x40;
  static final int MSG_TRUNC = 0x20;

  static final int O_RDONLY = 0;
  static final int O_CLOEXEC = 0x80000;
  static final int CLONE_NEWNET = 0x40000000;
  static final int SCHED_FIFO = 1;

  /** sched(7): threads and processes this one creates start under SCHED_OTHER. */
  static final int SCHED_RESET_ON_FORK = 0x40000000;

  static final int EFD_NONBLOCK = 0x800;
  static final int EFD_CLOEXEC = 0x80000;

  static final short POLLIN = 0x1;
  static final short POLLERR = 0x8;
  static final short POLLHUP = 0x10;
  static final short POLLNVAL = 0x20;

  /** Sizes on x86_64 (PLATFORM-NOTES.md). */
  static final int POLLFD_SIZE = 8;

  static final int MSGHDR_SIZE = 56;
  static final int IOVEC_SIZE = 16;
  static final int CMSGHDR_SIZE = 16;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final ThreadLocal<MemorySegment> CAPTURE =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

  private Libc() {}

  // ---- sockets ----

  static int socket(int domain, int type, int protocol) {
    MemorySegment state = CAPTURE.get();
    int result;
    try {
      result = (int) Socket.HANDLE.invokeExact(state, domain, type, protocol);
    } catch (Throwable t) {
      throw linkageFailure("socket", t);
    }
    return checkInt("socket", result, state);
  }

  static void bind(int fd, MemorySegment address) {
    MemorySegment state = CAPTURE.get();
    int result;
    try {
      result = (int) Bind.HANDLE.invokeExact(state, fd, address, (int) address.byteSize());
    } catch (Throwable t) {
      throw linkageFailure("bind", t);
    }
    checkInt("bind", result, state);
  }

  static void setsockopt(int fd, int level, int name, MemorySegment value, String what) {
    MemorySegment state = CAPTURE.get();
    int result;
    try {
      result =
          (int)
              Setsockopt.HANDLE.invokeExact(state, fd, level, name, value, (int) value.byteSize());
    } catch (Throwable t) {
      throw linkageFailure("setsockopt", t);
    }
    checkInt("setsockopt(" + what + ")", result, state);
  }

  static void setsockoptInt(int fd, int level, int name, int value, String what) {
    try (Arena arena = Arena.ofConfined()) {
      setsockopt(fd, level, name, arena.allocateFrom(JAVA_INT, value), what);
    }
  }

  /** Sends a datagram; {@code address} may be {@link MemorySegment#NULL}. */
  static long sendto(int fd, MemorySegment buffer, long length, int flags, MemorySegment address) {
    MemorySegment state = CAPTURE.get();
    long result;
    try {
      result =
          (long)
              Sendto.HANDLE.invokeExact(
                  state, fd, buffer, length, flags, address, (int) address.byteSize());
    } catch (Throwable t) {
      throw linkageFailure("sendto", t);
    }
    if (result < 0) {
      throw failure("sendto", errno(state));
    }
    return result;
  }

  /**
   * Receives one message.
   *
   * @return the byte count, or -1 if nothing is queued (EAGAIN) or a signal interrupted (EINTR)
   */
  static long recvmsg(int fd, MemorySegment msghdr, int flags) {
    MemorySegment state = CAPTURE.get();
    long result;
    try {
      result = (long) Recvmsg.HANDLE.invokeExact(state, fd, msghdr, flags);
    } catch (Throwable t) {
      throw linkageFailure("recvmsg", t);
    }
    return transientOrThrow("recvmsg", result, state);
  }

  /**
   * Receives into a buffer.
   *
   * @return the byte count, or -1 if nothing is queued (EAGAIN) or a signal interrupted (EINTR)
   */
  static long recv(int fd, MemorySegment buffer, int flags) {
    MemorySegment state = CAPTURE.get();
    long result;
    try {
      result = (long) Recv.HANDLE.invokeExact(state, fd, buffer, buffer.byteSize(), flags);
    } catch (Throwable t) {
      throw linkageFailure("recv", t);
    }
    return transientOrThrow("recv", result, state);
  }

  static void close(int fd) {
    MemorySegment state = CAPTURE.get();
    int result;
    try {
      result = (int) Close.HANDLE.invokeExact(state, fd);
    } catch (Throwable t) {
      throw linkageFailure("close", t);
    }
    // EINTR on close still releases the descriptor on Linux; retrying would close someone else's.
    if (result < 0 && errno(state) != EINTR) {
      throw failure("close", errno(state));
    }
  }

  /**
   * Waits for events on {@code count} pollfd entries for at most {@code timeout} (a struct
   * timespec: seconds and nanoseconds, two longs), or without a limit when it is {@code NULL}:
   * poll(2) with a nanosecond timeout, so the engine's timers keep the precision of a park.
   *
   * @return the number of ready entries, 0 on timeout or EINTR
   */
  static int ppoll(MemorySegment pollfds, int count, MemorySegment timeout) {
    MemorySegment state = CAPTURE.get();
    int result;
    try {
      result =
          (int) Ppoll.HANDLE.invokeExact(state, pollfds, (long) count, timeout, MemorySegment.NULL);
    } catch (Throwable t) {
      throw linkageFailure("ppoll", t);
    }
    if (result < 0) {
      int errno = errno(state);
      if (errno == EINTR) {
        return 0;
      }
      throw failure("ppoll", errno);
    }
    return result;
  }

  static final int TIMESPEC_SIZE = 16;

  // ---- eventfd ----

  static int eventfd(int initialValue, int flags) {
    MemorySegment state = CAPTURE.get();
    int result;
    try {
      result = (int) Eventfd.HANDLE.invokeExact(state, initialValue, flags);
    } catch (Throwable t) {
      throw linkageFailure("eventfd", t);
    }
    return checkInt("eventfd", result, state);
  }

  /** Writes 8 bytes; EAGAIN (counter saturated) is fine for a wake-up and is ignored. */
  static void write(int fd, MemorySegment buffer) {
    MemorySegment state = CAPTURE.get();
    long result;
    try {
      result = (long) Write.HANDLE.invokeExact(state, fd, buffer, buffer.byteSize());
    } catch (Throwable t) {
      throw linkageFailure("write", t);
    }
    transientOrThrow("write", result, state);
  }

  /**
   * Reads into a buffer.
   *
   * @return the byte count, or -1 on EAGAIN/EINTR
   */
  static long read(int fd, MemorySegment buffer) {
    MemorySegment state = CAPTURE.get();
    long result;
    try {
      result = (long) Read.HANDLE.invokeExact(state, fd, buffer, buffer.byteSize());
    } catch (Throwable t) {
      throw linkageFailure("read", t);
    }
    return transientOrThrow("read", result, state);
  }

  // ---- namespaces, files, scheduling ----

  static int open(String path, int flags) {
    MemorySegment state = CAPTURE.get();
    int result;
    try (Arena arena = Arena.ofConfined()) {
      result = (int) Open.HANDLE.invokeExact(state, arena.allocateFrom(path), flags, 0);
    } catch (Throwable t) {
      throw linkageFailure("open", t);
    }
    return checkInt("open(" + path + ")", result, state);
  }

  static void setns(int fd, int nstype) {
    MemorySegment state = CAPTURE.get();
    int result;
    try {
      result = (int) Setns.HANDLE.invokeExact(state, fd, nstype);
    } catch (Throwable t) {
      throw linkageFailure("setns", t);
    }
    checkInt("setns", result, state);
  }

  /**
   * sched_setscheduler(0, policy, {priority}) for the calling thread.
   *
   * @return 0 on success, otherwise the errno
   */
  static int schedSetscheduler(int policy, int priority) {
    return schedSetscheduler(0, policy, priority);
  }

  /** {@code sched_setscheduler} for thread {@code tid} (0: the calling thread). */
  static int schedSetscheduler(int tid, int policy, int priority) {
    MemorySegment state = CAPTURE.get();
    int result;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment param = arena.allocateFrom(JAVA_INT, priority);
      result = (int) SchedSetscheduler.HANDLE.invokeExact(state, tid, policy, param);
    } catch (Throwable t) {
      throw linkageFailure("sched_setscheduler", t);
    }
    return result < 0 ? errno(state) : 0;
  }

  // ---- signals ----

  /**
   * {@code kill(pid, signal)}.
   *
   * @return 0 if the signal was sent, otherwise the errno ({@link #ESRCH}: no such process, {@link
   *     #EPERM}: not ours to signal)
   */
  static int kill(int pid, int signal) {
    MemorySegment state = CAPTURE.get();
    int result;
    try {
      result = (int) Kill.HANDLE.invokeExact(state, pid, signal);
    } catch (Throwable t) {
      throw linkageFailure("kill", t);
    }
    return result < 0 ? errno(state) : 0;
  }

  /**
   * Whether {@code signal}'s disposition is SIG_IGN ({@code sigaction(2)} with no new action;
   * glibc's {@code struct sigaction} starts with the handler on x86_64 and aarch64, and SIG_IGN is
   * 1).
   */
  static boolean signalIgnored(int signal) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment old = arena.allocate(256, 8); // struct sigaction is 152 bytes in glibc
      MemorySegment state = CAPTURE.get();
      int result = (int) Sigaction.HANDLE.invokeExact(state, signal, MemorySegment.NULL, old);
      if (result < 0) {
        throw failure("sigaction(" + signal + ")", errno(state));
      }
      return old.get(JAVA_LONG, 0) == 1L;
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw linkageFailure("sigaction", t);
    }
  }

  /** Sets {@code signal}'s disposition back to SIG_DFL ({@code signal(2)}). */
  static void signalDefault(int signal) {
    MemorySegment state = CAPTURE.get();
    MemorySegment previous;
    try {
      previous = (MemorySegment) Signal.HANDLE.invokeExact(state, signal, MemorySegment.NULL);
    } catch (Throwable t) {
      throw linkageFailure("signal", t);
    }
    if (previous.address() == -1L) { // SIG_ERR
      throw failure("signal(" + signal + ", SIG_DFL)", errno(state));
    }
  }

  /** The kernel's text for an errno, e.g. "No such device". */
  @SuppressWarnings("restricted")
  static String strerror(int errno) {
    try {
      MemorySegment text = (MemorySegment) Strerror.HANDLE.invokeExact(errno);
      return text.reinterpret(256).getString(0);
    } catch (Throwable t) {
      return "errno " + errno;
    }
  }

  static NativeException failure(String call, int errno) {
    return new NativeException(call, errno, strerror(errno));
  }

  // ---- helpers ----

  private static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }

  private static int checkInt(String call, int result, MemorySegment state) {
    if (result < 0) {
      throw failure(call, errno(state));
    }
    return result;
  }

  private static long transientOrThrow(String call, long result, MemorySegment state) {
    if (result >= 0) {
      return result;
    }
    int errno = errno(state);
    if (errno == EAGAIN || errno == EINTR) {
      return -1;
    }
    throw failure(call, errno);
  }

  private static IllegalStateException linkageFailure(String call, Throwable t) {
    if (t instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (t instanceof Error error) {
      throw error;
    }
    return new IllegalStateException("downcall " + call + " failed", t);
  }

  @SuppressWarnings("restricted")
  private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
    MemorySegment symbol =
        LINKER
            .defaultLookup()
            .find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    return LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
  }

  // One holder per call: a handle is linked on first use only.

  private static final class Socket {
    static final MethodHandle HANDLE =
        downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
  }

  private static final class Bind {
    static final MethodHandle HANDLE =
        downcall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
  }

  private static final class Setsockopt {
    static final MethodHandle HANDLE =
        downcall(
            "setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
  }

  private static final class Sendto {
    static final MethodHandle HANDLE =
        downcall(
            "sendto",
            FunctionDescriptor.of(
                JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
  }

  private static final class Recvmsg {
    static final MethodHandle HANDLE =
        downcall("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
  }

  private static final class Recv {
    static final MethodHandle HANDLE =
        downcall("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
  }

  private static final class Close {
    static final MethodHandle HANDLE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  }

  private static final class Ppoll {
    static final MethodHandle HANDLE =
        downcall("ppoll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));
  }

  private static final class Eventfd {
    static final MethodHandle HANDLE =
        downcall("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
  }

  private static final class Write {
    static final MethodHandle HANDLE =
        downcall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
  }

  private static final class Read {
    static final MethodHandle HANDLE =
        downcall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
  }

  private static final class Open {
    // open(const char *path, int flags, ...): the mode argument is variadic.
    @SuppressWarnings("restricted")
    private static MethodHandle link() {
      MemorySegment symbol = LINKER.defaultLookup().find("open").orElseThrow();
      return LINKER.downcallHandle(
          symbol,
          FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
          Linker.Option.firstVariadicArg(2),
          Linker.Option.captureCallState("errno"));
    }

    static final MethodHandle HANDLE = link();
  }

  private static final class Setns {
    static final MethodHandle HANDLE =
        downcall("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
  }

  private static final class SchedSetscheduler {
    static final MethodHandle HANDLE =
        downcall(
            "sched_setscheduler", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
  }

  private static final class Sigaction {
    static final MethodHandle HANDLE =
        downcall("sigaction", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
  }

  private static final class Signal {
    static final MethodHandle HANDLE =
        downcall("signal", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
  }

  private static final class Kill {
    static final MethodHandle HANDLE =
        downcall("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
  }

  private static final class Strerror {
    @SuppressWarnings("restricted")
    private static MethodHandle link() {
      MemorySegment symbol = LINKER.defaultLookup().find("strerror").orElseThrow();
      return LINKER.downcallHandle(symbol, FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    static final MethodHandle HANDLE = link();
  }
}
