package dev.takeover.engine;

import dev.takeover.clock.Clock;
import dev.takeover.wire.ArpPacket;
import dev.takeover.wire.ChecksumMode;
import dev.takeover.wire.Decoded;
import dev.takeover.wire.LinkFrame;
import dev.takeover.wire.MacAddress;
import dev.takeover.wire.TtlRange;
import dev.takeover.wire.VrrpCodec;
import dev.takeover.wire.WireFormat;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Turns the frames the link watch sees on one interface into facts for the groups on it (issue 9,
 * items 3 and 4): another MAC announcing, answering for or using one of a group's addresses ({@link
 * Event.ForeignClaim}), and the MAC a group's valid adverts come from ({@link Event.PeerMac}). Runs
 * on the polling thread; what the facts mean is the group policy's decision.
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li>A claim is an ARP packet whose sender address is ours (an announcement, a reply, a request
 *       made from it; RFC 5227 §2.4), a Neighbor Advertisement for it, or a Neighbor Solicitation
 *       from it, from a MAC that is not this interface's. Probes (sender 0.0.0.0, or {@code ::})
 *       claim nothing.
 *   <li>A peer's MAC counts only for an advert that passes the codec in the group's checksum mode
 *       and the unicast peer list, as {@link AdvertIntake} would accept it. It is posted when new
 *       and again every {@value #PEER_REPOST_SECONDS} s, so the policy's bounded memory of peer
 *       MACs cannot lose a live peer to a flood.
 *   <li>Bounded under floods: at most {@value #MAX_EVENTS_PER_SECOND} claims and as many peer MACs
 *       per second reach the engine (the rest are counted), and the table of MACs posted holds at
 *       most {@value #MAX_SOURCES} sources.
 * </ul>
 */
public final class LinkIntake {
  static final int MAX_EVENTS_PER_SECOND = 200;
  static final int MAX_SOURCES = 256;
  static final int PEER_REPOST_SECONDS = 10;
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  /** What the watch needs to know of one group on this interface. */
  public record Member(
      int groupIndex,
      int vrid,
      boolean ipv6,
      WireFormat wireFormat,
      List<InetAddress> addresses,
      List<InetAddress> unicastPeers,
      Set<InetAddress> ownAddresses) {

    /** A VRRPv3 group with the given checksum mode. */
    public Member(
        int groupIndex,
        int vrid,
        boolean ipv6,
        ChecksumMode checksumMode,
        List<InetAddress> addresses,
        List<InetAddress> unicastPeers,
        Set<InetAddress> ownAddresses) {
      this(
          groupIndex,
          vrid,
          ipv6,
          WireFormat.v3(checksumMode),
          addresses,
          unicastPeers,
          ownAddresses);
    }
  }

  private record Posted(MacAddress mac, long at) {}

  private record Source(int group, InetAddress address) {}

  private volatile Member[] members = new Member[0];
  private final MacAddress ownMac;
  private final Consumer<Event> sink;
  private final Clock clock;
  private final LongAdder claims = new LongAdder();
  private final LongAdder suppressed = new LongAdder();

  // The polling thread's alone.
  private final Map<Source, Posted> posted =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Source, Posted> eldest) {
          return size() > MAX_SOURCES;
        }
      };
  private final Budget claimBudget = new Budget();
  private final Budget peerBudget = new Budget();

  public LinkIntake(MacAddress ownMac, List<Member> members, Consumer<Event> sink, Clock clock) {
    this.ownMac = ownMac;
    this.sink = sink;
    this.clock = clock;
    replaceMembers(members);
  }

  /** The groups on this interface, replaced as a whole (at start and on reload). */
  public void replaceMembers(List<Member> next) {
    members = next.toArray(new Member[0]);
  }

  /** Called by the socket poller for each frame. */
  public void onFrame(byte[] frame, int length) {
    switch (LinkFrame.decode(frame, length)) {
      case LinkFrame.Arp arp -> {
        ArpPacket p = arp.packet();
        if (!p.isProbe() && !ownMac.equals(p.senderMac()) && !ownMac.equals(arp.ethernetSource())) {
          claimed(p.senderIp(), p.senderMac());
        }
      }
      case LinkFrame.NeighborAdvertisement na -> {
        if (!ownMac.equals(na.mac())) {
          claimed(na.target(), na.mac());
        }
      }
      case LinkFrame.NeighborSolicitation ns -> {
        if (!ns.source().isAnyLocalAddress() && !ownMac.equals(ns.mac())) {
          claimed(ns.source(), ns.mac());
        }
      }
      case LinkFrame.Vrrp v -> {
        if (!ownMac.equals(v.mac())) {
          vrrp(frame, v);
        }
      }
      case LinkFrame.Ignored i -> {}
    }
  }

  private void claimed(InetAddress address, MacAddress mac) {
    for (Member m : members) {
      if (m.addresses().contains(address)) {
        claims.increment();
        long now = clock.nanoTime();
        if (claimBudget.take(now)) {
          sink.accept(new Event.ForeignClaim(m.groupIndex(), address, mac, now));
        } else {
          suppressed.increment();
        }
      }
    }
  }

  private void vrrp(byte[] frame, LinkFrame.Vrrp v) {
    if (v.payloadLength() < 2) {
      return;
    }
    int vrid = frame[v.payloadOffset() + 1] & 0xff;
    boolean ipv6 = v.source() instanceof Inet6Address;
    for (Member m : members) {
      if (m.vrid() != vrid || m.ipv6() != ipv6 || m.ownAddresses().contains(v.source())) {
        continue;
      }
      if (!m.unicastPeers().isEmpty() && !m.unicastPeers().contains(v.source())) {
        continue;
      }
      // Most adverts come from a peer whose MAC was posted moments ago: look that up before
      // decoding, so the common case costs a map lookup instead of a second decode (issue 15).
      long now = clock.nanoTime();
      Source key = new Source(m.groupIndex(), v.source());
      Posted last = posted.get(key);
      boolean due =
          last == null
              || !last.mac().equals(v.mac())
              || now - last.at() >= PEER_REPOST_SECONDS * SECOND;
      if (!due) {
        continue;
      }
      Decoded d =
          VrrpCodec.decode(
              frame,
              v.payloadOffset(),
              v.payloadLength(),
              0,
              v.source(),
              v.destination(),
              v.ttl(),
              // A peer's MAC means something only on this link: a routed advert (accept-ttl) would
              // teach us the router's.
              TtlRange.STRICT,
              m.wireFormat());
      if (!(d instanceof Decoded.Ok)) {
        continue;
      }
      if (peerBudget.take(now)) {
        posted.put(key, new Posted(v.mac(), now));
        sink.accept(new Event.PeerMac(m.groupIndex(), v.mac()));
      }
    }
  }

  /** Claims seen on our addresses since start, posted or not. */
  public long claims() {
    return claims.sum();
  }

  /** Facts not posted because more than the budget came in one second. */
  public long suppressed() {
    return suppressed.sum();
  }

  /** At most {@link #MAX_EVENTS_PER_SECOND} per one-second window. */
  private static final class Budget {
    private long windowStart;
    private int used;
    private boolean started;

    boolean take(long now) {
      if (!started || now - windowStart >= SECOND) {
        started = true;
        windowStart = now;
        used = 0;
      }
      return used++ < MAX_EVENTS_PER_SECOND;
    }
  }
}
