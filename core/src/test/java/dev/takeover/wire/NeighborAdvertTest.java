package dev.takeover.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NeighborAdvertTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Inet6Address VIP = (Inet6Address) Fixture.address("2001:db8::50");
  private static final Inet6Address LINK_LOCAL = (Inet6Address) Fixture.address("fe80::ff:fe00:1");
  private static final byte[] MAC = MacAddress.parse("02:00:5e:00:01:33").toBytes();

  @Test
  void unsolicitedAdvertHasOverrideAndTargetLinkLayerAddress() {
    byte[] body = NeighborAdvert.unsolicited(VIP, MAC);

    assertThat(HEX.formatHex(body))
        .isEqualTo(
            "88"
                + "00"
                + "0000" // type 136, code 0, checksum left to the kernel
                + "20000000" // R=0 S=0 O=1 (RFC 4861 §7.2.6)
                + "20010db8000000000000000000000050" // target
                + "02"
                + "01"
                + "02005e000133"); // Target Link-Layer Address option
  }

  @Test
  void checksumCoversThePseudoHeaderToAllNodes() {
    byte[] body = NeighborAdvert.unsolicitedWithChecksum(LINK_LOCAL, VIP, MAC);

    long sum =
        InternetChecksum.pseudoHeader(
            LINK_LOCAL, Fixture.address("ff02::1"), body.length, NeighborAdvert.ICMPV6_PROTOCOL);
    assertThat(InternetChecksum.verifies(InternetChecksum.add(sum, body, 0, body.length))).isTrue();
    assertThat(body[2] | body[3]).isNotZero();
    body[2] = 0;
    body[3] = 0;
    assertThat(body).isEqualTo(NeighborAdvert.unsolicited(VIP, MAC));
  }

  @Test
  void allNodesIsFf02Colon1() {
    assertThat(NeighborAdvert.ALL_NODES).isEqualTo(Fixture.address("ff02::1"));
  }
}
