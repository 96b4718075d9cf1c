package dev.takeover.platform;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;

/**
 * Sends ICMPv6 messages (unsolicited Neighbor Advertisements) on one interface: a raw ICMPv6 socket
 * bound to the device with hop limit 255 (RFC 4861 §7.1.2 makes receivers drop anything less). The
 * kernel always computes the ICMPv6 checksum on raw ICMPv6 sockets. An ICMP6_FILTER that blocks
 * every type keeps the send-only socket's receive queue empty.
 *
 * <p>Thread-safe; the socket lives in the network namespace of the thread that opened it.
 */
public final class Icmp6Socket extends NativeSocket {

  private static final int MAX_MESSAGE = 1280;
  private static final int ALL_HOPS = 255;

  private final int ifindex;
  private final MemorySegment buffer = arena.allocate(MAX_MESSAGE, 8);
  private final MemorySegment destination = arena.allocate(SocketAddresses.SOCKADDR_IN6_SIZE, 4);

  private Icmp6Socket(int fd, int ifindex) {
    super(fd);
    this.ifindex = ifindex;
  }

  /**
   * Opens the socket on {@code ifindex}.
   *
   * @param source address to send from (the VIP or the link-local address); null lets the kernel
   *     choose. The address must be on the interface and not tentative (add it with NODAD).
   */
  public static Icmp6Socket open(int ifindex, Inet6Address source) {
    int fd = Libc.socket(Libc.AF_INET6, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.IPPROTO_ICMPV6);
    try (Arena local = Arena.ofConfined()) {
      Libc.setsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_BINDTOIFINDEX, ifindex, "SO_BINDTOIFINDEX");
      Libc.setsockoptInt(
          fd, Libc.IPPROTO_IPV6, Libc.IPV6_MULTICAST_HOPS, ALL_HOPS, "IPV6_MULTICAST_HOPS");
      Libc.setsockoptInt(
          fd, Libc.IPPROTO_IPV6, Libc.IPV6_UNICAST_HOPS, ALL_HOPS, "IPV6_UNICAST_HOPS");
      Libc.setsockoptInt(
          fd, Libc.IPPROTO_IPV6, Libc.IPV6_MULTICAST_IF, ifindex, "IPV6_MULTICAST_IF");
      Libc.setsockoptInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP");
      MemorySegment blockAll =
          local.allocate(32, 4); // struct icmp6_filter: a set bit blocks a type
      blockAll.fill((byte) 0xff);
      Libc.setsockopt(fd, Libc.IPPROTO_ICMPV6, Libc.ICMP6_FILTER, blockAll, "ICMP6_FILTER");
      if (source != null) {
        Libc.bind(
            fd, SocketAddresses.ipv6(local, source, SocketAddresses.scopeFor(source, ifindex)));
      }
      return new Icmp6Socket(fd, ifindex);
    } catch (RuntimeException e) {
      Libc.close(fd);
      throw e;
    }
  }

  /** Sends one ICMPv6 message (no IPv6 header; checksum filled in by the kernel). */
  public synchronized void send(byte[] icmpMessage, int length, Inet6Address destinationAddress) {
    if (closed) {
      throw new IllegalStateException("ICMPv6 socket is closed");
    }
    if (length < 4 || length > icmpMessage.length || length > MAX_MESSAGE) {
      throw new IllegalArgumentException("ICMPv6 message length " + length);
    }
    SocketAddresses.setIpv6(
        destination, destinationAddress, SocketAddresses.scopeFor(destinationAddress, ifindex));
    MemorySegment.copy(icmpMessage, 0, buffer, JAVA_BYTE, 0, length);
    Libc.sendto(fd, buffer, length, 0, destination);
  }
}
