package dev.takeover.platform;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteOrder;

/** Writers for the sockaddr structures the platform layer passes to the kernel (x86_64 sizes). */
final class SocketAddresses {

  static final int SOCKADDR_IN_SIZE = 16;
  static final int SOCKADDR_IN6_SIZE = 28;
  static final int SOCKADDR_NL_SIZE = 12;
  static final int SOCKADDR_LL_SIZE = 20;
  static final ValueLayout.OfShort SHORT_BIG_ENDIAN = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);

  private SocketAddresses() {}

  /** sockaddr_nl: family, pad, port id (0: let the kernel choose / the kernel), groups. */
  static MemorySegment netlink(SegmentAllocator allocator, int groups) {
    MemorySegment address = allocator.allocate(SOCKADDR_NL_SIZE, 4);
    address.set(JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
    address.set(JAVA_INT, 8, groups);
    return address;
  }

  static MemorySegment ipv4(SegmentAllocator allocator, Inet4Address address) {
    MemorySegment segment = allocator.allocate(SOCKADDR_IN_SIZE, 4);
    setIpv4(segment, address);
    return segment;
  }

  /** Fills a zeroed or reused sockaddr_in (port 0; raw sockets have none). */
  static void setIpv4(MemorySegment segment, Inet4Address address) {
    segment.set(JAVA_SHORT, 0, (short) Libc.AF_INET);
    segment.set(SHORT_BIG_ENDIAN, 2, (short) 0);
    MemorySegment.copy(address.getAddress(), 0, segment, JAVA_BYTE, 4, 4);
  }

  static MemorySegment ipv6(SegmentAllocator allocator, Inet6Address address, int scopeId) {
    MemorySegment segment = allocator.allocate(SOCKADDR_IN6_SIZE, 4);
    setIpv6(segment, address, scopeId);
    return segment;
  }

  /** Fills a sockaddr_in6: family @0, port @2, flowinfo @4, address @8, scope id @24. */
  static void setIpv6(MemorySegment segment, Inet6Address address, int scopeId) {
    segment.set(JAVA_SHORT, 0, (short) Libc.AF_INET6);
    segment.set(SHORT_BIG_ENDIAN, 2, (short) 0);
    segment.set(JAVA_INT, 4, 0);
    MemorySegment.copy(address.getAddress(), 0, segment, JAVA_BYTE, 8, 16);
    segment.set(JAVA_INT, 24, scopeId);
  }

  /** Link-local and multicast-link-local destinations need the interface as their scope. */
  static int scopeFor(Inet6Address address, int ifindex) {
    return address.isLinkLocalAddress() || address.isMCLinkLocal() ? ifindex : 0;
  }

  static void copyAddress(InetAddress address, MemorySegment segment, long offset) {
    byte[] raw = address.getAddress();
    MemorySegment.copy(raw, 0, segment, JAVA_BYTE, offset, raw.length);
  }
}
