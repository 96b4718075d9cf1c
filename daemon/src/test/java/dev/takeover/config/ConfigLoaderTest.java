package dev.takeover.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.wire.ChecksumMode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private static final Path EXAMPLES = Path.of("examples");

  private static TakeoverConfig valid(ConfigResult result) {
    assertThat(result)
        .as(() -> result instanceof ConfigResult.Invalid i ? i.errors().toString() : "")
        .isInstanceOf(ConfigResult.Valid.class);
    return ((ConfigResult.Valid) result).config();
  }

  private static List<String> errors(ConfigResult result) {
    assertThat(result).isInstanceOf(ConfigResult.Invalid.class);
    return ((ConfigResult.Invalid) result).errors().stream().map(ConfigError::toString).toList();
  }

  private static List<String> warnings(ConfigResult result) {
    valid(result);
    return ((ConfigResult.Valid) result).warnings().stream().map(ConfigError::toString).toList();
  }

  @Test
  void twoNodeExamplesAreAMatchingPair() throws Exception {
    ConfigResult alphaResult = ConfigLoader.load(EXAMPLES.resolve("two-node-alpha.yaml"));
    TakeoverConfig alpha = valid(alphaResult);
    TakeoverConfig beta = valid(ConfigLoader.load(EXAMPLES.resolve("two-node-beta.yaml")));

    assertThat(((ConfigResult.Valid) alphaResult).warnings()).isEmpty();
    assertThat(alpha.node()).isEqualTo("alpha");
    assertThat(beta.node()).isEqualTo("beta");
    GroupConfig a = alpha.groups().getFirst();
    GroupConfig b = beta.groups().getFirst();
    assertThat(a.priority()).isEqualTo(200);
    assertThat(b.priority()).isEqualTo(100);
    for (GroupConfig g : List.of(a, b)) {
      assertThat(g.vrid()).isEqualTo(51);
      assertThat(g.interfaceName()).isEqualTo("eth0");
      assertThat(g.advertInterval()).isEqualTo(Duration.ofMillis(100));
      assertThat(g.family()).isEqualTo(AddressFamily.IPV4);
      assertThat(g.addresses())
          .containsExactly(new VirtualAddress(InetAddress.ofLiteral("198.18.0.50"), 24));
      assertThat(g.addresses().getFirst()).hasToString("198.18.0.50/24");
    }
  }

  /** Accept_Mode is always true (RFC 5798 §6.1, docs/DECISIONS.md); saying so changes nothing. */
  @Test
  void acceptModeTrueIsAcceptedWithoutEffectOrWarning() {
    String without =
        "node: alpha\ngroups:\n"
            + "  - {name: web, vrid: 51, interface: eth0, addresses: [198.18.0.50/24]}\n";
    ConfigResult with =
        ConfigLoader.parse(without.replace("]}", "], accept-mode: true}"), "t.yaml");

    assertThat(valid(with)).isEqualTo(valid(ConfigLoader.parse(without, "t.yaml")));
    assertThat(((ConfigResult.Valid) with).warnings()).isEmpty();
  }

  @Test
  void unicastExampleIsValid() {
    TakeoverConfig config = valid(ConfigLoader.load(EXAMPLES.resolve("unicast-alpha.yaml")));

    GroupConfig db = config.group("db").orElseThrow();
    assertThat(db.unicast()).isTrue();
    assertThat(db.unicastPeers())
        .containsExactly(InetAddress.ofLiteral("198.18.1.2"), InetAddress.ofLiteral("198.18.1.3"));
    assertThat(db.unicastSource()).contains(InetAddress.ofLiteral("198.18.1.1"));
    assertThat(db.checksumMode()).isEqualTo(ChecksumMode.VRRP_ONLY);
    assertThat(db.preempt()).isFalse();
    assertThat(config.group("api").orElseThrow().preemptDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.announce())
        .isEqualTo(
            new AnnounceConfig(3, Duration.ofMillis(100), Duration.ZERO, Duration.ofMillis(100)));
    assertThat(config.announce().refreshes()).isFalse();
    assertThat(config.daemon()).isEqualTo(new DaemonConfig(10, Path.of("/var/lib/takeover")));
  }

  @Test
  void ipv6ExampleIsValidWithoutWarnings() {
    ConfigResult result = ConfigLoader.load(EXAMPLES.resolve("ipv6.yaml"));
    TakeoverConfig config = valid(result);

    assertThat(warnings(result)).isEmpty();
    GroupConfig web6 = config.group("web6").orElseThrow();
    assertThat(web6.family()).isEqualTo(AddressFamily.IPV6);
    assertThat(web6.addresses().stream().map(VirtualAddress::toString))
        .containsExactly("2001:db8::50/64", "2001:db8::51/64");
    assertThat(config.group("web4").orElseThrow().family()).isEqualTo(AddressFamily.IPV4);
  }

  @Test
  void logLevelIsRead() {
    TakeoverConfig config =
        valid(
            ConfigLoader.parse(
                """
                node: alpha
                daemon:
                  log-level: debug
                groups:
                  - {name: web, vrid: 51, interface: eth0, addresses: [198.18.0.50/24]}
                """,
                "t.yaml"));

    assertThat(config.daemon().logLevel()).isEqualTo(LogLevel.DEBUG);
  }

  /** Every key the validator knows is shown, at least commented, in some example. */
  @Test
  void everyKeyAppearsInAnExample() throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        all.append(Files.readString(f));
      }
    }
    Stream.of(
            ConfigValidator.TOP_KEYS,
            ConfigValidator.ANNOUNCE_KEYS,
            ConfigValidator.DAEMON_KEYS,
            ConfigValidator.GROUP_KEYS,
            ConfigValidator.nestedGroupKeys(),
            LinkRules.LINKS_KEYS,
            LinkRules.PATH_KEYS,
            LinkRules.ROUTE_KEYS,
            LinkRules.VIA_KEYS,
            LinkRules.PROBE_KEYS)
        .flatMap(List::stream)
        .forEach(key -> assertThat(all).as(key).contains(key + ":"));
  }

  /** docs/CONFIG.md has a row for every key. */
  @Test
  void everyKeyIsDocumented() throws IOException {
    String doc = Files.readString(Path.of("docs/CONFIG.md"));
    Stream.of(
            ConfigValidator.TOP_KEYS,
            ConfigValidator.ANNOUNCE_KEYS,
            ConfigValidator.DAEMON_KEYS,
            ConfigValidator.GROUP_KEYS,
            ConfigValidator.nestedGroupKeys(),
            LinkRules.LINKS_KEYS,
            LinkRules.PATH_KEYS,
            LinkRules.ROUTE_KEYS,
            LinkRules.VIA_KEYS,
            LinkRules.PROBE_KEYS)
        .flatMap(List::stream)
        .forEach(key -> assertThat(doc).as(key).contains("`" + key + "`"));
  }

  @Test
  void leftOutKeysTakeTheirDefaults() {
    TakeoverConfig config =
        valid(
            ConfigLoader.parse(
                """
                node: alpha
                groups:
                  - name: web
                    vrid: 51
                    interface: eth0
                    addresses: [198.18.0.50/24]
                """,
                "t.yaml"));

    assertThat(config.announce()).isEqualTo(AnnounceConfig.DEFAULTS);
    assertThat(config.announce())
        .isEqualTo(
            new AnnounceConfig(
                5, Duration.ofMillis(200), Duration.ofSeconds(60), Duration.ofMillis(100)));
    assertThat(config.daemon())
        .isEqualTo(new DaemonConfig(10, Path.of("/run/takeover"), LogLevel.INFO));
    assertThat(config.groups())
        .containsExactly(
            new GroupConfig(
                "web",
                51,
                "eth0",
                100,
                Duration.ofSeconds(1),
                true,
                Duration.ZERO,
                List.of(new VirtualAddress(InetAddress.ofLiteral("198.18.0.50"), 24)),
                List.of(),
                Optional.empty(),
                ChecksumMode.PSEUDO_HEADER,
                AddressFamily.IPV4));
  }

  @Test
  void checksTrackingAndHooksBecomeRecords() {
    GroupConfig web =
        valid(
                ConfigLoader.parse(
                    """
                    node: alpha
                    groups:
                      - name: web
                        vrid: 51
                        interface: eth0
                        addresses: [198.18.0.50/24]
                        checks:
                          - {name: t, type: tcp, host: "2001:DB8:0::1", port: 80}
                          - name: h
                            type: http
                            url: https://web.example.test:8443/health
                            interval: 5s
                            timeout: 2s
                            rise: 1
                            fall: 5
                            weight: -30
                            expect-status: "200-299"
                            body-match: "ok"
                            insecure-tls: true
                          - {name: d, type: dns, server: 198.18.0.53, query: www.example.test,
                             record-type: a, expect: 198.18.0.80}
                          - {name: p, type: dhcp, server: 198.18.0.67, interval: 100ms}
                          - {name: s, type: script, command: [/bin/check, -n, 3], env: {B: 1, A: x}}
                        track-interfaces:
                          - {interface: eth1}
                          - {interface: eth2, weight: 10}
                        hooks:
                          before-claim: {command: [/usr/local/bin/pre], timeout: 500ms}
                          after-claim: {command: [/usr/local/bin/started], env: {SITE: lab}}
                          stop: {command: [/usr/local/bin/stopped], timeout: 5s}
                    """,
                    "t.yaml"))
            .groups()
            .getFirst();

    Duration second = Duration.ofSeconds(1);
    Duration half = Duration.ofMillis(500);
    assertThat(web.checks())
        .containsExactly(
            new CheckConfig(
                "t", second, half, 2, 3, Weight.FAULT, new CheckTarget.Tcp("2001:db8::1", 80)),
            new CheckConfig(
                "h",
                Duration.ofSeconds(5),
                Duration.ofSeconds(2),
                1,
                5,
                new Weight.Adjust(-30),
                new CheckTarget.Http(
                    URI.create("https://web.example.test:8443/health"),
                    200,
                    299,
                    Optional.of(Pattern.compile("ok")),
                    true)),
            new CheckConfig(
                "d",
                second,
                half,
                2,
                3,
                Weight.FAULT,
                new CheckTarget.Dns(
                    InetAddress.ofLiteral("198.18.0.53"),
                    53,
                    "www.example.test",
                    "A",
                    Optional.of(InetAddress.ofLiteral("198.18.0.80")))),
            new CheckConfig(
                "p",
                Duration.ofMillis(100),
                Duration.ofMillis(50),
                2,
                3,
                Weight.FAULT,
                new CheckTarget.Dhcp(InetAddress.ofLiteral("198.18.0.67"), Optional.empty())),
            new CheckConfig(
                "s",
                second,
                half,
                2,
                3,
                Weight.FAULT,
                new CheckTarget.Script(
                    List.of("/bin/check", "-n", "3"), Map.of("B", "1", "A", "x"))));
    assertThat(((CheckTarget.Script) web.checks().getLast().target()).env().keySet())
        .containsExactly("B", "A");
    assertThat(web.trackInterfaces())
        .containsExactly(
            new TrackInterface("eth1", Weight.FAULT),
            new TrackInterface("eth2", new Weight.Adjust(10)));
    assertThat(web.hooks())
        .isEqualTo(
            new GroupHooks(
                Optional.of(new HookConfig(List.of("/usr/local/bin/pre"), half, half, Map.of())),
                Optional.of(
                    new HookConfig(
                        List.of("/usr/local/bin/started"),
                        Duration.ofSeconds(30),
                        Duration.ZERO,
                        Map.of("SITE", "lab"))),
                Optional.empty(),
                Optional.empty(),
                Optional.of(
                    new HookConfig(
                        List.of("/usr/local/bin/stopped"),
                        Duration.ofSeconds(5),
                        Duration.ZERO,
                        Map.of()))));
  }

  @Test
  void leftOutChecksTrackingAndHooksAreEmpty() {
    GroupConfig web =
        valid(ConfigLoader.load(EXAMPLES.resolve("two-node-beta.yaml"))).groups().getFirst();

    assertThat(web.checks()).isEmpty();
    assertThat(web.trackInterfaces()).isEmpty();
    assertThat(web.hooks()).isEqualTo(GroupHooks.NONE);
  }

  @Test
  void checkAndTrackingWarnings() {
    ConfigResult result =
        ConfigLoader.parse(
            """
            node: alpha
            groups:
              - name: web
                vrid: 51
                interface: eth0
                addresses: [198.18.0.50/24]
                checks:
                  - {name: h, type: http, url: "http://198.18.0.1/", insecure-tls: true}
                track-interfaces: [{interface: eth0}]
            """,
            "t.yaml");

    assertThat(warnings(result))
        .containsExactly(
            "t.yaml:8:72: groups[0].checks[0].insecure-tls: has no effect on an http:// url; it"
                + " applies to https only",
            "t.yaml:9:36: groups[0].track-interfaces[0].interface: \"eth0\" is the group's own"
                + " interface, which the group always follows (FAULT while it is down); tracking"
                + " it adds nothing");
  }

  @Test
  void durationsAreReadWithTheirUnits() {
    TakeoverConfig config =
        valid(
            ConfigLoader.parse(
                """
                node: alpha
                announce:
                  garp-interval: 10ms
                  garp-refresh: 1.5m
                groups:
                  - name: web
                    vrid: 51
                    interface: eth0
                    advert-interval: 1.5s
                    preempt-delay: 100ms
                    addresses: [198.18.0.50/24]
                """,
                "t.yaml"));

    assertThat(config.announce().garpInterval()).isEqualTo(Duration.ofMillis(10));
    assertThat(config.announce().refreshInterval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.groups().getFirst().advertInterval()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.groups().getFirst().preemptDelay()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void syntaxErrorIsOneLocatedMessage() {
    ConfigResult result =
        ConfigLoader.parse("node: alpha\ngroups:\n  - name: web\n\tvrid: 51\n", "t.yaml");

    assertThat(errors(result))
        .containsExactly(
            "t.yaml:4:1: YAML syntax error: found character '\\t(TAB)' that cannot start any"
                + " token. (Do not use \\t(TAB) for indentation)");
  }

  @Test
  void unclosedFlowListNamesWhereItStarted() {
    ConfigResult result = ConfigLoader.parse("node: alpha\ngroups: [1, 2\n", "t.yaml");

    assertThat(errors(result))
        .containsExactly(
            "t.yaml:3:1: YAML syntax error: expected ',' or ']', but got <stream end>"
                + " (while parsing a flow sequence at 2:9)");
  }

  @Test
  void allErrorsAreCollectedAndSortedByLine() {
    ConfigResult result =
        ConfigLoader.parse(
            """
            groups:
              - name: web
                vrid: 0
                interface: eth0
                advert-interval: 15ms
                addresses: [198.18.0.50/24]
              - name: web
                vrid: 52
                interface: eth0
                addresses: [198.18.0.50/24]
            announce:
              garp-count: 0
            """,
            "t.yaml");

    assertThat(errors(result))
        .containsExactly(
            "t.yaml:1:1: missing required key \"node\"; allowed: 1..64 characters from A-Z, a-z,"
                + " 0-9, '.', '_', '-'",
            "t.yaml:3:11: groups[0].vrid: 0 is out of range; allowed: 1..255",
            "t.yaml:5:22: groups[0].advert-interval: \"15ms\" is not a multiple of 10ms; allowed:"
                + " 10ms..40.95s in steps of 10ms",
            "t.yaml:7:11: groups[1].name: \"web\" is already the name of groups[0] (line 2);"
                + " allowed: a name no other group has",
            "t.yaml:10:17: groups[1].addresses[0]: 198.18.0.50 is already a virtual address of"
                + " group \"web\" (line 6); allowed: each virtual address in one group only",
            "t.yaml:12:15: announce.garp-count: 0 is out of range; allowed: 1..100");
  }

  @Test
  void warningsDoNotMakeAConfigInvalid() {
    ConfigResult result =
        ConfigLoader.parse(
            """
            node: alpha
            groups:
              - name: owner
                vrid: 51
                interface: eth0
                priority: 255
                preempt: false
                addresses: [198.18.0.50/24]
              - name: web6
                vrid: 51
                interface: eth0
                checksum: rfc9568
                addresses: ["2001:db8::50/64"]
            """,
            "t.yaml");

    assertThat(warnings(result))
        .containsExactly(
            "t.yaml:6:15: groups[0].priority: 255 makes this node the address owner (RFC 5798"
                + " §5.2.4); it must really own the virtual addresses, and it always preempts",
            "t.yaml:7:14: groups[0].preempt: false is ignored at priority 255; the address owner"
                + " always preempts (RFC 5798 §6.1)",
            "t.yaml:12:15: groups[1].checksum: has no effect on an IPv6 group; IPv6 always"
                + " checksums the pseudo-header (RFC 5798 §5.2.8)");
    assertThat(valid(result).groups().getFirst().addressOwner()).isTrue();
  }

  @Test
  void missingFileIsAnErrorWithoutPosition(@TempDir Path dir) {
    Path file = dir.resolve("nope.yaml");

    assertThat(errors(ConfigLoader.load(file)))
        .containsExactly(file + ": cannot read: no such file");
  }

  @Test
  void invalidUtf8IsReportedAtItsLineAndColumn(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.write(file, new byte[] {'n', 'o', 'd', 'e', ':', ' ', (byte) 0xff, '\n'});
    assertThat(errors(ConfigLoader.load(file)))
        .containsExactly(file + ":1:7: not valid UTF-8 (0xFF); the file must be UTF-8 text");

    // Columns count characters: "é" is two bytes and one column. A lead byte followed by
    // something that is not a continuation byte is malformed.
    var out = new java.io.ByteArrayOutputStream();
    out.writeBytes("node: a\n# é\nx: \"é".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    out.writeBytes(new byte[] {(byte) 0xC3, '(', '"', '\n'});
    Files.write(file, out.toByteArray());
    assertThat(errors(ConfigLoader.load(file)))
        .containsExactly(file + ":3:6: not valid UTF-8 (0xC3); the file must be UTF-8 text");
  }

  @Test
  void aLoneSurrogateIsRefusedWhereItIs() {
    assertThat(errors(ConfigLoader.parse("node: a\nx: [1, \"ok\\uD800\"]\n", "t.yaml")))
        .containsExactly(
            "t.yaml:2:8: contains a lone UTF-16 surrogate (\\uD800), which is not a character;"
                + " write the character itself, or both halves of the pair");
    assertThat(errors(ConfigLoader.parse("\"\\uDC00k\": 1\n", "t.yaml")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("t.yaml:1:1: contains a lone UTF-16 surrogate (\\uDC00)");
    // Both halves of a pair are one character (U+1F600), which is fine here (an unknown key).
    assertThat(errors(ConfigLoader.parse("node: a\nx: \"\\uD83D\\uDE00\"\n", "t.yaml")))
        .noneMatch(e -> e.contains("surrogate"));
  }

  @Test
  void nestingDeeperThanTheLimitIsRefusedWhereItStarts() {
    String flow = "[".repeat(2000) + "]".repeat(2000);
    assertThat(errors(ConfigLoader.parse("node: a\nx: " + flow + "\n", "t.yaml")))
        .containsExactly(
            "t.yaml:2:"
                + (3 + YamlTreeReader.MAX_DEPTH) // the root mapping is level 1, x's list level 2
                + ": nested deeper than 64 levels of mappings and lists; a configuration needs"
                + " fewer than 10");
    StringBuilder block = new StringBuilder("node: a\n");
    for (int i = 0; i < 100; i++) {
      block.append("  ".repeat(i)).append("k").append(i).append(":\n");
    }
    block.append("  ".repeat(100)).append("v\n");
    // The root mapping (node, k0) is level 1, k0's value (on line 3) level 2, ...: k63's value
    // is level 65, on line 66 at column 129.
    assertThat(errors(ConfigLoader.parse(block.toString(), "t.yaml")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("t.yaml:66:129:")
        .contains("nested deeper than 64 levels");
  }

  @Test
  void tooManyValuesAreRefusedWhereTheLimitIsCrossed() {
    String yaml = "node: a\nx: [" + "a,".repeat(YamlTreeReader.MAX_VALUES) + "a]\n";
    assertThat(errors(ConfigLoader.parse(yaml, "t.yaml")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("t.yaml:2:")
        .endsWith("more than 100000 values; a configuration needs far fewer");
  }

  @Test
  void aFileOverTheSizeLimitIsNotRead(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("huge.yaml");
    try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(80L << 20); // sparse: 80 MiB that take no disk
    }
    assertThat(errors(ConfigLoader.load(file)))
        .containsExactly(
            file
                + ": cannot read: 83886080 bytes, over the limit of 1048576 bytes (1 MiB) for a"
                + " configuration file");
    try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(ConfigLoader.MAX_FILE_BYTES); // at the limit: read (and found empty)
    }
    assertThat(errors(ConfigLoader.load(file))).noneMatch(e -> e.contains("limit"));
  }

  @Test
  void whatIsNotARegularFileIsRefusedWithoutOpeningIt(@TempDir Path dir) throws Exception {
    assertThat(errors(ConfigLoader.load(Path.of("/dev/zero"))))
        .containsExactly("/dev/zero: cannot read: not a regular file (a character device)");
    assertThat(errors(ConfigLoader.load(dir)))
        .containsExactly(dir + ": cannot read: not a regular file (a directory)");
    Path fifo = dir.resolve("fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor()).isZero();
    // Opening a FIFO without a writer would block this test forever.
    assertThat(errors(ConfigLoader.load(fifo)))
        .containsExactly(fifo + ": cannot read: not a regular file (a FIFO)");
  }

  @Test
  void loadNamesTheFileInErrors(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("takeover.yaml");
    Files.writeString(file, "node: alpha\ngroups: []\n");

    assertThat(errors(ConfigLoader.load(file)))
        .containsExactly(file + ":2:9: groups: an empty list; allowed: 1..4096 groups");
  }

  @Test
  void errorPrintsLikeACompiler() {
    assertThat(new ConfigError("a.yaml", 3, 7, "bad")).hasToString("a.yaml:3:7: bad");
    assertThat(new ConfigError("a.yaml", 0, 0, "cannot read")).hasToString("a.yaml: cannot read");
  }
}
