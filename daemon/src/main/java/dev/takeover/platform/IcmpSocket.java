package dev.takeover.platform;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
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
 */
public final class IcmpSocket extends NativeSocket {
  /** The longest packet read; longer ones (no probe's reply) are skipped. */
  public static final int MAX_PACKET = 1500;

  private static final int ICMP_ECHO_REPLY = 0;

  /**
   * Called on the polling thread for each IPv4 packet; the bytes are valid during the call only.
   */
  @FunctionalInterface
  public interface Handler {
    void onPacket(byte[] packet, int length);
  }

  private final int ifindex;
  private final MemorySegment sendBuffer = arena.allocate(MAX_PACKET, 8);
  private final MemorySegment destination = arena.allocate(SocketAddresses.SOCKADDR_IN_SIZE, 4);
  private final MemorySegment receiveBuffer = arena.allocate(MAX_PACKET, 8);
  private final byte[] packet = new byte[MAX_PACKET];
  private final LongAdder oversized = new LongAdder();
  private Inet4Address lastDestination;

  private IcmpSocket(int fd, int ifindex) {
    super(fd);
    this.ifindex = ifindex;
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
      return new IcmpSocket(fd, ifindex);
    } catch (RuntimeException e) {
      Libc.close(fd);
      throw e;
    }
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
  public synchronized void sendWithoutWaiting(byte[] message, int length, Inet4Address to) {
    if (closed) {
      throw new IllegalStateException("ICMP socket is closed");
    }
    if (length < 8 || length > message.length || length > MAX_PACKET) {
      throw new IllegalArgumentException("ICMP message length " + length);
    }
    if (!to.equals(lastDestination)) {
      SocketAddresses.setIpv4(destination, to);
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

  @Override
  public String toString() {
    return "IcmpSocket[ifindex " + ifindex + "]";
  }
}
