package dev.takeover.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

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
        .singleElement()
        .asString()
        .contains("links.peers.beta[0].local", "is not a plain IPv4 address");
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
        .contains("links.routes[0].destination", "is not an IPv4 prefix");
  }
}
