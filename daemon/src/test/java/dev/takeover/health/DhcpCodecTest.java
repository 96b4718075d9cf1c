package dev.takeover.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DhcpCodecTest {
  private static final Inet4Address CLIENT = HealthLab.ipv4("198.18.7.1");
  private static final Inet4Address SERVER = HealthLab.ipv4("198.18.7.2");
  private static final byte[] MAC = HexFormat.of().parseHex("02000000aa01");

  @Test
  void informHasTheRfc2131Layout() {
    byte[] m = DhcpCodec.encodeInform(0x12345678, CLIENT, MAC);
    ByteBuffer b = ByteBuffer.wrap(m);
    assertThat(m).hasSize(300); // RFC 1542 §2.1 minimum
    assertThat(m[0]).isEqualTo((byte) 1); // BOOTREQUEST
    assertThat(m[1]).isEqualTo((byte) 1); // Ethernet
    assertThat(m[2]).isEqualTo((byte) 6);
    assertThat(b.getInt(4)).isEqualTo(0x12345678);
    assertThat(b.getShort(10)).isZero(); // no broadcast flag: the ACK is unicast to ciaddr
    assertThat(HexFormat.of().formatHex(m, 12, 16)).isEqualTo("c6120701"); // ciaddr
    assertThat(HexFormat.of().formatHex(m, 16, 28))
        .isEqualTo("0".repeat(24)); // yiaddr siaddr giaddr
    assertThat(HexFormat.of().formatHex(m, 28, 34)).isEqualTo("02000000aa01");
    assertThat(b.getInt(236)).isEqualTo(0x63825363);
    assertThat(HexFormat.of().formatHex(m, 240, 249)).isEqualTo("350108" + "3703010306" + "ff");
  }

  @Test
  void ourOwnInformDecodesAsARequest() {
    byte[] m = DhcpCodec.encodeInform(7, CLIENT, MAC);
    assertThat(DhcpCodec.decode(m, m.length))
        .isEqualTo(
            new DhcpCodec.Reply(
                1, 7, CLIENT, HealthLab.ipv4("0.0.0.0"), DhcpCodec.DHCPINFORM, Optional.empty()));
  }

  @Test
  void decodesAnAckWithServerIdentifierSkippingPadAndUnknownOptions() {
    byte[] m = reply(0xCAFE, "00" + "0c03616263" + "350105" + "3604c6120702" + "ff");
    assertThat(DhcpCodec.decode(m, m.length))
        .isEqualTo(
            new DhcpCodec.Reply(
                2,
                0xCAFE,
                CLIENT,
                HealthLab.ipv4("0.0.0.0"),
                DhcpCodec.DHCPACK,
                Optional.of(SERVER)));
  }

  @Test
  void saysWhyBytesAreNotAMessage() {
    assertThat(DhcpCodec.decode(new byte[100], 100))
        .isEqualTo(new DhcpCodec.Invalid("too short for a DHCP message: 100 bytes"));
    byte[] noCookie = reply(1, "350105ff");
    noCookie[236] = 0;
    assertThat(DhcpCodec.decode(noCookie, noCookie.length))
        .isEqualTo(new DhcpCodec.Invalid("no DHCP magic cookie"));
    byte[] badOp = reply(1, "350105ff");
    badOp[0] = 9;
    assertThat(DhcpCodec.decode(badOp, badOp.length))
        .isEqualTo(new DhcpCodec.Invalid("op 9 is neither BOOTREQUEST nor BOOTREPLY"));
    byte[] noType = reply(1, "3604c6120702ff");
    assertThat(DhcpCodec.decode(noType, noType.length))
        .isEqualTo(new DhcpCodec.Invalid("no DHCP message type option"));
    byte[] overrun = reply(1, "3608c612");
    assertThat(DhcpCodec.decode(overrun, 244))
        .isEqualTo(new DhcpCodec.Invalid("option 54 runs past the end of the message"));
    byte[] noLength = reply(1, "35");
    assertThat(DhcpCodec.decode(noLength, 241))
        .isEqualTo(new DhcpCodec.Invalid("option 53 has no length"));
  }

  @Test
  void namesMessageTypes() {
    assertThat(DhcpCodec.typeName(5)).isEqualTo("DHCPACK");
    assertThat(DhcpCodec.typeName(6)).isEqualTo("DHCPNAK");
    assertThat(DhcpCodec.typeName(42)).isEqualTo("type 42");
  }

  /** A BOOTREPLY to CLIENT with the given options (hex) after the cookie, padded to 300 bytes. */
  private static byte[] reply(int xid, String optionsHex) {
    ByteBuffer b = ByteBuffer.allocate(300);
    b.put((byte) 2).put((byte) 1).put((byte) 6).put((byte) 0).putInt(xid);
    b.position(12);
    b.put(CLIENT.getAddress());
    b.position(236);
    b.putInt(0x63825363);
    b.put(HexFormat.of().parseHex(optionsHex));
    return b.array();
  }
}
