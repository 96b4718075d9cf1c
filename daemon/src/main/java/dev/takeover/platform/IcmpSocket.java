package dev.takeover.platform;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * ICMPv4 echo requests out of one interface and the echo replies that come back (gateway probes,
 * docs/LINKS.md): a raw IPv4 ICMP socket ({@code socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)}) bound to
 * the device, and to this node's address there when there is one, so requests leave with it as
 * their source and only replies to it are queued.
 *
 * <p>Implementation notes. Every raw ICMP socket of a namespace gets a copy of every ICMP message
 * that arrives (echo replies to another program's ping among them); an {@code ICMP_FILTER} (level
 * {@code SOL_RAW}, linux/icmp.h) that drops every type but 0 keeps the queue to echo replies, so
 * destination-unreachables, echo requests to this host and the rest never wake the poller. A raw
 * IPv4 socket sends the ICMP message as given (the checksum is the caller's, {@code
 * wire.IcmpCodec}) and receives whole IPv4 packets, header first. Non-blocking: sent from the
 * engine thread with {@code MSG_DONTWAIT}, read by the {@link SocketPoller} (the engine thread
 * too). Buffers and the destination are allocated once, so neither direction allocates per packet.
 * Needs CAP_NET_RAW.
 *
 * <p>IPv6 ({@link #open6}): a raw ICMPv6 socket ({@code socket(AF_INET6, SOCK_RAW,
 * IPPROTO_ICMPV6)}), bound the same way, for ICMPv6 echoes and Neighbor Solicitations. It differs
 * where RFC 3542 says it does: the kernel computes the ICMPv6 checksum of what is sent and verifies
 * that of what is received (§3.1), a message comes without its IPv6 header (§3), so the source is
 * read from the socket address and the hop limit from {@code IPV6_RECVHOPLIMIT}'s ancillary data
 * (§6.3; Neighbor Discovery wants 255, RFC 4861 §7.1.2), and the filter is {@code ICMP6_FILTER}
 * (§3.2: 256 bits, a set bit blocks that type on Linux). Requests leave with hop limit 255, which a
 * Neighbor Solicitation must have (RFC 4861 §7.1.1) and an echo does not mind.
 */
public final class IcmpSocket extends NativeSocket {
  /** The longest packet read; longer ones (no probe's reply) are skipped. */
  public static final int MAX_PACKET = 1500;

  private static final int ICMP_ECHO_REPLY = 0;
  private static final int ALL_HOPS = 255;
  private static final int CONTROL = 64;

  /**
   * Called on the polling thread for each IPv4 packet; the bytes are valid during the call only.
   */
  @FunctionalInterface
  public interface Handler {
    void onPacket(byte[] packet, int length);
  }

  /**
   * Called on the polling thread for each ICMPv6 message ({@link #open6}); the bytes, and the
   * 16-byte {@code source} address, are valid during the call only. {@code hopLimit} is the hop
   * limit it arrived with; -1 when the kernel did not say.
   */
  @FunctionalInterface
  public interface Handler6 {
    void onMessage(byte[] message, int length, byte[] source, int hopLimit);
  }

  private final int ifindex;
  private final boolean ipv6;
  private final MemorySegment sendBuffer = arena.allocate(MAX_PACKET, 8);
  private final MemorySegment destination = arena.allocate(SocketAddresses.SOCKADDR_IN6_SIZE, 4);
  private final MemorySegment receiveBuffer = arena.allocate(MAX_PACKET, 8);
  private final byte[] packet = new byte[MAX_PACKET];
  private final LongAdder oversized = new LongAdder();
  private InetAddress lastDestination;
  // IPv6 receiving: recvmsg for the source address and the hop limit.
  private final MemorySegment name;
  private final MemorySegment control;
  private final MemorySegment msghdr;
  private final byte[] source = new byte[16];

  private IcmpSocket(int fd, int ifindex, boolean ipv6) {
    super(fd);
    this.ifindex = ifindex;
    this.ipv6 = ipv6;
    if (ipv6) {
      name = arena.allocate(SocketAddresses.SOCKADDR_IN6_SIZE, 8);
      control = arena.allocate(CONTROL, 8);
      MemorySegment iovec = arena.allocate(Libc.IOVEC_SIZE, 8);
      iovec.set(ADDRESS, 0, receiveBuffer);
      iovec.set(JAVA_LONG, 8, MAX_PACKET);
      msghdr = arena.allocate(Libc.MSGHDR_SIZE, 8);
      msghdr.set(ADDRESS, 0, name);
      msghdr.set(ADDRESS, 16, iovec);
      msghdr.set(JAVA_LONG, 24, 1);
      msghdr.set(ADDRESS, 32, control);
    } else {
      name = null;
      control = null;
      msghdr = null;
    }
  }

  /**
   * Opens the socket on {@code ifindex}.
   *
   * @param source the address requests leave from and replies come to; null lets the kernel choose
   *     (an interface without IPv4 address)
   */
  public static IcmpSocket open(int ifindex, Inet4Address source) {
    int fd =
        Libc.socket(
            Libc.AF_INET,
            Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC,
            Libc.IPPROTO_ICMP);
    try (Arena local = Arena.ofConfined()) {
      // SO_BINDTOIFINDEX is SO_BINDTODEVICE by index (Linux 5.0+): requests leave by this
      // interface whatever the routing table says, and only what arrives on it is queued.
      Libc.setsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_BINDTOIFINDEX, ifindex, "SO_BINDTOIFINDEX");
      Libc.setsockoptInt(
          fd, Libc.SOL_RAW, Libc.ICMP_FILTER, ~(1 << ICMP_ECHO_REPLY), "ICMP_FILTER");
      if (source != null) {
        Libc.bind(fd, SocketAddresses.ipv4(local, source));
      }
      return new IcmpSocket(fd, ifindex, false);
    } catch (RuntimeException e) {
      Libc.close(fd);
      throw e;
    }
  }

  /**
   * Opens a raw ICMPv6 socket on {@code ifindex} that queues only ICMPv6 messages of the types
   * {@code passed}.
   *
   * @param source the address requests leave from and replies come to (a link-local one is scoped
   *     to {@code ifindex}); it must not be tentative
   */
  public static IcmpSocket open6(int ifindex, Inet6Address source, int... passed) {
    int fd =
        Libc.socket(
            Libc.AF_INET6,
            Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC,
            Libc.IPPROTO_ICMPV6);
    try (Arena local = Arena.ofConfined()) {
      Libc.setsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_BINDTOIFINDEX, ifindex, "SO_BINDTOIFINDEX");
      Libc.setsockoptInt(
          fd, Libc.IPPROTO_IPV6, Libc.IPV6_UNICAST_HOPS, ALL_HOPS, "IPV6_UNICAST_HOPS");
      Libc.setsockoptInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
      MemorySegment filter = local.allocate(32, 4); // struct icmp6_filter: 8 words of 32 bits
      filter.fill((byte) 0xff);
      for (int type : passed) {
        int word = (type >>> 5) * 4;
        filter.set(JAVA_INT, word, filter.get(JAVA_INT, word) & ~(1 << (type & 31)));
      }
      Libc.setsockopt(fd, Libc.IPPROTO_ICMPV6, Libc.ICMP6_FILTER, filter, "ICMP6_FILTER");
      if (source != null) {
        Libc.bind(
            fd, SocketAddresses.ipv6(local, source, SocketAddresses.scopeFor(source, ifindex)));
      }
      return new IcmpSocket(fd, ifindex, true);
    } catch (RuntimeException e) {
      Libc.close(fd);
      throw e;
    }
  }

  /** Whether this is a raw ICMPv6 socket ({@link #open6}). */
  public boolean ipv6() {
    return ipv6;
  }

  public int ifindex() {
    return ifindex;
  }

  int fd() {
    return fd;
  }

  /**
   * Sends one ICMP message (no IP header; checksum set by the caller) to {@code to} without
   * waiting.
   *
   * @throws NativeException if the kernel refuses (ENETUNREACH while the link is down, EAGAIN)
   */
  public synchronized void sendWithoutWaiting(byte[] message, int length, InetAddress to) {
    if (closed) {
      throw new IllegalStateException("ICMP socket is closed");
    }
    if (length < 8 || length > message.length || length > MAX_PACKET) {
      throw new IllegalArgumentException("ICMP message length " + length);
    }
    if (ipv6 != to instanceof Inet6Address) {
      throw new IllegalArgumentException(to + " is not of the socket's family");
    }
    if (!to.equals(lastDestination)) {
      if (to instanceof Inet6Address a) {
        SocketAddresses.setIpv6(destination, a, SocketAddresses.scopeFor(a, ifindex));
      } else {
        SocketAddresses.setIpv4(destination, (Inet4Address) to);
      }
      lastDestination = to;
    }
    MemorySegment.copy(message, 0, sendBuffer, JAVA_BYTE, 0, length);
    Libc.sendto(fd, sendBuffer, length, Libc.MSG_DONTWAIT, destination);
  }

  /** Packets skipped since start because they were longer than {@link #MAX_PACKET}. */
  public long oversized() {
    return oversized.sum();
  }

  /** Delivers queued packets to {@code handler}, at most {@code budget}, without blocking. */
  void drain(Handler handler, int budget) {
    // MSG_TRUNC: the packet's real length, so a longer one is seen and skipped, not cut short.
    for (long n;
        budget-- > 0
            && (n = Libc.recv(fd, receiveBuffer, Libc.MSG_DONTWAIT | Libc.MSG_TRUNC)) >= 0; ) {
      if (n > MAX_PACKET) {
        oversized.increment();
        continue;
      }
      int length = (int) n;
      MemorySegment.copy(receiveBuffer, JAVA_BYTE, 0, packet, 0, length);
      handler.onPacket(packet, length);
    }
  }

  /** Delivers queued ICMPv6 messages ({@link #open6}), at most {@code budget}, without blocking. */
  void drain6(Handler6 handler, int budget) {
    while (budget-- > 0) {
      msghdr.set(JAVA_INT, 8, SocketAddresses.SOCKADDR_IN6_SIZE);
      msghdr.set(JAVA_LONG, 40, CONTROL);
      msghdr.set(JAVA_INT, 48, 0);
      long received = Libc.recvmsg(fd, msghdr, Libc.MSG_DONTWAIT);
      if (received < 0) {
        return;
      }
      if ((msghdr.get(JAVA_INT, 48) & Libc.MSG_TRUNC) != 0) {
        oversized.increment();
        continue;
      }
      int hopLimit = -1;
      long controlLength = msghdr.get(JAVA_LONG, 40);
      for (long offset = 0; offset + Libc.CMSGHDR_SIZE <= controlLength; ) {
        long cmsgLength = control.get(JAVA_LONG, offset);
        if (cmsgLength < Libc.CMSGHDR_SIZE || offset + cmsgLength > controlLength) {
          break;
        }
        if (control.get(JAVA_INT, offset + 8) == Libc.IPPROTO_IPV6
            && control.get(JAVA_INT, offset + 12) == Libc.IPV6_HOPLIMIT) {
          hopLimit = control.get(JAVA_INT, offset + Libc.CMSGHDR_SIZE);
        }
        offset += (cmsgLength + 7) & ~7L;
      }
      int length = (int) received;
      MemorySegment.copy(receiveBuffer, JAVA_BYTE, 0, packet, 0, length);
      MemorySegment.copy(name, JAVA_BYTE, 8, source, 0, 16); // sockaddr_in6.sin6_addr
      handler.onMessage(packet, length, source, hopLimit);
    }
  }

  @Override
  public String toString() {
    return (ipv6 ? "IcmpSocket[IPv6, ifindex " : "IcmpSocket[ifindex ") + ifindex + "]";
  }
}
