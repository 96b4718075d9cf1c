package dev.takeover.platform;

import static dev.takeover.platform.NetlinkCodec.IFA_ADDRESS;
import static dev.takeover.platform.NetlinkCodec.IFA_FLAGS;
import static dev.takeover.platform.NetlinkCodec.IFA_F_NODAD;
import static dev.takeover.platform.NetlinkCodec.IFA_LOCAL;
import static dev.takeover.platform.NetlinkCodec.IFLA_EXT_MASK;
import static dev.takeover.platform.NetlinkCodec.IFLA_IFNAME;
import static dev.takeover.platform.NetlinkCodec.NLM_F_ACK;
import static dev.takeover.platform.NetlinkCodec.NLM_F_CREATE;
import static dev.takeover.platform.NetlinkCodec.NLM_F_DUMP;
import static dev.takeover.platform.NetlinkCodec.NLM_F_DUMP_INTR;
import static dev.takeover.platform.NetlinkCodec.NLM_F_EXCL;
import static dev.takeover.platform.NetlinkCodec.NLM_F_REQUEST;
import static dev.takeover.platform.NetlinkCodec.RTEXT_FILTER_SKIP_STATS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.takeover.platform.NetlinkCodec.ErrorReply;
import dev.takeover.platform.NetlinkCodec.Message;
import dev.takeover.platform.NetlinkCodec.Request;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link AddressTable} and {@link Links} over one NETLINK_ROUTE socket.
 *
 * <p>Implementation notes: a netlink socket belongs to the network namespace of the thread that
 * opened it, so one long-lived socket (rather than one per call) keeps every call in the namespace
 * the object was created in, whichever thread calls. Calls are serialised on the socket; a
 * request/ACK pair takes ~40 µs, so contention is not a concern at failover rates. Replies are
 * matched by sequence number and anything else (a late reply to a timed-out request) is dropped. A
 * receive timeout keeps a lost reply from hanging a caller forever. Calls block briefly in {@code
 * recv}, so calling from a virtual thread pins its carrier for that time only.
 */
public final class Rtnetlink extends NativeSocket
    implements AddressTable, Links, RouteTable, RuleTable {

  private static final int RECEIVE_BUFFER = 64 * 1024;
  private static final long RECEIVE_TIMEOUT_SECONDS = 5;
  private static final int SOL_NETLINK = 270;
  private static final int NETLINK_CAP_ACK = 10;
  private static final int NETLINK_EXT_ACK = 11;
  private static final int SO_RCVTIMEO = 20;
  private static final int DUMP_ATTEMPTS = 5;

  private final MemorySegment kernel;
  private final MemorySegment sendBuffer;
  private final MemorySegment receiveBuffer;
  private final byte[] receiveCopy = new byte[RECEIVE_BUFFER];
  private int sequence = (int) (System.nanoTime() & 0x3fffffff);

  private Rtnetlink(int fd) {
    super(fd);
    this.kernel = SocketAddresses.netlink(arena, 0);
    this.sendBuffer = arena.allocate(4096, 8);
    this.receiveBuffer = arena.allocate(RECEIVE_BUFFER, 8);
  }

  /** Opens a NETLINK_ROUTE socket in the calling thread's network namespace. */
  public static Rtnetlink open() {
    int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0);
    Rtnetlink rtnetlink = null;
    try {
      rtnetlink = new Rtnetlink(fd);
      // Readable kernel error text, and ACKs that do not echo the whole request.
      Libc.setsockoptInt(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
      Libc.setsockoptInt(fd, SOL_NETLINK, NETLINK_CAP_ACK, 1, "NETLINK_CAP_ACK");
      try (Arena local = Arena.ofConfined()) {
        MemorySegment timeout = local.allocate(16, 8); // struct timeval
        timeout.set(JAVA_LONG, 0, RECEIVE_TIMEOUT_SECONDS);
        Libc.setsockopt(fd, Libc.SOL_SOCKET, SO_RCVTIMEO, timeout, "SO_RCVTIMEO");
        Libc.bind(fd, SocketAddresses.netlink(local, 0));
      }
      return rtnetlink;
    } catch (RuntimeException e) {
      if (rtnetlink != null) {
        rtnetlink.close();
      } else {
        Libc.close(fd);
      }
      throw e;
    }
  }

  // ---- AddressTable ----

  @Override
  public boolean add(int ifindex, InetAddress address, int prefixLength) {
    return add(ifindex, address, prefixLength, null, 0);
  }

  @Override
  public boolean add(int ifindex, InetAddress address, int prefixLength, String label, int scope) {
    checkPrefix(address, prefixLength);
    int family = family(address);
    // IPv6 with NODAD so the address is usable at once, not tentative (PLATFORM-NOTES.md).
    int flags = family == Libc.AF_INET6 ? IFA_F_NODAD : 0;
    byte[] raw = address.getAddress();
    Request request =
        new Request(
                NetlinkCodec.RTM_NEWADDR,
                NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
                nextSequence())
            .ifaddrmsg(family, prefixLength, flags, scope, ifindex)
            .attribute(IFA_LOCAL, raw)
            .attribute(IFA_ADDRESS, raw);
    if (flags != 0) {
      request.attribute(IFA_FLAGS, flags);
    }
    if (label != null && family == Libc.AF_INET) {
      // IPv4 only: the kernel's IPv6 code has no ifa_label and ignores the attribute.
      request.attribute(NetlinkCodec.IFA_LABEL, label);
    }
    ErrorReply reply = transact(request, "RTM_NEWADDR").ack();
    if (reply.errno() == Libc.EEXIST) {
      return false;
    }
    throwIfError("RTM_NEWADDR", reply);
    return true;
  }

  @Override
  public boolean delete(int ifindex, InetAddress address, int prefixLength) {
    checkPrefix(address, prefixLength);
    byte[] raw = address.getAddress();
    Request request =
        new Request(NetlinkCodec.RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, nextSequence())
            .ifaddrmsg(family(address), prefixLength, 0, 0, ifindex)
            .attribute(IFA_LOCAL, raw)
            .attribute(IFA_ADDRESS, raw);
    ErrorReply reply = transact(request, "RTM_DELADDR").ack();
    if (reply.errno() == Libc.EADDRNOTAVAIL || reply.errno() == Libc.ENOENT) {
      return false;
    }
    throwIfError("RTM_DELADDR", reply);
    return true;
  }

  @Override
  public List<InterfaceAddress> list(int ifindex) {
    List<InterfaceAddress> result = new ArrayList<>();
    for (Message message : dump(NetlinkCodec.RTM_GETADDR, "RTM_GETADDR")) {
      if (message.type() != NetlinkCodec.RTM_NEWADDR) {
        continue;
      }
      InterfaceAddress address = NetlinkCodec.address(message);
      if (address != null && address.ifindex() == ifindex) {
        result.add(address);
      }
    }
    return List.copyOf(result);
  }

  // ---- RouteTable ----

  @Override
  public void replace(InetAddress destination, int prefixLength, InetAddress gateway, int ifindex) {
    checkPrefix(destination, prefixLength);
    Request request =
        new Request(
                NetlinkCodec.RTM_NEWROUTE,
                NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NetlinkCodec.NLM_F_REPLACE,
                nextSequence())
            .rtmsg(
                family(destination),
                prefixLength,
                NetlinkCodec.RT_TABLE_MAIN,
                PROTOCOL,
                NetlinkCodec.RT_SCOPE_UNIVERSE,
                NetlinkCodec.RTN_UNICAST);
    if (prefixLength > 0) {
      request.attribute(NetlinkCodec.RTA_DST, destination.getAddress());
    }
    request.attribute(NetlinkCodec.RTA_GATEWAY, gateway.getAddress());
    request.attribute(NetlinkCodec.RTA_OIF, ifindex);
    throwIfError("RTM_NEWROUTE", transact(request, "RTM_NEWROUTE").ack());
  }

  @Override
  public boolean delete(InetAddress destination, int prefixLength) {
    checkPrefix(destination, prefixLength);
    Request request =
        new Request(NetlinkCodec.RTM_DELROUTE, NLM_F_REQUEST | NLM_F_ACK, nextSequence())
            .rtmsg(
                family(destination),
                prefixLength,
                NetlinkCodec.RT_TABLE_MAIN,
                PROTOCOL,
                NetlinkCodec.RT_SCOPE_UNIVERSE,
                NetlinkCodec.RTN_UNICAST);
    if (prefixLength > 0) {
      request.attribute(NetlinkCodec.RTA_DST, destination.getAddress());
    }
    ErrorReply reply = transact(request, "RTM_DELROUTE").ack();
    if (reply.errno() == Libc.ESRCH || reply.errno() == Libc.ENOENT) {
      return false;
    }
    throwIfError("RTM_DELROUTE", reply);
    return true;
  }

  @Override
  public List<Route> ours() {
    List<Route> result = new ArrayList<>();
    for (OurRoute r : ourRoutes()) {
      if (r.table() == NetlinkCodec.RT_TABLE_MAIN) {
        result.add(new Route(r.destination(), r.prefixLength()));
      }
    }
    return List.copyOf(result);
  }

  @Override
  public void replace(Spec route) {
    checkPrefix(route.destination(), route.prefixLength());
    Request request =
        new Request(
                NetlinkCodec.RTM_NEWROUTE,
                NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NetlinkCodec.NLM_F_REPLACE,
                nextSequence())
            .rtmsg(
                family(route.destination()),
                route.prefixLength(),
                rtmTable(route.table()),
                PROTOCOL,
                route.gateway().isPresent()
                    ? NetlinkCodec.RT_SCOPE_UNIVERSE
                    : NetlinkCodec.RT_SCOPE_LINK,
                NetlinkCodec.RTN_UNICAST);
    if (route.prefixLength() > 0) {
      request.attribute(NetlinkCodec.RTA_DST, route.destination().getAddress());
    }
    route.gateway().ifPresent(g -> request.attribute(NetlinkCodec.RTA_GATEWAY, g.getAddress()));
    route.source().ifPresent(a -> request.attribute(NetlinkCodec.RTA_PREFSRC, a.getAddress()));
    request.attribute(NetlinkCodec.RTA_OIF, route.ifindex());
    request.attribute(NetlinkCodec.RTA_PRIORITY, route.metric());
    request.attribute(NetlinkCodec.RTA_TABLE, route.table());
    throwIfError("RTM_NEWROUTE", transact(request, "RTM_NEWROUTE").ack());
  }

  @Override
  public boolean delete(Key route) {
    checkPrefix(route.destination(), route.prefixLength());
    // RT_SCOPE_NOWHERE matches any scope; the protocol makes the kernel delete only ours.
    Request request =
        new Request(NetlinkCodec.RTM_DELROUTE, NLM_F_REQUEST | NLM_F_ACK, nextSequence())
            .rtmsg(
                family(route.destination()),
                route.prefixLength(),
                rtmTable(route.table()),
                PROTOCOL,
                NetlinkCodec.RT_SCOPE_NOWHERE,
                NetlinkCodec.RTN_UNICAST);
    if (route.prefixLength() > 0) {
      request.attribute(NetlinkCodec.RTA_DST, route.destination().getAddress());
    }
    request.attribute(NetlinkCodec.RTA_PRIORITY, route.metric());
    request.attribute(NetlinkCodec.RTA_TABLE, route.table());
    ErrorReply reply = transact(request, "RTM_DELROUTE").ack();
    if (reply.errno() == Libc.ESRCH || reply.errno() == Libc.ENOENT) {
      return false;
    }
    throwIfError("RTM_DELROUTE", reply);
    return true;
  }

  @Override
  public List<Key> oursEverywhere() {
    List<Key> result = new ArrayList<>();
    for (OurRoute r : ourRoutes()) {
      result.add(new Key(r.destination(), r.prefixLength(), r.table(), r.metric()));
    }
    return List.copyOf(result);
  }

  /** A route of protocol {@value #PROTOCOL} as the kernel lists it. */
  private record OurRoute(InetAddress destination, int prefixLength, int table, int metric) {}

  /** Every IPv4 and IPv6 route of protocol {@value #PROTOCOL}, in any table. */
  private List<OurRoute> ourRoutes() {
    List<OurRoute> result = new ArrayList<>();
    for (int family : new int[] {Libc.AF_INET, Libc.AF_INET6}) {
      for (Message message : dump(NetlinkCodec.RTM_GETROUTE, "RTM_GETROUTE", family)) {
        if (message.type() != NetlinkCodec.RTM_NEWROUTE) {
          continue;
        }
        ByteBuffer p = message.payload();
        int start = p.position();
        int dstLength = p.get(start + 1) & 0xff;
        int table = p.get(start + 4) & 0xff;
        int protocol = p.get(start + 5) & 0xff;
        if ((p.get(start) & 0xff) != family || protocol != PROTOCOL) {
          continue;
        }
        // Attributes come in the host's byte order (NetlinkCodec.attributes sets it).
        ByteBuffer[] attributes = NetlinkCodec.attributes(p, NetlinkCodec.RTMSG_SIZE);
        ByteBuffer tableAttribute = attributes[NetlinkCodec.RTA_TABLE];
        if (tableAttribute != null && tableAttribute.remaining() >= 4) {
          table = tableAttribute.getInt(tableAttribute.position()); // tables above 255
        }
        ByteBuffer priority = attributes[NetlinkCodec.RTA_PRIORITY];
        int metric =
            priority != null && priority.remaining() >= 4
                ? priority.getInt(priority.position())
                : 0;
        byte[] raw = new byte[family == Libc.AF_INET ? 4 : 16];
        ByteBuffer dst = attributes[NetlinkCodec.RTA_DST];
        if (dst != null && dst.remaining() >= raw.length) {
          dst.duplicate().get(raw);
        }
        try {
          result.add(new OurRoute(InetAddress.getByAddress(raw), dstLength, table, metric));
        } catch (java.net.UnknownHostException e) {
          throw new AssertionError(e);
        }
      }
    }
    return result;
  }

  @Override
  public boolean add(RuleTable.Rule rule) {
    Request request =
        ruleRequest(
            NetlinkCodec.RTM_NEWRULE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, rule);
    ErrorReply reply = transact(request, "RTM_NEWRULE").ack();
    if (reply.errno() == Libc.EEXIST) {
      return false;
    }
    throwIfError("RTM_NEWRULE", reply);
    return true;
  }

  @Override
  public boolean delete(RuleTable.Rule rule) {
    ErrorReply reply =
        transact(
                ruleRequest(NetlinkCodec.RTM_DELRULE, NLM_F_REQUEST | NLM_F_ACK, rule),
                "RTM_DELRULE")
            .ack();
    if (reply.errno() == Libc.ENOENT || reply.errno() == Libc.ESRCH) {
      return false;
    }
    throwIfError("RTM_DELRULE", reply);
    return true;
  }

  private Request ruleRequest(int type, int flags, RuleTable.Rule rule) {
    int family = rule.ipv6() ? Libc.AF_INET6 : Libc.AF_INET;
    Request request =
        new Request(type, flags, nextSequence())
            .fibRuleHdr(
                family,
                rule.to().map(RuleTable.Prefix::length).orElse(0),
                rule.from().map(RuleTable.Prefix::length).orElse(0),
                rtmTable(rule.table()),
                NetlinkCodec.FR_ACT_TO_TBL);
    rule.from()
        .filter(p -> p.length() > 0)
        .ifPresent(p -> request.attribute(NetlinkCodec.FRA_SRC, p.address().getAddress()));
    rule.to()
        .filter(p -> p.length() > 0)
        .ifPresent(p -> request.attribute(NetlinkCodec.FRA_DST, p.address().getAddress()));
    rule.inInterface().ifPresent(i -> request.attribute(NetlinkCodec.FRA_IIFNAME, i));
    rule.outInterface().ifPresent(o -> request.attribute(NetlinkCodec.FRA_OIFNAME, o));
    rule.fwmark().ifPresent(m -> request.attribute(NetlinkCodec.FRA_FWMARK, m));
    rule.priority().ifPresent(p -> request.attribute(NetlinkCodec.FRA_PRIORITY, p));
    request.attribute(NetlinkCodec.FRA_TABLE, rule.table());
    // u8; the kernel deletes only a rule of this protocol when the request names one.
    request.attribute(NetlinkCodec.FRA_PROTOCOL, new byte[] {(byte) PROTOCOL});
    return request;
  }

  @Override
  public List<RuleTable.Rule> ourRules() {
    List<RuleTable.Rule> result = new ArrayList<>();
    for (int family : new int[] {Libc.AF_INET, Libc.AF_INET6}) {
      for (Message message : dump(NetlinkCodec.RTM_GETRULE, "RTM_GETRULE", family)) {
        if (message.type() != NetlinkCodec.RTM_NEWRULE) {
          continue;
        }
        ByteBuffer p = message.payload();
        int start = p.position();
        if ((p.get(start) & 0xff) != family
            || (p.get(start + 7) & 0xff) != NetlinkCodec.FR_ACT_TO_TBL) {
          continue;
        }
        int dstLength = p.get(start + 1) & 0xff;
        int srcLength = p.get(start + 2) & 0xff;
        int table = p.get(start + 4) & 0xff;
        ByteBuffer[] a = NetlinkCodec.attributes(p, NetlinkCodec.FIB_RULE_HDR_SIZE);
        ByteBuffer protocol = a[NetlinkCodec.FRA_PROTOCOL];
        if (protocol == null
            || !protocol.hasRemaining()
            || (protocol.get(protocol.position()) & 0xff) != PROTOCOL) {
          continue;
        }
        if (a[NetlinkCodec.FRA_TABLE] != null && a[NetlinkCodec.FRA_TABLE].remaining() >= 4) {
          table = a[NetlinkCodec.FRA_TABLE].getInt(a[NetlinkCodec.FRA_TABLE].position());
        }
        result.add(
            new RuleTable.Rule(
                family == Libc.AF_INET6,
                rulePrefix(a[NetlinkCodec.FRA_SRC], srcLength, family),
                rulePrefix(a[NetlinkCodec.FRA_DST], dstLength, family),
                table,
                intAttribute(a[NetlinkCodec.FRA_PRIORITY]),
                stringAttribute(a[NetlinkCodec.FRA_IIFNAME]),
                stringAttribute(a[NetlinkCodec.FRA_OIFNAME]),
                intAttribute(a[NetlinkCodec.FRA_FWMARK])));
      }
    }
    return List.copyOf(result);
  }

  private static Optional<RuleTable.Prefix> rulePrefix(ByteBuffer value, int length, int family) {
    byte[] raw = new byte[family == Libc.AF_INET ? 4 : 16];
    if (length == 0 || value == null || value.remaining() < raw.length) {
      return Optional.empty();
    }
    value.duplicate().get(raw);
    try {
      return Optional.of(new RuleTable.Prefix(InetAddress.getByAddress(raw), length));
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static java.util.OptionalInt intAttribute(ByteBuffer value) {
    return value == null || value.remaining() < 4
        ? java.util.OptionalInt.empty()
        : java.util.OptionalInt.of(value.getInt(value.position()));
  }

  private static Optional<String> stringAttribute(ByteBuffer value) {
    if (value == null) {
      return Optional.empty();
    }
    byte[] raw = new byte[value.remaining()];
    value.duplicate().get(raw);
    int end = 0;
    while (end < raw.length && raw[end] != 0) {
      end++;
    }
    return Optional.of(new String(raw, 0, end, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** rtm_table holds 8 bits: a larger table goes in RTA_TABLE only (as iproute2 does). */
  private static int rtmTable(int table) {
    return table < 256 ? table : NetlinkCodec.RT_TABLE_UNSPEC;
  }

  // ---- Links ----

  @Override
  public Optional<LinkInfo> byName(String name) {
    Request request =
        new Request(NetlinkCodec.RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, nextSequence())
            .ifinfomsg(0, 0)
            .attribute(IFLA_IFNAME, name)
            .attribute(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    return link(request);
  }

  @Override
  public Optional<LinkInfo> byIndex(int ifindex) {
    Request request =
        new Request(NetlinkCodec.RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, nextSequence())
            .ifinfomsg(0, ifindex)
            .attribute(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    return link(request);
  }

  /** All links, for callers that want to resolve several at once. */
  public List<LinkInfo> links() {
    List<LinkInfo> result = new ArrayList<>();
    for (Message message : dump(NetlinkCodec.RTM_GETLINK, "RTM_GETLINK")) {
      if (message.type() == NetlinkCodec.RTM_NEWLINK) {
        result.add(NetlinkCodec.link(message));
      }
    }
    return List.copyOf(result);
  }

  private Optional<LinkInfo> link(Request request) {
    Reply reply = transact(request, "RTM_GETLINK");
    if (reply.ack().errno() == Libc.ENODEV) {
      return Optional.empty();
    }
    throwIfError("RTM_GETLINK", reply.ack());
    return reply.messages().stream()
        .filter(message -> message.type() == NetlinkCodec.RTM_NEWLINK)
        .findFirst()
        .map(NetlinkCodec::link);
  }

  // ---- request / reply ----

  private record Reply(ErrorReply ack, List<Message> messages) {}

  private List<Message> dump(int type, String call) {
    return dump(type, call, Libc.AF_INET);
  }

  /** A dump; {@code routeFamily} is the family of an RTM_GETROUTE dump. */
  private List<Message> dump(int type, String call, int routeFamily) {
    for (int attempt = 1; ; attempt++) {
      Request request = new Request(type, NLM_F_REQUEST | NLM_F_DUMP, nextSequence());
      if (type == NetlinkCodec.RTM_GETLINK) {
        request.ifinfomsg(0, 0).attribute(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
      } else if (type == NetlinkCodec.RTM_GETROUTE) {
        request.rtmsg(routeFamily, 0, 0, 0, 0, 0);
      } else if (type == NetlinkCodec.RTM_GETRULE) {
        request.fibRuleHdr(routeFamily, 0, 0, 0, 0);
      } else {
        request.ifaddrmsg(0, 0, 0, 0, 0);
      }
      Reply reply = transact(request, call);
      throwIfError(call, reply.ack());
      boolean interrupted =
          reply.messages().stream().anyMatch(m -> (m.flags() & NLM_F_DUMP_INTR) != 0);
      // The table changed during the dump, so the result may be inconsistent: dump again.
      if (!interrupted || attempt == DUMP_ATTEMPTS) {
        return reply.messages();
      }
    }
  }

  /** Sends a request and collects its replies up to the ACK, error or end of dump. */
  private synchronized Reply transact(Request request, String call) {
    if (closed) {
      throw new IllegalStateException("rtnetlink socket is closed");
    }
    byte[] bytes = request.toBytes();
    int sequence = ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.nativeOrder()).getInt(8);
    MemorySegment.copy(bytes, 0, sendBuffer, JAVA_BYTE, 0, bytes.length);
    Libc.sendto(fd, sendBuffer, bytes.length, 0, kernel);
    List<Message> messages = new ArrayList<>();
    while (true) {
      long received = Libc.recv(fd, receiveBuffer, 0);
      if (received < 0) {
        throw new NativeException(
            call, Libc.EAGAIN, "no reply from the kernel within " + RECEIVE_TIMEOUT_SECONDS + " s");
      }
      MemorySegment.copy(receiveBuffer, JAVA_BYTE, 0, receiveCopy, 0, (int) received);
      // Copy out of the reused buffer: messages outlive this datagram.
      ByteBuffer datagram = ByteBuffer.wrap(receiveCopy.clone(), 0, (int) received);
      for (Message message : NetlinkCodec.messages(datagram)) {
        if (message.sequence() != sequence) {
          continue;
        }
        switch (message.type()) {
          case NetlinkCodec.NLMSG_ERROR -> {
            return new Reply(NetlinkCodec.errorReply(message), messages);
          }
          case NetlinkCodec.NLMSG_DONE -> {
            return new Reply(new ErrorReply(NetlinkCodec.doneErrno(message), ""), messages);
          }
          default -> messages.add(message);
        }
      }
    }
  }

  private synchronized int nextSequence() {
    sequence = (sequence + 1) & 0x7fffffff;
    return sequence;
  }

  private static void throwIfError(String call, ErrorReply reply) {
    if (reply.errno() != 0) {
      String text = Libc.strerror(reply.errno());
      if (!reply.extAck().isEmpty()) {
        text = text + ": " + reply.extAck();
      }
      throw new NativeException(call, reply.errno(), text);
    }
  }

  private static int family(InetAddress address) {
    return address instanceof Inet4Address ? Libc.AF_INET : Libc.AF_INET6;
  }

  private static void checkPrefix(InetAddress address, int prefixLength) {
    int max = address.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > max) {
      throw new IllegalArgumentException(
          "prefix length " + prefixLength + " out of range 0.." + max + " for " + address);
    }
  }
}
