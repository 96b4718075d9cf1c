package dev.takeover.platform;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Gratuitous ARP (PacketSocket) and unsolicited NA (Icmp6Socket) from A, captured in B. */
class PacketSocketsIT {

  private static final int ETH_P_ARP = 0x0806;
  private static final int ETH_P_IPV6 = 0x86dd;

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
    namespaces.ip(nsA, "addr", "add", "2001:db8:40::1/64", "dev", "va", "nodad");
    try (Rtnetlink a = InNamespace.call(nsA, Rtnetlink::open);
        Rtnetlink b = InNamespace.call(nsB, Rtnetlink::open)) {
      Links.LinkInfo va = a.byName("va").orElseThrow();
      indexA = va.index();
      macA = va.mac();
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
  void gratuitousArpArrivesPadded() throws Exception {
    byte[] frame = gratuitousArp(macA, InetAddress.getByName("198.18.40.1").getAddress());
    try (Capture capture = InNamespace.call(nsB, () -> new Capture(indexB, ETH_P_ARP));
        PacketSocket socket = InNamespace.call(nsA, PacketSocket::open)) {
      socket.send(indexA, frame, frame.length);

      byte[] received = capture.await(f -> f.length >= 14 && f[12] == 0x08 && f[13] == 0x06);
      assertThat(received).hasSize(60);
      assertThat(Arrays.copyOf(received, frame.length)).isEqualTo(frame);
    }
  }

  @Test
  void unsolicitedNeighborAdvertisementArrivesWithHopLimit255() throws Exception {
    Inet6Address vip = (Inet6Address) InetAddress.getByName("2001:db8:40::1");
    Inet6Address allNodes = (Inet6Address) InetAddress.getByName("ff02::1");
    byte[] advert = neighborAdvertisement(vip.getAddress(), macA);
    try (Capture capture = InNamespace.call(nsB, () -> new Capture(indexB, ETH_P_IPV6));
        Icmp6Socket socket = InNamespace.call(nsA, () -> Icmp6Socket.open(indexA, vip))) {
      socket.send(advert, advert.length, allNodes);

      // Ethernet (14) + IPv6 header (40): next header @20, hop limit @21, src @22, dst @38.
      byte[] frame =
          capture.await(f -> f.length >= 14 + 40 + 4 && f[20] == 58 && (f[54] & 0xff) == 136);
      assertThat(frame[21] & 0xff).as("hop limit").isEqualTo(255);
      assertThat(Arrays.copyOfRange(frame, 22, 38)).isEqualTo(vip.getAddress());
      assertThat(Arrays.copyOfRange(frame, 38, 54)).isEqualTo(allNodes.getAddress());
      assertThat(ByteBuffer.wrap(frame, 56, 2).getShort()).as("checksum by kernel").isNotZero();
      assertThat(Arrays.copyOfRange(frame, 58, 54 + advert.length))
          .isEqualTo(Arrays.copyOfRange(advert, 4, advert.length));
    }
  }

  /** RFC 5227-style announcement: ARP request with sender and target IP both the address. */
  static byte[] gratuitousArp(byte[] mac, byte[] ipv4) {
    ByteBuffer frame = ByteBuffer.allocate(42);
    frame.put(new byte[] {-1, -1, -1, -1, -1, -1}).put(mac).putShort((short) ETH_P_ARP);
    frame.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4);
    frame.putShort((short) 1).put(mac).put(ipv4).put(new byte[6]).put(ipv4);
    return frame.array();
  }

  /** RFC 4861 §4.4 NA with Override set and a target link-layer address option. */
  static byte[] neighborAdvertisement(byte[] target, byte[] mac) {
    ByteBuffer message = ByteBuffer.allocate(32);
    message.put((byte) 136).put((byte) 0).putShort((short) 0); // checksum: kernel
    message.putInt(0x20000000); // Override
    message.put(target);
    message.put((byte) 2).put((byte) 1).put(mac); // target link-layer address option
    return message.array();
  }

  /** An AF_PACKET socket bound to one interface and EtherType, for capturing in a test. */
  private static final class Capture implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final int fd;
    private final MemorySegment buffer = arena.allocate(2048);

    Capture(int ifindex, int etherType) {
      short protocol = (short) etherType;
      fd =
          Libc.socket(
              Libc.AF_PACKET,
              Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC,
              Short.toUnsignedInt(Short.reverseBytes(protocol)));
      MemorySegment address = arena.allocate(SocketAddresses.SOCKADDR_LL_SIZE, 4);
      address.set(JAVA_SHORT, 0, (short) Libc.AF_PACKET);
      address.set(SocketAddresses.SHORT_BIG_ENDIAN, 2, protocol);
      address.set(JAVA_INT, 4, ifindex);
      Libc.bind(fd, address);
    }

    byte[] await(Predicate<byte[]> wanted) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < deadline) {
        long length = Libc.recv(fd, buffer, 0);
        if (length < 0) {
          Thread.sleep(10);
          continue;
        }
        byte[] frame = buffer.asSlice(0, length).toArray(JAVA_BYTE);
        if (wanted.test(frame)) {
          return frame;
        }
      }
      throw new AssertionError("no matching frame within 5 s");
    }

    @Override
    public void close() {
      Libc.close(fd);
      arena.close();
    }
  }
}
