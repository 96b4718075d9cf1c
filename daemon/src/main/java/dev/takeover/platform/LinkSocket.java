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
import java.net.UnknownHostException;

/**
 * A UDP socket for node-link heartbeats (docs/LINKS.md), bound to this node's address on one path
 * and the links' port, so what arrives on it came in on that path and what leaves it has that
 * source. IPv4 ({@code AF_INET}) or IPv6 ({@code AF_INET6}), the family of the local address; a
 * path's peer is of the same family (config.LinkRules). IPv6 paths use global or unique-local
 * addresses only (no link-local: they would need a scope id, DECISIONS 68), so no scope is set.
 *
 * <p>Implementation notes: non-blocking; received by the {@link SocketPoller} (a platform thread),
 * sent from the engine thread. Send and receive buffers, the msghdr and the destination are
 * allocated once, so neither direction allocates per packet (but the source's {@code InetAddress},
 * looked up from a small cache of the peers' addresses). The traffic class is Internetwork Control
 * (0xc0), as for adverts ({@code IP_TOS} or {@code IPV6_TCLASS}).
 */
public final class LinkSocket extends NativeSocket {
  public static final int MAX_PACKET = 1500;
  private static final int INTERNETWORK_CONTROL = 0xc0;

  /** Called on the polling thread for each datagram; the bytes are valid during the call only. */
  @FunctionalInterface
  public interface Handler {
    void onPacket(byte[] packet, int length, InetAddress local, InetAddress source);
  }

  private final InetAddress local;
  private final int port;
  private final boolean ipv6;
  private final int nameSize; // sockaddr_in or sockaddr_in6
  private final int addressOffset; // of the address in it
  private final MemorySegment sendBuffer = arena.allocate(MAX_PACKET, 8);
  private final MemorySegment destination;
  private final MemorySegment receiveBuffer = arena.allocate(MAX_PACKET, 8);
  private final MemorySegment name;
  private final MemorySegment iovec = arena.allocate(Libc.IOVEC_SIZE, 8);
  private final MemorySegment msghdr = arena.allocate(Libc.MSGHDR_SIZE, 8);
  private final byte[] packet = new byte[MAX_PACKET];
  private final byte[] sourceBytes;
  private InetAddress lastSource;
  private final byte[] lastSourceBytes;
  private InetAddress lastDestination;

  private LinkSocket(int fd, InetAddress local, int port) {
    super(fd);
    this.local = local;
    this.port = port;
    this.ipv6 = local instanceof Inet6Address;
    this.nameSize = ipv6 ? SocketAddresses.SOCKADDR_IN6_SIZE : SocketAddresses.SOCKADDR_IN_SIZE;
    this.addressOffset = ipv6 ? 8 : 4;
    this.destination = arena.allocate(nameSize, 4);
    this.name = arena.allocate(nameSize, 8);
    this.sourceBytes = new byte[ipv6 ? 16 : 4];
    this.lastSourceBytes = new byte[sourceBytes.length];
    iovec.set(ADDRESS, 0, receiveBuffer);
    iovec.set(JAVA_LONG, 8, MAX_PACKET);
    msghdr.set(ADDRESS, 0, name);
    msghdr.set(ADDRESS, 16, iovec);
    msghdr.set(JAVA_LONG, 24, 1);
  }

  /**
   * Binds to {@code local}:{@code port}; the address must be on an interface of this host (an IPv6
   * one not tentative: test addresses are added with {@code nodad}).
   */
  public static LinkSocket open(InetAddress local, int port) {
    boolean ipv6 = local instanceof Inet6Address;
    int fd =
        Libc.socket(
            ipv6 ? Libc.AF_INET6 : Libc.AF_INET,
            Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC,
            0);
    try (Arena a = Arena.ofConfined()) {
      MemorySegment address;
      if (ipv6) {
        // Bound to one IPv6 address, the socket sees no IPv4-mapped traffic anyway; V6ONLY says so.
        Libc.setsockoptInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_V6ONLY, 1, "IPV6_V6ONLY");
        Libc.setsockoptInt(
            fd, Libc.IPPROTO_IPV6, Libc.IPV6_TCLASS, INTERNETWORK_CONTROL, "IPV6_TCLASS");
        address = SocketAddresses.ipv6(a, (Inet6Address) local, 0);
      } else {
        Libc.setsockoptInt(fd, Libc.IPPROTO_IP, Libc.IP_TOS, INTERNETWORK_CONTROL, "IP_TOS");
        address = SocketAddresses.ipv4(a, (Inet4Address) local);
      }
      address.set(SocketAddresses.SHORT_BIG_ENDIAN, 2, (short) port);
      Libc.bind(fd, address);
      return new LinkSocket(fd, local, port);
    } catch (RuntimeException e) {
      Libc.close(fd);
      throw e;
    }
  }

  public InetAddress local() {
    return local;
  }

  int fd() {
    return fd;
  }

  /**
   * Sends one datagram to {@code peer} (of this socket's family) at the links' port.
   *
   * @throws NativeException if the kernel refuses (ENETUNREACH while the link is down, say)
   */
  public synchronized void send(byte[] bytes, int length, InetAddress peer) {
    if (closed) {
      throw new IllegalStateException("link socket is closed");
    }
    if (length < 0 || length > MAX_PACKET) {
      throw new IllegalArgumentException("length " + length);
    }
    if (!peer.equals(lastDestination)) {
      if (ipv6 != peer instanceof Inet6Address) {
        throw new IllegalArgumentException("peer " + peer + " is not of the socket's family");
      }
      if (ipv6) {
        SocketAddresses.setIpv6(destination, (Inet6Address) peer, 0);
      } else {
        SocketAddresses.setIpv4(destination, (Inet4Address) peer);
      }
      destination.set(SocketAddresses.SHORT_BIG_ENDIAN, 2, (short) port);
      lastDestination = peer;
    }
    MemorySegment.copy(bytes, 0, sendBuffer, JAVA_BYTE, 0, length);
    Libc.sendto(fd, sendBuffer, length, Libc.MSG_DONTWAIT, destination);
  }

  /** Reads queued datagrams, at most {@code budget} (polling thread). */
  void drain(Handler handler, int budget) {
    while (budget-- > 0) {
      msghdr.set(JAVA_INT, 8, nameSize);
      msghdr.set(JAVA_LONG, 40, 0);
      msghdr.set(JAVA_INT, 48, 0);
      long received = Libc.recvmsg(fd, msghdr, Libc.MSG_DONTWAIT);
      if (received < 0) {
        return;
      }
      if ((msghdr.get(JAVA_INT, 48) & Libc.MSG_TRUNC) != 0) {
        continue; // longer than any heartbeat: not ours
      }
      int n = (int) received;
      MemorySegment.copy(receiveBuffer, JAVA_BYTE, 0, packet, 0, n);
      handler.onPacket(packet, n, local, source());
    }
  }

  private InetAddress source() {
    MemorySegment.copy(name, JAVA_BYTE, addressOffset, sourceBytes, 0, sourceBytes.length);
    if (lastSource != null && java.util.Arrays.equals(lastSourceBytes, sourceBytes)) {
      return lastSource;
    }
    try {
      System.arraycopy(sourceBytes, 0, lastSourceBytes, 0, sourceBytes.length);
      lastSource = InetAddress.getByAddress(sourceBytes.clone());
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
    return lastSource;
  }

  @Override
  public String toString() {
    return "link socket "
        + (ipv6 ? "[" + local.getHostAddress() + "]" : local.getHostAddress())
        + ":"
        + port;
  }
}
