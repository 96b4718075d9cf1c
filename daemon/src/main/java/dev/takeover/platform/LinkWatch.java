package dev.takeover.platform;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Watches one interface for who uses which address: every incoming ARP frame, IPv6 Neighbor
 * Solicitation and Advertisement, and VRRP packet (IPv4 protocol / IPv6 next header 112), as whole
 * Ethernet frames with their source MAC. An {@code AF_PACKET} {@code SOCK_RAW} socket bound to the
 * interface with a classic BPF filter, so the kernel queues only those frames and nothing this host
 * sends.
 *
 * <p>Implementation notes: the socket is opened with protocol 0 (it receives nothing), the filter
 * is attached, and only then is it bound to {@code ETH_P_ALL} on the interface, so no unfiltered
 * frame can slip into the queue in between. IPv6 Neighbor Discovery behind extension headers is not
 * matched (RFC 4861 messages carry none in practice). Read by the {@link SocketPoller}'s thread
 * only; the buffer is reused, so a frame costs a copy and no allocation here.
 */
public final class LinkWatch extends NativeSocket {

  /** Receives one frame on the {@link SocketPoller}'s thread; copy what must be kept. */
  @FunctionalInterface
  public interface FrameHandler {
    void onFrame(byte[] frame, int length);
  }

  private static final int ETH_P_ALL = 0x0003;
  private static final int SO_ATTACH_FILTER = 26;
  private static final int BUFFER = 65536;
  private static final int SOCK_FPROG_SIZE = 16; // unsigned short len, padding, filter pointer

  // Classic BPF (linux/filter.h): {code, jt, jf, k}; jumps are relative to the next instruction.
  private static final int LD_W_ABS = 0x20;
  private static final int LD_H_ABS = 0x28;
  private static final int LD_B_ABS = 0x30;
  private static final int JEQ_K = 0x15;
  private static final int RET_K = 0x06;
  private static final int SKF_AD_PKTTYPE = 0xfffff000 + 4; // SKF_AD_OFF + SKF_AD_PKTTYPE
  private static final int PACKET_OUTGOING = 4;
  private static final int[][] FILTER = {
    {LD_W_ABS, 0, 0, SKF_AD_PKTTYPE}, // 0
    {JEQ_K, 13, 0, PACKET_OUTGOING}, // 1: our own frames -> reject
    {LD_H_ABS, 0, 0, 12}, // 2: EtherType
    {JEQ_K, 10, 0, 0x0806}, // 3: ARP -> accept
    {JEQ_K, 1, 0, 0x0800}, // 4: IPv4 -> 6
    {JEQ_K, 2, 9, 0x86dd}, // 5: IPv6 -> 8, else reject
    {LD_B_ABS, 0, 0, 14 + 9}, // 6: IPv4 protocol
    {JEQ_K, 6, 7, 112}, // 7: VRRP -> accept, else reject
    {LD_B_ABS, 0, 0, 14 + 6}, // 8: IPv6 next header
    {JEQ_K, 4, 0, 112}, // 9: VRRP -> accept
    {JEQ_K, 0, 4, 58}, // 10: ICMPv6 -> 11, else reject
    {LD_B_ABS, 0, 0, 14 + 40}, // 11: ICMPv6 type
    {JEQ_K, 1, 0, 135}, // 12: Neighbor Solicitation -> accept
    {JEQ_K, 0, 1, 136}, // 13: Neighbor Advertisement -> accept, else reject
    {RET_K, 0, 0, 0xffff}, // 14: accept the whole frame
    {RET_K, 0, 0, 0}, // 15: reject
  };

  private final int ifindex;
  private final MemorySegment buffer = arena.allocate(BUFFER, 8);
  private final byte[] frame = new byte[BUFFER];

  private LinkWatch(int fd, int ifindex) {
    super(fd);
    this.ifindex = ifindex;
  }

  /** Opens the watch on {@code ifindex} (needs CAP_NET_RAW). */
  public static LinkWatch open(int ifindex) {
    int fd = Libc.socket(Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK, 0);
    try (Arena local = Arena.ofConfined()) {
      MemorySegment program = local.allocate(FILTER.length * 8L, 8);
      for (int i = 0; i < FILTER.length; i++) {
        long at = i * 8L;
        program.set(JAVA_SHORT, at, (short) FILTER[i][0]);
        program.set(JAVA_BYTE, at + 2, (byte) FILTER[i][1]);
        program.set(JAVA_BYTE, at + 3, (byte) FILTER[i][2]);
        program.set(JAVA_INT, at + 4, FILTER[i][3]);
      }
      MemorySegment fprog = local.allocate(SOCK_FPROG_SIZE, 8);
      fprog.set(JAVA_SHORT, 0, (short) FILTER.length);
      fprog.set(ADDRESS, 8, program);
      Libc.setsockopt(fd, Libc.SOL_SOCKET, SO_ATTACH_FILTER, fprog, "SO_ATTACH_FILTER");
      // sockaddr_ll: family @0, protocol (big-endian) @2, ifindex @4.
      MemorySegment link = local.allocate(SocketAddresses.SOCKADDR_LL_SIZE, 4);
      link.set(JAVA_SHORT, 0, (short) Libc.AF_PACKET);
      link.set(SocketAddresses.SHORT_BIG_ENDIAN, 2, (short) ETH_P_ALL);
      link.set(JAVA_INT, 4, ifindex);
      Libc.bind(fd, link);
      return new LinkWatch(fd, ifindex);
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

  /** Delivers queued frames to {@code handler}, at most {@code budget}, without blocking. */
  void drain(FrameHandler handler, int budget) {
    for (long n; budget-- > 0 && (n = Libc.recv(fd, buffer, Libc.MSG_DONTWAIT)) >= 0; ) {
      int length = (int) Math.min(n, BUFFER);
      MemorySegment.copy(buffer, JAVA_BYTE, 0, frame, 0, length);
      handler.onFrame(frame, length);
    }
  }

  @Override
  public String toString() {
    return "LinkWatch[ifindex " + ifindex + "]";
  }
}
