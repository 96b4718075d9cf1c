package dev.takeover.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.takeover.wire.IcmpCodec;
import dev.takeover.wire.IcmpDecoded;
import dev.takeover.wire.IcmpEcho;
import java.net.Inet4Address;
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
 * ICMP_FILTER.
 */
class IcmpSocketIT {
  private static final Inet4Address A = (Inet4Address) InetAddress.ofLiteral("198.18.41.1");
  private static final Inet4Address B = (Inet4Address) InetAddress.ofLiteral("198.18.41.2");

  private static TestNamespaces namespaces;
  private static String nsA;
  private static String nsB;
  private static int indexA;
  private static int indexB;

  @BeforeAll
  static void setUp() {
    assumeTrue(TestNamespaces.isRoot(), "needs root to create network namespaces");
    namespaces = new TestNamespaces();
    nsA = namespaces.create();
    nsB = namespaces.create();
    namespaces.veth(nsA, "va", nsB, "vb");
    namespaces.ip(nsA, "addr", "add", A.getHostAddress() + "/24", "dev", "va");
    namespaces.ip(nsB, "addr", "add", B.getHostAddress() + "/24", "dev", "vb");
    try (Rtnetlink a = InNamespace.call(nsA, Rtnetlink::open);
        Rtnetlink b = InNamespace.call(nsB, Rtnetlink::open)) {
      indexA = a.byName("va").orElseThrow().index();
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
}
