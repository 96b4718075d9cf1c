package dev.takeover.platform;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * Sends VRRP advertisements: a raw IP protocol 112 socket bound to the interface's own address.
 *
 * <p>IPv4: the VRRPv3 checksum covers a pseudo-header (RFC 5798 §5.2.8), so the source address must
 * be fixed before the caller computes it: the socket is bound to it. TTL 255 for multicast and
 * unicast (RFC 5798 §5.1.1.3), multicast leaves through {@code ifindex} and is not looped back.
 * IPv6: {@code IPV6_CHECKSUM=6} makes the kernel fill the checksum (whatever the caller put there),
 * hop limit 255 (RFC 5798 §5.1.2.3), source is the link-local address (RFC 5798 §5.1.2.1). Both set
 * the traffic class to Internetwork Control (0xc0), as keepalived does.
 *
 * <p>The socket lives in the network namespace of the thread that opened it. {@link #send} is
 * thread-safe and never blocks for long (raw sockets do not wait for the peer).
 */
public final class VrrpSender extends NativeSocket {

  private static final int ALL_TTL = 255;
  private static final int INTERNETWORK_CONTROL = 0xc0;
  private static final int MAX_MESSAGE = 1500;

  private final boolean ipv6;
  private final int ifindex;
  private final InetAddress source;
  private final MemorySegment buffer = arena.allocate(MAX_MESSAGE, 8);
  private final MemorySegment destination;
  private InetAddress lastDestination;

  private VrrpSender(int fd, boolean ipv6, int ifindex, InetAddress source) {
    super(fd);
    this.ipv6 = ipv6;
    this.ifindex = ifindex;
    this.source = source;
    this.destination =
        arena.allocate(
            ipv6 ? SocketAddresses.SOCKADDR_IN6_SIZE : SocketAddresses.SOCKADDR_IN_SIZE, 4);
  }

  /** An IPv4 sender on {@code ifindex} with {@code source} (the interface's primary address). */
  public static VrrpSender ipv4(int ifindex, Inet4Address source) {
    Objects.requireNonNull(source, "source");
    int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.IPPROTO_VRRP);
    try (Arena local = Arena.ofConfined()) {
      Libc.bind(fd, SocketAddresses.ipv4(local, source));
      MemorySegment mreqn = local.allocate(12, 4); // ip_mreqn: the ifindex is at offset 8
      mreqn.set(JAVA_INT, 8, ifindex);
      Libc.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_IF, mreqn, "IP_MULTICAST_IF");
      Libc.setsockoptInt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_TTL, ALL_TTL, "IP_MULTICAST_TTL");
      Libc.setsockoptInt(fd, Libc.IPPROTO_IP, Libc.IP_TTL, ALL_TTL, "IP_TTL");
      Libc.setsockoptInt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP");
      Libc.setsockoptInt(fd, Libc.IPPROTO_IP, Libc.IP_TOS, INTERNETWORK_CONTROL, "IP_TOS");
      return new VrrpSender(fd, false, ifindex, source);
    } catch (RuntimeException e) {
      Libc.close(fd);
      throw e;
    }
  }

  /** An IPv6 sender on {@code ifindex} with {@code linkLocalSource} (the interface's fe80::). */
  public static VrrpSender ipv6(int ifindex, Inet6Address linkLocalSource) {
    Objects.requireNonNull(linkLocalSource, "linkLocalSource");
    int fd = Libc.socket(Libc.AF_INET6, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.IPPROTO_VRRP);
    try (Arena local = Arena.ofConfined()) {
      Libc.setsockoptInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_CHECKSUM, 6, "IPV6_CHECKSUM");
      Libc.bind(
          fd,
          SocketAddresses.ipv6(
              local, linkLocalSource, SocketAddresses.scopeFor(linkLocalSource, ifindex)));
      Libc.setsockoptInt(
          fd, Libc.IPPROTO_IPV6, Libc.IPV6_MULTICAST_IF, ifindex, "IPV6_MULTICAST_IF");
      Libc.setsockoptInt(
          fd, Libc.IPPROTO_IPV6, Libc.IPV6_MULTICAST_HOPS, ALL_TTL, "IPV6_MULTICAST_HOPS");
      Libc.setsockoptInt(
          fd, Libc.IPPROTO_IPV6, Libc.IPV6_UNICAST_HOPS, ALL_TTL, "IPV6_UNICAST_HOPS");
      Libc.setsockoptInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP");
      Libc.setsockoptInt(
          fd, Libc.IPPROTO_IPV6, Libc.IPV6_TCLASS, INTERNETWORK_CONTROL, "IPV6_TCLASS");
      return new VrrpSender(fd, true, ifindex, linkLocalSource);
    } catch (RuntimeException e) {
      Libc.close(fd);
      throw e;
    }
  }

  /** The source address the socket is bound to (the one the checksum must cover). */
  public InetAddress source() {
    return source;
  }

  public int ifindex() {
    return ifindex;
  }

  /**
   * Sends one VRRP message (no IP header) to the multicast group or a unicast peer.
   *
   * @throws NativeException if the kernel refuses (e.g. ENETUNREACH while the link is down)
   */
  public synchronized void send(byte[] vrrpMessage, int length, InetAddress destinationAddress) {
    if (closed) {
      throw new IllegalStateException("VRRP sender is closed");
    }
    if (length < 0 || length > vrrpMessage.length || length > MAX_MESSAGE) {
      throw new IllegalArgumentException("length " + length);
    }
    if (!destinationAddress.equals(lastDestination)) {
      switch (destinationAddress) {
        case Inet4Address v4 when !ipv6 -> SocketAddresses.setIpv4(destination, v4);
        case Inet6Address v6 when ipv6 ->
            SocketAddresses.setIpv6(destination, v6, SocketAddresses.scopeFor(v6, ifindex));
        default ->
            throw new IllegalArgumentException(
                destinationAddress + " does not match the sender's family");
      }
      lastDestination = destinationAddress;
    }
    MemorySegment.copy(vrrpMessage, 0, buffer, JAVA_BYTE, 0, length);
    Libc.sendto(fd, buffer, length, 0, destination);
  }
}
