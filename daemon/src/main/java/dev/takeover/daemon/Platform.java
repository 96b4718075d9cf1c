package dev.takeover.daemon;

import dev.takeover.config.AddressFamily;
import dev.takeover.config.VirtualAddress;
import dev.takeover.effect.AdvertSender;
import dev.takeover.effect.Announcer;
import dev.takeover.engine.AdvertIntake;
import dev.takeover.engine.LinkIntake;
import dev.takeover.platform.AddressTable;
import dev.takeover.platform.Icmp6Socket;
import dev.takeover.platform.IcmpSocket;
import dev.takeover.platform.LinkWatch;
import dev.takeover.platform.Links;
import dev.takeover.platform.NetlinkEvent;
import dev.takeover.platform.NetlinkMonitor;
import dev.takeover.platform.PacketSocket;
import dev.takeover.platform.Rtnetlink;
import dev.takeover.platform.SocketPoller;
import dev.takeover.platform.ThreadPriority;
import dev.takeover.platform.VrrpReceiver;
import dev.takeover.platform.VrrpSender;
import dev.takeover.wire.ArpFrame;
import dev.takeover.wire.NeighborAdvert;
import dev.takeover.wire.NeighborSolicit;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's view of the native layer: opens and owns every kernel resource, and closes them in
 * reverse order. Keeps {@link Daemon} free of socket details.
 */
final class Platform implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("takeover");

  static final InetAddress VRRP_GROUP_V4 = literal(VrrpReceiver.IPV4_GROUP);
  static final InetAddress VRRP_GROUP_V6 = literal(VrrpReceiver.IPV6_GROUP);
  private static final Inet6Address ALL_NODES = (Inet6Address) literal("ff02::1");

  private final Rtnetlink rtnetlink;
  private final SocketPoller loop;
  private final List<AutoCloseable> owned = new ArrayList<>();
  private PacketSocket packetSocket;

  private Platform(Rtnetlink rtnetlink, SocketPoller loop) {
    this.rtnetlink = rtnetlink;
    this.loop = loop;
  }

  /**
   * Opens rtnetlink and the socket poller that every receive socket joins (adverts, heartbeats,
   * link watches, kernel events); the engine polls it ({@link #waiter}).
   */
  static Platform open() {
    Rtnetlink rtnetlink = Rtnetlink.open();
    return new Platform(rtnetlink, new SocketPoller());
  }

  /**
   * What the engine waits in: every receive socket, read on the engine thread itself
   * (docs/DECISIONS.md 65).
   */
  dev.takeover.engine.Engine.Waiter waiter() {
    return new dev.takeover.engine.Engine.Waiter() {
      @Override
      public void await(long timeoutNanos) {
        loop.pollOnce(timeoutNanos);
      }

      @Override
      public void wake() {
        loop.wake();
      }
    };
  }

  Links links() {
    return rtnetlink;
  }

  AddressTable addresses() {
    return rtnetlink;
  }

  /** A sender for one group; {@code owner} collects it so the group can close it when removed. */
  AdvertSender.Transport vrrpSender(
      Links.LinkInfo link, InetAddress source, AddressFamily family, List<AutoCloseable> owner) {
    VrrpSender sender =
        family == AddressFamily.IPV4
            ? VrrpSender.ipv4(link.index(), (Inet4Address) source)
            : VrrpSender.ipv6(link.index(), (Inet6Address) source);
    owner.add(sender);
    return sender::send;
  }

  /**
   * One announcement of every address: a gratuitous ARP for IPv4 (RFC 5227 §3 announcement), an
   * unsolicited Neighbor Advertisement with the Override flag for IPv6 (RFC 4861 §7.2.6). Frames
   * are built once here, so sending is a syscall per address.
   */
  Announcer.Announcement announcement(
      Function<VirtualAddress, Links.LinkInfo> linkOf,
      List<VirtualAddress> vips,
      List<AutoCloseable> owner) {
    // Each on the link the address lives on, from that link's MAC: keepalived sends the
    // gratuitous ARPs of a `dev` address on that interface too.
    List<byte[]> arps = new ArrayList<>();
    List<Integer> arpLinks = new ArrayList<>();
    List<Icmp6Socket> naSockets = new ArrayList<>();
    List<byte[]> nas = new ArrayList<>();
    for (VirtualAddress vip : vips) {
      Links.LinkInfo link = linkOf.apply(vip);
      if (vip.address() instanceof Inet4Address v4) {
        arps.add(ArpFrame.gratuitous(link.mac(), v4));
        arpLinks.add(link.index());
      } else {
        Inet6Address v6 = (Inet6Address) vip.address();
        // Unbound source: the VIP may not be on the interface yet when this socket opens.
        Icmp6Socket socket = Icmp6Socket.open(link.index(), null);
        owner.add(socket);
        naSockets.add(socket);
        nas.add(NeighborAdvert.unsolicited(v6, link.mac()));
      }
    }
    PacketSocket packets = arps.isEmpty() ? null : packetSocket();
    return () -> {
      for (int i = 0; i < arps.size(); i++) {
        packets.send(arpLinks.get(i), arps.get(i), arps.get(i).length);
      }
      for (int i = 0; i < nas.size(); i++) {
        naSockets.get(i).send(nas.get(i), nas.get(i).length, ALL_NODES);
      }
    };
  }

  /**
   * One probe of every address before a claim: an ARP Probe (RFC 5227 §2.1.1) for IPv4, a DAD
   * Neighbor Solicitation from {@code ::} (RFC 4862 §5.4.2) for IPv6, both as whole Ethernet frames
   * on the packet socket. Frames are built once here.
   */
  Announcer.Announcement probe(
      Function<VirtualAddress, Links.LinkInfo> linkOf, List<VirtualAddress> vips) {
    List<byte[]> frames = new ArrayList<>();
    List<Integer> links = new ArrayList<>();
    for (VirtualAddress vip : vips) {
      Links.LinkInfo link = linkOf.apply(vip);
      frames.add(
          vip.address() instanceof Inet4Address v4
              ? ArpFrame.probe(link.mac(), v4)
              : NeighborSolicit.dadProbe(link.mac(), (Inet6Address) vip.address()));
      links.add(link.index());
    }
    PacketSocket packets = packetSocket();
    return () -> {
      for (int i = 0; i < frames.size(); i++) {
        packets.send(links.get(i), frames.get(i), frames.get(i).length);
      }
    };
  }

  /**
   * Watches {@code link} for ARP, Neighbor Discovery and VRRP frames (issue 9 items 3, 4): who else
   * announces or answers for the groups' addresses, and which MACs the peers' adverts come from.
   */
  void watchLink(Links.LinkInfo link, LinkIntake intake) {
    loop.register(LinkWatch.open(link.index()), intake::onFrame);
  }

  /**
   * Every frame the link watch passes on {@code link} (ARP among them) to {@code handler}, on the
   * engine thread (socket poller): how gateway probes hear their replies (docs/LINKS.md).
   */
  AutoCloseable watchFrames(
      Links.LinkInfo link, dev.takeover.platform.LinkWatch.FrameHandler handler) {
    dev.takeover.platform.LinkWatch watch = dev.takeover.platform.LinkWatch.open(link.index());
    loop.register(watch, handler);
    return watch;
  }

  /**
   * Stops receiving on a socket or watch registered with the poller and closes it (a reload's node
   * links no longer need it); at once on the engine thread.
   */
  void unregister(AutoCloseable source) {
    loop.unregister(source);
  }

  /** Closes an ICMP socket that was never handed to the poller (a reload refused half way). */
  void closeUnregistered(IcmpSocket socket) {
    synchronized (this) {
      owned.remove(socket);
    }
    socket.close();
  }

  /**
   * A sender of whole Ethernet frames for the engine thread (gateway probes): its own packet
   * socket, so it never waits for the announcer's lock, and {@code MSG_DONTWAIT}, so it never waits
   * for the kernel either.
   */
  dev.takeover.engine.GatewayProbes.FrameSender probeSender() {
    PacketSocket socket = PacketSocket.open();
    synchronized (this) {
      owned.add(socket);
    }
    return socket::sendWithoutWaiting;
  }

  /**
   * A raw ICMP socket for gateway probes on {@code ifindex}, sending from {@code source} (engine
   * thread, {@code MSG_DONTWAIT}); owned here until {@link #receiveEchoReplies} hands it to the
   * socket poller. For an IPv6 {@code source}, a raw ICMPv6 socket (echoes, Neighbor Solicitations)
   * that queues only the ICMPv6 types {@code passedIcmp6Types}, handed over by {@link
   * #receiveIcmp6}.
   */
  IcmpSocket icmpSocket(int ifindex, java.net.InetAddress source, int... passedIcmp6Types) {
    IcmpSocket socket =
        source instanceof java.net.Inet6Address a
            ? IcmpSocket.open6(ifindex, a, passedIcmp6Types)
            : IcmpSocket.open(ifindex, (Inet4Address) source);
    synchronized (this) {
      owned.add(socket);
    }
    return socket;
  }

  /**
   * The echo replies {@code socket} receives go to {@code handler} on the engine thread (socket
   * poller), which owns and closes the socket from now on.
   */
  void receiveEchoReplies(IcmpSocket socket, IcmpSocket.Handler handler) {
    synchronized (this) {
      owned.remove(socket);
    }
    loop.register(socket, handler);
  }

  /**
   * What the ICMPv6 {@code socket} receives goes to {@code handler}, as {@link
   * #receiveEchoReplies}.
   */
  void receiveIcmp6(IcmpSocket socket, IcmpSocket.Handler6 handler) {
    synchronized (this) {
      owned.remove(socket);
    }
    loop.register(socket, handler);
  }

  private synchronized PacketSocket packetSocket() {
    if (packetSocket == null) {
      packetSocket = PacketSocket.open();
      owned.add(packetSocket);
    }
    return packetSocket;
  }

  void receiveAdverts(
      Links.LinkInfo link, AddressFamily family, boolean joinMulticast, AdvertIntake intake) {
    VrrpReceiver receiver =
        family == AddressFamily.IPV4
            ? VrrpReceiver.ipv4(link.index(), joinMulticast)
            : VrrpReceiver.ipv6(link.index(), joinMulticast);
    loop.register(
        receiver,
        (payload, length, source, destination, ttl, ifindex) ->
            intake.onMessage(payload, 0, length, source, destination, ttl));
  }

  /**
   * A node-link socket bound to {@code local}:{@code port} whose datagrams go to {@code intake} on
   * the engine thread (the socket poller owns and closes it); the engine sends on it.
   */
  dev.takeover.platform.LinkSocket linkSocket(
      InetAddress local, int port, dev.takeover.engine.LinkPacketIntake intake) {
    dev.takeover.platform.LinkSocket socket = dev.takeover.platform.LinkSocket.open(local, port);
    loop.register(socket, intake::onPacket);
    return socket;
  }

  dev.takeover.platform.RouteTable routes() {
    return rtnetlink;
  }

  dev.takeover.platform.RuleTable rules() {
    return rtnetlink;
  }

  void watchKernel(Consumer<NetlinkEvent> consumer) {
    loop.register(NetlinkMonitor.open(consumer));
  }

  /**
   * SCHED_FIFO for the JVM's VM Thread when configured: it runs garbage collections and every
   * safepoint, which the real-time threads must wait for.
   */
  void raiseJvmPriority(int realtimePriority) {
    if (realtimePriority <= 0) {
      return;
    }
    ThreadPriority.Result r = ThreadPriority.setRealtime("VM Thread", realtimePriority);
    if (r.applied()) {
      log.info("JVM's VM Thread (GC, safepoints) runs at SCHED_FIFO priority {}", realtimePriority);
    } else {
      log.warn("JVM's VM Thread stays at normal priority: {}", r.reason());
    }
  }

  /** SCHED_FIFO for the calling thread when configured; a refusal is logged, not fatal. */
  void raisePriority(int realtimePriority, String thread) {
    if (realtimePriority <= 0) {
      return;
    }
    ThreadPriority.Result r = ThreadPriority.setRealtime(realtimePriority);
    if (r.applied()) {
      log.info("{} thread runs at SCHED_FIFO priority {}", thread, realtimePriority);
    } else {
      log.warn("{} thread stays at normal priority: {}", thread, r.reason());
    }
  }

  @Override
  public void close() {
    loop.close();
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception e) {
        log.debug("close failed", e);
      }
    }
    rtnetlink.close();
  }

  private static InetAddress literal(String address) {
    try {
      return InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new AssertionError(address, e);
    }
  }
}
