package dev.takeover.platform;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Link and address changes from the kernel, as {@link NetlinkEvent}s, read on a {@link
 * SocketPoller}.
 *
 * <p>Implementation notes: the kernel sends RTM_NEWLINK for many reasons (MTU, statistics-free
 * attribute changes, carrier); callers only care whether a link is usable, so {@link
 * NetlinkEvent.LinkChanged} is reported on first sight of an ifindex and afterwards only when
 * {@code up} flips. Address events are passed through; RTM_NEWADDR is repeated when an address's
 * flags change, so {@link NetlinkEvent.AddressAdded} may repeat for the same address. If the
 * socket's receive queue overflows (ENOBUFS) events were lost: this is logged and the per-link
 * memory is cleared so the next event for every link is reported again. The socket lives in the
 * network namespace of the thread that opened it.
 */
public final class NetlinkMonitor extends NativeSocket {

  private static final Logger LOG = LoggerFactory.getLogger(NetlinkMonitor.class);
  private static final int RTMGRP_LINK = 0x1;
  private static final int RTMGRP_IPV4_IFADDR = 0x10;
  private static final int RTMGRP_IPV6_IFADDR = 0x100;
  private static final int RECEIVE_BUFFER = 64 * 1024;
  private static final int SOCKET_RECEIVE_BUFFER = 1 << 20;

  private final Consumer<NetlinkEvent> consumer;
  private final MemorySegment buffer = arena.allocate(RECEIVE_BUFFER, 8);
  private final byte[] copy = new byte[RECEIVE_BUFFER];
  // Touched only by the receive-loop thread.
  private final Map<Integer, Boolean> linkUp = new HashMap<>();

  private NetlinkMonitor(int fd, Consumer<NetlinkEvent> consumer) {
    super(fd);
    this.consumer = consumer;
  }

  /**
   * Subscribes to link, IPv4-address and IPv6-address changes in the calling thread's network
   * namespace. Register the monitor with {@link SocketPoller#register(NetlinkMonitor)}; events are
   * delivered on the loop thread.
   */
  public static NetlinkMonitor open(Consumer<NetlinkEvent> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    int fd =
        Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK, 0);
    try {
      Libc.setsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, SOCKET_RECEIVE_BUFFER, "SO_RCVBUF");
      try (Arena local = Arena.ofConfined()) {
        Libc.bind(
            fd,
            SocketAddresses.netlink(local, RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR));
      }
      return new NetlinkMonitor(fd, consumer);
    } catch (RuntimeException e) {
      Libc.close(fd);
      throw e;
    }
  }

  int fd() {
    return fd;
  }

  /**
   * Reads and delivers queued datagrams, at most {@code budget}, without blocking. Called on the
   * loop thread.
   */
  void drain(int budget) {
    while (budget-- > 0) {
      long received;
      try {
        received = Libc.recv(fd, buffer, Libc.MSG_DONTWAIT);
      } catch (NativeException e) {
        if (e.errno() == Libc.ENOBUFS) {
          LOG.warn("netlink monitor queue overflowed; link and address events were lost");
          linkUp.clear();
          continue;
        }
        throw e;
      }
      if (received < 0) {
        return;
      }
      MemorySegment.copy(buffer, JAVA_BYTE, 0, copy, 0, (int) received);
      for (NetlinkCodec.Message message :
          NetlinkCodec.messages(ByteBuffer.wrap(copy, 0, (int) received))) {
        NetlinkEvent event = toEvent(message);
        if (event != null) {
          consumer.accept(event);
        }
      }
    }
  }

  /** The event for one message, or null if it is not worth reporting (package-private: tests). */
  NetlinkEvent toEvent(NetlinkCodec.Message message) {
    switch (message.type()) {
      case NetlinkCodec.RTM_NEWLINK -> {
        Links.LinkInfo link = NetlinkCodec.link(message);
        Boolean previous = linkUp.put(link.index(), link.up());
        return previous == null || previous != link.up()
            ? new NetlinkEvent.LinkChanged(link.index(), link.name(), link.up())
            : null;
      }
      case NetlinkCodec.RTM_DELLINK -> {
        Links.LinkInfo link = NetlinkCodec.link(message);
        Boolean previous = linkUp.remove(link.index());
        return previous == null || previous
            ? new NetlinkEvent.LinkChanged(link.index(), link.name(), false)
            : null;
      }
      case NetlinkCodec.RTM_NEWADDR -> {
        AddressTable.InterfaceAddress address = NetlinkCodec.address(message);
        return address == null
            ? null
            : new NetlinkEvent.AddressAdded(
                address.ifindex(), address.address(), address.prefixLength());
      }
      case NetlinkCodec.RTM_DELADDR -> {
        AddressTable.InterfaceAddress address = NetlinkCodec.address(message);
        return address == null
            ? null
            : new NetlinkEvent.AddressRemoved(
                address.ifindex(), address.address(), address.prefixLength());
      }
      default -> {
        return null;
      }
    }
  }
}
