package dev.takeover.platform;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives VRRP packets on one interface: a raw IP protocol 112 socket bound to the device,
 * separate from the {@link VrrpSender} (a socket bound to a local address would not see multicast).
 *
 * <p>IPv4: raw receive includes the IP header; it is stripped using IHL, and TTL (byte 8), source
 * and destination are read from it. IPv6: the kernel strips the header and verifies the checksum
 * ({@code IPV6_CHECKSUM=6}; bad packets are dropped silently); the hop limit and destination come
 * from ancillary data ({@code IPV6_RECVHOPLIMIT}, {@code IPV6_RECVPKTINFO}). With {@code
 * joinMulticast} the socket joins 224.0.0.18 / ff02::12 on the interface (RFC 5798 §5.1.1.2,
 * §5.1.2.2); without it (unicast peers) it receives only packets addressed to this host. Filtering
 * by peer is the caller's decision.
 *
 * <p>Implementation notes: one receiver is read by one thread (the {@link SocketPoller}); the
 * msghdr, iovec, control and packet buffers are allocated once and reused, so a packet costs no
 * allocation beyond the first sight of a source address.
 */
public final class VrrpReceiver extends NativeSocket {

  /** RFC 5798 §5.1.1.2 */
  public static final String IPV4_GROUP = "224.0.0.18";

  /** RFC 5798 §5.1.2.2 */
  public static final String IPV6_GROUP = "ff02::12";

  private static final int BUFFER = 65536;
  private static final int CONTROL = 256;
  private static final int IP_TTL_CMSG = 2;
  private static final int MINIMUM_IPV4_HEADER = 20;

  private final boolean ipv6;
  private final int ifindex;
  private final MemorySegment buffer = arena.allocate(BUFFER, 8);
  private final MemorySegment name = arena.allocate(SocketAddresses.SOCKADDR_IN6_SIZE, 8);
  private final MemorySegment control = arena.allocate(CONTROL, 8);
  private final MemorySegment iovec = arena.allocate(Libc.IOVEC_SIZE, 8);
  private final MemorySegment msghdr = arena.allocate(Libc.MSGHDR_SIZE, 8);
  private final byte[] payload = new byte[BUFFER];
  private final AddressCache addresses = new AddressCache(32);
  private final InetAddress unspecified;
  private final AtomicLong malformed = new AtomicLong();

  private VrrpReceiver(int fd, boolean ipv6, int ifindex) {
    super(fd);
    this.ipv6 = ipv6;
    this.ifindex = ifindex;
    this.unspecified = NetlinkCodec.inetAddress(new byte[ipv6 ? 16 : 4]);
    iovec.set(ADDRESS, 0, buffer);
    iovec.set(JAVA_LONG, 8, BUFFER);
    msghdr.set(ADDRESS, 0, name);
    msghdr.set(ADDRESS, 16, iovec);
    msghdr.set(JAVA_LONG, 24, 1);
    msghdr.set(ADDRESS, 32, control);
  }

  /** An IPv4 receiver bound to {@code ifindex}; joins 224.0.0.18 if {@code joinMulticast}. */
  public static VrrpReceiver ipv4(int ifindex, boolean joinMulticast) {
    int fd =
        Libc.socket(
            Libc.AF_INET,
            Libc.SOCK_RAW | Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK,
            Libc.IPPROTO_VRRP);
    try (Arena local = Arena.ofConfined()) {
      bindToInterface(fd, ifindex);
      if (joinMulticast) {
        MemorySegment mreqn = local.allocate(12, 4); // ip_mreqn: group, local address, ifindex
        SocketAddresses.copyAddress(InetAddress.getByName(IPV4_GROUP), mreqn, 0);
        mreqn.set(JAVA_INT, 8, ifindex);
        Libc.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_ADD_MEMBERSHIP, mreqn, "IP_ADD_MEMBERSHIP");
      }
      Libc.setsockoptInt(fd, Libc.IPPROTO_IP, Libc.IP_PKTINFO, 1, "IP_PKTINFO");
      Libc.setsockoptInt(fd, Libc.IPPROTO_IP, Libc.IP_RECVTTL, 1, "IP_RECVTTL");
      return new VrrpReceiver(fd, false, ifindex);
    } catch (RuntimeException | java.net.UnknownHostException e) {
      Libc.close(fd);
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
  }

  /** An IPv6 receiver bound to {@code ifindex}; joins ff02::12 if {@code joinMulticast}. */
  public static VrrpReceiver ipv6(int ifindex, boolean joinMulticast) {
    int fd =
        Libc.socket(
            Libc.AF_INET6,
            Libc.SOCK_RAW | Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK,
            Libc.IPPROTO_VRRP);
    try (Arena local = Arena.ofConfined()) {
      bindToInterface(fd, ifindex);
      Libc.setsockoptInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_CHECKSUM, 6, "IPV6_CHECKSUM");
      if (joinMulticast) {
        MemorySegment mreq = local.allocate(20, 4); // ipv6_mreq: group, ifindex
        SocketAddresses.copyAddress(InetAddress.getByName(IPV6_GROUP), mreq, 0);
        mreq.set(JAVA_INT, 16, ifindex);
        Libc.setsockopt(
            fd, Libc.IPPROTO_IPV6, Libc.IPV6_ADD_MEMBERSHIP, mreq, "IPV6_ADD_MEMBERSHIP");
      }
      Libc.setsockoptInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
      Libc.setsockoptInt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
      return new VrrpReceiver(fd, true, ifindex);
    } catch (RuntimeException | java.net.UnknownHostException e) {
      Libc.close(fd);
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
  }

  // SO_BINDTOIFINDEX is SO_BINDTODEVICE by index (Linux 5.0+): no name lookup, no rename race.
  private static void bindToInterface(int fd, int ifindex) {
    Libc.setsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_BINDTOIFINDEX, ifindex, "SO_BINDTOIFINDEX");
  }

  public int ifindex() {
    return ifindex;
  }

  public boolean isIpv6() {
    return ipv6;
  }

  /** Packets dropped because they were truncated or had a malformed IPv4 header. */
  public long malformedCount() {
    return malformed.get();
  }

  int fd() {
    return fd;
  }

  /** Delivers every queued packet to {@code handler}, without blocking. */
  void drain(VrrpPacketHandler handler, int budget) {
    for (int left = budget; left > 0 && receiveOne(handler); left--) {
      // keep reading until the queue is empty or the budget is spent
    }
  }

  /**
   * Receives at most one packet without blocking.
   *
   * @return false if nothing was queued
   */
  boolean receiveOne(VrrpPacketHandler handler) {
    msghdr.set(JAVA_INT, 8, SocketAddresses.SOCKADDR_IN6_SIZE);
    msghdr.set(JAVA_LONG, 40, CONTROL);
    msghdr.set(JAVA_INT, 48, 0);
    long received = Libc.recvmsg(fd, msghdr, Libc.MSG_DONTWAIT);
    if (received < 0) {
      return false;
    }
    if ((msghdr.get(JAVA_INT, 48) & Libc.MSG_TRUNC) != 0) {
      malformed.incrementAndGet();
      return true;
    }
    int length = (int) received;
    // Ancillary data: interface, destination and (IPv6) hop limit.
    int arrivedOn = ifindex;
    InetAddress destination = null;
    int hopLimit = -1;
    long controlLength = msghdr.get(JAVA_LONG, 40);
    for (long offset = 0; offset + Libc.CMSGHDR_SIZE <= controlLength; ) {
      long cmsgLength = control.get(JAVA_LONG, offset);
      if (cmsgLength < Libc.CMSGHDR_SIZE || offset + cmsgLength > controlLength) {
        break;
      }
      int level = control.get(JAVA_INT, offset + 8);
      int type = control.get(JAVA_INT, offset + 12);
      long data = offset + Libc.CMSGHDR_SIZE;
      if (!ipv6 && level == Libc.IPPROTO_IP && type == Libc.IP_PKTINFO) {
        arrivedOn = control.get(JAVA_INT, data); // in_pktinfo.ipi_ifindex
      } else if (ipv6 && level == Libc.IPPROTO_IPV6 && type == Libc.IPV6_PKTINFO) {
        destination = addresses.lookup(control, data, 16); // in6_pktinfo.ipi6_addr
        arrivedOn = control.get(JAVA_INT, data + 16);
      } else if (ipv6 && level == Libc.IPPROTO_IPV6 && type == Libc.IPV6_HOPLIMIT) {
        hopLimit = control.get(JAVA_INT, data);
      } else if (!ipv6 && level == Libc.IPPROTO_IP && type == IP_TTL_CMSG) {
        hopLimit = control.get(JAVA_INT, data);
      }
      offset += (cmsgLength + 7) & ~7L;
    }
    if (ipv6) {
      InetAddress source = addresses.lookup(name, 8, 16); // sockaddr_in6.sin6_addr
      MemorySegment.copy(buffer, JAVA_BYTE, 0, payload, 0, length);
      handler.onPacket(
          payload,
          length,
          source,
          destination == null ? unspecified : destination,
          hopLimit,
          arrivedOn);
      return true;
    }
    // RFC 791: version and IHL in byte 0, total length at 2, TTL at 8, addresses at 12 and 16.
    int versionAndIhl = Byte.toUnsignedInt(buffer.get(JAVA_BYTE, 0));
    int headerLength = (versionAndIhl & 0x0f) * 4;
    if (length < MINIMUM_IPV4_HEADER
        || versionAndIhl >> 4 != 4
        || headerLength < MINIMUM_IPV4_HEADER
        || headerLength > length) {
      malformed.incrementAndGet();
      return true;
    }
    int totalLength = Short.toUnsignedInt(buffer.get(SocketAddresses.SHORT_BIG_ENDIAN, 2));
    int end = totalLength >= headerLength && totalLength < length ? totalLength : length;
    int ttl = Byte.toUnsignedInt(buffer.get(JAVA_BYTE, 8));
    InetAddress source = addresses.lookup(buffer, 12, 4);
    destination = addresses.lookup(buffer, 16, 4);
    int payloadLength = end - headerLength;
    MemorySegment.copy(buffer, JAVA_BYTE, headerLength, payload, 0, payloadLength);
    handler.onPacket(payload, payloadLength, source, destination, ttl, arrivedOn);
    return true;
  }
}
