package dev.takeover.platform;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A UDP socket for node-link heartbeats (docs/LINKS.md), bound to this node's address on one path
 * and the links' port, so what arrives on it came in on that path and what leaves it has that
 * source. IPv4 only for now.
 *
 * <p>Implementation notes: non-blocking; received by the {@link SocketPoller} (a platform thread),
 * sent from the engine thread. Send and receive buffers, the msghdr and the destination are
 * allocated once, so neither direction allocates per packet (but the source's {@code InetAddress},
 * looked up from a small cache of the peers' addresses). The traffic class is Internetwork Control
 * (0xc0), as for adverts.
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
  private final MemorySegment sendBuffer = arena.allocate(MAX_PACKET, 8);
  private final MemorySegment destination = arena.allocate(SocketAddresses.SOCKADDR_IN_SIZE, 4);
  private final MemorySegment receiveBuffer = arena.allocate(MAX_PACKET, 8);
  private final MemorySegment name = arena.allocate(SocketAddresses.SOCKADDR_IN_SIZE, 8);
  private final MemorySegment iovec = arena.allocate(Libc.IOVEC_SIZE, 8);
  private final MemorySegment msghdr = arena.allocate(Libc.MSGHDR_SIZE, 8);
  private final byte[] packet = new byte[MAX_PACKET];
  private final byte[] sourceBytes = new byte[4];
  private InetAddress lastSource;
  private final byte[] lastSourceBytes = new byte[4];
  private InetAddress lastDestination;

  private LinkSocket(int fd, InetAddress local, int port) {
    super(fd);
    this.local = local;
    this.port = port;
    iovec.set(ADDRESS, 0, receiveBuffer);
    iovec.set(JAVA_LONG, 8, MAX_PACKET);
    msghdr.set(ADDRESS, 0, name);
    msghdr.set(ADDRESS, 16, iovec);
    msghdr.set(JAVA_LONG, 24, 1);
  }

  /** Binds to {@code local}:{@code port}; the address must be on an interface of this host. */
  public static LinkSocket open(Inet4Address local, int port) {
    int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
    try (Arena a = Arena.ofConfined()) {
      Libc.setsockoptInt(fd, Libc.IPPROTO_IP, Libc.IP_TOS, INTERNETWORK_CONTROL, "IP_TOS");
      MemorySegment address = SocketAddresses.ipv4(a, local);
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
   * Sends one datagram to {@code peer} at the links' port.
   *
   * @throws NativeException if the kernel refuses (ENETUNREACH while the link is down, say)
   */
  public synchronized void send(byte[] bytes, int length, Inet4Address peer) {
    if (closed) {
      throw new IllegalStateException("link socket is closed");
    }
    if (length < 0 || length > MAX_PACKET) {
      throw new IllegalArgumentException("length " + length);
    }
    if (!peer.equals(lastDestination)) {
      SocketAddresses.setIpv4(destination, peer);
      destination.set(SocketAddresses.SHORT_BIG_ENDIAN, 2, (short) port);
      lastDestination = peer;
    }
    MemorySegment.copy(bytes, 0, sendBuffer, JAVA_BYTE, 0, length);
    Libc.sendto(fd, sendBuffer, length, Libc.MSG_DONTWAIT, destination);
  }

  /** Reads queued datagrams, at most {@code budget} (polling thread). */
  void drain(Handler handler, int budget) {
    while (budget-- > 0) {
      msghdr.set(JAVA_INT, 8, SocketAddresses.SOCKADDR_IN_SIZE);
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
    MemorySegment.copy(name, JAVA_BYTE, 4, sourceBytes, 0, 4);
    if (lastSource != null && java.util.Arrays.equals(lastSourceBytes, sourceBytes)) {
      return lastSource;
    }
    try {
      System.arraycopy(sourceBytes, 0, lastSourceBytes, 0, 4);
      lastSource = InetAddress.getByAddress(sourceBytes.clone());
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
    return lastSource;
  }

  @Override
  public String toString() {
    return "link socket " + local.getHostAddress() + ":" + port;
  }
}
