package dev.takeover.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** VRRP over a veth pair between two namespaces: sender in A, receiver in B. */
class VrrpSocketsIT {

  // A keepalived v3 advert (VRID 51, prio 100, 1 s, VIP 198.18.0.50), from PLATFORM-NOTES.md.
  private static final byte[] ADVERT = HexFormat.of().parseHex("313364010064fd74c6120032");

  private static TestNamespaces namespaces;
  private static String nsA;
  private static String nsB;
  private static int indexA;
  private static int indexB;
  private static Inet6Address linkLocalA;
  private static ReceiveLoop loop;

  @BeforeAll
  static void setUp() throws Exception {
    assumeTrue(TestNamespaces.isRoot(), "needs root to create network namespaces");
    namespaces = new TestNamespaces();
    nsA = namespaces.create();
    nsB = namespaces.create();
    namespaces.veth(nsA, "va", nsB, "vb");
    namespaces.ip(nsA, "addr", "add", "198.18.30.1/24", "dev", "va");
    namespaces.ip(nsB, "addr", "add", "198.18.30.2/24", "dev", "vb");
    namespaces.ip(nsA, "addr", "add", "2001:db8:30::1/64", "dev", "va", "nodad");
    namespaces.ip(nsB, "addr", "add", "2001:db8:30::2/64", "dev", "vb", "nodad");
    try (Rtnetlink a = InNamespace.call(nsA, Rtnetlink::open);
        Rtnetlink b = InNamespace.call(nsB, Rtnetlink::open)) {
      indexA = a.byName("va").orElseThrow().index();
      indexB = b.byName("vb").orElseThrow().index();
      linkLocalA =
          (Inet6Address)
              a.list(indexA).stream()
                  .map(AddressTable.InterfaceAddress::address)
                  .filter(InetAddress::isLinkLocalAddress)
                  .findFirst()
                  .orElseThrow();
    }
    loop = ReceiveLoop.start("test-receive");
  }

  @AfterAll
  static void tearDown() {
    if (loop != null) {
      loop.close();
    }
    if (namespaces != null) {
      namespaces.close();
    }
  }

  @Test
  void ipv4MulticastArrivesWithSourceGroupAndTtl255() throws Exception {
    Received.Queue queue = new Received.Queue();
    VrrpReceiver receiver = InNamespace.call(nsB, () -> VrrpReceiver.ipv4(indexB, true));
    loop.register(receiver, queue);
    try (VrrpSender sender =
        InNamespace.call(
            nsA,
            () -> VrrpSender.ipv4(indexA, (Inet4Address) InetAddress.getByName("198.18.30.1")))) {
      InetAddress group = InetAddress.getByName(VrrpReceiver.IPV4_GROUP);
      sender.send(ADVERT, ADVERT.length, group);

      Received packet = queue.next();
      assertThat(packet).isNotNull();
      assertThat(packet.payload()).isEqualTo(ADVERT);
      assertThat(packet.source()).isEqualTo(InetAddress.getByName("198.18.30.1"));
      assertThat(packet.destination()).isEqualTo(group);
      assertThat(packet.ttl()).isEqualTo(255);
      assertThat(packet.ifindex()).isEqualTo(indexB);

      // Second packet: same cached address objects, buffers reused.
      sender.send(ADVERT, 8, group);
      Received second = queue.next();
      assertThat(second.payload()).isEqualTo(Arrays.copyOf(ADVERT, 8));
      assertThat(second.source()).isSameAs(packet.source());
    } finally {
      loop.unregister(receiver);
    }
  }

  @Test
  void ipv4UnicastArrivesWithoutMembership() throws Exception {
    Received.Queue queue = new Received.Queue();
    VrrpReceiver receiver = InNamespace.call(nsB, () -> VrrpReceiver.ipv4(indexB, false));
    loop.register(receiver, queue);
    try (VrrpSender sender =
        InNamespace.call(
            nsA,
            () -> VrrpSender.ipv4(indexA, (Inet4Address) InetAddress.getByName("198.18.30.1")))) {
      InetAddress peer = InetAddress.getByName("198.18.30.2");
      sender.send(ADVERT, ADVERT.length, peer);

      Received packet = queue.next();
      assertThat(packet).isNotNull();
      assertThat(packet.payload()).isEqualTo(ADVERT);
      assertThat(packet.source()).isEqualTo(InetAddress.getByName("198.18.30.1"));
      assertThat(packet.destination()).isEqualTo(peer);
      assertThat(packet.ttl()).isEqualTo(255);
    } finally {
      loop.unregister(receiver);
    }
  }

  @Test
  void ipv6MulticastArrivesFromLinkLocalWithHopLimit255() throws Exception {
    Received.Queue queue = new Received.Queue();
    VrrpReceiver receiver = InNamespace.call(nsB, () -> VrrpReceiver.ipv6(indexB, true));
    loop.register(receiver, queue);
    try (VrrpSender sender = InNamespace.call(nsA, () -> VrrpSender.ipv6(indexA, linkLocalA))) {
      InetAddress group = InetAddress.getByName(VrrpReceiver.IPV6_GROUP);
      sender.send(ADVERT, ADVERT.length, group);

      Received packet = queue.next();
      assertThat(packet).isNotNull();
      assertWithKernelChecksum(packet.payload());
      assertThat(packet.source().getAddress()).isEqualTo(linkLocalA.getAddress());
      assertThat(packet.destination()).isEqualTo(group);
      assertThat(packet.ttl()).isEqualTo(255);
      assertThat(packet.ifindex()).isEqualTo(indexB);
    } finally {
      loop.unregister(receiver);
    }
  }

  @Test
  void ipv6UnicastArrives() throws Exception {
    Received.Queue queue = new Received.Queue();
    VrrpReceiver receiver = InNamespace.call(nsB, () -> VrrpReceiver.ipv6(indexB, false));
    loop.register(receiver, queue);
    try (VrrpSender sender = InNamespace.call(nsA, () -> VrrpSender.ipv6(indexA, linkLocalA))) {
      InetAddress peer = InetAddress.getByName("2001:db8:30::2");
      sender.send(ADVERT, ADVERT.length, peer);

      Received packet = queue.next();
      assertThat(packet).isNotNull();
      assertWithKernelChecksum(packet.payload());
      assertThat(packet.destination()).isEqualTo(peer);
      assertThat(packet.ttl()).isEqualTo(255);
    } finally {
      loop.unregister(receiver);
    }
  }

  /** The kernel replaced bytes 6–7 with the IPv6 checksum; the rest is what was sent. */
  private static void assertWithKernelChecksum(byte[] payload) {
    assertThat(payload).hasSize(ADVERT.length);
    assertThat(Arrays.copyOfRange(payload, 0, 6)).isEqualTo(Arrays.copyOfRange(ADVERT, 0, 6));
    assertThat(Arrays.copyOfRange(payload, 8, ADVERT.length))
        .isEqualTo(Arrays.copyOfRange(ADVERT, 8, ADVERT.length));
  }
}
