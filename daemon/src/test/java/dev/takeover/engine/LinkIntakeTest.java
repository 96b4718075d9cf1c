package dev.takeover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.clock.ManualClock;
import dev.takeover.wire.ArpFrame;
import dev.takeover.wire.ChecksumMode;
import dev.takeover.wire.MacAddress;
import dev.takeover.wire.NeighborAdvert;
import dev.takeover.wire.NeighborSolicit;
import dev.takeover.wire.VrrpAdvert;
import dev.takeover.wire.VrrpCodec;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the link watch turns into facts for the groups: claims on their addresses, peer MACs. */
class LinkIntakeTest {
  static final MacAddress OURS = MacAddress.parse("02:00:00:00:00:01");
  static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:02");
  static final MacAddress STRANGER = MacAddress.parse("02:00:00:00:00:99");
  static final InetAddress SELF = ip("198.18.0.1");
  static final InetAddress PEER = ip("198.18.0.2");
  static final Inet4Address VIP = (Inet4Address) ip("198.18.0.50");
  static final Inet6Address VIP6 = (Inet6Address) ip("2001:db8::50");

  final List<Event> posted = new ArrayList<>();
  final ManualClock clock = new ManualClock(7L, Instant.EPOCH);

  LinkIntake intake(List<InetAddress> unicastPeers) {
    return new LinkIntake(
        OURS,
        List.of(
            new LinkIntake.Member(
                3, 51, false, ChecksumMode.PSEUDO_HEADER, List.of(VIP), unicastPeers, Set.of(SELF)),
            new LinkIntake.Member(
                4, 52, true, ChecksumMode.PSEUDO_HEADER, List.of(VIP6), List.of(), Set.of())),
        posted::add,
        clock);
  }

  @Test
  void anotherMacAnnouncingOrAnsweringForOurAddressIsAClaim() {
    LinkIntake intake = intake(List.of());
    byte[] garp = ArpFrame.gratuitous(STRANGER.toBytes(), VIP);
    intake.onFrame(garp, garp.length);
    assertThat(posted).containsExactly(new Event.ForeignClaim(3, VIP, STRANGER, 7L));
  }

  @Test
  void ourOwnFramesProbesAndOtherAddressesAreNot() {
    LinkIntake intake = intake(List.of());
    byte[] own = ArpFrame.gratuitous(OURS.toBytes(), VIP);
    byte[] probe = ArpFrame.probe(STRANGER.toBytes(), VIP);
    byte[] other = ArpFrame.gratuitous(STRANGER.toBytes(), (Inet4Address) ip("198.18.0.77"));
    byte[] dad = NeighborSolicit.dadProbe(STRANGER.toBytes(), VIP6);
    for (byte[] f : List.of(own, probe, other, dad)) {
      intake.onFrame(f, f.length);
    }
    assertThat(posted).isEmpty();
  }

  @Test
  void aNeighborAdvertisementForOurIpv6AddressIsAClaim() {
    LinkIntake intake = intake(List.of());
    byte[] na = ipv6(STRANGER, NeighborAdvert.unsolicited(VIP6, STRANGER.toBytes()));
    intake.onFrame(na, na.length);
    assertThat(posted).containsExactly(new Event.ForeignClaim(4, VIP6, STRANGER, 7L));
  }

  @Test
  void aValidAdvertNamesAPeersMacOnceAndAgainAfterTenSeconds() {
    LinkIntake intake = intake(List.of());
    byte[] frame = vrrp(PEER_MAC, PEER, 51, 1);
    intake.onFrame(frame, frame.length);
    intake.onFrame(frame, frame.length);
    assertThat(posted).containsExactly(new Event.PeerMac(3, PEER_MAC));
    clock.advanceNanos(10_000_000_000L);
    intake.onFrame(frame, frame.length);
    assertThat(posted).hasSize(2);
  }

  @Test
  void unreadableAdvertsAndStrangersOutsideThePeerListNameNoPeer() {
    LinkIntake intake = intake(List.of(ip("198.18.0.3")));
    byte[] fromStranger = vrrp(STRANGER, PEER, 51, 1);
    intake.onFrame(fromStranger, fromStranger.length);
    LinkIntake open = intake(List.of());
    byte[] v2 = vrrp(STRANGER, PEER, 51, 1);
    v2[34] = 0x21; // version 2
    open.onFrame(v2, v2.length);
    assertThat(posted).isEmpty();
  }

  @Test
  void aFloodIsBoundedPerSecond() {
    LinkIntake intake = intake(List.of());
    for (int i = 0; i < 1_000; i++) {
      byte[] garp = ArpFrame.gratuitous(new MacAddress(0x020000000100L + i).toBytes(), VIP);
      intake.onFrame(garp, garp.length);
    }
    assertThat(posted).hasSize(LinkIntake.MAX_EVENTS_PER_SECOND);
    assertThat(intake.suppressed()).isEqualTo(1_000 - LinkIntake.MAX_EVENTS_PER_SECOND);
  }

  /** An Ethernet/IPv4 frame with a VRRPv3 advert for {@code vrid} from {@code source}. */
  static byte[] vrrp(MacAddress mac, InetAddress source, int vrid, int count) {
    InetAddress group = ip("224.0.0.18");
    byte[] advert =
        VrrpCodec.encode(
            new VrrpAdvert(vrid, 200, 10, List.of(VIP)), source, group, ChecksumMode.PSEUDO_HEADER);
    byte[] f = new byte[14 + 20 + advert.length];
    mac.writeTo(f, 6);
    f[12] = 0x08;
    f[14] = 0x45;
    f[17] = (byte) (20 + advert.length);
    f[22] = (byte) 255;
    f[23] = 112;
    System.arraycopy(source.getAddress(), 0, f, 26, 4);
    System.arraycopy(group.getAddress(), 0, f, 30, 4);
    System.arraycopy(advert, 0, f, 34, advert.length);
    return f;
  }

  static byte[] ipv6(MacAddress from, byte[] icmp) {
    byte[] f = new byte[14 + 40 + icmp.length];
    from.writeTo(f, 6);
    f[12] = (byte) 0x86;
    f[13] = (byte) 0xdd;
    f[14] = 0x60;
    f[19] = (byte) icmp.length;
    f[20] = 58;
    f[21] = (byte) 255;
    System.arraycopy(icmp, 0, f, 54, icmp.length);
    return f;
  }

  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
