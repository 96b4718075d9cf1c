package dev.takeover.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.takeover.wire.IcmpCodec;
import dev.takeover.wire.IcmpDecoded;
import dev.takeover.wire.IcmpEcho;
import dev.takeover.wire.NeighborAdvert;
import dev.takeover.wire.NeighborSolicit;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gateway probe's ICMP socket between two namespaces: A's echo request is answered by B's kernel
 * and A's socket queues the reply; echo requests that reach A (B pinging it) are kept out by the
 * ICMP_FILTER. The same for the raw ICMPv6 socket of IPv6 probes, with a Neighbor Solicitation of
 * B's link-local address (scoped by the socket's interface) answered by B's kernel.
 */
class IcmpSocketIT {
  private static final Inet4Address A = (Inet4Address) InetAddress.ofLiteral("198.18.41.1");
  private static final Inet4Address B = (Inet4Address) InetAddress.ofLiteral("198.18.41.2");
  private static final Inet6Address A6 = (Inet6Address) InetAddress.ofLiteral("2001:db8:41::1");
  private static final Inet6Address B6 = (Inet6Address) InetAddress.ofLiteral("2001:db8:41::2");
  private static final Inet6Address B_LINK_LOCAL =
      (Inet6Address) InetAddress.ofLiteral("fe80::41:2");

  private static TestNamespaces namespaces;
  private static String nsA;
  private static String nsB;
  private static int indexA;
  private static int indexB;
  private static byte[] macA;

  @BeforeAll
  static void setUp() {
    assumeTrue(TestNamespaces.isRoot(), "needs root to create network namespaces");
    namespaces = new TestNamespaces();
    nsA = namespaces.create();
    nsB = namespaces.create();
    namespaces.veth(nsA, "va", nsB, "vb");
    namespaces.ip(nsA, "addr", "add", A.getHostAddress() + "/24", "dev", "va");
    namespaces.ip(nsB, "addr", "add", B.getHostAddress() + "/24", "dev", "vb");
    namespaces.ip(nsA, "addr", "add", A6.getHostAddress() + "/64", "dev", "va", "nodad");
    namespaces.ip(nsB, "addr", "add", B6.getHostAddress() + "/64", "dev", "vb", "nodad");
    namespaces.ip(nsB, "addr", "add", "fe80::41:2/64", "dev", "vb", "nodad");
    try (Rtnetlink a = InNamespace.call(nsA, Rtnetlink::open);
        Rtnetlink b = InNamespace.call(nsB, Rtnetlink::open)) {
      indexA = a.byName("va").orElseThrow().index();
      macA = a.byName("va").orElseThrow().mac();
      indexB = b.byName("vb").orElseThrow().index();
    }
  }

  @AfterAll
  static void tearDown() {
    if (namespaces != null) {
      namespaces.close();
    }
  }

  @Test
  void anEchoRequestIsAnsweredAndOnlyEchoRepliesAreQueued() throws Exception {
    try (IcmpSocket a = InNamespace.call(nsA, () -> IcmpSocket.open(indexA, A));
        IcmpSocket b = InNamespace.call(nsB, () -> IcmpSocket.open(indexB, B))) {
      // B pings A first: A's kernel answers, but the request must not reach A's queue.
      byte[] fromB = new byte[IcmpCodec.PROBE_LENGTH];
      b.sendWithoutWaiting(fromB, IcmpCodec.writeProbeRequest(fromB, 0x1111, 7), A);
      byte[] request = new byte[IcmpCodec.PROBE_LENGTH];
      int n = IcmpCodec.writeProbeRequest(request, 0x2222, 1L << 40 | 3);
      a.sendWithoutWaiting(request, n, B);

      List<IcmpEcho> received = new ArrayList<>();
      List<Boolean> answers = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (answers.isEmpty() && System.nanoTime() < deadline) {
        a.drain(
            (packet, length) -> {
              IcmpDecoded d = IcmpCodec.decodeIpv4(packet, length);
              assertThat(d).isInstanceOf(IcmpDecoded.Ok.class);
              IcmpEcho e = ((IcmpDecoded.Ok) d).echo();
              received.add(e);
              if (IcmpCodec.answers(packet, e, 0x2222, 1L << 40 | 3)) {
                answers.add(true);
              }
            },
            64);
        Thread.sleep(10);
      }
      assertThat(answers).as("B's echo reply to A's request").hasSize(1);
      assertThat(received).allSatisfy(e -> assertThat(e.isReply()).isTrue());
      assertThat(received.getLast().source()).isEqualTo(IcmpCodec.ipv4(B));
      // B's socket got the reply to its own ping of A, and nothing of A's request.
      List<IcmpEcho> atB = new ArrayList<>();
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (atB.isEmpty() && System.nanoTime() < deadline) {
        b.drain(
            (packet, length) ->
                atB.add(((IcmpDecoded.Ok) IcmpCodec.decodeIpv4(packet, length)).echo()),
            64);
        Thread.sleep(10);
      }
      assertThat(atB)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.isReply()).isTrue();
                assertThat(e.identifier()).isEqualTo(0x1111);
                assertThat(e.sequence()).isEqualTo(7);
              });
    }
  }

  @Test
  void icmpv6EchoesAndSolicitationsAreAnsweredAndOnlyWhatTheFilterPassesIsQueued()
      throws Exception {
    try (IcmpSocket a =
            InNamespace.call(
                nsA,
                () -> IcmpSocket.open6(indexA, A6, IcmpCodec.ECHO6_REPLY, NeighborAdvert.TYPE));
        IcmpSocket b =
            InNamespace.call(nsB, () -> IcmpSocket.open6(indexB, B6, IcmpCodec.ECHO6_REPLY))) {
      // B pings A first: A's kernel answers, but the echo request (type 128) is filtered out.
      byte[] fromB = new byte[IcmpCodec.PROBE_LENGTH];
      b.sendWithoutWaiting(fromB, IcmpCodec.writeProbeRequest6(fromB, 0x1111, 7), A6);
      byte[] request = new byte[IcmpCodec.PROBE_LENGTH];
      int n = IcmpCodec.writeProbeRequest6(request, 0x2222, 1L << 40 | 3);
      a.sendWithoutWaiting(request, n, B6);
      byte[] solicitation = NeighborSolicit.unicastProbe(B_LINK_LOCAL, macA);
      a.sendWithoutWaiting(solicitation, solicitation.length, B_LINK_LOCAL);

      List<String> received = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      String echoReply = "type 129 from 2001:db8:41:0:0:0:0:2 answers true";
      String advert = "NA from fe80:0:0:0:0:0:41:2 ANSWER";
      while (!received.containsAll(List.of(echoReply, advert)) && System.nanoTime() < deadline) {
        a.drain6(
            (message, length, source, hopLimit) -> {
              String from = addressOf(source);
              if ((message[0] & 0xff) == NeighborAdvert.TYPE) {
                received.add(
                    "NA from "
                        + from
                        + " "
                        + NeighborAdvert.check(
                            message, 0, length, hopLimit, B_LINK_LOCAL.getAddress(), 0));
                return;
              }
              IcmpEcho e = ((IcmpDecoded.Ok) IcmpCodec.decodeMessage6(message, 0, length)).echo();
              received.add(
                  "type "
                      + e.type()
                      + " from "
                      + from
                      + " answers "
                      + IcmpCodec.answers(message, e, 0x2222, 1L << 40 | 3));
            },
            64);
        Thread.sleep(10);
      }
      // B's kernel answered from the address asked for; hop limit 255 made it valid. A's kernel
      // resolved B's addresses first (multicast solicitations of its own), so B's answers to those
      // are queued too: for the link-local target an answer as good as the probe's, for B6 an
      // advertisement of another target. No echo request (type 128) gets in.
      assertThat(received).contains(echoReply, advert);
      assertThat(received)
          .allSatisfy(
              r ->
                  assertThat(r)
                      .isIn(echoReply, advert, "NA from 2001:db8:41:0:0:0:0:2 NOT_AN_ANSWER"));
      // B's socket got the reply to its own ping of A, nothing of A's request or solicitation.
      List<Integer> atB = new ArrayList<>();
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (atB.isEmpty() && System.nanoTime() < deadline) {
        b.drain6((message, length, source, hopLimit) -> atB.add(message[0] & 0xff), 64);
        Thread.sleep(10);
      }
      Thread.sleep(50);
      b.drain6((message, length, source, hopLimit) -> atB.add(message[0] & 0xff), 64);
      assertThat(atB).containsExactly(IcmpCodec.ECHO6_REPLY);
    }
  }

  private static String addressOf(byte[] source) {
    try {
      return InetAddress.getByAddress(source.clone()).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
