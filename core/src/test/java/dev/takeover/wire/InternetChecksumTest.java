package dev.takeover.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void rfc1071NumericalExample() {
    // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (folded).
    byte[] data = HEX.parseHex("0001f203f4f5f6f7");

    assertThat(InternetChecksum.fold(InternetChecksum.add(0, data, 0, data.length)))
        .isEqualTo(0xddf2);
    assertThat(InternetChecksum.of(data, 0, data.length)).isEqualTo(0x220d);
  }

  @Test
  void oddLengthPadsTheLastByteWithZero() {
    assertThat(InternetChecksum.of(HEX.parseHex("0102ab"), 0, 3))
        .isEqualTo(InternetChecksum.of(HEX.parseHex("0102ab00"), 0, 4));
  }

  @Test
  void dataWithItsChecksumVerifies() {
    Random random = new Random(0x7a6b_0003L);
    for (int i = 0; i < 1000; i++) {
      byte[] data = new byte[2 + 2 * random.nextInt(40)];
      random.nextBytes(data);
      data[0] = 0;
      data[1] = 0;
      int checksum = InternetChecksum.of(data, 0, data.length);
      data[0] = (byte) (checksum >>> 8);
      data[1] = (byte) checksum;

      assertThat(InternetChecksum.verifies(InternetChecksum.add(0, data, 0, data.length))).isTrue();
      data[data.length - 1] ^= 1;
      assertThat(InternetChecksum.verifies(InternetChecksum.add(0, data, 0, data.length)))
          .isFalse();
    }
  }

  @Test
  void ipv4PseudoHeaderSumsSourceDestinationProtocolAndLength() throws Exception {
    // RFC 768 layout: source, destination, zero, protocol, 16-bit length
    byte[] explicit = HEX.parseHex("c6120001" + "e0000012" + "00" + "70" + "000c");

    assertThat(
            InternetChecksum.fold(
                InternetChecksum.pseudoHeader(
                    InetAddress.getByName("198.18.0.1"),
                    InetAddress.getByName("224.0.0.18"),
                    12,
                    112)))
        .isEqualTo(InternetChecksum.fold(InternetChecksum.add(0, explicit, 0, explicit.length)));
  }

  @Test
  void ipv6PseudoHeaderSumsSourceDestinationLengthAndNextHeader() throws Exception {
    // RFC 8200 §8.1 layout: source, destination, 32-bit length, 3 zero bytes, next header
    byte[] explicit =
        HEX.parseHex(
            "fe80000000000000000000fffe000001"
                + "ff020000000000000000000000000012"
                + "00010018"
                + "00000070");

    assertThat(
            InternetChecksum.fold(
                InternetChecksum.pseudoHeader(
                    InetAddress.getByName("fe80::ff:fe00:1"),
                    InetAddress.getByName("ff02::12"),
                    0x10018,
                    112)))
        .isEqualTo(InternetChecksum.fold(InternetChecksum.add(0, explicit, 0, explicit.length)));
  }

  @Test
  void pseudoHeaderRejectsMixedFamilies() {
    assertThatThrownBy(
            () ->
                InternetChecksum.pseudoHeader(
                    InetAddress.getByName("198.18.0.1"),
                    InetAddress.getByName("ff02::12"),
                    12,
                    112))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
