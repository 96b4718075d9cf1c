package dev.takeover.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The frames the link watch sees, and the probes Takeover sends (RFC 5227, RFC 4862). */
class LinkFrameTest {
  static final byte[] MAC = HexFormat.of().parseHex("020000000001");
  static final MacAddress OURS = MacAddress.of(MAC);

  @Test
  void anArpProbeHasSenderIpZeroAndDecodesAsAProbe() {
    Inet4Address vip = (Inet4Address) ip("198.18.0.50");
    byte[] frame = ArpFrame.probe(MAC, vip);
    assertThat(frame).hasSize(ArpFrame.MIN_FRAME_LENGTH);
    LinkFrame decoded = LinkFrame.decode(frame, frame.length);
    assertThat(decoded).isInstanceOf(LinkFrame.Arp.class);
    ArpPacket p = ((LinkFrame.Arp) decoded).packet();
    assertThat(p.isProbe()).isTrue();
    assertThat(p.targetIp()).isEqualTo(vip);
    assertThat(p.senderMac()).isEqualTo(OURS);
    assertThat(p.probedByOther(vip, MacAddress.parse("02:00:00:00:00:02"))).isTrue();
  }

  @Test
  void aDadProbeGoesFromTheUnspecifiedAddressToTheSolicitedNodeGroupWithAValidChecksum() {
    Inet6Address vip = (Inet6Address) ip("2001:db8::12:3456");
    byte[] frame = NeighborSolicit.dadProbe(MAC, vip);
    assertThat(HexFormat.of().formatHex(frame, 0, 14))
        .isEqualTo("3333ff123456" + "020000000001" + "86dd");
    LinkFrame decoded = LinkFrame.decode(frame, frame.length);
    assertThat(decoded)
        .isEqualTo(new LinkFrame.NeighborSolicitation(OURS, (Inet6Address) ip("::"), vip));
    // RFC 4443 §2.3: the sum over pseudo-header and message, checksum included, is all ones.
    long sum = InternetChecksum.add(0, frame, 14 + 8, 32);
    sum += NeighborSolicit.LENGTH + 58;
    assertThat(InternetChecksum.verifies(InternetChecksum.add(sum, frame, 54, 24))).isTrue();
    assertThat(HexFormat.of().formatHex(frame, 14 + 24, 14 + 40))
        .isEqualTo("ff0200000000000000000001ff123456");
  }

  @Test
  void aNeighborAdvertisementNamesTheMacOfItsTargetLinkLayerOption() {
    Inet6Address vip = (Inet6Address) ip("2001:db8::50");
    MacAddress other = MacAddress.parse("02:00:00:00:00:99");
    byte[] body = NeighborAdvert.unsolicited(vip, other.toBytes());
    byte[] frame = ipv6Frame(MacAddress.parse("02:00:00:00:00:77"), 58, 255, body);
    assertThat(LinkFrame.decode(frame, frame.length))
        .isEqualTo(new LinkFrame.NeighborAdvertisement(other, vip));
    // Without the option: the frame's sender.
    byte[] bare = ipv6Frame(other, 58, 255, java.util.Arrays.copyOf(body, 24));
    assertThat(LinkFrame.decode(bare, bare.length))
        .isEqualTo(new LinkFrame.NeighborAdvertisement(other, vip));
    // RFC 4861 §7.1.2: not from this link.
    byte[] routed = ipv6Frame(other, 58, 254, body);
    assertThat(LinkFrame.decode(routed, routed.length)).isEqualTo(LinkFrame.IGNORED);
  }

  @Test
  void vrrpOverIpv4AndIpv6ComesWithItsSourceMac() {
    byte[] advert = HexFormat.of().parseHex("3133640100640000c6120032");
    byte[] v4 = new byte[14 + 20 + advert.length];
    MacAddress peer = MacAddress.parse("02:00:00:00:00:02");
    peer.writeTo(v4, 6);
    v4[12] = 0x08;
    v4[14] = 0x45;
    v4[16] = 0;
    v4[17] = (byte) (20 + advert.length);
    v4[14 + 8] = (byte) 255;
    v4[14 + 9] = 112;
    System.arraycopy(ip("198.18.0.2").getAddress(), 0, v4, 14 + 12, 4);
    System.arraycopy(ip("224.0.0.18").getAddress(), 0, v4, 14 + 16, 4);
    System.arraycopy(advert, 0, v4, 34, advert.length);
    assertThat(LinkFrame.decode(v4, v4.length))
        .isEqualTo(
            new LinkFrame.Vrrp(peer, ip("198.18.0.2"), ip("224.0.0.18"), 255, 34, advert.length));

    byte[] v6 = ipv6Frame(peer, 112, 255, advert);
    LinkFrame.Vrrp decoded = (LinkFrame.Vrrp) LinkFrame.decode(v6, v6.length);
    assertThat(decoded.mac()).isEqualTo(peer);
    assertThat(decoded.payloadOffset()).isEqualTo(54);
    assertThat(decoded.payloadLength()).isEqualTo(advert.length);
  }

  @Test
  void garbageNeverThrows() {
    Random random = new Random(9);
    for (int i = 0; i < 20_000; i++) {
      byte[] frame = new byte[random.nextInt(120)];
      random.nextBytes(frame);
      if (frame.length > 13 && random.nextBoolean()) {
        int type = new int[] {0x0806, 0x0800, 0x86dd}[random.nextInt(3)];
        frame[12] = (byte) (type >>> 8);
        frame[13] = (byte) type;
        if (frame.length > 14) {
          frame[14] = (byte) (type == 0x86dd ? 0x60 : 0x45);
        }
      }
      assertThat(LinkFrame.decode(frame, frame.length)).isNotNull();
    }
    assertThat(LinkFrame.decode(null, 0)).isEqualTo(LinkFrame.IGNORED);
    assertThat(LinkFrame.decode(new byte[10], 20)).isEqualTo(LinkFrame.IGNORED);
  }

  /** An Ethernet + IPv6 frame from fe80::2 to ff02::1 carrying {@code payload}. */
  static byte[] ipv6Frame(MacAddress from, int nextHeader, int hopLimit, byte[] payload) {
    byte[] f = new byte[14 + 40 + payload.length];
    from.writeTo(f, 6);
    f[12] = (byte) 0x86;
    f[13] = (byte) 0xdd;
    f[14] = 0x60;
    f[18] = (byte) (payload.length >>> 8);
    f[19] = (byte) payload.length;
    f[20] = (byte) nextHeader;
    f[21] = (byte) hopLimit;
    System.arraycopy(ip("fe80::2").getAddress(), 0, f, 22, 16);
    System.arraycopy(ip("ff02::1").getAddress(), 0, f, 38, 16);
    System.arraycopy(payload, 0, f, 54, payload.length);
    return f;
  }

  static InetAddress ip(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
