package dev.takeover.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.takeover.platform.AddressTable.InterfaceAddress;
import dev.takeover.platform.Links.LinkInfo;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RtnetlinkIT {

  private static TestNamespaces namespaces;
  private static String ns;
  private static Rtnetlink rtnetlink;
  private static int ifindex;

  @BeforeAll
  static void setUp() {
    assumeTrue(TestNamespaces.isRoot(), "needs root to create network namespaces");
    namespaces = new TestNamespaces();
    ns = namespaces.create();
    String peer = namespaces.create();
    namespaces.veth(ns, "va", peer, "vb");
    rtnetlink = InNamespace.call(ns, Rtnetlink::open);
    ifindex = rtnetlink.byName("va").orElseThrow().index();
  }

  @AfterAll
  static void tearDown() {
    if (rtnetlink != null) {
      rtnetlink.close();
    }
    if (namespaces != null) {
      namespaces.close();
    }
  }

  @Test
  void addsListsAndDeletesIpv4() throws Exception {
    InetAddress address = InetAddress.getByName("198.18.10.5");

    assertThat(rtnetlink.add(ifindex, address, 24)).isTrue();
    assertThat(rtnetlink.add(ifindex, address, 24)).as("EEXIST").isFalse();
    assertThat(rtnetlink.list(ifindex)).contains(new InterfaceAddress(ifindex, address, 24, false));
    assertThat(namespaces.ip(ns, "-o", "addr", "show", "dev", "va")).contains("198.18.10.5/24");

    assertThat(rtnetlink.delete(ifindex, address, 24)).isTrue();
    assertThat(rtnetlink.delete(ifindex, address, 24)).as("already gone").isFalse();
    assertThat(rtnetlink.list(ifindex))
        .extracting(InterfaceAddress::address)
        .doesNotContain(address);
  }

  @Test
  void listsSecondaryAfterPrimary() throws Exception {
    InetAddress primary = InetAddress.getByName("198.18.11.1");
    InetAddress secondary = InetAddress.getByName("198.18.11.2");
    rtnetlink.add(ifindex, primary, 24);
    rtnetlink.add(ifindex, secondary, 24);
    try {
      List<InterfaceAddress> listed =
          rtnetlink.list(ifindex).stream()
              .filter(a -> a.address().getAddress().length == 4)
              .toList();
      assertThat(listed)
          .containsExactly(
              new InterfaceAddress(ifindex, primary, 24, false),
              new InterfaceAddress(ifindex, secondary, 24, true));
    } finally {
      rtnetlink.delete(ifindex, secondary, 24);
      rtnetlink.delete(ifindex, primary, 24);
    }
  }

  @Test
  void addsIpv6WithoutDad() throws Exception {
    // This namespace has DAD off; use the peer-facing default to prove NODAD is what we send.
    TestNamespaces.run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.va.accept_dad=1");
    InetAddress address = InetAddress.getByName("2001:db8:10::5");

    assertThat(rtnetlink.add(ifindex, address, 64)).isTrue();
    assertThat(rtnetlink.add(ifindex, address, 64)).isFalse();
    assertThat(rtnetlink.list(ifindex)).contains(new InterfaceAddress(ifindex, address, 64, false));
    String shown = namespaces.ip(ns, "-o", "addr", "show", "dev", "va");
    assertThat(shown).contains("2001:db8:10::5/64").doesNotContain("tentative");

    assertThat(rtnetlink.delete(ifindex, address, 64)).isTrue();
    assertThat(rtnetlink.delete(ifindex, address, 64)).isFalse();
  }

  @Test
  void badIfindexGivesReadableError() throws Exception {
    InetAddress address = InetAddress.getByName("198.18.12.1");
    assertThatThrownBy(() -> rtnetlink.add(999_999, address, 24))
        .isInstanceOf(NativeException.class)
        .satisfies(
            e -> {
              NativeException n = (NativeException) e;
              assertThat(n.call()).isEqualTo("RTM_NEWADDR");
              assertThat(n.errno()).isEqualTo(Libc.ENODEV);
              System.out.println("bad ifindex: " + n.getMessage());
            })
        .hasMessageContaining("No such device");
  }

  @Test
  void looksUpLinksByNameAndIndex() {
    LinkInfo byName = rtnetlink.byName("va").orElseThrow();
    assertThat(byName.name()).isEqualTo("va");
    assertThat(byName.up()).isTrue();
    assertThat(byName.mtu()).isEqualTo(1500);
    assertThat(HexFormat.ofDelimiter(":").formatHex(byName.mac())).isEqualTo(macFromIp("va"));

    LinkInfo byIndex = rtnetlink.byIndex(byName.index()).orElseThrow();
    assertThat(byIndex.name()).isEqualTo("va");
    assertThat(byIndex.mac()).isEqualTo(byName.mac());

    assertThat(rtnetlink.byName("no-such-link")).isEmpty();
    assertThat(rtnetlink.byIndex(999_999)).isEmpty();
    assertThat(rtnetlink.links()).extracting(LinkInfo::name).contains("lo", "va");
  }

  @Test
  void reportsDownLinkAndMtu() {
    namespaces.ip(ns, "link", "add", "vc", "mtu", "1400", "type", "veth", "peer", "name", "vd");
    try {
      namespaces.ip(ns, "link", "set", "vc", "up"); // peer vd is down: no carrier
      LinkInfo link = rtnetlink.byName("vc").orElseThrow();
      assertThat(link.up()).isFalse();
      assertThat(link.mtu()).isEqualTo(1400);
      namespaces.ip(ns, "link", "set", "vd", "up");
      assertThat(rtnetlink.byName("vc").orElseThrow().up()).isTrue();
    } finally {
      namespaces.ip(ns, "link", "del", "vc");
    }
  }

  @Test
  void isSafeFromManyThreads() throws Exception {
    int threads = 4;
    int calls = 500;
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      InetAddress address = InetAddress.getByName("198.18.13." + (t + 1));
      workers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      start.await();
                      for (int i = 0; i < calls; i++) {
                        assertThat(rtnetlink.add(ifindex, address, 32)).isTrue();
                        assertThat(rtnetlink.byIndex(ifindex)).isPresent();
                        assertThat(rtnetlink.delete(ifindex, address, 32)).isTrue();
                      }
                    } catch (Throwable e) {
                      failure.compareAndSet(null, e);
                    }
                  }));
    }
    long began = System.nanoTime();
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    long micros = (System.nanoTime() - began) / 1000;
    System.out.printf(
        "rtnetlink: %d requests on %d threads in %d ms (%.1f µs each)%n",
        threads * calls * 3, threads, micros / 1000, micros / (double) (threads * calls * 3));
    assertThat(failure.get()).isNull();
  }

  private String macFromIp(String link) {
    Matcher matcher =
        Pattern.compile("link/ether ([0-9a-f:]{17})")
            .matcher(namespaces.ip(ns, "-o", "link", "show", link));
    assertThat(matcher.find()).isTrue();
    return matcher.group(1);
  }
}
