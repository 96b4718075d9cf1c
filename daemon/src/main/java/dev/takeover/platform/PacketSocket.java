package dev.takeover.platform;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;

/**
 * Sends complete Ethernet frames (e.g. gratuitous ARP) on any interface: AF_PACKET, SOCK_RAW,
 * protocol 0, which makes the socket send-only (it receives nothing, so nothing queues up).
 *
 * <p>Frames shorter than the Ethernet minimum of 60 bytes (without FCS) are zero-padded, as real
 * NICs would otherwise send runts or pad unpredictably. Thread-safe; the socket lives in the
 * network namespace of the thread that opened it.
 */
public final class PacketSocket extends NativeSocket {

  private static final int MINIMUM_FRAME = 60;
  private static final int MAXIMUM_FRAME = 9216;

  private final MemorySegment frame = arena.allocate(MAXIMUM_FRAME, 8);
  private final MemorySegment linkAddress = arena.allocate(SocketAddresses.SOCKADDR_LL_SIZE, 4);

  private PacketSocket(int fd) {
    super(fd);
  }

  public static PacketSocket open() {
    return new PacketSocket(Libc.socket(Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0));
  }

  /**
   * Sends {@code ethernetFrame[0, length)} (destination MAC, source MAC, EtherType, payload) out of
   * {@code ifindex}.
   */
  public void send(int ifindex, byte[] ethernetFrame, int length) {
    send(ifindex, ethernetFrame, length, 0);
  }

  /**
   * As {@link #send(int, byte[], int)}, but never waits for room in the socket's send buffer
   * ({@code MSG_DONTWAIT}): a frame that does not fit fails with EAGAIN instead. For senders on the
   * engine thread (gateway probes), which must not block.
   */
  public void sendWithoutWaiting(int ifindex, byte[] ethernetFrame, int length) {
    send(ifindex, ethernetFrame, length, Libc.MSG_DONTWAIT);
  }

  private synchronized void send(int ifindex, byte[] ethernetFrame, int length, int flags) {
    if (closed) {
      throw new IllegalStateException("packet socket is closed");
    }
    if (length < 14 || length > ethernetFrame.length || length > MAXIMUM_FRAME) {
      throw new IllegalArgumentException("Ethernet frame length " + length);
    }
    int padded = Math.max(length, MINIMUM_FRAME);
    frame.asSlice(length, padded - length).fill((byte) 0);
    MemorySegment.copy(ethernetFrame, 0, frame, JAVA_BYTE, 0, length);
    // sockaddr_ll: family @0, protocol (big-endian) @2, ifindex @4, halen @11, address @12.
    linkAddress.fill((byte) 0);
    linkAddress.set(JAVA_SHORT, 0, (short) Libc.AF_PACKET);
    linkAddress.set(
        SocketAddresses.SHORT_BIG_ENDIAN,
        2,
        (short) (((ethernetFrame[12] & 0xff) << 8) | (ethernetFrame[13] & 0xff)));
    linkAddress.set(JAVA_INT, 4, ifindex);
    linkAddress.set(JAVA_BYTE, 11, (byte) 6);
    MemorySegment.copy(ethernetFrame, 0, linkAddress, JAVA_BYTE, 12, 6);
    Libc.sendto(fd, frame, padded, flags, linkAddress);
  }
}
