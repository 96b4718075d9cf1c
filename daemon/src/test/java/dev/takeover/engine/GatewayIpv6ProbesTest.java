package dev.takeover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.clock.ManualClock;
import dev.takeover.links.GatewayProbe;
import dev.takeover.links.PathStatus;
import dev.takeover.wire.IcmpCodec;
import dev.takeover.wire.IcmpDecoded;
import dev.takeover.wire.IcmpEcho;
import dev.takeover.wire.NeighborSolicit;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gateway probes of IPv6 next hops between the engine ({@link GatewayProbes}) and the socket poller
 * ({@link GatewayEchoIntake#onMessage6}), on one interface with both kinds: an ICMPv6 echo probe of
 * a global gateway and an NDP probe of a link-local one. What counts as an answer: for ICMPv6, the
 * echo reply from the gateway that names the outstanding request (identifier, sequence, data); for
 * NDP, the first valid solicited advertisement for the gateway (hop limit 255, Solicited flag,
 * target) after a request. The interface is the socket's (bound to it), so neither looks at scope.
 */
class GatewayIpv6ProbesTest {
  static final long MS = 1_000_000L;
  static final long I = 100 * MS;
  static final int ID = 0x1234;
  static final Inet6Address GW = (Inet6Address) InetAddress.ofLiteral("2001:db8::fe");
  static final Inet6Address GW_LL = (Inet6Address) InetAddress.ofLiteral("fe80::1");
  static final Inet6Address OTHER = (Inet6Address) InetAddress.ofLiteral("2001:db8::9");
  static final byte[] MAC = {2, 0, 0, 0, 0, 1};
  static final int ECHO = 0;
  static final int NDP = 1;

  final ManualClock clock = new ManualClock(Long.MAX_VALUE - 5_000 * MS, Instant.EPOCH);
  final List<byte[]> sent = new ArrayList<>();
  final List<Integer> sentBy = new ArrayList<>();
  final List<Event> posted = new ArrayList<>();
  final List<String> changes = new ArrayList<>();
  final GatewayProbes.Output out =
      (i, from, to, why) -> changes.add(i + " " + from + "->" + to + " " + why);
  final GatewayProbes probes =
      new GatewayProbes(
          List.of(
              GatewayProbes.Spec.icmp("eth0", 7, GW, ID, I, 2, 2),
              GatewayProbes.Spec.ndp(
                  "eth0", 7, GW_LL, NeighborSolicit.unicastProbe(GW_LL, MAC), I, 2, 2)),
          (ifindex, frame, length) -> {
            throw new AssertionError("no ARP on IPv6");
          },
          (probe, message, length) -> {
            sentBy.add(probe);
            sent.add(Arrays.copyOf(message, length)); // the buffer is reused
          },
          clock.nanoTime());
  final GatewayEchoIntake intake =
      new GatewayEchoIntake(
          new int[] {ECHO, NDP},
          new InetAddress[] {GW, GW_LL},
          new int[] {ID, 0},
          probes,
          posted::add,
          clock);

  byte[] lastSentBy(int probe) {
    for (int i = sent.size() - 1; i >= 0; i--) {
      if (sentBy.get(i) == probe) {
        return sent.get(i);
      }
    }
    throw new AssertionError("nothing sent by " + probe);
  }

  /** The gateway's ICMPv6 echo reply to {@code request}, as a raw ICMPv6 socket receives it. */
  static byte[] replyTo(byte[] request) {
    byte[] reply = request.clone();
    reply[0] = (byte) IcmpCodec.ECHO6_REPLY;
    return reply;
  }

  /** A Neighbor Advertisement for {@code target} with {@code flags} (0x40 Solicited). */
  static byte[] advert(Inet6Address target, int flags) {
    byte[] na = new byte[24];
    na[0] = (byte) 136;
    na[4] = (byte) flags;
    System.arraycopy(target.getAddress(), 0, na, 8, 16);
    return na;
  }

  void receive(byte[] message, Inet6Address from, int hopLimit) {
    intake.onMessage6(message, message.length, from.getAddress(), hopLimit);
  }

  void engineTurn() {
    probes.tick(clock.nanoTime(), out);
    for (Event e : List.copyOf(posted)) {
      Event.GatewayReply r = (Event.GatewayReply) e;
      probes.reply(r.probe(), r.sequence(), clock.nanoTime(), out);
    }
    posted.clear();
  }

  @Test
  void theEchoProbeSendsIcmpv6EchoesAndTheNdpProbeItsSolicitation() {
    probes.tick(clock.nanoTime(), out);
    assertThat(sentBy).containsExactly(ECHO, NDP);
    byte[] echo = sent.get(0);
    IcmpEcho e = ((IcmpDecoded.Ok) IcmpCodec.decodeMessage6(echo, 0, echo.length)).echo();
    assertThat(e.type()).isEqualTo(IcmpCodec.ECHO6_REQUEST);
    assertThat(e.identifier()).isEqualTo(ID);
    assertThat(IcmpCodec.probeRequest(echo, e)).isEqualTo(1);
    assertThat(echo[2]).isZero(); // checksum: the kernel's
    assertThat(sent.get(1)).isEqualTo(NeighborSolicit.unicastProbe(GW_LL, MAC));
    assertThat(probes.probe(NDP).kind()).isEqualTo(GatewayProbe.Kind.NDP);
  }

  @Test
  void theEchoReplyThatNamesTheRequestIsOneEventAndOnlyFromTheGateway() {
    probes.tick(clock.nanoTime(), out);
    byte[] reply = replyTo(lastSentBy(ECHO));
    receive(reply, OTHER, 64); // someone else with the same bytes: not the gateway
    assertThat(posted).isEmpty();
    byte[] otherId = reply.clone();
    otherId[4] ^= 1; // another program's ping of the gateway
    receive(otherId, GW, 64);
    assertThat(posted).isEmpty();
    assertThat(probes.echoUnsolicited()).isZero();
    for (int i = 0; i < 10; i++) {
      receive(reply, GW, 64);
    }
    assertThat(posted).containsExactly(new Event.GatewayReply(ECHO, 1, clock.nanoTime()));
    assertThat(probes.echoUnsolicited()).isEqualTo(9);
    byte[] guess = reply.clone();
    guess[15] = 2; // the right sequence, another number in the data
    clock.advanceNanos(I);
    probes.tick(clock.nanoTime(), out);
    receive(guess, GW, 64);
    assertThat(probes.echoUnsolicited()).isEqualTo(10);
    receive(new byte[3], GW, 64);
    assertThat(probes.echoMalformed()).isEqualTo(1);
  }

  @Test
  void theFirstSolicitedAdvertisementForTheGatewayAnswersTheSolicitation() {
    probes.tick(clock.nanoTime(), out);
    receive(advert(GW_LL, 0x20), GW_LL, 255); // unsolicited (a claim): no answer
    receive(advert(OTHER, 0x60), OTHER, 255); // another target: the LAN's own ND
    assertThat(posted).isEmpty();
    assertThat(probes.ndpUnsolicited()).isZero();
    receive(advert(GW_LL, 0x40), GW_LL, 64); // off the link (RFC 4861 §7.1.2)
    assertThat(posted).isEmpty();
    assertThat(probes.ndpMalformed()).isEqualTo(1);
    // Linux answers a solicitation of its global address from that address, a router may answer
    // from its link-local one: the target is what names the gateway, not the source.
    receive(advert(GW_LL, 0x40), OTHER, 255);
    receive(advert(GW_LL, 0x60), GW_LL, 255);
    assertThat(posted).containsExactly(new Event.GatewayReply(NDP, 1, clock.nanoTime()));
    assertThat(probes.ndpUnsolicited()).isEqualTo(1);
    assertThat(probes.echoUnsolicited()).isZero();
  }

  @Test
  void bothProbesGoDownAndComeBackOnTheirOwnAnswers() {
    for (int round = 0; round < 2; round++) {
      engineTurn();
      receive(replyTo(lastSentBy(ECHO)), GW, 64);
      receive(advert(GW_LL, 0x40), GW_LL, 255);
      engineTurn();
      clock.advanceNanos(I);
    }
    assertThat(probes.probe(ECHO).status()).isEqualTo(PathStatus.UP);
    assertThat(probes.probe(NDP).status()).isEqualTo(PathStatus.UP);
    for (int round = 0; round < 3; round++) { // only the NDP probe is answered
      engineTurn();
      receive(advert(GW_LL, 0x40), GW_LL, 255);
      engineTurn();
      clock.advanceNanos(I);
    }
    assertThat(probes.probe(ECHO).status()).isEqualTo(PathStatus.DOWN);
    assertThat(probes.probe(NDP).status()).isEqualTo(PathStatus.UP);
    for (int round = 0; round < 3; round++) { // only the echo probe is answered
      engineTurn();
      receive(replyTo(lastSentBy(ECHO)), GW, 64);
      engineTurn();
      clock.advanceNanos(I);
    }
    assertThat(probes.probe(ECHO).status()).isEqualTo(PathStatus.UP);
    assertThat(probes.probe(NDP).status()).isEqualTo(PathStatus.DOWN);
    assertThat(changes)
        .containsExactly(
            "0 STARTING->UP 2 ICMP echo requests answered in a row",
            "1 STARTING->UP 2 Neighbor Solicitations answered in a row",
            "0 UP->DOWN 2 ICMP echo requests unanswered in a row",
            "0 DOWN->UP 2 ICMP echo requests answered in a row",
            "1 UP->DOWN 2 Neighbor Solicitations unanswered in a row");
  }

  @Test
  void aSolicitationThatCannotBeSentIsCountedAsNdp() {
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
    assertThat(failing.ndpSendFailures()).isEqualTo(1);
    assertThat(failing.sendFailures()).isZero();
  }
}
