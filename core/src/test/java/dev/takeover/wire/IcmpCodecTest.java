package dev.takeover.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ICMP echo (RFC 792) against packets Linux itself sent (fixtures/icmp-echo-*.hex, captured by
 * capture-icmp.sh; PROVENANCE.md), round trips, the probe's request and what matches it, and every
 * drop reason.
 */
class IcmpCodecTest {
  static final Inet4Address GW = (Inet4Address) InetAddress.ofLiteral("198.18.0.1");

  static IcmpEcho ok(IcmpDecoded d) {
    assertThat(d).isInstanceOf(IcmpDecoded.Ok.class);
    return ((IcmpDecoded.Ok) d).echo();
  }

  @Test
  void linuxsEchoReplyDecodesAndAnswersTheRequestShapedLikeAProbes() {
    Fixture request = Fixture.load("icmp-echo-request-v4.hex");
    Fixture reply = Fixture.load("icmp-echo-reply-v4.hex");
    byte[] q = request.ipPacket();
    byte[] r = reply.ipPacket();
    IcmpEcho asked = ok(IcmpCodec.decodeIpv4(q, q.length));
    IcmpEcho answered = ok(IcmpCodec.decodeIpv4(r, r.length));
    assertThat(asked.isReply()).isFalse();
    assertThat(answered.isReply()).isTrue();
    assertThat(answered.type()).isEqualTo(IcmpCodec.ECHO_REPLY);
    assertThat(answered.source()).isEqualTo(IcmpCodec.ipv4(GW));
    assertThat(answered.source()).isEqualTo(IcmpCodec.ipv4((Inet4Address) reply.source()));
    // RFC 792: identifier and sequence number come back as sent; RFC 1122 §3.2.2.6: the data too.
    assertThat(answered.identifier()).isEqualTo(asked.identifier());
    assertThat(answered.sequence()).isEqualTo(asked.sequence()).isEqualTo(1);
    assertThat(answered.dataLength()).isEqualTo(IcmpCodec.PROBE_DATA_LENGTH);
    assertThat(Arrays.copyOfRange(r, answered.dataOffset(), r.length))
        .isEqualTo(Arrays.copyOfRange(q, asked.dataOffset(), q.length));
    // ping -s 8 -p 0000000000000001 asked what a probe asks with its first request.
    assertThat(IcmpCodec.probeRequest(r, answered)).isEqualTo(1);
    assertThat(IcmpCodec.answers(r, answered, asked.identifier(), 1)).isTrue();
    assertThat(IcmpCodec.answers(r, answered, asked.identifier() ^ 1, 1)).isFalse();
    assertThat(IcmpCodec.answers(r, answered, asked.identifier(), 2)).isFalse();
    assertThat(IcmpCodec.answers(r, answered, asked.identifier(), 1 + 65536)).isFalse();
    assertThat(IcmpCodec.answers(q, asked, asked.identifier(), 1)).isFalse(); // not a reply
    // The probe's own request for that identifier and number is the captured one, byte for byte.
    byte[] mine = new byte[IcmpCodec.PROBE_LENGTH];
    assertThat(IcmpCodec.writeProbeRequest(mine, asked.identifier(), 1))
        .isEqualTo(IcmpCodec.PROBE_LENGTH);
    assertThat(mine).isEqualTo(Arrays.copyOfRange(q, 20, q.length));
  }

  @Test
  void capturedMessagesRoundTrip() {
    for (String name : new String[] {"icmp-echo-request-v4.hex", "icmp-echo-reply-v4.hex"}) {
      byte[] p = Fixture.load(name).ipPacket();
      IcmpEcho e = ok(IcmpCodec.decodeIpv4(p, p.length));
      byte[] data = Arrays.copyOfRange(p, e.dataOffset(), e.dataOffset() + e.dataLength());
      assertThat(IcmpCodec.echo(e.type(), e.identifier(), e.sequence(), data))
          .as(name)
          .isEqualTo(Arrays.copyOfRange(p, 20, p.length));
    }
  }

  @Test
  void aProbesRequestDecodesToWhatWasWrittenWhateverTheNumber() {
    byte[] out = new byte[IcmpCodec.PROBE_LENGTH];
    for (long request : new long[] {1, 2, 65535, 65536, 65537, Long.MAX_VALUE, -1}) {
      int n = IcmpCodec.writeProbeRequest(out, 0xabcd, request);
      IcmpEcho e = ok(IcmpCodec.decodeMessage(out, 0, n, 0));
      assertThat(e.identifier()).isEqualTo(0xabcd);
      assertThat(e.sequence()).isEqualTo((int) (request & 0xffff));
      assertThat(IcmpCodec.probeRequest(out, e)).isEqualTo(request);
      assertThat(InternetChecksum.verifies(InternetChecksum.add(0, out, 0, n))).isTrue();
      // The gateway's reply: type 0, all else the same.
      byte[] reply = IcmpCodec.echo(0, 0xabcd, e.sequence(), Arrays.copyOfRange(out, 8, n));
      IcmpEcho r = ok(IcmpCodec.decodeMessage(reply, 0, reply.length, 0));
      assertThat(IcmpCodec.answers(reply, r, 0xabcd, request)).isTrue();
    }
  }

  @Test
  void theIpHeaderMayCarryOptionsAndPaddingAfterTheTotalLengthIsIgnored() {
    byte[] p = Fixture.load("icmp-echo-reply-v4.hex").ipPacket();
    byte[] withOptions = new byte[p.length + 4 + 3];
    System.arraycopy(p, 0, withOptions, 0, 20);
    withOptions[0] = 0x46; // IHL 6: one word of options (a no-op list)
    Arrays.fill(withOptions, 20, 24, (byte) 1);
    System.arraycopy(p, 20, withOptions, 24, p.length - 20);
    int total = p.length + 4;
    withOptions[2] = (byte) (total >>> 8);
    withOptions[3] = (byte) total;
    IcmpEcho e = ok(IcmpCodec.decodeIpv4(withOptions, withOptions.length));
    assertThat(e.dataOffset()).isEqualTo(24 + 8);
    assertThat(e.dataLength()).isEqualTo(8);
  }

  static Stream<Arguments> drops() {
    byte[] reply = Fixture.load("icmp-echo-reply-v4.hex").ipPacket();
    return Stream.of(
        Arguments.of("empty", new byte[0], IcmpDropReason.TOO_SHORT),
        Arguments.of("19 bytes", Arrays.copyOf(reply, 19), IcmpDropReason.TOO_SHORT),
        Arguments.of("IPv6", with(reply, 0, 0x60), IcmpDropReason.NOT_IPV4),
        Arguments.of("IHL 4", with(reply, 0, 0x44), IcmpDropReason.BAD_HEADER_LENGTH),
        Arguments.of("IHL 15", with(reply, 0, 0x4f), IcmpDropReason.BAD_HEADER_LENGTH),
        Arguments.of("total length beyond", with(reply, 3, 0xff), IcmpDropReason.BAD_TOTAL_LENGTH),
        Arguments.of(
            "total length 19", with(with(reply, 2, 0), 3, 19), IcmpDropReason.BAD_TOTAL_LENGTH),
        Arguments.of("UDP", with(reply, 9, 17), IcmpDropReason.NOT_ICMP),
        Arguments.of("more fragments", with(reply, 6, 0x20), IcmpDropReason.FRAGMENT),
        Arguments.of("fragment offset", with(reply, 7, 0x01), IcmpDropReason.FRAGMENT),
        Arguments.of("7 bytes of ICMP", truncated(reply, 27), IcmpDropReason.TRUNCATED),
        Arguments.of("checksum", with(reply, 22, reply[22] ^ 0x10), IcmpDropReason.BAD_CHECKSUM),
        Arguments.of(
            "data changed", with(reply, 35, reply[35] ^ 0x01), IcmpDropReason.BAD_CHECKSUM),
        Arguments.of(
            "destination unreachable",
            ipv4(IcmpCodec.echo(3, 0, 0, new byte[0])),
            IcmpDropReason.NOT_ECHO),
        Arguments.of(
            "echo with code 1",
            ipv4(withCode(IcmpCodec.echo(8, 1, 1, new byte[4]), 1)),
            IcmpDropReason.NOT_ECHO));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("drops")
  void eachCheckHasItsReason(String name, byte[] packet, IcmpDropReason reason) {
    IcmpDecoded d = IcmpCodec.decodeIpv4(packet, packet.length);
    assertThat(d).isInstanceOf(IcmpDecoded.Dropped.class);
    assertThat(((IcmpDecoded.Dropped) d).reason()).isEqualTo(reason);
    assertThat(((IcmpDecoded.Dropped) d).detail()).isNotBlank().hasSizeLessThan(200);
  }

  @Test
  void byteRangesOutsideTheBufferAreDroppedNotThrown() {
    byte[] reply = Fixture.load("icmp-echo-reply-v4.hex").ipPacket();
    assertThat(IcmpCodec.decodeIpv4(null, 0)).isInstanceOf(IcmpDecoded.Dropped.class);
    assertThat(IcmpCodec.decodeIpv4(reply, reply.length + 1))
        .isInstanceOf(IcmpDecoded.Dropped.class);
    assertThat(IcmpCodec.decodeIpv4(reply, -1)).isInstanceOf(IcmpDecoded.Dropped.class);
    assertThat(IcmpCodec.decodeMessage(reply, 30, 30, 0)).isInstanceOf(IcmpDecoded.Dropped.class);
    assertThat(IcmpCodec.decodeMessage(reply, -1, 8, 0)).isInstanceOf(IcmpDecoded.Dropped.class);
    assertThat(IcmpCodec.decodeMessage(null, 0, 8, 0)).isInstanceOf(IcmpDecoded.Dropped.class);
  }

  @Test
  void aChecksumOfAllOnesIsTheOtherZeroAndVerifies() {
    // RFC 1071: 0x0000 and 0xffff are both zero in one's complement; when the message sums to
    // 0xffff its checksum is zero, and a sender may write either.
    byte[] m = IcmpCodec.echo(0, 0xffff, 0, new byte[0]);
    assertThat(HexFormat.of().formatHex(m)).isEqualTo("00000000ffff0000");
    m[2] = (byte) 0xff;
    m[3] = (byte) 0xff;
    assertThat(IcmpCodec.decodeMessage(m, 0, m.length, 0)).isInstanceOf(IcmpDecoded.Ok.class);
  }

  private static byte[] with(byte[] packet, int at, int value) {
    byte[] copy = packet.clone();
    copy[at] = (byte) value;
    return copy;
  }

  private static byte[] withCode(byte[] message, int code) {
    message[1] = (byte) code;
    message[2] = 0;
    message[3] = 0;
    int checksum = InternetChecksum.of(message, 0, message.length);
    message[2] = (byte) (checksum >>> 8);
    message[3] = (byte) checksum;
    return message;
  }

  /** The first {@code length} bytes, with the total length saying so. */
  private static byte[] truncated(byte[] packet, int length) {
    byte[] copy = Arrays.copyOf(packet, length);
    copy[2] = (byte) (length >>> 8);
    copy[3] = (byte) length;
    return copy;
  }

  private static byte[] ipv4(byte[] message) {
    byte[] packet = new byte[20 + message.length];
    packet[0] = 0x45;
    packet[2] = (byte) (packet.length >>> 8);
    packet[3] = (byte) packet.length;
    packet[8] = 64;
    packet[9] = 1;
    System.arraycopy(GW.getAddress(), 0, packet, 12, 4);
    System.arraycopy(message, 0, packet, 20, message.length);
    return packet;
  }
}
