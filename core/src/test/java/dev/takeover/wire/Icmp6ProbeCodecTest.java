package dev.takeover.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The codecs of IPv6 gateway probes against what Linux itself sent (fixtures/icmp6-*.hex and
 * fixtures/ndp-*.hex, captured by capture-icmp.sh; PROVENANCE.md): the ICMPv6 echo request a probe
 * writes is ping's, Linux's reply answers it; the Neighbor Solicitation a probe sends is the one
 * Linux answered, and which advertisements count as its answer.
 */
class Icmp6ProbeCodecTest {
  static final Inet6Address GW = (Inet6Address) InetAddress.ofLiteral("2001:db8::1");
  static final Inet6Address GW_LINK_LOCAL = (Inet6Address) InetAddress.ofLiteral("fe80::1");
  static final byte[] MAC = {2, 0, 0, 0, 0, 2};

  static IcmpEcho ok(IcmpDecoded d) {
    assertThat(d).isInstanceOf(IcmpDecoded.Ok.class);
    return ((IcmpDecoded.Ok) d).echo();
  }

  /** The message with its checksum zeroed: what a raw ICMPv6 socket is given to send. */
  static byte[] unchecked(byte[] message) {
    byte[] copy = message.clone();
    copy[2] = 0;
    copy[3] = 0;
    return copy;
  }

  @Test
  void linuxsEchoReplyAnswersTheRequestAProbeWrites() {
    byte[] q = Fixture.load("icmp6-echo-request.hex").icmp6();
    Fixture reply = Fixture.load("icmp6-echo-reply.hex");
    byte[] r = reply.icmp6();
    assertThat(reply.source()).isEqualTo(GW);
    IcmpEcho asked = ok(IcmpCodec.decodeMessage6(q, 0, q.length));
    IcmpEcho answered = ok(IcmpCodec.decodeMessage6(r, 0, r.length));
    assertThat(asked.type()).isEqualTo(IcmpCodec.ECHO6_REQUEST);
    assertThat(asked.isReply()).isFalse();
    assertThat(answered.type()).isEqualTo(IcmpCodec.ECHO6_REPLY);
    assertThat(answered.isReply()).isTrue();
    // RFC 4443 §4.2: identifier, sequence number and data come back as sent.
    assertThat(answered.identifier()).isEqualTo(asked.identifier());
    assertThat(answered.sequence()).isEqualTo(1);
    assertThat(IcmpCodec.probeRequest(r, answered)).isEqualTo(1);
    assertThat(IcmpCodec.answers(r, answered, asked.identifier(), 1)).isTrue();
    assertThat(IcmpCodec.answers(r, answered, asked.identifier() ^ 1, 1)).isFalse();
    assertThat(IcmpCodec.answers(r, answered, asked.identifier(), 2)).isFalse();
    assertThat(IcmpCodec.answers(r, answered, asked.identifier(), 1 + 65536)).isFalse();
    assertThat(IcmpCodec.answers(q, asked, asked.identifier(), 1)).isFalse();
    // The probe's request for that identifier and number is ping's, but for the checksum, which
    // the kernel fills in on a raw ICMPv6 socket (RFC 3542 §3.1).
    byte[] mine = new byte[IcmpCodec.PROBE_LENGTH];
    assertThat(IcmpCodec.writeProbeRequest6(mine, asked.identifier(), 1))
        .isEqualTo(IcmpCodec.PROBE_LENGTH);
    assertThat(mine).isEqualTo(unchecked(q));
  }

  @Test
  void icmpv4TypesAreNoIcmpv6EchoAndTheOtherWayRound() {
    byte[] v6 = new byte[IcmpCodec.PROBE_LENGTH];
    IcmpCodec.writeProbeRequest6(v6, 7, 1);
    v6[0] = (byte) IcmpCodec.ECHO_REPLY; // 0 is no ICMPv6 echo type
    assertThat(IcmpCodec.decodeMessage6(v6, 0, v6.length))
        .isEqualTo(new IcmpDecoded.Dropped(IcmpDropReason.NOT_ECHO, "type 0, code 0"));
    v6[0] = (byte) IcmpCodec.ECHO6_REPLY;
    v6[1] = 1;
    assertThat(IcmpCodec.decodeMessage6(v6, 0, v6.length))
        .isEqualTo(new IcmpDecoded.Dropped(IcmpDropReason.NOT_ECHO, "type 129, code 1"));
    assertThat(IcmpCodec.decodeMessage6(v6, 0, 7))
        .isEqualTo(new IcmpDecoded.Dropped(IcmpDropReason.TRUNCATED, "ICMP message of 7 bytes"));
    assertThat(IcmpCodec.decodeMessage6(v6, 10, 8)).isInstanceOf(IcmpDecoded.Dropped.class);
    assertThat(IcmpCodec.decodeMessage6(null, 0, 8)).isInstanceOf(IcmpDecoded.Dropped.class);
    byte[] v4 = new byte[IcmpCodec.PROBE_LENGTH];
    IcmpCodec.writeProbeRequest(v4, 7, 1);
    byte[] v4reply = IcmpCodec.echo(IcmpCodec.ECHO6_REPLY, 7, 1, new byte[8]);
    assertThat(IcmpCodec.decodeMessage(v4reply, 0, v4reply.length, 0))
        .isInstanceOf(IcmpDecoded.Dropped.class);
  }

  @Test
  void theSolicitationAProbeSendsIsTheOneLinuxAnswered() {
    Fixture global = Fixture.load("ndp-ns-global.hex");
    Fixture linkLocal = Fixture.load("ndp-ns-link-local.hex");
    assertThat(global.hopLimit()).isEqualTo(255);
    assertThat(global.destination()).isEqualTo(GW); // unicast, RFC 4861 §7.2.2
    assertThat(NeighborSolicit.unicastProbe(GW, MAC)).isEqualTo(unchecked(global.icmp6()));
    assertThat(NeighborSolicit.unicastProbe(GW_LINK_LOCAL, MAC))
        .isEqualTo(unchecked(linkLocal.icmp6()));
    assertThat(NeighborSolicit.unicastProbe(GW, MAC)).hasSize(NeighborSolicit.PROBE_LENGTH);
  }

  @Test
  void linuxsSolicitedAdvertisementIsTheAnswerForItsTargetOnly() {
    for (String name : new String[] {"ndp-na-global.hex", "ndp-na-link-local.hex"}) {
      Fixture f = Fixture.load(name);
      byte[] na = f.icmp6();
      byte[] target = f.source().getAddress(); // Linux answers from the address asked for
      byte[] other = GW.getAddress().clone();
      other[15] = 9;
      assertThat(NeighborAdvert.check(na, 0, na.length, f.hopLimit(), target, 0))
          .as(name)
          .isEqualTo(NeighborAdvert.Verdict.ANSWER);
      assertThat(NeighborAdvert.check(na, 0, na.length, 255, other, 0))
          .as(name + ", another target")
          .isEqualTo(NeighborAdvert.Verdict.NOT_AN_ANSWER);
      // RFC 4861 §7.1.2: not 255 hops means it came from off the link.
      assertThat(NeighborAdvert.check(na, 0, na.length, 254, target, 0))
          .isEqualTo(NeighborAdvert.Verdict.INVALID);
      assertThat(NeighborAdvert.check(na, 0, na.length, -1, target, 0))
          .isEqualTo(NeighborAdvert.Verdict.INVALID);
      assertThat(NeighborAdvert.check(na, 0, 23, 255, target, 0))
          .isEqualTo(NeighborAdvert.Verdict.INVALID);
      byte[] unsolicited = na.clone();
      unsolicited[4] = 0x20; // Override only: what a claim announces (§7.2.6), not an answer
      assertThat(NeighborAdvert.check(unsolicited, 0, na.length, 255, target, 0))
          .isEqualTo(NeighborAdvert.Verdict.NOT_AN_ANSWER);
      byte[] code = na.clone();
      code[1] = 1;
      assertThat(NeighborAdvert.check(code, 0, na.length, 255, target, 0))
          .isEqualTo(NeighborAdvert.Verdict.INVALID);
    }
  }

  @Test
  void optionsMustEachHaveALengthThatFits() {
    byte[] na = Fixture.load("ndp-na-global.hex").icmp6();
    byte[] target = GW.getAddress();
    byte[] withOption = Arrays.copyOf(na, na.length + 8);
    withOption[24] = 2; // Target Link-Layer Address
    withOption[25] = 1;
    assertThat(NeighborAdvert.check(withOption, 0, withOption.length, 255, target, 0))
        .isEqualTo(NeighborAdvert.Verdict.ANSWER);
    withOption[25] = 0; // RFC 4861 §7.1.2: an option of length 0 makes the message invalid
    assertThat(NeighborAdvert.check(withOption, 0, withOption.length, 255, target, 0))
        .isEqualTo(NeighborAdvert.Verdict.INVALID);
    withOption[25] = 2; // runs past the end
    assertThat(NeighborAdvert.check(withOption, 0, withOption.length, 255, target, 0))
        .isEqualTo(NeighborAdvert.Verdict.INVALID);
    assertThat(NeighborAdvert.check(withOption, 0, na.length + 1, 255, target, 0))
        .isEqualTo(NeighborAdvert.Verdict.INVALID);
    assertThat(NeighborAdvert.check(null, 0, 24, 255, target, 0))
        .isEqualTo(NeighborAdvert.Verdict.INVALID);
    assertThat(NeighborAdvert.check(na, 8, na.length, 255, target, 0))
        .isEqualTo(NeighborAdvert.Verdict.INVALID);
    // The advertisement may sit at an offset in a larger buffer.
    byte[] shifted = new byte[na.length + 5];
    System.arraycopy(na, 0, shifted, 5, na.length);
    assertThat(NeighborAdvert.check(shifted, 5, na.length, 255, target, 0))
        .isEqualTo(NeighborAdvert.Verdict.ANSWER);
  }
}
