package dev.takeover.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code dns} section and the groups' {@code names}, and the key file on the host. */
class DnsRulesTest {
  @TempDir Path dir;

  private static String yaml(String names, String dns) {
    return "node: a\n"
        + dns
        + "groups:\n"
        + "  - name: web\n"
        + "    vrid: 51\n"
        + "    interface: eth0\n"
        + "    addresses: [198.18.0.50/24]\n"
        + names;
  }

  private static final String NAMES =
      "    names:\n      - name: www.example.test\n        ptr-zone: 0.18.198.in-addr.arpa\n"
          + "        points-to: self\n";

  private static String dns(String keyFile) {
    return "dns:\n  servers:\n    - address: 198.18.0.100\n"
        + "      key: { name: takeover, algorithm: hmac-sha256, secret-file: "
        + keyFile
        + " }\n";
  }

  private static List<String> errors(ConfigResult r) {
    return r instanceof ConfigResult.Invalid i
        ? i.errors().stream().map(ConfigError::toString).toList()
        : List.of();
  }

  @Test
  void aValidSectionBuildsTheRecords() {
    ConfigResult r = ConfigLoader.parse(yaml(NAMES, dns("/etc/takeover/dns.key")), "t.yaml");
    assertThat(errors(r)).isEmpty();
    DnsConfig dns = ((ConfigResult.Valid) r).config().dns();
    assertThat(dns.enabled()).isTrue();
    assertThat(dns.servers().getFirst().port()).isEqualTo(53);
    assertThat(dns.servers().getFirst().key().orElseThrow().algorithm()).isEqualTo("hmac-sha256");
    DnsConfig.NameConfig n = dns.names("web").getFirst();
    assertThat(n.name()).isEqualTo("www.example.test.");
    assertThat(n.zone()).isEqualTo("example.test.");
    assertThat(n.ptrZone()).contains("0.18.198.in-addr.arpa.");
    assertThat(n.pointsTo()).isEqualTo(DnsConfig.PointsTo.SELF);
    assertThat(n.removeOnRelease()).isFalse();
    assertThat(n.overwriteOnConflict()).isTrue();
  }

  /** A planned move lowers the TTL to move-ttl first, waiting at most move-wait-max (DNS.md). */
  @Test
  void moveTtlAndItsCap() {
    String names =
        "    names:\n      - name: www.example.test\n        ttl: 60\n        move-ttl: 5\n"
            + "        move-wait-max: 90s\n      - name: api.example.test\n";
    ConfigResult r = ConfigLoader.parse(yaml(names, dns("/etc/takeover/dns.key")), "t.yaml");
    assertThat(errors(r)).isEmpty();
    List<DnsConfig.NameConfig> n = ((ConfigResult.Valid) r).config().dns().names("web");
    assertThat(n.get(0).moveTtl()).hasValue(5);
    assertThat(n.get(0).moveWaitMax()).isEqualTo(java.time.Duration.ofSeconds(90));
    assertThat(n.get(1).moveTtl()).isEmpty();
  }

  @Test
  void namesNeedADnsSection() {
    assertThat(errors(ConfigLoader.parse(yaml(NAMES, ""), "t.yaml")))
        .singleElement()
        .asString()
        .contains("groups have names but there is no dns section");
  }

  @Test
  void badValuesSayWhereAndWhatIsAllowed() {
    String names =
        "    names:\n      - name: www.example.test\n        zone: other.test\n"
            + "        on-conflict: clobber\n";
    String dns =
        "dns:\n  servers:\n    - address: ns.example.test\n"
            + "      key: { name: k, algorithm: hmac-md5, secret-file: relative/key }\n";
    assertThat(errors(ConfigLoader.parse(yaml(names, dns), "t.yaml")))
        .anySatisfy(e -> assertThat(e).startsWith("t.yaml:4:16").contains("is not an IP address"))
        .anySatisfy(
            e -> assertThat(e).startsWith("t.yaml:5:34").contains("hmac-sha256, hmac-sha512"))
        .anySatisfy(
            e -> assertThat(e).contains("secret-file: \"relative/key\" is not an absolute path"))
        .anySatisfy(e -> assertThat(e).contains("zone: \"other.test\" does not contain"))
        .anySatisfy(e -> assertThat(e).contains("on-conflict").contains("alarm, overwrite"));
  }

  /** A group with names, unicast peers and no addresses: {@code extra} lines are added to it. */
  private static String nameOnly(String extra) {
    return "node: a\n"
        + dns("/etc/takeover/dns.key")
        + "groups:\n"
        + "  - name: web\n"
        + "    vrid: 51\n"
        + "    interface: eth0\n"
        + extra
        + "    names:\n      - name: www.example.test\n";
  }

  @Test
  void aNameOnlyGroupTakesItsFamilyFromItsPeersAndPointsAtItself() {
    ConfigResult r =
        ConfigLoader.parse(
            nameOnly("    unicast-peers: [198.18.1.2]\n    accept-ttl: 250-255\n"), "t.yaml");
    assertThat(errors(r)).isEmpty();
    TakeoverConfig c = ((ConfigResult.Valid) r).config();
    GroupConfig g = c.groups().getFirst();
    assertThat(g.nameOnly()).isTrue();
    assertThat(g.family()).isEqualTo(AddressFamily.IPV4);
    assertThat(g.acceptTtl()).isEqualTo(new dev.takeover.wire.TtlRange(250, 255));
    assertThat(c.dns().names("web").getFirst().pointsTo()).isEqualTo(DnsConfig.PointsTo.SELF);
  }

  @Test
  void everyOtherGroupKeepsTheRfcTtl() {
    ConfigResult r = ConfigLoader.parse(yaml(NAMES, dns("/etc/takeover/dns.key")), "t.yaml");
    assertThat(((ConfigResult.Valid) r).config().groups().getFirst().acceptTtl())
        .isEqualTo(dev.takeover.wire.TtlRange.STRICT);
  }

  @Test
  void nameOnlyAndAcceptTtlMistakesSayWhereAndWhatIsAllowed() {
    assertThat(errors(ConfigLoader.parse(nameOnly(""), "t.yaml")))
        .singleElement()
        .asString()
        .startsWith("t.yaml:7:5")
        .contains("a name-only group (docs/DNS.md) needs unicast-peers");
    assertThat(
            errors(
                ConfigLoader.parse(
                    yaml("    accept-ttl: 250-255\n" + NAMES, dns("/etc/takeover/dns.key")),
                    "t.yaml")))
        .singleElement()
        .asString()
        .startsWith("t.yaml:11:17: groups[0].accept-ttl: \"250-255\" is set without unicast-peers");
    assertThat(
            errors(
                ConfigLoader.parse(
                    nameOnly("    unicast-peers: [198.18.1.2]\n    accept-ttl: 0-255\n"),
                    "t.yaml")))
        .singleElement()
        .asString()
        .startsWith(
            "t.yaml:11:17: groups[0].accept-ttl: \"0-255\" is out of range; allowed: a TTL"
                + " range MIN-MAX within 1..255");
    assertThat(
            errors(
                ConfigLoader.parse(
                    nameOnly("    unicast-peers: [198.18.1.2]\n    accept-ttl: any\n"), "t.yaml")))
        .singleElement()
        .asString()
        .contains("is not a TTL range");
    assertThat(
            errors(
                ConfigLoader.parse(
                    nameOnly("    unicast-peers: [\"2001:db8:1::2\"]\n    accept-ttl: 250-255\n"),
                    "t.yaml")))
        .singleElement()
        .asString()
        .contains("needs unicast-source in an IPv6 group");
    assertThat(
            errors(
                ConfigLoader.parse(
                    nameOnly("    unicast-peers: [198.18.1.2]\n    priority: 255\n"), "t.yaml")))
        .singleElement()
        .asString()
        .contains("a name-only group has no address to own");
    String vips = nameOnly("    unicast-peers: [198.18.1.2]\n") + "        points-to: vips\n";
    assertThat(errors(ConfigLoader.parse(vips, "t.yaml")))
        .singleElement()
        .asString()
        .contains("points-to: \"vips\" is vips, but the group has no addresses");
  }

  @Test
  void aWorldReadableKeyFileIsRefusedOnTheHost() throws IOException {
    Path key = dir.resolve("dns.key");
    Files.writeString(key, "c2VjcmV0\n");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    HostFacts host = host();
    List<String> refused =
        errors(ConfigLoader.parse(yaml(NAMES, dns(key.toString())), "t.yaml", host));
    assertThat(refused)
        .anySatisfy(
            e ->
                assertThat(e)
                    .startsWith("t.yaml:5:")
                    .contains("is readable by every user")
                    .contains("chmod 600"));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    assertThat(errors(ConfigLoader.parse(yaml(NAMES, dns(key.toString())), "t.yaml", host)))
        .noneMatch(e -> e.contains("secret-file"));
  }

  private HostFacts host() throws IOException {
    HostFacts.HostAddress eth0 =
        new HostFacts.HostAddress("eth0", InetAddress.ofLiteral("198.18.0.1"), 24);
    Path state = Files.createDirectories(dir.resolve("state"));
    return new HostFacts() {
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
  }
}
