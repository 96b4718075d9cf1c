package dev.takeover.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.takeover.platform.NetlinkEvent.AddressAdded;
import dev.takeover.platform.NetlinkEvent.AddressRemoved;
import dev.takeover.platform.NetlinkEvent.LinkChanged;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NetlinkMonitorIT {

  private TestNamespaces namespaces;
  private String ns;
  private ReceiveLoop loop;
  private final BlockingQueue<NetlinkEvent> events = new LinkedBlockingQueue<>();
  private int index;

  @BeforeEach
  void setUp() {
    assumeTrue(TestNamespaces.isRoot(), "needs root to create network namespaces");
    namespaces = new TestNamespaces();
    ns = namespaces.create();
    String peer = namespaces.create();
    namespaces.veth(ns, "va", peer, "vb");
    try (Rtnetlink rtnetlink = InNamespace.call(ns, Rtnetlink::open)) {
      index = rtnetlink.byName("va").orElseThrow().index();
    }
    loop = ReceiveLoop.start("test-monitor");
    loop.register(InNamespace.call(ns, () -> NetlinkMonitor.open(events::add)));
  }

  @AfterEach
  void tearDown() {
    if (loop != null) {
      loop.close();
    }
    if (namespaces != null) {
      namespaces.close();
    }
  }

  @Test
  void reportsLinkDownAndUpOncePerFlip() throws Exception {
    namespaces.ip(ns, "link", "set", "va", "down");
    awaitEvent(e -> e.equals(new LinkChanged(index, "va", false)));
    namespaces.ip(ns, "link", "set", "va", "mtu", "1400"); // a change that is not a flip
    namespaces.ip(ns, "link", "set", "va", "up");
    List<NetlinkEvent> seen = awaitEvent(e -> e.equals(new LinkChanged(index, "va", true)));
    assertThat(seen).noneMatch(e -> e instanceof LinkChanged);
  }

  @Test
  void reportsAddressAddedAndRemoved() throws Exception {
    InetAddress address = InetAddress.getByName("198.18.20.1");
    namespaces.ip(ns, "addr", "add", "198.18.20.1/24", "dev", "va");
    awaitEvent(e -> e.equals(new AddressAdded(index, address, 24)));
    namespaces.ip(ns, "addr", "del", "198.18.20.1/24", "dev", "va");
    awaitEvent(e -> e.equals(new AddressRemoved(index, address, 24)));

    InetAddress v6 = InetAddress.getByName("2001:db8:20::1");
    namespaces.ip(ns, "addr", "add", "2001:db8:20::1/64", "dev", "va", "nodad");
    awaitEvent(e -> e.equals(new AddressAdded(index, v6, 64)));
    namespaces.ip(ns, "addr", "del", "2001:db8:20::1/64", "dev", "va");
    awaitEvent(e -> e.equals(new AddressRemoved(index, v6, 64)));
  }

  /** Waits up to 5 s for a matching event; returns the events seen before it. */
  private List<NetlinkEvent> awaitEvent(Predicate<NetlinkEvent> wanted)
      throws InterruptedException {
    List<NetlinkEvent> before = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      NetlinkEvent event = events.poll(100, TimeUnit.MILLISECONDS);
      if (event != null) {
        if (wanted.test(event)) {
          return before;
        }
        before.add(event);
      }
    }
    throw new AssertionError("no matching event within 5 s; saw " + before);
  }
}
