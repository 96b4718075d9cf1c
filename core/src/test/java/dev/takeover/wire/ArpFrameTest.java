package dev.takeover.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ArpFrameTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final MacAddress OWN = MacAddress.parse("02:00:00:00:00:01");
  private static final MacAddress OTHER = MacAddress.parse("02:00:00:00:00:02");
  private static final Inet4Address VIP = (Inet4Address) Fixture.address("198.18.0.50");
  private static final Inet4Address ZERO = (Inet4Address) Fixture.address("0.0.0.0");

  @Test
  void gratuitousArpIsAnRfc5227AnnouncementPaddedTo60Bytes() {
    byte[] frame = ArpFrame.gratuitous(OWN.toBytes(), VIP);

    assertThat(HEX.formatHex(frame))
        .isEqualTo(
            "ffffffffffff" // broadcast
                + "020000000001" // our MAC
                + "0806" // ARP
                + "0001"
                + "0800"
                + "06"
                + "04" // Ethernet, IPv4, sizes
                + "0001" // request
                + "020000000001"
                + "c6120032" // sender: our MAC, the VIP
                + "000000000000"
                + "c6120032" // target: zero MAC, the VIP
                + "00".repeat(18)); // padding to 60
  }

  @Test
  void decodesItsOwnGratuitousArp() {
    byte[] frame = ArpFrame.gratuitous(OWN.toBytes(), VIP);

    ArpDecoded decoded = ArpFrame.decode(frame, frame.length);

    ArpPacket packet = new ArpPacket(ArpPacket.REQUEST, OWN, VIP, MacAddress.ZERO, VIP);
    assertThat(decoded).isEqualTo(new ArpDecoded.Ok(packet));
    assertThat(packet.isAnnouncement()).isTrue();
    assertThat(packet.isProbe()).isFalse();
    assertThat(packet.claimedByOther(VIP, OWN)).isFalse();
    assertThat(packet.claimedByOther(VIP, OTHER)).isTrue();
  }

  @Test
  void decodesAPacketSocketPayloadWithoutEthernetHeader() {
    byte[] frame = ArpFrame.gratuitous(OWN.toBytes(), VIP);

    assertThat(ArpFrame.decodePayload(frame, 14, 28))
        .isEqualTo(ArpFrame.decode(frame, frame.length));
  }

  @Test
  void recognisesAnRfc5227ProbeForTheAddress() {
    byte[] frame = ArpFrame.gratuitous(OTHER.toBytes(), VIP);
    System.arraycopy(new byte[4], 0, frame, 28, 4); // sender IP 0.0.0.0

    ArpPacket probe = ((ArpDecoded.Ok) ArpFrame.decode(frame, frame.length)).packet();

    assertThat(probe.senderIp()).isEqualTo(ZERO);
    assertThat(probe.isProbe()).isTrue();
    assertThat(probe.probedByOther(VIP, OWN)).isTrue();
    assertThat(probe.probedByOther(VIP, OTHER)).isFalse();
    assertThat(probe.claimedByOther(VIP, OWN)).isFalse();
  }

  private static final Inet4Address GATEWAY = (Inet4Address) Fixture.address("198.18.0.254");
  private static final Inet4Address SELF = (Inet4Address) Fixture.address("198.18.0.1");

  @Test
  void aGatewayProbeRequestIsAnOrdinaryBroadcastRequestFromOurAddress() {
    byte[] frame = ArpFrame.request(OWN.toBytes(), SELF, GATEWAY);

    assertThat(frame).hasSize(60);
    assertThat(HEX.formatHex(frame, 0, 42))
        .isEqualTo(
            "ffffffffffff"
                + "020000000001"
                + "0806" // Ethernet: broadcast from us, ARP
                + "0001"
                + "0800"
                + "06"
                + "04"
                + "0001" // Ethernet/IPv4, request
                + "020000000001"
                + "c6120001" // sender: our MAC, 198.18.0.1
                + "000000000000"
                + "c61200fe"); // target: MAC zero, 198.18.0.254
    ArpPacket p = ((ArpDecoded.Ok) ArpFrame.decode(frame, frame.length)).packet();
    assertThat(p.isProbe()).isFalse();
    assertThat(p.isAnnouncement()).isFalse();
    assertThat(p.isReplyFrom(GATEWAY, OTHER)).isFalse(); // a request answers nothing
  }

  @Test
  void theGatewaysReplyAnswersTheProbeAndNothingElseDoes() {
    byte[] reply = ArpFrame.request(OTHER.toBytes(), GATEWAY, SELF);
    reply[21] = 2; // operation: reply
    OWN.writeTo(reply, 32); // target MAC: us
    ArpPacket p = ((ArpDecoded.Ok) ArpFrame.decode(reply, reply.length)).packet();

    assertThat(p.isReplyFrom(GATEWAY, OWN)).isTrue();
    assertThat(p.isReplyFrom(SELF, OWN)).isFalse(); // from another address
    assertThat(p.isReplyFrom(GATEWAY, OTHER)).isFalse(); // our own MAC sent it
    MacAddress third = MacAddress.parse("02:00:00:00:00:03");
    third.writeTo(reply, 32); // the gateway's answer to another host, flooded by a bridge
    assertThat(
            ((ArpDecoded.Ok) ArpFrame.decode(reply, reply.length))
                .packet()
                .isReplyFrom(GATEWAY, OWN))
        .isFalse();
    MacAddress.BROADCAST.writeTo(reply, 32); // a broadcast reply (RFC 5227 §2.6) is for us too
    assertThat(
            ((ArpDecoded.Ok) ArpFrame.decode(reply, reply.length))
                .packet()
                .isReplyFrom(GATEWAY, OWN))
        .isTrue();
    assertThat(ArpFrame.probe(OWN.toBytes(), VIP))
        .isEqualTo(ArpFrame.request(OWN.toBytes(), ZERO, VIP)); // RFC 5227 probe: sender 0.0.0.0
  }

  record DropCase(ArpDropReason reason, byte[] frame, int length) {
    @Override
    public String toString() {
      return reason.name();
    }
  }

  private static DropCase mutated(ArpDropReason reason, UnaryOperator<byte[]> mutate) {
    byte[] frame = mutate.apply(ArpFrame.gratuitous(OWN.toBytes(), VIP));
    return new DropCase(reason, frame, frame.length);
  }

  static Stream<DropCase> dropCases() {
    return Stream.of(
        mutated(ArpDropReason.TOO_SHORT, f -> Arrays.copyOf(f, 41)),
        new DropCase(ArpDropReason.TOO_SHORT, new byte[60], 61),
        new DropCase(ArpDropReason.TOO_SHORT, null, 0),
        mutated(ArpDropReason.NOT_ARP, f -> set(f, 12, 0x81, 0x00)), // 802.1Q tag
        mutated(ArpDropReason.NOT_ARP, f -> set(f, 12, 0x08, 0x00)), // IPv4
        mutated(ArpDropReason.UNSUPPORTED_HARDWARE, f -> set(f, 14, 0x00, 0x06)), // IEEE 802
        mutated(ArpDropReason.UNSUPPORTED_HARDWARE, f -> set(f, 18, 8)),
        mutated(ArpDropReason.UNSUPPORTED_PROTOCOL, f -> set(f, 16, 0x86, 0xdd)),
        mutated(ArpDropReason.UNSUPPORTED_PROTOCOL, f -> set(f, 19, 16)),
        mutated(ArpDropReason.UNKNOWN_OPERATION, f -> set(f, 20, 0, 3)), // RARP request
        mutated(ArpDropReason.UNKNOWN_OPERATION, f -> set(f, 20, 0, 0)));
  }

  private static byte[] set(byte[] frame, int index, int... values) {
    for (int i = 0; i < values.length; i++) {
      frame[index + i] = (byte) values[i];
    }
    return frame;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dropCases")
  void dropsWithTheNamedReason(DropCase c) {
    assertThat(ArpFrame.decode(c.frame(), c.length()))
        .isInstanceOfSatisfying(
            ArpDecoded.Dropped.class,
            d -> {
              assertThat(d.reason()).isEqualTo(c.reason());
              assertThat(d.detail()).isNotBlank();
            });
  }

  @Test
  void everyDropReasonHasACase() {
    Set<ArpDropReason> covered =
        dropCases()
            .map(DropCase::reason)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(ArpDropReason.class)));

    assertThat(covered).isEqualTo(EnumSet.allOf(ArpDropReason.class));
  }

  @ParameterizedTest
  @EnumSource(ArpDropReason.class)
  void everyReasonDescribesItself(ArpDropReason reason) {
    assertThat(reason.description()).isNotBlank();
  }

  @Test
  void randomAndTruncatedFramesNeverThrow() {
    Random random = new Random(0x7a6b_0004L);
    for (int i = 0; i < 5000; i++) {
      byte[] frame =
          random.nextBoolean()
              ? ArpFrame.gratuitous(OWN.toBytes(), VIP)
              : new byte[random.nextInt(70)];
      if (frame.length == 60) {
        frame[random.nextInt(60)] ^= (byte) random.nextInt(256);
      } else {
        random.nextBytes(frame);
        if (frame.length > 13 && random.nextBoolean()) {
          set(frame, 12, 0x08, 0x06);
        }
      }
      int length = random.nextInt(frame.length + 1);

      assertThatCode(() -> assertThat(ArpFrame.decode(frame, length)).isNotNull())
          .as("frame %s length %d", HEX.formatHex(frame), length)
          .doesNotThrowAnyException();
    }
    for (int[] range : new int[][] {{-1, 28}, {0, -1}, {40, 28}}) {
      assertThat(ArpFrame.decodePayload(new byte[60], range[0], range[1]))
          .isInstanceOf(ArpDecoded.Dropped.class);
    }
  }

  @Test
  void gratuitousRejectsAMacOfTheWrongLength() {
    assertThatThrownBy(() -> ArpFrame.gratuitous(new byte[5], VIP))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void macAddressesParseAndPrint() {
    assertThat(MacAddress.parse("02:00:5e:00:01:33").toString()).isEqualTo("02:00:5e:00:01:33");
    assertThat(MacAddress.parse("ff-ff-ff-ff-ff-ff")).isEqualTo(MacAddress.BROADCAST);
    assertThat(MacAddress.of(new byte[6])).isEqualTo(MacAddress.ZERO);
    assertThat(MacAddress.BROADCAST.toBytes()).containsOnly(0xff);
    assertThatThrownBy(() -> MacAddress.parse("02:00:5e:00:01"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MacAddress.parse("02:00-5e:00:01:33"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MacAddress.parse("0200:5e:00:01:33:"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
