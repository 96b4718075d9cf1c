package dev.takeover.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A throwaway Ethernet segment made of network namespaces: a switch namespace holding a Linux
 * bridge, VRRP nodes {@code n1..nN} and a {@code client}, each attached by a veth pair whose inner
 * end is {@code eth0}.
 *
 * <pre>
 *   tkv-3fa2c1-n1 [eth0 198.18.0.1] ──┐
 *   tkv-3fa2c1-n2 [eth0 198.18.0.2] ──┼── tkv-3fa2c1-sw [br0]
 *   tkv-3fa2c1-client [eth0 198.18.0.100] ──┘
 * </pre>
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li>The lab is a test bed, like a test, so it builds the network with the {@code ip} and {@code
 *       nft} commands. The daemon itself never shells out: it uses netlink through FFM.
 *   <li>Every namespace name starts with a per-lab prefix {@code tkv-<6 random hex>-}; the owner's
 *       PID and start time are recorded in {@code /run/takeover-lab/<prefix>pid} so that {@link
 *       #sweepStale()} can remove what a crashed run left behind, and nothing else.
 *   <li>{@link #close()} runs from try-with-resources and from a JVM shutdown hook (Ctrl-C): it
 *       stops every process the lab started (by PID: TERM, then KILL after a grace period), kills
 *       what is still inside its namespaces (children such as keepalived's VRRP process), then
 *       deletes the namespaces. Deleting the switch namespace destroys the bridge and every veth
 *       pair.
 *   <li>IPv6 DAD is off in every namespace, so addresses and link-locals are usable at once.
 * </ul>
 */
public final class Lab implements AutoCloseable {
  public static final String SWITCH = "sw";
  public static final String CLIENT = "client";
  public static final String INTERFACE = "eth0";
  public static final int CLIENT_HOST_ID = 100;

  /** The router between the lab's two IPv4 subnets, once {@link #routeSecondSubnet} made it. */
  public static final String ROUTER = "rt";

  /** The router's address on the first subnet, 198.18.0.0/24, where the client stays. */
  public static final String ROUTER_IPV4 = "198.18.0.254";

  /** The router's address on the second subnet, 198.18.1.0/24. */
  public static final String ROUTER_IPV4_SECOND = "198.18.1.254";

  private static final Path OWNER_DIR = Path.of("/run/takeover-lab");
  private static final String NAME_PREFIX = "tkv-";
  private static final Duration STOP_GRACE = Duration.ofSeconds(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String prefix;
  private final List<String> nodes;
  private final List<String> namespaces = new CopyOnWriteArrayList<>();
  private final List<LabProcess> processes = new CopyOnWriteArrayList<>();
  // Routes a link down deletes, re-added by linkUp: host -> {destination, gateway}.
  private final java.util.Map<String, String[]> routes =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;

  private Lab(String prefix, List<String> nodes) {
    this.prefix = prefix;
    this.nodes = List.copyOf(nodes);
    this.shutdownHook = new Thread(this::close, prefix + "cleanup");
  }

  /** Builds a lab with nodes {@code n1..n<nodeCount>} plus a client. Sweeps stale labs first. */
  public static Lab create(int nodeCount) {
    if (nodeCount < 1 || nodeCount >= CLIENT_HOST_ID) {
      throw new IllegalArgumentException("node count must be 1.." + (CLIENT_HOST_ID - 1));
    }
    sweepStale();
    byte[] random = new byte[3];
    new SecureRandom().nextBytes(random);
    String prefix = NAME_PREFIX + HexFormat.of().formatHex(random) + "-";
    List<String> nodes = IntStream.rangeClosed(1, nodeCount).mapToObj(i -> "n" + i).toList();
    Lab lab = new Lab(prefix, nodes);
    Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
    try {
      lab.recordOwner();
      lab.build();
      return lab;
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  private void build() {
    addNamespace(SWITCH);
    addBridge("br0");
    for (String host : hosts()) {
      addNamespace(host);
      // Bridge port named after the host.
      plug(host, host, "br0", INTERFACE, ipv4(host));
      ip(host, "addr", "add", ipv6(host) + "/64", "dev", INTERFACE, "nodad");
    }
  }

  /** A bridge in the switch namespace: no multicast snooping (VRRP is multicast), no STP. */
  private void addBridge(String bridge) {
    ip(SWITCH, "link", "add", bridge, "type", "bridge", "mcast_snooping", "0", "stp_state", "0");
    ip(SWITCH, "link", "set", bridge, "up");
  }

  /**
   * A veth from {@code bridge} (switch side {@code port}) into {@code host} as {@code iface} (made
   * directly in the host's namespace), up, with {@code ipv4}/24.
   */
  private void plug(String host, String port, String bridge, String iface, String ipv4) {
    ip(SWITCH, "link", "add", port, "type", "veth", "peer", "name", iface, "netns", nsName(host));
    ip(SWITCH, "link", "set", port, "master", bridge, "up");
    ip(host, "link", "set", iface, "up");
    ip(host, "addr", "add", ipv4 + "/24", "dev", iface);
  }

  private void addNamespace(String name) {
    String ns = nsName(name);
    Commands.run(List.of("ip", "netns", "add", ns));
    namespaces.add(ns);
    ip(name, "link", "set", "lo", "up");
    // No DAD: link-local and global IPv6 addresses must be usable immediately (VRRP over IPv6 sends
    // from the link-local address).
    exec(
        ns,
        "sysctl",
        "-q",
        "-w",
        "net.ipv6.conf.all.accept_dad=0",
        "net.ipv6.conf.default.accept_dad=0");
  }

  /** The per-lab prefix, e.g. {@code tkv-3fa2c1-}. */
  public String prefix() {
    return prefix;
  }

  /** The VRRP nodes: {@code n1, n2, ...}. */
  public List<String> nodes() {
    return nodes;
  }

  /** Nodes and the client. */
  public List<String> hosts() {
    return Stream.concat(nodes.stream(), Stream.of(CLIENT)).toList();
  }

  /** The namespace name of a host ({@code n1} → {@code tkv-3fa2c1-n1}); full names pass through. */
  public String nsName(String host) {
    return host.startsWith(prefix) ? host : prefix + host;
  }

  /** {@code n3} → {@code 198.18.0.3}; {@code client} → {@code 198.18.0.100}. */
  public static String ipv4(String host) {
    return "198.18.0." + hostId(host);
  }

  /** {@code n3} → {@code 2001:db8::3}; {@code client} → {@code 2001:db8::100}. */
  public static String ipv6(String host) {
    return "2001:db8::" + hostId(host);
  }

  private static int hostId(String host) {
    if (host.equals(CLIENT)) {
      return CLIENT_HOST_ID;
    }
    if (host.matches("n[1-9][0-9]?")) {
      return Integer.parseInt(host.substring(1));
    }
    throw new IllegalArgumentException("not a lab host: " + host);
  }

  /** {@code n2} → {@code 198.18.1.2}: the host's address once moved to the second subnet. */
  public static String secondSubnetIpv4(String host) {
    return "198.18.1." + hostId(host);
  }

  /**
   * Moves {@code moved} (IPv4 only) to a second subnet, 198.18.1.0/24 on a second bridge, joined to
   * the first by a router namespace {@value #ROUTER} that forwards between them: a name-only pair
   * across subnets (docs/DNS.md). The moved hosts keep {@code eth0} (their bridge port changes) and
   * get {@link #secondSubnetIpv4} with a default route via the router; the others get a route to
   * the second subnet. Whatever crosses the router arrives with its TTL one lower.
   */
  public void routeSecondSubnet(String... moved) {
    ensureOpen();
    addNamespace(ROUTER);
    addBridge("br1");
    plug(ROUTER, "rt0", "br0", "eth0", ROUTER_IPV4);
    plug(ROUTER, "rt1", "br1", "eth1", ROUTER_IPV4_SECOND);
    exec(ROUTER, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
    List<String> second = List.of(moved);
    for (String host : hosts()) {
      if (second.contains(host)) {
        ip(SWITCH, "link", "set", host, "master", "br1");
        ip(host, "addr", "del", ipv4(host) + "/24", "dev", INTERFACE);
        ip(host, "addr", "add", secondSubnetIpv4(host) + "/24", "dev", INTERFACE);
        routes.put(host, new String[] {"default", ROUTER_IPV4_SECOND});
      } else {
        routes.put(host, new String[] {"198.18.1.0/24", ROUTER_IPV4});
      }
      String[] route = routes.get(host);
      ip(host, "route", "replace", route[0], "via", route[1]);
    }
  }

  /** The gateway on both LANs that {@link #addSecondLan} makes. */
  public static final String GATEWAY = "gw";

  /** The gateway's address on the first LAN. */
  public static final String GATEWAY_LAN_A = "198.18.0.254";

  /** The gateway's address on the second LAN. */
  public static final String GATEWAY_LAN_B = "198.18.2.254";

  /** An address behind the gateway, in the client subnet 198.18.100.0/24 (docs/LINKS.md). */
  public static final String FAR_CLIENT = "198.18.100.1";

  /**
   * Adds a second LAN (node links, docs/LINKS.md): bridge {@code br2} with every host on it as
   * {@code eth1}, {@link #lanBIpv4} ({@code 198.18.2.<id>/24}), and a gateway namespace {@value
   * #GATEWAY} on both LANs ({@value #GATEWAY_LAN_A}, {@value #GATEWAY_LAN_B}) that holds {@value
   * #FAR_CLIENT}, an address of a client subnet the nodes route to through either LAN.
   */
  public void addSecondLan() {
    ensureOpen();
    addBridge("br2");
    for (String host : hosts()) {
      plug(host, host + "b", "br2", "eth1", lanBIpv4(host));
    }
    addNamespace(GATEWAY);
    plug(GATEWAY, "gwa", "br0", "eth0", GATEWAY_LAN_A);
    plug(GATEWAY, "gwb", "br2", "eth1", GATEWAY_LAN_B);
    ip(GATEWAY, "addr", "add", FAR_CLIENT + "/32", "dev", "lo");
  }

  /** The gateway's IPv6 address on the first LAN ({@link #addSecondLanIpv6}). */
  public static final String GATEWAY6_LAN_A = "2001:db8::fe";

  /** The gateway's IPv6 address on the second LAN. */
  public static final String GATEWAY6_LAN_B = "2001:db8:2::fe";

  /** An IPv6 address behind the gateway, in the client subnet 2001:db8:100::/64. */
  public static final String FAR_CLIENT6 = "2001:db8:100::1";

  /** {@code n2} → {@code 2001:db8:2::2}: the host's IPv6 address on the second LAN. */
  public static String lanBIpv6(String host) {
    return "2001:db8:2::" + hostId(host);
  }

  /**
   * After {@link #addSecondLan}: IPv6 on the second LAN too ({@link #lanBIpv6}/64 on every host's
   * {@code eth1}), the gateway's IPv6 addresses on both LANs ({@value #GATEWAY6_LAN_A}, {@value
   * #GATEWAY6_LAN_B}) and {@value #FAR_CLIENT6} behind it; all without DAD ({@code nodad}), usable
   * at once.
   */
  public void addSecondLanIpv6() {
    ensureOpen();
    for (String host : hosts()) {
      ip(host, "addr", "add", lanBIpv6(host) + "/64", "dev", "eth1", "nodad");
    }
    ip(GATEWAY, "addr", "add", GATEWAY6_LAN_A + "/64", "dev", "eth0", "nodad");
    ip(GATEWAY, "addr", "add", GATEWAY6_LAN_B + "/64", "dev", "eth1", "nodad");
    ip(GATEWAY, "addr", "add", FAR_CLIENT6 + "/128", "dev", "lo");
  }

  /**
   * {@code count} more LANs between the nodes only, each its own bridge: interfaces {@code lan1},
   * {@code lan2}, … with {@code 198.18.(100 + k).<host id>/24}. For the scale bench: a VRID is
   * unique per LAN, so more than 255 groups need more LANs (or VLANs, which this kernel lacks).
   *
   * @return the new interfaces' names
   */
  public List<String> addLans(int count) {
    ensureOpen();
    List<String> names = new ArrayList<>();
    for (int k = 1; k <= count; k++) {
      String bridge = "brl" + k;
      addBridge(bridge);
      for (String host : nodes()) {
        plug(host, host + "l" + k, bridge, "lan" + k, "198.18." + (100 + k) + "." + hostId(host));
      }
      names.add("lan" + k);
    }
    return names;
  }

  /** Sets these interfaces of the host down (or up) in one {@code ip -batch}, back to back. */
  public void setLinks(String host, List<String> interfaces, boolean up) {
    try {
      Path batch = Files.createTempFile("tkv-links-", ".ip");
      try {
        StringBuilder b = new StringBuilder();
        interfaces.forEach(i -> b.append("link set ").append(i).append(up ? " up\n" : " down\n"));
        Files.writeString(batch, b.toString());
        ip(host, "-batch", batch.toString());
      } finally {
        Files.deleteIfExists(batch);
      }
    } catch (IOException e) {
      throw new LabException("cannot write an ip batch file", e);
    }
  }

  /** {@code n2} → {@code 198.18.2.2}: the host's address on the second LAN. */
  public static String lanBIpv4(String host) {
    return "198.18.2." + hostId(host);
  }

  /**
   * Takes the host's bridge port on the first LAN down (on the switch side): its {@code eth0} loses
   * carrier, as when a cable is pulled or a switch port dies.
   */
  public void cutPort(String host) {
    ip(SWITCH, "link", "set", host, "down");
  }

  /** Brings the host's bridge port on the first LAN back. */
  public void healPort(String host) {
    ip(SWITCH, "link", "set", host, "up");
  }

  /**
   * The host's route to {@code destination} as {@code ip route show} prints it ({@code ip -6} for
   * an IPv6 one: {@code ip} lists IPv4 routes unless told otherwise).
   */
  public String route(String host, String destination) {
    return destination.contains(":")
        ? ip(host, "-6", "route", "show", destination).trim()
        : ip(host, "route", "show", destination).trim();
  }

  /** Runs {@code argv} inside the namespace via {@code ip netns exec}; returns stdout. */
  public String exec(String ns, String... argv) {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", nsName(ns)));
    command.addAll(List.of(argv));
    return Commands.run(command);
  }

  private String ip(String host, String... args) {
    List<String> command = new ArrayList<>(List.of("ip", "-n", nsName(host)));
    command.addAll(List.of(args));
    return Commands.run(command);
  }

  /**
   * Starts {@code argv} inside the host's namespace with stdout and stderr appended to {@code
   * logFile}. The lab stops it on {@link #close()}.
   */
  public LabProcess start(String host, List<String> argv, Path logFile) {
    ensureOpen();
    String ns = nsName(host);
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    command.addAll(argv);
    try {
      Path parent = logFile.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(Redirect.appendTo(logFile.toFile()))
              .redirectInput(Redirect.from(new java.io.File("/dev/null")))
              .start();
      String label = host + "/" + Path.of(argv.getFirst()).getFileName();
      LabProcess started = new LabProcess(label, ns, process, logFile, argv);
      processes.add(started);
      return started;
    } catch (IOException e) {
      throw new LabException("cannot start " + String.join(" ", command), e);
    }
  }

  /** Processes this lab started, in start order. */
  public List<LabProcess> processes() {
    return List.copyOf(processes);
  }

  /** Takes the node's {@code eth0} down: to the others the node looks like a server that died. */
  public void linkDown(String host) {
    ip(host, "link", "set", INTERFACE, "down");
  }

  /**
   * Brings {@code eth0} back up. Link down deleted the host's global IPv6 address (the kernel does
   * that unless keep_addr_on_down), so it is re-added; VIPs are the daemon's business.
   */
  public void linkUp(String host) {
    ip(host, "link", "set", INTERFACE, "up");
    if (!hasAddress(host, ipv6(host))) {
      ip(host, "addr", "add", ipv6(host) + "/64", "dev", INTERFACE, "nodad");
    }
    String[] route = routes.get(host); // link down deleted it too
    if (route != null) {
      ip(host, "route", "replace", route[0], "via", route[1]);
    }
  }

  /** Drops VRRP multicast (224.0.0.18, ff02::12) in and out of the host, as some clouds do. */
  public void blockVrrpMulticast(String host) {
    nft(
        host,
        """
        table inet tkv_block_vrrp {
          chain in { type filter hook input priority 0; ip daddr 224.0.0.18 drop; ip6 daddr ff02::12 drop; }
          chain out { type filter hook output priority 0; ip daddr 224.0.0.18 drop; ip6 daddr ff02::12 drop; }
        }
        """);
  }

  public void unblockVrrpMulticast(String host) {
    deleteTable(host, "tkv_block_vrrp");
  }

  /**
   * Drops only the VRRP multicast the host sends: its peers stop hearing it while it still hears
   * them (a one-way fault, or a stalled sender as its peers see it).
   */
  public void blockVrrpMulticastOut(String host) {
    nft(
        host,
        """
        table inet tkv_block_vrrp_out {
          chain out { type filter hook output priority 0; ip daddr 224.0.0.18 drop; ip6 daddr ff02::12 drop; }
        }
        """);
  }

  public void unblockVrrpMulticastOut(String host) {
    deleteTable(host, "tkv_block_vrrp_out");
  }

  /**
   * Drops the ICMP echo requests (pings) that reach the host on {@code iface}, and nothing else:
   * ARP, forwarding and every other packet go on, as behind a router that does not answer pings.
   */
  public void dropIcmpEchoIn(String host, String iface) {
    nft(
        host,
        """
        table inet tkv_no_ping {
          chain in { type filter hook input priority -10; iifname "%s" icmp type echo-request drop; }
        }
        """
            .formatted(iface));
  }

  public void allowIcmpEchoIn(String host) {
    deleteTable(host, "tkv_no_ping");
  }

  /**
   * Drops the ICMPv6 messages of {@code type} (an nftables name: {@code echo-request}, {@code
   * nd-neighbor-solicit}) that reach the host on {@code iface}, and nothing else; {@link
   * #allowIcmpv6In} removes the rule.
   */
  public void dropIcmpv6In(String host, String iface, String type) {
    nft(
        host,
        """
        table inet tkv_no_icmpv6 {
          chain in { type filter hook input priority -10; iifname "%s" icmpv6 type %s drop; }
        }
        """
            .formatted(iface, type));
  }

  public void allowIcmpv6In(String host) {
    deleteTable(host, "tkv_no_icmpv6");
  }

  /**
   * Drops {@code percent}% of all packets in and out of the host (each direction independently); 0
   * removes the loss. This kernel has no netem qdisc, so loss comes from nftables numgen.
   */
  public void dropPercent(String host, int percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("percent must be 0..100: " + percent);
    }
    deleteTable(host, "tkv_loss");
    if (percent > 0) {
      // numgen's range is 0..99, so "< 100" is rejected: total loss is a plain drop.
      String rule = percent == 100 ? "drop" : "numgen random mod 100 < " + percent + " drop";
      nft(
          host,
          """
          table inet tkv_loss {
            chain in { type filter hook input priority -10; %1$s; }
            chain out { type filter hook output priority -10; %1$s; }
          }
          """
              .formatted(rule));
    }
  }

  /**
   * Drops {@code percent}% of the VRRP packets (IP protocol 112, IPv4 and IPv6) arriving at the
   * host, and nothing else: lost adverts without lost client traffic. 0 removes the loss.
   */
  public void dropVrrpInPercent(String host, int percent) {
    if (percent < 0 || percent > 99) {
      throw new IllegalArgumentException("percent must be 0..99: " + percent);
    }
    deleteTable(host, "tkv_vrrp_loss");
    if (percent > 0) {
      nft(
          host,
          """
          table inet tkv_vrrp_loss {
            chain in {
              type filter hook input priority -10;
              meta l4proto 112 numgen random mod 100 < %d drop;
            }
          }
          """
              .formatted(percent));
    }
  }

  private void nft(String host, String script) {
    Commands.run(List.of("ip", "netns", "exec", nsName(host), "nft", "-f", "-"), script);
  }

  private void deleteTable(String host, String table) {
    String tables = exec(host, "nft", "list", "tables");
    if (tables.lines().anyMatch(line -> line.strip().equals("table inet " + table))) {
      exec(host, "nft", "delete", "table", "inet", table);
    }
  }

  /** Whether {@code address} (IPv4 or IPv6 literal) is configured on the host's {@code eth0}. */
  public boolean hasAddress(String host, String address) {
    InetAddress wanted = InetAddress.ofLiteral(address);
    return addresses(host).stream().anyMatch(a -> InetAddress.ofLiteral(a).equals(wanted));
  }

  /** Addresses on the host's {@code eth0}, without prefix length. */
  public List<String> addresses(String host) {
    JsonNode links = json(ip(host, "-j", "addr", "show", "dev", INTERFACE));
    List<String> result = new ArrayList<>();
    for (JsonNode link : links) {
      for (JsonNode info : link.path("addr_info")) {
        result.add(info.path("local").asText());
      }
    }
    return result;
  }

  /**
   * The host's addresses on {@code iface} as {@code ip -j addr} gives them: each {@code
   * address/prefix label scope}, e.g. {@code 198.18.2.50/24 eth1:vip global}.
   */
  public List<String> addressDetails(String host, String iface) {
    JsonNode links = json(ip(host, "-j", "addr", "show", "dev", iface));
    List<String> result = new ArrayList<>();
    for (JsonNode link : links) {
      for (JsonNode info : link.path("addr_info")) {
        result.add(
            info.path("local").asText()
                + "/"
                + info.path("prefixlen").asText()
                + " "
                + info.path("label").asText("-")
                + " "
                + info.path("scope").asText());
      }
    }
    return result;
  }

  /** The MAC address of the host's {@code iface}, lower case. */
  public String mac(String host, String iface) {
    JsonNode links = json(ip(host, "-j", "link", "show", iface));
    return links.path(0).path("address").asText();
  }

  /** The MAC address {@code host}'s neighbour table holds for {@code address} on {@code iface}. */
  public Optional<String> neighbourMac(String host, String address, String iface) {
    JsonNode entries = json(ip(host, "-j", "neigh", "show", "to", address, "dev", iface));
    for (JsonNode entry : entries) {
      if (entry.hasNonNull("lladdr")) {
        return Optional.of(entry.get("lladdr").asText());
      }
    }
    return Optional.empty();
  }

  /** The MAC address of the host's {@code eth0}, lower case, e.g. {@code 5a:cc:45:6e:8b:42}. */
  public String mac(String host) {
    JsonNode links = json(ip(host, "-j", "link", "show", INTERFACE));
    return links.path(0).path("address").asText();
  }

  /** The MAC address {@code host}'s neighbour table holds for {@code address}, if any. */
  public Optional<String> neighbourMac(String host, String address) {
    JsonNode entries = json(ip(host, "-j", "neigh", "show", "to", address, "dev", INTERFACE));
    for (JsonNode entry : entries) {
      if (entry.hasNonNull("lladdr")) {
        return Optional.of(entry.get("lladdr").asText());
      }
    }
    return Optional.empty();
  }

  private static JsonNode json(String text) {
    try {
      return text.isBlank() ? JSON.createArrayNode() : JSON.readTree(text);
    } catch (IOException e) {
      throw new LabException("unexpected output from ip -j: " + text, e);
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("lab " + prefix + " is closed");
    }
  }

  /** Stops every process the lab started and deletes its namespaces. Idempotent; never throws. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (LabProcess p : processes) {
      try {
        p.signal(LabProcess.Signal.CONT); // a stopped process cannot handle TERM
        p.signal(LabProcess.Signal.TERM);
      } catch (RuntimeException e) {
        System.err.println("lab " + prefix + ": cannot stop " + p + ": " + e.getMessage());
      }
    }
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    for (LabProcess p : processes) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      if (p.waitFor(left).isEmpty()) {
        p.signal(LabProcess.Signal.KILL);
        p.waitFor(Duration.ofSeconds(2));
      }
    }
    for (String ns : namespaces.reversed()) {
      removeNamespace(ns);
    }
    try {
      Files.deleteIfExists(ownerFile(prefix));
    } catch (IOException e) {
      System.err.println("lab " + prefix + ": cannot delete owner file: " + e.getMessage());
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // close() is running from the hook itself, or the JVM is exiting anyway.
    }
  }

  /**
   * Kills whatever still runs inside {@code ns} (only processes descended from a lab: nothing else
   * can enter these namespaces) and deletes it. Best effort; reports failures on stderr.
   */
  private static void removeNamespace(String ns) {
    try {
      for (String pid : Commands.run(List.of("ip", "netns", "pids", ns)).split("\\s+")) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
      Commands.run(List.of("ip", "netns", "delete", ns));
    } catch (RuntimeException e) {
      System.err.println("lab: cannot remove namespace " + ns + ": " + e.getMessage());
    }
  }

  private void recordOwner() {
    ProcessHandle self = ProcessHandle.current();
    String start = self.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("0");
    try {
      Files.createDirectories(OWNER_DIR);
      Files.writeString(ownerFile(prefix), self.pid() + " " + start + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record lab owner in " + OWNER_DIR, e);
    }
  }

  private static Path ownerFile(String prefix) {
    return OWNER_DIR.resolve(prefix + "pid");
  }

  /**
   * Removes namespaces (and processes inside them) left by labs whose owning process is gone, e.g.
   * after a kill -9 of a test JVM. Only touches prefixes with an owner file, so namespaces made by
   * other tools are safe. Returns the number of namespaces removed.
   */
  public static int sweepStale() {
    if (!Files.isDirectory(OWNER_DIR)) {
      return 0;
    }
    List<Path> ownerFiles;
    try (Stream<Path> files = Files.list(OWNER_DIR)) {
      ownerFiles = files.filter(f -> f.getFileName().toString().endsWith("-pid")).toList();
    } catch (IOException e) {
      return 0;
    }
    int removed = 0;
    List<String> existing = null;
    for (Path file : ownerFiles) {
      String name = file.getFileName().toString();
      String prefix = name.substring(0, name.length() - "pid".length());
      if (ownerAlive(file)) {
        continue;
      }
      if (existing == null) {
        existing = listNamespaces();
      }
      for (String ns : existing) {
        if (ns.startsWith(prefix)) {
          removeNamespace(ns);
          removed++;
        }
      }
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        System.err.println("lab: cannot delete " + file + ": " + e.getMessage());
      }
    }
    return removed;
  }

  private static boolean ownerAlive(Path ownerFile) {
    try {
      String[] fields = Files.readString(ownerFile).strip().split("\\s+");
      long pid = Long.parseLong(fields[0]);
      long startMillis = fields.length > 1 ? Long.parseLong(fields[1]) : 0;
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          // A reused PID belongs to a process started at another time.
          .map(
              h ->
                  startMillis == 0
                      || h.info().startInstant().map(Instant::toEpochMilli).orElse(0L)
                          == startMillis)
          .orElse(false);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** All namespace names on the machine ({@code ip -j netns list}). */
  public static List<String> listNamespaces() {
    List<String> names = new ArrayList<>();
    for (JsonNode ns : json(Commands.run(List.of("ip", "-j", "netns", "list")))) {
      names.add(ns.path("name").asText());
    }
    return names;
  }

  @Override
  public String toString() {
    return "Lab[" + prefix + "*, nodes=" + nodes + "]";
  }
}
