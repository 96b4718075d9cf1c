package dev.takeover.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code links} section (docs/LINKS.md): the example, defaults, and errors with positions. */
class LinkRulesTest {
  private static final String GROUPS =
      "groups:\n  - {name: web, vrid: 51, interface: eth0, addresses: [198.18.1.50/24]}\n";

  private static ConfigResult parse(String links) {
    return ConfigLoader.parse("node: alpha\n" + links + GROUPS, "t.yaml");
  }

  private static List<String> errors(ConfigResult result) {
    assertThat(result).isInstanceOf(ConfigResult.Invalid.class);
    return ((ConfigResult.Invalid) result).errors().stream().map(ConfigError::toString).toList();
  }

  @Test
  void theTwoLanExampleIsValid() {
    ConfigResult result = ConfigLoader.load(Path.of("examples/two-lans.yaml"));
    assertThat(result).isInstanceOf(ConfigResult.Valid.class);
    LinksConfig links = ((ConfigResult.Valid) result).config().links();
    assertThat(links.port()).isEqualTo(7370);
    assertThat(links.guard()).isEqualTo(Set.of("web"));
    assertThat(links.paths()).hasSize(2);
    LinksConfig.LinkPath a = links.paths().get(0);
    assertThat(a.node()).isEqualTo("beta");
    assertThat(a.local()).isEqualTo(InetAddress.ofLiteral("198.18.1.1"));
    assertThat(a.interval()).isEqualTo(Duration.ofMillis(200));
    assertThat(a.goods()).isEqualTo(5);
    LinksConfig.LinkPath b = links.paths().get(1);
    assertThat(b.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.goods()).isEqualTo(2);
    assertThat(links.routes()).hasSize(1);
    assertThat(links.routes().getFirst().text()).isEqualTo("198.18.100.0/24");
    assertThat(links.routes().getFirst().via()).hasSize(2);
    assertThat(links.routes().getFirst().via().get(0).probe().orElseThrow().kind())
        .isEqualTo(LinksConfig.Probe.ARP);
    assertThat(links.routes().getFirst().via().get(1).probe())
        .contains(new LinksConfig.Probe("icmp", Duration.ofSeconds(1), 3, 5));
  }

  @Test
  void theDualStackExampleIsValid() {
    ConfigResult result = ConfigLoader.load(Path.of("examples/two-lans-dual-stack.yaml"));
    assertThat(result).as("%s", result).isInstanceOf(ConfigResult.Valid.class);
    LinksConfig links = ((ConfigResult.Valid) result).config().links();
    assertThat(links.paths()).hasSize(4);
    assertThat(links.paths().get(1).peer()).isEqualTo(InetAddress.ofLiteral("2001:db8:1::2"));
    assertThat(links.routes())
        .extracting(LinksConfig.LinkRoute::text)
        .containsExactly("198.18.100.0/24", "::/0");
  }

  @Test
  void defaultsAndADefaultRoute() {
    ConfigResult result =
        parse(
            "links:\n  key-file: /k\n  peers:\n    beta: [{local: 198.18.1.1, peer: 198.18.1.2}]\n"
                + "  routes:\n    - {destination: default, via: [{interface: eth0, gateway:"
                + " 198.18.1.254}]}\n");
    assertThat(result).isInstanceOf(ConfigResult.Valid.class);
    LinksConfig links = ((ConfigResult.Valid) result).config().links();
    assertThat(links.port()).isEqualTo(LinksConfig.DEFAULT_PORT);
    assertThat(links.paths().getFirst().interval()).isEqualTo(LinksConfig.DEFAULT_INTERVAL);
    assertThat(links.paths().getFirst().misses()).isEqualTo(LinksConfig.DEFAULT_MISSES);
    assertThat(links.paths().getFirst().goods()).isEqualTo(LinksConfig.DEFAULT_GOODS);
    assertThat(links.routes().getFirst().text()).isEqualTo("default");
    assertThat(links.guard()).isEmpty();
  }

  @Test
  void withoutTheSectionThereAreNoLinks() {
    ConfigResult result = parse("");
    assertThat(((ConfigResult.Valid) result).config().links()).isEqualTo(LinksConfig.NONE);
  }

  @TempDir Path dir;

  @Test
  void aWorldReadableOrShortKeyFileIsRefusedOnTheHost() throws IOException {
    Path key = dir.resolve("links.key");
    Files.writeString(key, "0123456789abcdef0123");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    String yaml =
        "node: alpha\nlinks:\n  key-file: "
            + key
            + "\n  peers:\n    beta: [{local: 198.18.1.1, peer: 198.18.1.2}]\n"
            + GROUPS;
    HostFacts.HostAddress eth0 =
        new HostFacts.HostAddress("eth0", InetAddress.ofLiteral("198.18.1.1"), 24);
    HostFacts host =
        new HostFacts() {
          @Override
          public Optional<List<HostAddress>> interfaceAddresses(String name) {
            return name.equals("eth0") ? Optional.of(List.of(eth0)) : Optional.empty();
          }

          @Override
          public List<String> interfaceNames() {
            return List.of("eth0");
          }

          @Override
          public List<HostAddress> localAddresses() {
            return List.of(eth0);
          }
        };
    assertThat(errors(ConfigLoader.parse(yaml, "t.yaml", host)))
        .anySatisfy(
            e ->
                assertThat(e)
                    .startsWith("t.yaml:3:")
                    .contains("links.key-file", "is readable by every user", "chmod 600"));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    ConfigResult ok = ConfigLoader.parse(yaml, "t.yaml", host);
    if (ok instanceof ConfigResult.Invalid i) {
      assertThat(i.errors()).noneMatch(e -> e.toString().contains("links.key-file"));
    }
    Files.writeString(key, "short");
    assertThat(errors(ConfigLoader.parse(yaml, "t.yaml", host)))
        .anySatisfy(e -> assertThat(e).contains("links.key-file", "fewer than 16 bytes"));
  }

  @Test
  void errorsSayWhereAndWhatIsAllowed() {
    assertThat(
            errors(
                parse(
                    "links:\n  key-file: k\n  peers:\n    beta: [{local: 198.18.1.1, peer: 198.18.1.2}]\n")))
        .containsExactly(
            "t.yaml:3:13: links.key-file: \"k\" is not an absolute path; allowed: an absolute path"
                + " to a key file");
    assertThat(
            errors(
                parse(
                    "links:\n  key-file: /k\n  peers:\n    alpha: [{local: 198.18.1.1, peer: 198.18.1.2}]\n")))
        .containsExactly(
            "t.yaml:5:5: links.peers.alpha: is this node; allowed: the other nodes' names");
    assertThat(
            errors(
                parse(
                    "links:\n  key-file: /k\n  peers:\n    beta: [{local: 2001:db8::1, peer: 198.18.1.2}]\n")))
        .containsExactly(
            "t.yaml:5:12: links.peers.beta[0]: local 2001:db8::1 and peer 198.18.1.2 are of"
                + " different families; allowed: two IPv4 or two IPv6 addresses");
    assertThat(
            errors(
                parse(
                    "links:\n  key-file: /k\n  misses: 0\n  peers:\n    beta: [{local: 198.18.1.1, peer: 198.18.1.2}]\n")))
        .singleElement()
        .asString()
        .contains("links.misses", "is out of range");
    assertThat(
            errors(
                parse(
                    "links:\n  key-file: /k\n  guard: [db]\n  peers:\n    beta: [{local: 198.18.1.1, peer: 198.18.1.2}]\n")))
        .singleElement()
        .asString()
        .contains("links.guard[0]", "is not one of the groups; allowed: one of web");
    assertThat(
            errors(
                parse(
                    "links:\n  key-file: /k\n  peers:\n    beta: [{local: 198.18.1.1, peer: 198.18.1.2}]\n  routes:\n    - {destination: 198.18.100.0/33, via: [{interface: eth0, gateway: 198.18.1.254}]}\n")))
        .singleElement()
        .asString()
        .contains("links.routes[0].destination", "is not an IPv4 or IPv6 prefix");
  }

  private static final String PEERS6 =
      "links:\n  key-file: /k\n  peers:\n    beta:\n"
          + "      - {local: 198.18.1.1, peer: 198.18.1.2}\n"
          + "      - {local: 2001:db8:1::1, peer: 2001:db8:1::2}\n"
          + "  routes:\n";

  @Test
  void ipv6PathsAndRoutesBesideIpv4Ones() {
    ConfigResult result =
        parse(
            PEERS6
                + "    - {destination: 2001:db8:100::/64, via: [{interface: eth0, gateway:"
                + " 2001:db8:1::fe}, {interface: eth1, gateway: fe80::1}]}\n"
                + "    - {destination: default, via: [{interface: eth0, gateway: 2001:db8:1::fe}]}\n"
                + "    - {destination: default, via: [{interface: eth0, gateway: 198.18.1.254}]}\n");
    assertThat(result).isInstanceOf(ConfigResult.Valid.class);
    LinksConfig links = ((ConfigResult.Valid) result).config().links();
    assertThat(links.paths().get(1).local()).isEqualTo(InetAddress.ofLiteral("2001:db8:1::1"));
    assertThat(links.paths().get(1).peer()).isEqualTo(InetAddress.ofLiteral("2001:db8:1::2"));
    assertThat(links.routes())
        .extracting(LinksConfig.LinkRoute::text)
        .containsExactly("2001:db8:100::/64", "::/0", "default");
    assertThat(links.routes().get(1).destination()).isEqualTo(InetAddress.ofLiteral("::"));
    assertThat(links.routes().get(2).destination()).isEqualTo(InetAddress.ofLiteral("0.0.0.0"));
    // A link-local gateway is fine: the next hop names its interface.
    assertThat(links.routes().get(0).via().get(1).gateway())
        .isEqualTo(InetAddress.ofLiteral("fe80::1"));
  }

  @Test
  void ipv6ErrorsSayWhereAndWhatIsAllowed() {
    assertThat(
            errors(
                parse(
                    "links:\n  key-file: /k\n  peers:\n    beta: [{local: fe80::1, peer: fe80::2}]\n")))
        .contains(
            "t.yaml:5:20: links.peers.beta[0].local: \"fe80::1\" is a link-local IPv6 address (it"
                + " needs an interface as its scope, which paths do not name); allowed: a plain"
                + " IPv4 or global IPv6 address, e.g. 198.18.1.1 or 2001:db8:1::1");
    assertThat(
            errors(
                parse(
                    "links:\n  key-file: /k\n  peers:\n    beta: [{local: ff02::1, peer: 2001:db8::2}]\n")))
        .singleElement()
        .asString()
        .contains("links.peers.beta[0].local", "is not a plain unicast IP address");
    assertThat(
            errors(
                parse(
                    PEERS6
                        + "    - {destination: 2001:db8:100::/64, via: [{interface: eth0, gateway:"
                        + " 198.18.1.254}]}\n")))
        .containsExactly(
            "t.yaml:9:73: links.routes[0].via[0].gateway: \"198.18.1.254\" is an IPv4 address in"
                + " an IPv6 route; allowed: an IPv6 gateway (one family per route)");
    assertThat(
            errors(
                parse(
                    PEERS6
                        + "    - {destination: default, via: [{interface: eth0, gateway:"
                        + " 2001:db8:1::fe}, {interface: eth1, gateway: 198.18.2.254}]}\n")))
        .singleElement()
        .asString()
        .contains("links.routes[0].via[1].gateway", "is an IPv4 address in an IPv6 route");
    assertThat(
            errors(
                parse(
                    PEERS6
                        + "    - {destination: 2001:db8:100::/129, via: [{interface: eth0, gateway:"
                        + " 2001:db8:1::fe}]}\n")))
        .singleElement()
        .asString()
        .contains("links.routes[0].destination", "is not an IPv4 or IPv6 prefix");
    assertThat(
            errors(
                parse(
                    PEERS6
                        + "    - {destination: default, via: [{interface: eth0, gateway:"
                        + " 2001:db8:1::fe}]}\n"
                        + "    - {destination: \"::/0\", via: [{interface: eth1, gateway:"
                        + " 2001:db8:2::fe}]}\n")))
        .singleElement()
        .asString()
        .contains("links.routes[1].destination", "is a duplicate destination");
    assertThat(
            errors(
                parse(
                    PEERS6
                        + "    - {destination: 2001:db8:100::/64, via: [{interface: eth0, gateway:"
                        + " 2001:db8:1::fe, probe: {kind: arp}}]}\n")))
        .singleElement()
        .asString()
        .contains(
            "links.routes[0].via[0].probe.kind: \"arp\" does not probe an IPv6 gateway",
            "allowed: ndp, icmp");
  }

  @Test
  void anIpv6GatewayIsProbedWithNdpUnlessItSaysIcmp() {
    ConfigResult result =
        parse(
            PEERS6
                + "    - {destination: 2001:db8:100::/64, via: [{interface: eth0, gateway:"
                + " fe80::1, probe: {}}, {interface: eth1, gateway: 2001:db8:2::fe, probe:"
                + " {kind: icmp, misses: 2}}]}\n"
                + "    - {destination: 198.18.100.0/24, via: [{interface: eth0, gateway:"
                + " 198.18.1.254, probe: {}}]}\n");
    assertThat(result).isInstanceOf(ConfigResult.Valid.class);
    LinksConfig links = ((ConfigResult.Valid) result).config().links();
    assertThat(links.routes().get(0).via().get(0).probe().orElseThrow().kind())
        .isEqualTo(LinksConfig.Probe.NDP);
    assertThat(links.routes().get(0).via().get(1).probe().orElseThrow().kind())
        .isEqualTo(LinksConfig.Probe.ICMP);
    assertThat(links.routes().get(0).via().get(1).probe().orElseThrow().misses()).isEqualTo(2);
    // The default is the family's own neighbour probe: ARP for an IPv4 gateway.
    assertThat(links.routes().get(1).via().get(0).probe().orElseThrow().kind())
        .isEqualTo(LinksConfig.Probe.ARP);
  }

  private static final String PEERS =
      "links:\n  key-file: /k\n  interval: 200ms\n  misses: 4\n  goods: 5\n"
          + "  peers:\n    beta: [{local: 198.18.1.1, peer: 198.18.1.2}]\n  routes:\n";

  @Test
  void aGatewayProbeTakesTheSectionsIntervalMissesAndGoodsUnlessItSaysOtherwise() {
    ConfigResult result =
        parse(
            PEERS
                + "    - destination: default\n      via:\n"
                + "        - {interface: eth0, gateway: 198.18.1.254, probe: {kind: arp}}\n"
                + "        - {interface: eth1, gateway: 198.18.2.254, probe: {interval: 1s,"
                + " misses: 2, goods: 3}}\n"
                + "        - {interface: eth2, gateway: 198.18.3.254, probe: {kind: icmp, misses: 2}}\n"
                + "        - {interface: eth3, gateway: 198.18.4.254}\n");
    assertThat(result).isInstanceOf(ConfigResult.Valid.class);
    List<LinksConfig.NextHop> via =
        ((ConfigResult.Valid) result).config().links().routes().getFirst().via();
    assertThat(via.get(0).probe())
        .contains(new LinksConfig.Probe("arp", Duration.ofMillis(200), 4, 5));
    assertThat(via.get(1).probe())
        .contains(new LinksConfig.Probe("arp", Duration.ofSeconds(1), 2, 3));
    assertThat(via.get(2).probe())
        .contains(new LinksConfig.Probe("icmp", Duration.ofMillis(200), 2, 5));
    assertThat(via.get(3).probe()).isEmpty();
  }

  @Test
  void anIcmpProbeNeedsAnIpv4AddressOnItsInterfaceOnTheHost() throws IOException {
    String yaml =
        defaultRouteWithAKey(
            "        - {interface: eth0, gateway: 198.18.1.254, probe: {kind: icmp}}\n"
                + "        - {interface: eth1, gateway: 198.18.2.254, probe: {kind: icmp}}\n"
                + "        - {interface: eth2, gateway: 198.18.3.254, probe: {kind: arp}}\n");
    HostFacts.HostAddress eth0 =
        new HostFacts.HostAddress("eth0", InetAddress.ofLiteral("198.18.1.1"), 24);
    HostFacts.HostAddress eth1 =
        new HostFacts.HostAddress("eth1", InetAddress.ofLiteral("2001:db8::1"), 64);
    HostFacts host = host(Map.of("eth0", List.of(eth0), "eth1", List.of(eth1), "eth2", List.of()));
    assertThat(errors(ConfigLoader.parse(yaml, "t.yaml", host)))
        .containsExactly(
            "t.yaml:10:66: links.routes[0].via[1].probe.kind: \"icmp\" needs an IPv4 address on"
                + " eth1 to send from, and it has none; allowed: arp, or an IPv4 address on eth1");
  }

  /** A whole file: a real key file, one path, a default route via {@code via}, the groups. */
  private String defaultRouteWithAKey(String via) throws IOException {
    Path key = dir.resolve("links.key");
    Files.writeString(key, "0123456789abcdef0123");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    return "node: alpha\nlinks:\n  key-file: "
        + key
        + "\n  peers:\n    beta: [{local: 198.18.1.1, peer: 198.18.1.2}]\n  routes:\n"
        + "    - destination: default\n      via:\n"
        + via
        + GROUPS;
  }

  /** A host with these interfaces and their addresses. */
  private static HostFacts host(Map<String, List<HostFacts.HostAddress>> interfaces) {
    return new HostFacts() {
      @Override
      public Optional<List<HostAddress>> interfaceAddresses(String name) {
        return Optional.ofNullable(interfaces.get(name));
      }

      @Override
      public List<String> interfaceNames() {
        return interfaces.keySet().stream().sorted().toList();
      }

      @Override
      public List<HostAddress> localAddresses() {
        return interfaces.values().stream().flatMap(List::stream).toList();
      }
    };
  }

  @Test
  void anIpv6ProbeNeedsAnIpv6AddressOnItsInterfaceOnTheHost() throws IOException {
    String yaml =
        defaultRouteWithAKey(
            "        - {interface: eth0, gateway: \"fe80::1\", probe: {}}\n"
                + "        - {interface: eth1, gateway: 2001:db8:2::fe, probe: {kind: icmp}}\n");
    HostFacts.HostAddress eth0 =
        new HostFacts.HostAddress("eth0", InetAddress.ofLiteral("fe80::2"), 64);
    HostFacts.HostAddress eth1 =
        new HostFacts.HostAddress("eth1", InetAddress.ofLiteral("198.18.2.1"), 24);
    HostFacts host = host(Map.of("eth0", List.of(eth0), "eth1", List.of(eth1)));
    // A link-local address is enough to send from (the socket scopes it to the interface).
    assertThat(errors(ConfigLoader.parse(yaml, "t.yaml", host)))
        .singleElement()
        .asString()
        .contains(
            "links.routes[0].via[1].probe: the icmp probe of 2001:db8:2::fe needs an IPv6 address"
                + " on eth1 to send from, and it has none; allowed: an IPv6 address on eth1, or no"
                + " probe");
  }

  @Test
  void oneGatewayOnOneInterfaceHasOneProbe() {
    assertThat(
            errors(
                parse(
                    PEERS
                        + "    - {destination: default, via: [{interface: eth0, gateway:"
                        + " 198.18.1.254, probe: {}}]}\n"
                        + "    - {destination: 198.18.100.0/24, via: [{interface: eth0, gateway:"
                        + " 198.18.1.254, probe: {misses: 9}}]}\n")))
        .containsExactly(
            "t.yaml:11:44: links.routes[1].via[0]: another next hop via 198.18.1.254 on eth0 has a"
                + " different probe; allowed: the same probe (or none) for each gateway on an"
                + " interface");
  }
}
