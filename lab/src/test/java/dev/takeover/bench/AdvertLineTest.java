package dev.takeover.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdvertLineTest {
  @Test
  void parsesTcpdumpVrrpLines() {
    assertThat(
            AdvertLine.parse(
                "1763895073.123456 IP 198.18.0.1 > 224.0.0.18: VRRPv3, Advertisement, vrid 51,"
                    + " prio 200, intvl 1cs, length 12"))
        .contains(new AdvertLine(1763895073_123456L, "198.18.0.1", 51, 200));
    assertThat(
            AdvertLine.parse(
                "1763895073.000001 IP 198.18.0.2 > 224.0.0.18: VRRPv3, Advertisement, vrid 52,"
                    + " prio 0, intvl 10cs, length 12"))
        .contains(new AdvertLine(1763895073_000001L, "198.18.0.2", 52, 0));
  }

  @Test
  void ignoresEverythingElse() {
    assertThat(AdvertLine.parse("listening on eth0, link-type EN10MB (Ethernet)")).isEmpty();
    assertThat(AdvertLine.parse("3 packets captured")).isEmpty();
    assertThat(AdvertLine.parse("")).isEmpty();
  }
}
