package dev.takeover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.clock.ManualClock;
import dev.takeover.links.PathStatus;
import dev.takeover.wire.ArpFrame;
import dev.takeover.wire.MacAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gateway probes between the engine ({@link GatewayProbes}) and the receive thread ({@link
 * GatewayReplyIntake}): one event per request however many replies come, the rest counted; replies
 * from other addresses ignored; DOWN after misses, UP after goods.
 */
class GatewayProbesTest {
  static final long MS = 1_000_000L;
  static final long I = 100 * MS;
  static final MacAddress OWN = MacAddress.parse("02:00:00:00:00:01");
  static final MacAddress GW_MAC = MacAddress.parse("02:00:00:00:00:fe");
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
          List.of(
              new GatewayProbes.Spec(
                  "eth0", 7, GW, ArpFrame.request(OWN.toBytes(), SELF, GW), I, 2, 2)),
          (ifindex, frame, length) -> {
            assertThat(ifindex).isEqualTo(7);
            sent.add(frame);
          },
          clock.nanoTime());
  final GatewayReplyIntake intake =
      new GatewayReplyIntake(
          OWN, new int[] {0}, new Inet4Address[] {GW}, probes, posted::add, clock);

  static byte[] replyFrom(Inet4Address sender, MacAddress mac) {
    byte[] reply = ArpFrame.request(mac.toBytes(), sender, SELF);
    reply[21] = 2; // reply
    OWN.writeTo(reply, 32);
    return reply;
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
  void aFloodOfRepliesIsOneEventAndTheRestIsCounted() {
    probes.tick(clock.nanoTime(), out);
    assertThat(sent).hasSize(1);
    byte[] reply = replyFrom(GW, GW_MAC);
    for (int i = 0; i < 1000; i++) {
      intake.onFrame(reply, reply.length);
    }
    assertThat(posted).hasSize(1);
    assertThat(((Event.GatewayReply) posted.getFirst()).sequence()).isEqualTo(1);
    assertThat(probes.unsolicited()).isEqualTo(999);
  }

  @Test
  void repliesFromOtherAddressesOurOwnMacOrToAnotherHostAnswerNothing() {
    probes.tick(clock.nanoTime(), out);
    byte[] other = replyFrom(OTHER, GW_MAC);
    byte[] ours = replyFrom(GW, OWN);
    byte[] request = ArpFrame.request(GW_MAC.toBytes(), GW, SELF);
    byte[] junk = new byte[20];
    byte[] toAnother = replyFrom(GW, GW_MAC);
    MacAddress.parse("02:00:00:00:00:02").writeTo(toAnother, 32); // n2's answer, flooded
    for (byte[] f : List.of(other, ours, request, junk, toAnother)) {
      intake.onFrame(f, f.length);
    }
    assertThat(posted).isEmpty();
    assertThat(probes.unsolicited()).isZero();
  }

  @Test
  void theGatewayFallsSilentAndComesBack() {
    byte[] reply = replyFrom(GW, GW_MAC);
    for (int round = 0; round < 2; round++) { // two answered: UP
      engineTurn();
      intake.onFrame(reply, reply.length);
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
      intake.onFrame(reply, reply.length);
      engineTurn();
      clock.advanceNanos(I);
    }
    assertThat(probes.probe(0).status()).isEqualTo(PathStatus.UP);
    assertThat(changes)
        .containsExactly(
            "STARTING->UP 2 ARP requests answered in a row",
            "UP->DOWN 2 ARP requests unanswered in a row",
            "DOWN->UP 2 ARP requests answered in a row");
    assertThat(sent).hasSize(8);
    assertThat(probes.deadline()).isEqualTo(clock.nanoTime());
  }

  @Test
  void aRequestThatCannotBeSentIsCountedNotThrown() {
    GatewayProbes failing =
        new GatewayProbes(
            probes.specs(),
            (ifindex, frame, length) -> {
              throw new IllegalStateException("ENETDOWN");
            },
            clock.nanoTime());
    failing.tick(clock.nanoTime(), out);
    assertThat(failing.sendFailures()).isEqualTo(1);
  }
}
