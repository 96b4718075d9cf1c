package dev.takeover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.clock.ManualClock;
import dev.takeover.links.GatewayProbe;
import dev.takeover.links.PathStatus;
import dev.takeover.wire.ArpFrame;
import dev.takeover.wire.IcmpCodec;
import dev.takeover.wire.IcmpDecoded;
import dev.takeover.wire.IcmpEcho;
import dev.takeover.wire.MacAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ICMP gateway probes between the engine ({@link GatewayProbes}) and the socket poller ({@link
 * GatewayEchoIntake}): each request is an echo naming its number; only the reply that names the
 * outstanding request reaches the engine, once; other replies with the probe's identifier are
 * counted, other programs' pings and other addresses ignored; DOWN after misses, UP after goods.
 */
class GatewayEchoProbesTest {
  static final long MS = 1_000_000L;
  static final long I = 100 * MS;
  static final int ID = 0xbeef;
  static final Inet4Address SELF = (Inet4Address) InetAddress.ofLiteral("198.18.0.1");
  static final Inet4Address GW = (Inet4Address) InetAddress.ofLiteral("198.18.0.254");
  static final Inet4Address OTHER = (Inet4Address) InetAddress.ofLiteral("198.18.0.9");

  final ManualClock clock = new ManualClock(Long.MAX_VALUE - 5_000 * MS, Instant.EPOCH);
  final List<byte[]> sent = new ArrayList<>();
  final List<Event> posted = new ArrayList<>();
  final List<String> changes = new ArrayList<>();
  final GatewayProbes.Output out = (i, from, to, why) -> changes.add(from + "->" + to + " " + why);
  final GatewayProbes probes =
      new GatewayProbes(
          List.of(GatewayProbes.Spec.icmp("eth0", 7, GW, ID, I, 2, 2)),
          (ifindex, frame, length) -> {
            throw new AssertionError("no ARP for an ICMP probe");
          },
          (probe, message, length) -> {
            assertThat(probe).isZero();
            sent.add(Arrays.copyOf(message, length)); // the buffer is reused
          },
          clock.nanoTime());
  final GatewayEchoIntake intake =
      new GatewayEchoIntake(
          new int[] {0}, new Inet4Address[] {GW}, new int[] {ID}, probes, posted::add, clock);

  /** The gateway's echo reply to {@code request} (an echo message), as an IPv4 packet from it. */
  static byte[] replyTo(byte[] request, Inet4Address from) {
    IcmpEcho echo =
        ((IcmpDecoded.Ok) IcmpCodec.decodeMessage(request, 0, request.length, 0)).echo();
    byte[] data = Arrays.copyOfRange(request, echo.dataOffset(), request.length);
    return ipv4(
        IcmpCodec.echo(IcmpCodec.ECHO_REPLY, echo.identifier(), echo.sequence(), data), from);
  }

  /** A 20-byte IPv4 header (protocol 1) from {@code from} to SELF, then {@code message}. */
  static byte[] ipv4(byte[] message, Inet4Address from) {
    byte[] packet = new byte[20 + message.length];
    packet[0] = 0x45;
    packet[2] = (byte) (packet.length >>> 8);
    packet[3] = (byte) packet.length;
    packet[8] = 64;
    packet[9] = 1;
    System.arraycopy(from.getAddress(), 0, packet, 12, 4);
    System.arraycopy(SELF.getAddress(), 0, packet, 16, 4);
    System.arraycopy(message, 0, packet, 20, message.length);
    return packet;
  }

  /** The engine's turn: requests due, then the replies the intake posted. */
  void engineTurn() {
    probes.tick(clock.nanoTime(), out);
    for (Event e : List.copyOf(posted)) {
      Event.GatewayReply r = (Event.GatewayReply) e;
      probes.reply(r.probe(), r.sequence(), clock.nanoTime(), out);
    }
    posted.clear();
  }

  @Test
  void eachRequestIsAnEchoThatNamesItsNumber() {
    probes.tick(clock.nanoTime(), out);
    clock.advanceNanos(I);
    probes.tick(clock.nanoTime(), out);
    assertThat(sent).hasSize(2);
    for (int i = 0; i < 2; i++) {
      byte[] m = sent.get(i);
      IcmpEcho echo = ((IcmpDecoded.Ok) IcmpCodec.decodeMessage(m, 0, m.length, 0)).echo();
      assertThat(echo.isReply()).isFalse();
      assertThat(echo.identifier()).isEqualTo(ID);
      assertThat(echo.sequence()).isEqualTo(i + 1);
      assertThat(IcmpCodec.probeRequest(m, echo)).isEqualTo(i + 1);
    }
    assertThat(probes.probe(0).kind()).isEqualTo(GatewayProbe.Kind.ICMP);
  }

  @Test
  void theReplyToTheOutstandingRequestIsOneEventAndRepeatsAreCounted() {
    probes.tick(clock.nanoTime(), out);
    byte[] reply = replyTo(sent.getLast(), GW);
    for (int i = 0; i < 100; i++) {
      intake.onPacket(reply, reply.length);
    }
    assertThat(posted).hasSize(1);
    assertThat(((Event.GatewayReply) posted.getFirst()).sequence()).isEqualTo(1);
    assertThat(probes.echoUnsolicited()).isEqualTo(99);
  }

  @Test
  void aLateReplyToAnEarlierRequestIsCountedAndAnswersNothing() {
    probes.tick(clock.nanoTime(), out);
    byte[] first = replyTo(sent.getLast(), GW);
    clock.advanceNanos(I);
    probes.tick(clock.nanoTime(), out);
    intake.onPacket(first, first.length);
    assertThat(posted).isEmpty();
    assertThat(probes.echoUnsolicited()).isEqualTo(1);
    byte[] second = replyTo(sent.getLast(), GW);
    intake.onPacket(second, second.length);
    assertThat(posted).hasSize(1);
    assertThat(((Event.GatewayReply) posted.getFirst()).sequence()).isEqualTo(2);
  }

  @Test
  void aReplyWithTheRightSequenceButOtherDataIsAGuessAndIsCounted() {
    probes.tick(clock.nanoTime(), out);
    byte[] guess = IcmpCodec.echo(IcmpCodec.ECHO_REPLY, ID, 1, new byte[8]);
    intake.onPacket(ipv4(guess, GW), guess.length + 20);
    byte[] noData = IcmpCodec.echo(IcmpCodec.ECHO_REPLY, ID, 1, new byte[0]);
    intake.onPacket(ipv4(noData, GW), noData.length + 20);
    assertThat(posted).isEmpty();
    assertThat(probes.echoUnsolicited()).isEqualTo(2);
  }

  @Test
  void otherProgramsPingsOtherAddressesAndRequestsAreIgnoredAndJunkIsMalformed() {
    probes.tick(clock.nanoTime(), out);
    byte[] request = sent.getLast();
    byte[] fromOther = replyTo(request, OTHER);
    // Another program's ping of the gateway: same sequence and data, another identifier.
    byte[] otherId =
        ipv4(
            IcmpCodec.echo(
                IcmpCodec.ECHO_REPLY,
                ID ^ 0x0100,
                1,
                Arrays.copyOfRange(request, IcmpCodec.HEADER_LENGTH, request.length)),
            GW);
    byte[] echoRequestFromGw = ipv4(request, GW);
    byte[] badChecksum = replyTo(request, GW);
    badChecksum[22] ^= 0x55;
    byte[] arp = ArpFrame.request(MacAddress.parse("02:00:00:00:00:fe").toBytes(), GW, SELF);
    for (byte[] p : List.of(fromOther, otherId, echoRequestFromGw)) {
      intake.onPacket(p, p.length);
    }
    assertThat(posted).isEmpty();
    assertThat(probes.echoUnsolicited()).isZero();
    assertThat(probes.echoMalformed()).isZero();
    intake.onPacket(badChecksum, badChecksum.length);
    intake.onPacket(arp, arp.length);
    intake.onPacket(new byte[3], 3);
    assertThat(posted).isEmpty();
    assertThat(probes.echoMalformed()).isEqualTo(3);
    // The outstanding request is still there for the real reply.
    byte[] reply = replyTo(request, GW);
    intake.onPacket(reply, reply.length);
    assertThat(posted).hasSize(1);
  }

  @Test
  void theGatewayStopsAnsweringEchoesAndComesBack() {
    for (int round = 0; round < 2; round++) { // two answered: UP
      engineTurn();
      byte[] reply = replyTo(sent.getLast(), GW);
      intake.onPacket(reply, reply.length);
      engineTurn();
      clock.advanceNanos(I);
    }
    assertThat(probes.probe(0).status()).isEqualTo(PathStatus.UP);
    for (int round = 0; round < 3; round++) { // silent: the second miss is counted at the third
      engineTurn();
      clock.advanceNanos(I);
    }
    assertThat(probes.probe(0).status()).isEqualTo(PathStatus.DOWN);
    for (int round = 0; round < 3; round++) {
      engineTurn();
      byte[] reply = replyTo(sent.getLast(), GW);
      intake.onPacket(reply, reply.length);
      engineTurn();
      clock.advanceNanos(I);
    }
    assertThat(probes.probe(0).status()).isEqualTo(PathStatus.UP);
    assertThat(changes)
        .containsExactly(
            "STARTING->UP 2 ICMP echo requests answered in a row",
            "UP->DOWN 2 ICMP echo requests unanswered in a row",
            "DOWN->UP 2 ICMP echo requests answered in a row");
    assertThat(sent).hasSize(8);
    assertThat(probes.echoUnsolicited()).isZero();
  }

  @Test
  void anEchoThatCannotBeSentIsCountedNotThrown() {
    GatewayProbes failing =
        new GatewayProbes(
            probes.specs(),
            (ifindex, frame, length) -> {},
            (probe, message, length) -> {
              throw new IllegalStateException("ENETUNREACH");
            },
            clock.nanoTime());
    failing.tick(clock.nanoTime(), out);
    assertThat(failing.echoSendFailures()).isEqualTo(1);
    assertThat(failing.sendFailures()).isZero();
  }
}
