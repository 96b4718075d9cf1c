package dev.takeover.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Packets captured from keepalived 2.2.7 (see fixtures/PROVENANCE.md): decode, then re-encode. */
class KeepalivedFixturesTest {
  private static final InetAddress KEEPALIVED_V4 = Fixture.address("198.18.0.1");
  private static final InetAddress KEEPALIVED_V6 = Fixture.address("fe80::ff:fe00:1");
  private static final InetAddress VRRP_GROUP_V4 = Fixture.address("224.0.0.18");
  private static final InetAddress VRRP_GROUP_V6 = Fixture.address("ff02::12");
  private static final InetAddress VIP = Fixture.address("198.18.0.50");
  private static final InetAddress VIP_2 = Fixture.address("198.18.0.51");
  private static final InetAddress VIP_V6 = Fixture.address("2001:db8::50");
  private static final MacAddress KEEPALIVED_MAC = MacAddress.parse("02:00:00:00:00:01");

  static Stream<Arguments> vrrpFixtures() {
    return Stream.of(
        Arguments.of(
            "vrrp-v4-1s.hex",
            KEEPALIVED_V4,
            VRRP_GROUP_V4,
            new VrrpAdvert(51, 100, 100, List.of(VIP))),
        Arguments.of(
            "vrrp-v4-1s-priority0.hex",
            KEEPALIVED_V4,
            VRRP_GROUP_V4,
            new VrrpAdvert(51, 0, 100, List.of(VIP))),
        Arguments.of(
            "vrrp-v4-10ms.hex",
            KEEPALIVED_V4,
            VRRP_GROUP_V4,
            new VrrpAdvert(51, 100, 1, List.of(VIP))),
        Arguments.of(
            "vrrp-v4-two-vips.hex",
            KEEPALIVED_V4,
            VRRP_GROUP_V4,
            new VrrpAdvert(51, 100, 100, List.of(VIP, VIP_2))),
        Arguments.of(
            "vrrp-v6-1s.hex",
            KEEPALIVED_V6,
            VRRP_GROUP_V6,
            new VrrpAdvert(51, 100, 100, List.of(VIP_V6))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vrrpFixtures")
  void decodesEveryFieldAndReencodesByteForByte(
      String name, InetAddress source, InetAddress destination, VrrpAdvert expected) {
    Fixture fixture = Fixture.load(name);
    Fixture.IpHeader ip = fixture.ip();
    assertThat(fixture.source()).isEqualTo(source);
    assertThat(fixture.destination()).isEqualTo(destination);
    assertThat(ip.source()).isEqualTo(source);
    assertThat(ip.destination()).isEqualTo(destination);
    assertThat(ip.protocol()).isEqualTo(VrrpCodec.IP_PROTOCOL);
    assertThat(ip.ttlOrHopLimit()).isEqualTo(255);

    Decoded decoded =
        VrrpCodec.decode(
            ip.payload(), source, destination, ip.ttlOrHopLimit(), ChecksumMode.PSEUDO_HEADER);

    assertThat(decoded).isEqualTo(new Decoded.Ok(expected));
    VrrpAdvert advert = ((Decoded.Ok) decoded).advert();
    assertThat(advert.version()).isEqualTo(3);
    assertThat(advert.type()).isEqualTo(1);
    assertThat(advert.vrid()).isEqualTo(51);
    assertThat(advert.addresses())
        .allSatisfy(
            a ->
                assertThat(a)
                    .isInstanceOf(ip.version() == 4 ? Inet4Address.class : Inet6Address.class));
    assertThat(VrrpCodec.encode(advert, source, destination, ChecksumMode.PSEUDO_HEADER))
        .isEqualTo(ip.payload());
  }

  @Test
  void keepalived227IncludesTheIpv4PseudoHeaderSoVrrpOnlyModeSeesAModeMismatch() {
    Fixture.IpHeader ip = Fixture.load("vrrp-v4-1s.hex").ip();

    Decoded decoded =
        VrrpCodec.decode(ip.payload(), ip.source(), ip.destination(), 255, ChecksumMode.VRRP_ONLY);

    assertThat(decoded).isInstanceOf(Decoded.Dropped.class);
    Decoded.Dropped dropped = (Decoded.Dropped) decoded;
    assertThat(dropped.reason()).isEqualTo(DropReason.CHECKSUM_MODE_MISMATCH);
    assertThat(dropped.detail()).contains("PSEUDO_HEADER", "198.18.0.1");
  }

  @Test
  void ipv6IgnoresTheChecksumModeBecauseThePseudoHeaderIsAlwaysIncluded() {
    Fixture.IpHeader ip = Fixture.load("vrrp-v6-1s.hex").ip();

    assertThat(
            VrrpCodec.decode(
                ip.payload(), ip.source(), ip.destination(), 255, ChecksumMode.VRRP_ONLY))
        .isEqualTo(new Decoded.Ok(new VrrpAdvert(51, 100, 100, List.of(VIP_V6))));
  }

  /**
   * keepalived 2.2.7 has no v3_checksum_as_v2 (PROVENANCE.md), so this VRRP_ONLY packet is the
   * captured one with its checksum recomputed over the message alone (RFC 9568 §5.2.8).
   */
  @Test
  void vrrpOnlyChecksumIsTheChecksumOfTheMessageAlone() {
    Fixture.IpHeader ip = Fixture.load("vrrp-v4-1s.hex").ip();
    byte[] derived = ip.payload().clone();
    derived[6] = 0;
    derived[7] = 0;
    int checksum = InternetChecksum.of(derived, 0, derived.length);
    derived[6] = (byte) (checksum >>> 8);
    derived[7] = (byte) checksum;
    VrrpAdvert advert = new VrrpAdvert(51, 100, 100, List.of(VIP));

    assertThat(VrrpCodec.encode(advert, ip.source(), ip.destination(), ChecksumMode.VRRP_ONLY))
        .isEqualTo(derived);
    assertThat(
            VrrpCodec.decode(derived, ip.source(), ip.destination(), 255, ChecksumMode.VRRP_ONLY))
        .isEqualTo(new Decoded.Ok(advert));
    assertThat(
            VrrpCodec.decode(
                derived, ip.source(), ip.destination(), 255, ChecksumMode.PSEUDO_HEADER))
        .isInstanceOfSatisfying(
            Decoded.Dropped.class,
            d -> assertThat(d.reason()).isEqualTo(DropReason.CHECKSUM_MODE_MISMATCH));
  }

  @Test
  void patchingThePriorityOfTheCapturedAdvertGivesTheCapturedPriorityZeroAdvert() {
    byte[] running = Fixture.load("vrrp-v4-1s.hex").ip().payload();
    byte[] stopping = Fixture.load("vrrp-v4-1s-priority0.hex").ip().payload();

    VrrpCodec.patchPriority(running, 0, 0);

    assertThat(running).isEqualTo(stopping);
  }

  @Test
  void keepalivedGratuitousArpDecodesAsAnAnnouncement() {
    byte[] frame = Fixture.load("garp-v4.hex").frame();

    ArpDecoded decoded = ArpFrame.decode(frame, frame.length);

    ArpPacket expected =
        new ArpPacket(
            ArpPacket.REQUEST,
            KEEPALIVED_MAC,
            (Inet4Address) VIP,
            MacAddress
                .BROADCAST, // keepalived sets all ones here; RFC 5227 says zero, both are ignored
            (Inet4Address) VIP);
    assertThat(decoded).isEqualTo(new ArpDecoded.Ok(expected));
    assertThat(expected.isAnnouncement()).isTrue();
    assertThat(expected.isProbe()).isFalse();
  }

  @Test
  void ourGratuitousArpDiffersFromKeepalivedsOnlyInTargetMacAndPadding() {
    byte[] theirs = Fixture.load("garp-v4.hex").frame();

    byte[] ours = ArpFrame.gratuitous(KEEPALIVED_MAC.toBytes(), (Inet4Address) VIP);

    assertThat(theirs).hasSize(42); // captured on a veth, which does not pad
    assertThat(ours).hasSize(60);
    assertThat(Arrays.copyOfRange(ours, 0, 32)).isEqualTo(Arrays.copyOfRange(theirs, 0, 32));
    assertThat(Arrays.copyOfRange(ours, 32, 38)).containsOnly(0);
    assertThat(Arrays.copyOfRange(theirs, 32, 38)).containsOnly(0xff);
    assertThat(Arrays.copyOfRange(ours, 38, 42)).isEqualTo(Arrays.copyOfRange(theirs, 38, 42));
  }

  @Test
  void unsolicitedNeighborAdvertMatchesKeepalivedsByteForByte() {
    byte[] frame = Fixture.load("na-v6.hex").frame();
    Fixture.IpHeader ip = Fixture.parseIp(frame, 14);
    assertThat(ip.source()).isEqualTo(VIP_V6);
    assertThat(ip.destination()).isEqualTo(NeighborAdvert.ALL_NODES);
    assertThat(ip.ttlOrHopLimit()).isEqualTo(NeighborAdvert.HOP_LIMIT);
    assertThat(ip.protocol()).isEqualTo(NeighborAdvert.ICMPV6_PROTOCOL);

    byte[] ours =
        NeighborAdvert.unsolicitedWithChecksum(
            (Inet6Address) VIP_V6, (Inet6Address) VIP_V6, KEEPALIVED_MAC.toBytes());

    assertThat(ours).isEqualTo(ip.payload());
    byte[] withoutChecksum = ip.payload().clone();
    withoutChecksum[2] = 0;
    withoutChecksum[3] = 0;
    assertThat(NeighborAdvert.unsolicited((Inet6Address) VIP_V6, KEEPALIVED_MAC.toBytes()))
        .isEqualTo(withoutChecksum);
  }
}
