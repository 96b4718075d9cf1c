package dev.takeover.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per rule: a small file that breaks it, and the exact messages expected, positions
 * included. The files are built from one valid group whose lines never move:
 *
 * <pre>
 * 1 node: alpha
 * 2 groups:
 * 3   - name: web
 * 4     vrid: 51
 * 5     interface: eth0
 * 6     addresses: [198.18.0.50/24]
 * 7     (extra keys, in the order given)
 * </pre>
 */
class ConfigRulesTest {

  private static final String SOURCE = "t.yaml";

  /** The group above with some keys replaced, removed ("-key") or appended at line 7 onwards. */
  static String group(String... changes) {
    Map<String, String> lines = new LinkedHashMap<>();
    lines.put("name", "name: web");
    lines.put("vrid", "vrid: 51");
    lines.put("interface", "interface: eth0");
    lines.put("addresses", "addresses: [198.18.0.50/24]");
    for (String change : changes) {
      if (change.startsWith("-")) {
        lines.put(change.substring(1), null);
      } else {
        lines.put(change.substring(0, change.indexOf(':')), change);
      }
    }
    List<String> out = new ArrayList<>();
    for (String line : lines.values()) {
      if (line != null) {
        out.add((out.isEmpty() ? "  - " : "    ") + line);
      }
    }
    return String.join("\n", out) + "\n";
  }

  /** A whole file: node, then {@code groups} with the given group texts. */
  static String file(String... groups) {
    return "node: alpha\ngroups:\n" + String.join("", groups);
  }

  /** Top-level lines first (starting at line 1), then a valid node and group. */
  static String top(String lines) {
    return lines + "node: alpha\ngroups:\n" + group();
  }

  /**
   * The group key {@code checks} with one check named {@code web} whose other keys follow, one a
   * line: line 8 holds {@code - name: web}, the keys start at line 9, column 9.
   */
  static String check(String... keys) {
    return "checks:\n      - name: web\n        " + String.join("\n        ", keys);
  }

  /** The group key {@code hooks} with one hook of {@code kind} (line 8); keys from line 9. */
  static String hook(String kind, String... keys) {
    return "hooks:\n      " + kind + ":\n        " + String.join("\n        ", keys);
  }

  /** 32 bytes in hex: a valid auth_hmac key. */
  static final String HEX64 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

  /**
   * The group key {@code auth} (line 7) with one inline key (line 8), then {@code lines} from line
   * 9, column 7.
   */
  static String auth(String... lines) {
    StringBuilder y =
        new StringBuilder("auth:\n      keys: [{id: 1, secret: \"hex:" + HEX64 + "\"}]");
    for (String line : lines) {
      y.append("\n      ").append(line);
    }
    return y.toString();
  }

  /** A links section up to an open next hop on line 7, column 11, with a key to follow. */
  static final String LINKS_VIA =
      "links:\n  key-file: /k\n  peers: {beta: [{local: 198.18.1.1, peer: 198.18.1.2}]}\n  routes:\n    - destination: default\n      via:\n        - {interface: eth0, gateway: 198.18.1.254, ";

  static Arguments row(String rule, String yaml, String... expected) {
    return Arguments.of(rule, yaml, List.of(expected));
  }

  static Stream<Arguments> rules() {
    String keys =
        "name, vrid, interface, priority, advert-interval, preempt, preempt-delay, accept-mode,"
            + " checksum, addresses, unicast-peers, unicast-source, accept-ttl, checks,"
            + " track-interfaces, hooks, auth, names, version, authentication, track-files, routes, rules";
    String unicast = "a unicast address (not unspecified, loopback, multicast or broadcast)";
    String cidr = "an address with prefix length, e.g. 198.18.0.50/24 or 2001:db8::50/64";
    String hostRule = "a host address, not the network or broadcast address of its prefix";
    String iface =
        "a Linux interface name: 1..15 bytes in UTF-8, no '/', ':' or whitespace, not '.' or '..'";
    String durationSyntax = "a number with unit ms, s, m or h, e.g. 100ms, 1s, 1.5s";
    return Stream.of(
        // ---- top level
        row(
            "empty file",
            "",
            "t.yaml:1:1: the file is empty; allowed: a mapping with keys node, nodes, announce, daemon,"
                + " dns, api, groups, sync-groups, links"),
        // ---- api (docs/API.md)
        row(
            "api: a LAN address without a token",
            top("api:\n  listen: [\"198.18.0.1:9180\"]\n"),
            "t.yaml:2:11: api.listen: an address other clients can reach needs a token; allowed: add"
                + " api.token-file, or listen on loopback only"),
        row(
            "api: not address:port",
            top("api:\n  listen: [localhost]\n"),
            "t.yaml:2:12: api.listen[0]: \"localhost\" is not address:port; allowed: a list of"
                + " address:port, e.g. 127.0.0.1:9180 or [2001:db8::1]:9180"),
        row(
            "api: tls-listen without tls",
            top("api:\n  tls-listen: [\"127.0.0.1:9443\"]\n"),
            "t.yaml:2:15: api.tls-listen: HTTPS addresses without a certificate; allowed: add api.tls"
                + " with certificate and key, or pkcs12 and password-file"),
        row(
            "api: tls with both forms",
            top(
                "api:\n  tls:\n    certificate: /c.pem\n    key: /k.pem\n    pkcs12: /s.p12\n"
                    + "    password-file: /p\n"),
            "t.yaml:3:5: api.tls: give either certificate and key (PEM) or pkcs12 (with"
                + " password-file); allowed: one of the two forms"),
        row(
            "api: a relative token-file",
            top("api:\n  token-file: token\n"),
            "t.yaml:2:15: api.token-file: \"token\" is not an absolute path; allowed: an absolute path,"
                + " e.g. /etc/takeover/api-token"),
        row(
            "api: a peer that is no URL",
            top("api:\n  peers: {beta: \"ftp://x\"}\n"),
            "t.yaml:2:17: api.peers.beta: \"ftp://x\" is not an http(s) URL with a host; allowed: a"
                + " mapping of node name to API URL, e.g. {beta: http://198.18.0.2:9180}"),
        row(
            "api: a webhook of an unknown event",
            top("api:\n  webhooks:\n    - url: http://198.18.0.9/\n      events: [nope]\n"),
            "t.yaml:4:16: api.webhooks[0].events[0]: \"nope\" is not an event type; allowed: a list of"
                + " event types: state.changed, advert.timeout, transition.timeline, engine.stall,"
                + " address.added, address.removed, address.failed, announce.burst,"
                + " address.conflict, conflict.detected, sync.changed, link.changed, hook.started,"
                + " hook.finished, check.up, check.down, config.reloaded, dns.update.sent,"
                + " dns.update.confirmed, dns.update.conflict, dns.update.retry,"
                + " dns.drift.repaired, daemon.started, daemon.stopped, link.path.changed,"
                + " route.changed, gateway.probe.changed, route.installed, route.removed, route.failed"),
        row(
            "api: a webhook without url, with a relative secret and a long timeout",
            top("api:\n  webhooks:\n    - secret-file: s\n      timeout: 2m\n"),
            "t.yaml:3:7: api.webhooks[0]: missing required key \"url\"; allowed: an http(s) URL, e.g."
                + " https://alerts.example.test/takeover",
            "t.yaml:3:20: api.webhooks[0].secret-file: \"s\" is not an absolute path; allowed: an"
                + " absolute path, e.g. /etc/takeover/api-token",
            "t.yaml:4:16: api.webhooks[0].timeout: \"2m\" is out of range; allowed: 100ms..1m"),
        row(
            "nodes: a name that is not one",
            top("nodes:\n  \"be ta\": 198.18.0.2\n"),
            "t.yaml:2:3: nodes: \"be ta\" is not a valid node name; allowed: 1..64 characters"
                + " from A-Z, a-z, 0-9, '.', '_', '-'"),
        row(
            "nodes: not an address",
            top("nodes:\n  beta: 198.18.0\n"),
            "t.yaml:2:9: nodes.beta: \"198.18.0\" is not an IP address; allowed: "
                + "a plain IPv4 or IPv6 address (the one the node advertises from), or a list of 1..8 of them"),
        row(
            "nodes: one address for two nodes",
            top("nodes:\n  beta: 198.18.0.2\n  gamma: [198.18.0.3, 198.18.0.2]\n"),
            "t.yaml:3:23: nodes.gamma[1]: 198.18.0.2 is already an address of beta; allowed: each"
                + " address once, for one node"),
        row(
            "nodes: not a mapping",
            top("nodes: [beta]\n"),
            "t.yaml:1:8: nodes: a list is not a mapping; allowed: a mapping of node names to an"
                + " address or a list of addresses, e.g. {beta: 198.18.0.2}"),
        row(
            "nodes: no address",
            top("nodes:\n  beta:\n"),
            "t.yaml:2:3: nodes.beta: has no value; allowed: a plain IPv4 or IPv6 address (the one the node advertises from), or a list of 1..8 of them"),
        row(
            "comments only",
            "# nothing\n",
            "t.yaml:1:1: the file is empty; allowed: a mapping with keys node, nodes, announce, daemon,"
                + " dns, api, groups, sync-groups, links"),
        row(
            "top level is a list",
            "- node: alpha\n",
            "t.yaml:1:1: a list is not a mapping; allowed: a mapping with keys node, nodes,"
                + " announce, daemon, dns, api, groups, sync-groups, links"),
        row(
            "top level is a scalar",
            "alpha\n",
            "t.yaml:1:1: \"alpha\" is not a mapping; allowed: a mapping with keys node, nodes,"
                + " announce, daemon, dns, api, groups, sync-groups, links"),
        row(
            "two documents",
            file(group()) + "---\nnode: beta\n",
            "t.yaml:8:1: a second YAML document; allowed: one document per file"),
        row(
            "unknown top-level key with suggestion",
            "daemn: x\n" + file(group()),
            "t.yaml:1:1: unknown key \"daemn\" (did you mean \"daemon\"?); allowed: node, nodes,"
                + " announce, daemon, dns, api, groups, sync-groups, links"),
        row(
            "unknown top-level key without suggestion",
            "colour: blue\n" + file(group()),
            "t.yaml:1:1: unknown key \"colour\"; allowed: node, nodes, announce, daemon, dns, api, groups, sync-groups, links"),
        row(
            "group key at top level",
            "vrid: 5\n" + file(group()),
            "t.yaml:1:1: unknown key \"vrid\" (it belongs in each entry of groups); allowed: node,"
                + " nodes, announce, daemon, dns, api, groups, sync-groups, links"),
        row(
            "duplicate key",
            "node: alpha\n" + file(group()),
            "t.yaml:2:1: duplicate key \"node\" (first at line 1); allowed: each key once"),
        // ---- node
        row(
            "node missing",
            "groups:\n" + group(),
            "t.yaml:1:1: missing required key \"node\"; allowed: 1..64 characters from A-Z, a-z,"
                + " 0-9, '.', '_', '-'"),
        row(
            "node without value",
            "node:\ngroups:\n" + group(),
            "t.yaml:1:1: node: has no value; allowed: 1..64 characters from A-Z, a-z, 0-9, '.',"
                + " '_', '-'"),
        row(
            "node with a space",
            "node: al pha\ngroups:\n" + group(),
            "t.yaml:1:7: node: \"al pha\" is not a valid name; allowed: 1..64 characters from A-Z,"
                + " a-z, 0-9, '.', '_', '-'"),
        row(
            "node 65 characters",
            "node: " + "a".repeat(65) + "\ngroups:\n" + group(),
            "t.yaml:1:7: node: \""
                + "a".repeat(65)
                + "\" is not a valid name; allowed: 1..64 characters from A-Z, a-z, 0-9, '.', '_',"
                + " '-'"),
        row(
            "node is a list",
            "node: [a]\ngroups:\n" + group(),
            "t.yaml:1:7: node: a list is not a single value; allowed: 1..64 characters from A-Z,"
                + " a-z, 0-9, '.', '_', '-'"),
        // ---- announce
        row(
            "announce not a mapping",
            top("announce: 5\n"),
            "t.yaml:1:11: announce: 5 is not a mapping; allowed: a mapping with keys garp-count,"
                + " garp-interval, garp-refresh, handover-hold"),
        row(
            "announce unknown key",
            top("announce:\n  garp_count: 3\n"),
            "t.yaml:2:3: announce: unknown key \"garp_count\" (did you mean \"garp-count\"?);"
                + " allowed: garp-count, garp-interval, garp-refresh, handover-hold"),
        row(
            "garp-count 0",
            top("announce:\n  garp-count: 0\n"),
            "t.yaml:2:15: announce.garp-count: 0 is out of range; allowed: 1..100"),
        row(
            "garp-count 101",
            top("announce:\n  garp-count: 101\n"),
            "t.yaml:2:15: announce.garp-count: 101 is out of range; allowed: 1..100"),
        row(
            "garp-count huge",
            top("announce:\n  garp-count: 99999999999999999999\n"),
            "t.yaml:2:15: announce.garp-count: 99999999999999999999 is out of range; allowed:"
                + " 1..100"),
        row(
            "garp-interval 9ms",
            top("announce:\n  garp-interval: 9ms\n"),
            "t.yaml:2:18: announce.garp-interval: \"9ms\" is out of range; allowed: 10ms..10s"),
        row(
            "garp-interval 11s",
            top("announce:\n  garp-interval: 11s\n"),
            "t.yaml:2:18: announce.garp-interval: \"11s\" is out of range; allowed: 10ms..10s"),
        row(
            "garp-refresh 500ms",
            top("announce:\n  garp-refresh: 500ms\n"),
            "t.yaml:2:17: announce.garp-refresh: \"500ms\" is out of range; allowed: 0s (off) or"
                + " 1s..1h"),
        row(
            "garp-refresh 61m",
            top("announce:\n  garp-refresh: 61m\n"),
            "t.yaml:2:17: announce.garp-refresh: \"61m\" is out of range; allowed: 0s (off) or"
                + " 1s..1h"),
        // ---- daemon
        row(
            "realtime-priority -1",
            top("daemon:\n  realtime-priority: -1\n"),
            "t.yaml:2:22: daemon.realtime-priority: -1 is out of range; allowed: 0..99"),
        row(
            "realtime-priority 100",
            top("daemon:\n  realtime-priority: 100\n"),
            "t.yaml:2:22: daemon.realtime-priority: 100 is out of range; allowed: 0..99"),
        row(
            "realtime-priority as text",
            top("daemon:\n  realtime-priority: high\n"),
            "t.yaml:2:22: daemon.realtime-priority: \"high\" is not an integer; allowed: 0..99"),
        row(
            "log-level unknown",
            top("daemon:\n  log-level: verbose\n"),
            "t.yaml:2:14: daemon.log-level: \"verbose\" is not a log level; allowed: error, warn,"
                + " info, debug, trace"),
        row(
            "log-level in capitals",
            top("daemon:\n  log-level: DEBUG\n"),
            "t.yaml:2:14: daemon.log-level: \"DEBUG\" is not a log level; allowed: error, warn,"
                + " info, debug, trace"),
        row(
            "state-dir relative",
            top("daemon:\n  state-dir: run/takeover\n"),
            "t.yaml:2:14: daemon.state-dir: \"run/takeover\" is not an absolute path; allowed: an"
                + " absolute path, e.g. /run/takeover"),
        // ---- groups
        row(
            "groups missing",
            "node: alpha\n",
            "t.yaml:1:1: missing required key \"groups\"; allowed: a list of 1..4096 groups"),
        row(
            "groups empty",
            "node: alpha\ngroups: []\n",
            "t.yaml:2:9: groups: an empty list; allowed: 1..4096 groups"),
        row(
            "groups not a list",
            "node: alpha\ngroups: web\n",
            "t.yaml:2:9: groups: \"web\" is not a list; allowed: a list of 1..4096 groups"),
        row(
            "group not a mapping",
            "node: alpha\ngroups:\n  - web\n",
            "t.yaml:3:5: groups[0]: \"web\" is not a mapping; allowed: a mapping with keys "
                + keys),
        row(
            "4097 groups",
            file(
                IntStream.range(0, 4097)
                    .mapToObj(
                        i ->
                            "  - {name: g"
                                + i
                                + ", vrid: "
                                + (i % 255 + 1)
                                + ", interface: e"
                                + (i / 255)
                                + ", addresses: [198.18."
                                + (i / 200)
                                + "."
                                + (i % 200 + 1)
                                + "/24]}\n")
                    .toArray(String[]::new)),
            "t.yaml:3:3: groups: 4097 groups; allowed: 1..4096 groups"),
        row(
            "unknown group key with suggestion",
            file(group("preempt-dely: 1s")),
            "t.yaml:7:5: groups[0]: unknown key \"preempt-dely\" (did you mean \"preempt-delay\"?);"
                + " allowed: "
                + keys),
        row(
            "camelCase group key",
            file(group("advertInterval: 1s")),
            "t.yaml:7:5: groups[0]: unknown key \"advertInterval\" (did you mean"
                + " \"advert-interval\"?); allowed: "
                + keys),
        row(
            "announce key in a group",
            file(group("garp-count: 3")),
            "t.yaml:7:5: groups[0]: unknown key \"garp-count\" (it belongs under announce);"
                + " allowed: "
                + keys),
        // ---- name
        row(
            "name missing",
            file(group("-name")),
            "t.yaml:3:5: groups[0]: missing required key \"name\"; allowed: 1..32 characters from"
                + " A-Z, a-z, 0-9, '.', '_', '-'"),
        row(
            "name 33 characters",
            file(group("name: " + "w".repeat(33))),
            "t.yaml:3:11: groups[0].name: \""
                + "w".repeat(33)
                + "\" is not a valid name; allowed: 1..32 characters from A-Z, a-z, 0-9, '.', '_',"
                + " '-'"),
        row(
            "name with slash",
            file(group("name: web/1")),
            "t.yaml:3:11: groups[0].name: \"web/1\" is not a valid name; allowed: 1..32 characters"
                + " from A-Z, a-z, 0-9, '.', '_', '-'"),
        row(
            "duplicate group name",
            file(group(), group("vrid: 52", "addresses: [198.18.0.51/24]")),
            "t.yaml:7:11: groups[1].name: \"web\" is already the name of groups[0] (line 3);"
                + " allowed: a name no other group has"),
        // ---- vrid
        row(
            "vrid missing",
            file(group("-vrid")),
            "t.yaml:3:5: groups[0]: missing required key \"vrid\"; allowed: an integer 1..255"),
        row(
            "vrid 0",
            file(group("vrid: 0")),
            "t.yaml:4:11: groups[0].vrid: 0 is out of range; allowed: 1..255"),
        row(
            "vrid 256",
            file(group("vrid: 256")),
            "t.yaml:4:11: groups[0].vrid: 256 is out of range; allowed: 1..255"),
        row(
            "vrid quoted",
            file(group("vrid: \"51\"")),
            "t.yaml:4:11: groups[0].vrid: \"51\" is not an integer; allowed: 1..255"),
        row(
            "vrid float",
            file(group("vrid: 51.5")),
            "t.yaml:4:11: groups[0].vrid: 51.5 is not an integer; allowed: 1..255"),
        row(
            "vrid without value",
            file(group("vrid:")),
            "t.yaml:4:5: groups[0].vrid: has no value; allowed: an integer 1..255"),
        row(
            "vrid twice on one interface and family",
            file(group(), group("name: db", "addresses: [198.18.0.51/24]")),
            "t.yaml:8:11: groups[1].vrid: 51 is already used on eth0 for IPv4 by group \"web\""
                + " (line 4); allowed: one group per VRID, interface and address family"),
        // ---- interface
        row(
            "interface missing",
            file(group("-interface")),
            "t.yaml:3:5: groups[0]: missing required key \"interface\"; allowed: " + iface),
        row(
            "interface 16 characters",
            file(group("interface: abcdefghijklmnop")),
            "t.yaml:5:16: groups[0].interface: \"abcdefghijklmnop\" is not a valid interface name"
                + " (16 bytes in UTF-8; at most 15); allowed: "
                + iface),
        row(
            "interface 15 characters, 30 bytes",
            file(group("interface: ééééééééééééééé")),
            "t.yaml:5:16: groups[0].interface: \"ééééééééééééééé\" is not a valid interface name"
                + " (30 bytes in UTF-8; at most 15); allowed: "
                + iface),
        row(
            "interface with a byte the kernel takes for a space",
            file(group("interface: eth-à")), // à is 0xC3 0xA0, and 0xA0 is isspace() in the kernel
            "t.yaml:5:16: groups[0].interface: \"eth-à\" is not a valid interface name; allowed: "
                + iface),
        row(
            "interface with slash",
            file(group("interface: eth0/1")),
            "t.yaml:5:16: groups[0].interface: \"eth0/1\" is not a valid interface name; allowed: "
                + iface),
        row(
            "interface alias label",
            file(group("interface: eth0:1")),
            "t.yaml:5:16: groups[0].interface: \"eth0:1\" is not a valid interface name; allowed: "
                + iface),
        row(
            "interface with space",
            file(group("interface: \"eth 0\"")),
            "t.yaml:5:16: groups[0].interface: \"eth 0\" is not a valid interface name; allowed: "
                + iface),
        row(
            "interface dot-dot",
            file(group("interface: ..")),
            "t.yaml:5:16: groups[0].interface: \"..\" is not a valid interface name; allowed: "
                + iface),
        // ---- priority
        row(
            "priority 0",
            file(group("priority: 0")),
            "t.yaml:7:15: groups[0].priority: 0 is out of range; allowed: 1..255"),
        row(
            "priority 256",
            file(group("priority: 256")),
            "t.yaml:7:15: groups[0].priority: 256 is out of range; allowed: 1..255"),
        // ---- advert-interval (RFC 5798 §5.2.7)
        row(
            "advert-interval 0ms",
            file(group("advert-interval: 0ms")),
            "t.yaml:7:22: groups[0].advert-interval: \"0ms\" is out of range; allowed: 10ms..40.95s"
                + " in steps of 10ms"),
        row(
            "advert-interval 15ms",
            file(group("advert-interval: 15ms")),
            "t.yaml:7:22: groups[0].advert-interval: \"15ms\" is not a multiple of 10ms; allowed:"
                + " 10ms..40.95s in steps of 10ms"),
        row(
            "advert-interval 40.96s",
            file(group("advert-interval: 40.96s")),
            "t.yaml:7:22: groups[0].advert-interval: \"40.96s\" is out of range; allowed:"
                + " 10ms..40.95s in steps of 10ms"),
        row(
            "advert-interval bad unit",
            file(group("advert-interval: 100us")),
            "t.yaml:7:22: groups[0].advert-interval: \"100us\" has an unknown unit; allowed: "
                + durationSyntax),
        row(
            "advert-interval no unit",
            file(group("advert-interval: 1")),
            "t.yaml:7:22: groups[0].advert-interval: 1 has no unit; allowed: " + durationSyntax),
        row(
            "advert-interval negative",
            file(group("advert-interval: -1s")),
            "t.yaml:7:22: groups[0].advert-interval: \"-1s\" is not a duration; allowed: "
                + durationSyntax),
        row(
            "advert-interval below 1ms",
            file(group("advert-interval: 0.5ms")),
            "t.yaml:7:22: groups[0].advert-interval: \"0.5ms\" is finer than 1ms; allowed: "
                + durationSyntax),
        row(
            "advert-interval boolean",
            file(group("advert-interval: true")),
            "t.yaml:7:22: groups[0].advert-interval: true is not a duration; allowed: "
                + durationSyntax),
        // ---- preempt, preempt-delay, accept-mode
        row(
            "preempt not a boolean",
            file(group("preempt: sometimes")),
            "t.yaml:7:14: groups[0].preempt: \"sometimes\" is not a boolean; allowed: true or"
                + " false"),
        row(
            "preempt-delay over 1h",
            file(group("preempt-delay: 61m")),
            "t.yaml:7:20: groups[0].preempt-delay: \"61m\" is out of range; allowed: 0s..1h"),
        row(
            "preempt-delay without preempt",
            file(group("preempt: false", "preempt-delay: 5s")),
            "t.yaml:8:20: groups[0].preempt-delay: \"5s\" needs preempt: true, but preempt is"
                + " false; allowed: 0s, or set preempt: true"),
        row(
            "accept-mode quoted",
            file(group("accept-mode: \"true\"")),
            "t.yaml:7:18: groups[0].accept-mode: \"true\" is not a boolean; allowed: true or"
                + " false"),
        // RFC 5798 §6.1 Accept_Mode: Takeover always accepts, so false is an error (DECISIONS.md).
        row(
            "accept-mode false",
            file(group("accept-mode: false")),
            "t.yaml:7:18: groups[0].accept-mode: false is not supported: Takeover always accepts"
                + " packets for its virtual addresses (Accept_Mode true, RFC 5798 §6.1), which"
                + " services on the master need; allowed: true, or remove the key"),
        row(
            "accept-mode no (YAML 1.1 false)",
            file(group("accept-mode: no")),
            "t.yaml:7:18: groups[0].accept-mode: no is not supported: Takeover always accepts"
                + " packets for its virtual addresses (Accept_Mode true, RFC 5798 §6.1), which"
                + " services on the master need; allowed: true, or remove the key"),
        // ---- checksum
        row(
            "checksum typo",
            file(group("checksum: rfc5789")),
            "t.yaml:7:15: groups[0].checksum: \"rfc5789\" is not a checksum mode (did you mean"
                + " \"rfc5798\"?); allowed: rfc5798, rfc9568"),
        row(
            "checksum unknown",
            file(group("checksum: none")),
            "t.yaml:7:15: groups[0].checksum: \"none\" is not a checksum mode; allowed: rfc5798,"
                + " rfc9568"),
        // ---- addresses
        row(
            "addresses missing",
            file(group("-addresses")),
            "t.yaml:3:5: groups[0]: missing required key \"addresses\"; allowed: a list of 1..20"
                + " addresses, e.g. [198.18.0.50/24]"),
        row(
            "addresses empty",
            file(group("addresses: []")),
            "t.yaml:6:16: groups[0].addresses: an empty list; allowed: 1..20 addresses per group"),
        row(
            "addresses a single string",
            file(group("addresses: 198.18.0.50/24")),
            "t.yaml:6:16: groups[0].addresses: \"198.18.0.50/24\" is not a list; allowed: a list of"
                + " 1..20 addresses, e.g. [198.18.0.50/24]"),
        row(
            "21 addresses",
            file(
                group(
                    "addresses: ["
                        + IntStream.rangeClosed(1, 21)
                            .mapToObj(i -> "198.18.0." + i + "/24")
                            .collect(Collectors.joining(", "))
                        + "]")),
            "t.yaml:6:16: groups[0].addresses: 21 addresses; allowed: 1..20 addresses per group"),
        row(
            "address without prefix",
            file(group("addresses: [198.18.0.50]")),
            "t.yaml:6:17: groups[0].addresses[0]: \"198.18.0.50\" has no prefix length; allowed: "
                + cidr
                + " (/24 or /32 for a single host)"),
        row(
            "IPv6 address without prefix",
            file(group("addresses: [\"2001:db8::50\"]")),
            "t.yaml:6:17: groups[0].addresses[0]: \"2001:db8::50\" has no prefix length; allowed: "
                + cidr
                + " (/64 or /128 for a single host)"),
        row(
            "address not an IP",
            file(group("addresses: [web.example/24]")),
            "t.yaml:6:17: groups[0].addresses[0]: \"web.example/24\" is not an IP address; allowed:"
                + " "
                + cidr),
        row(
            "address in short dotted form",
            file(group("addresses: [198.18.50/24]")),
            "t.yaml:6:17: groups[0].addresses[0]: \"198.18.50/24\" is not an IP address; allowed: "
                + cidr),
        row(
            "address with leading zero",
            file(group("addresses: [198.18.0.050/24]")),
            "t.yaml:6:17: groups[0].addresses[0]: \"198.18.0.050/24\" is not an IP address;"
                + " allowed: "
                + cidr),
        row(
            "IPv4-mapped IPv6 address",
            file(group("addresses: [\"::ffff:198.18.0.50/128\"]")),
            "t.yaml:6:17: groups[0].addresses[0]: \"::ffff:198.18.0.50/128\" is an IPv4-mapped IPv6"
                + " address; allowed: "
                + cidr),
        row(
            "address with zone",
            file(group("addresses: [\"fe80::1%eth0/64\"]")),
            "t.yaml:6:17: groups[0].addresses[0]: \"fe80::1%eth0/64\" has a zone index; allowed: "
                + cidr),
        row(
            "address an integer",
            file(group("addresses: [5]")),
            "t.yaml:6:17: groups[0].addresses[0]: 5 is not an address; allowed: " + cidr),
        row(
            "prefix 33",
            file(group("addresses: [198.18.0.50/33]")),
            "t.yaml:6:17: groups[0].addresses[0]: \"198.18.0.50/33\" has prefix length \"33\";"
                + " allowed: 1..32 for IPv4"),
        row(
            "prefix 0",
            file(group("addresses: [198.18.0.50/0]")),
            "t.yaml:6:17: groups[0].addresses[0]: \"198.18.0.50/0\" has prefix length \"0\";"
                + " allowed: 1..32 for IPv4"),
        row(
            "prefix 129",
            file(group("addresses: [\"2001:db8::50/129\"]")),
            "t.yaml:6:17: groups[0].addresses[0]: \"2001:db8::50/129\" has prefix length \"129\";"
                + " allowed: 1..128 for IPv6"),
        row(
            "network address",
            file(group("addresses: [198.18.0.0/24]")),
            "t.yaml:6:17: groups[0].addresses[0]: \"198.18.0.0/24\" is the network address of"
                + " 198.18.0.0/24; allowed: "
                + hostRule),
        row(
            "broadcast address",
            file(group("addresses: [198.18.0.255/24]")),
            "t.yaml:6:17: groups[0].addresses[0]: \"198.18.0.255/24\" is the broadcast address of"
                + " 198.18.0.0/24; allowed: "
                + hostRule),
        row(
            "broadcast address /30",
            file(group("addresses: [198.18.0.7/30]")),
            "t.yaml:6:17: groups[0].addresses[0]: \"198.18.0.7/30\" is the broadcast address of"
                + " 198.18.0.4/30; allowed: "
                + hostRule),
        row(
            "multicast address",
            file(group("addresses: [224.0.0.18/32]")),
            "t.yaml:6:17: groups[0].addresses[0]: \"224.0.0.18/32\" is a multicast address;"
                + " allowed: "
                + unicast),
        row(
            "IPv6 multicast address",
            file(group("addresses: [\"ff02::12/128\"]")),
            "t.yaml:6:17: groups[0].addresses[0]: \"ff02::12/128\" is a multicast address; allowed:"
                + " "
                + unicast),
        row(
            "loopback address",
            file(group("addresses: [127.0.0.2/8]")),
            "t.yaml:6:17: groups[0].addresses[0]: \"127.0.0.2/8\" is a loopback address; allowed: "
                + unicast),
        row(
            "IPv6 loopback address",
            file(group("addresses: [\"::1/128\"]")),
            "t.yaml:6:17: groups[0].addresses[0]: \"::1/128\" is a loopback address; allowed: "
                + unicast),
        row(
            "unspecified address",
            file(group("addresses: [0.0.0.0/32]")),
            "t.yaml:6:17: groups[0].addresses[0]: \"0.0.0.0/32\" is the unspecified address;"
                + " allowed: "
                + unicast),
        row(
            "limited broadcast",
            file(group("addresses: [255.255.255.255/32]")),
            "t.yaml:6:17: groups[0].addresses[0]: \"255.255.255.255/32\" is the limited broadcast"
                + " address; allowed: "
                + unicast),
        row(
            "mixed families",
            file(group("addresses: [198.18.0.50/24, \"2001:db8::50/64\"]")),
            "t.yaml:6:33: groups[0].addresses[1]: 2001:db8::50/64 is IPv6 but 198.18.0.50/24 (line"
                + " 6) is IPv4; allowed: one address family per group (use a second group for the"
                + " other family)"),
        row(
            "duplicate address in a group",
            file(group("addresses: [198.18.0.50/24, 198.18.0.50/25]")),
            "t.yaml:6:33: groups[0].addresses[1]: 198.18.0.50 is already listed at addresses[0]"
                + " (line 6); allowed: each address once"),
        row(
            "same VIP in two groups",
            file(group(), group("name: db", "vrid: 52")),
            "t.yaml:10:17: groups[1].addresses[0]: 198.18.0.50 is already a virtual address of"
                + " group \"web\" (line 6); allowed: each virtual address in one group only"),
        // ---- unicast-peers, unicast-source
        row(
            "unicast-peers empty",
            file(group("unicast-peers: []")),
            "t.yaml:7:20: groups[0].unicast-peers: an empty list; allowed: at least one peer, or"
                + " leave the key out for multicast"),
        row(
            "unicast peer with prefix",
            file(group("unicast-peers: [198.18.0.2/24]")),
            "t.yaml:7:21: groups[0].unicast-peers[0]: \"198.18.0.2/24\" has a prefix length;"
                + " allowed: a plain IPv4 address, e.g. 198.18.0.2"),
        row(
            "unicast peer of the other family",
            file(group("unicast-peers: [\"2001:db8::2\"]")),
            "t.yaml:7:21: groups[0].unicast-peers[0]: \"2001:db8::2\" is IPv6 but the group's"
                + " addresses are IPv4; allowed: a plain IPv4 address, e.g. 198.18.0.2"),
        row(
            "unicast peer multicast",
            file(group("unicast-peers: [224.0.0.18]")),
            "t.yaml:7:21: groups[0].unicast-peers[0]: \"224.0.0.18\" is a multicast address;"
                + " allowed: "
                + unicast),
        row(
            "unicast peer not an IP",
            file(group("unicast-peers: [beta]")),
            "t.yaml:7:21: groups[0].unicast-peers[0]: \"beta\" is not an IP address; allowed: a"
                + " plain IPv4 address, e.g. 198.18.0.2"),
        row(
            "unicast peer twice",
            file(group("unicast-peers: [198.18.0.2, 198.18.0.2]")),
            "t.yaml:7:33: groups[0].unicast-peers[1]: 198.18.0.2 is already listed at"
                + " unicast-peers[0]; allowed: each peer once"),
        row(
            "unicast peer is a VIP",
            file(group("unicast-peers: [198.18.0.50]")),
            "t.yaml:7:21: groups[0].unicast-peers[0]: \"198.18.0.50\" is a virtual address of this"
                + " group (line 6); allowed: an address that stays on its node, not a virtual"
                + " address"),
        row(
            "unicast-source without peers",
            file(group("unicast-source: 198.18.0.1")),
            "t.yaml:7:21: groups[0].unicast-source: \"198.18.0.1\" is set without unicast-peers;"
                + " allowed: only together with unicast-peers"),
        row(
            "unicast-source of the other family",
            file(group("unicast-peers: [198.18.0.2]", "unicast-source: \"2001:db8::1\"")),
            "t.yaml:8:21: groups[0].unicast-source: \"2001:db8::1\" is IPv6 but the group's"
                + " addresses are IPv4; allowed: a plain IPv4 address, e.g. 198.18.0.2"),
        row(
            "unicast-source is a peer",
            file(group("unicast-peers: [198.18.0.2]", "unicast-source: 198.18.0.2")),
            "t.yaml:8:21: groups[0].unicast-source: 198.18.0.2 is also listed in unicast-peers;"
                + " allowed: an address of this node, not of a peer"),
        row(
            "accept-ttl without peers",
            file(group("accept-ttl: 250-255")),
            "t.yaml:7:17: groups[0].accept-ttl: \"250-255\" is set without unicast-peers: only"
                + " adverts from listed peers may come through routers (RFC 5798 §7.1 requires"
                + " TTL 255 otherwise); allowed: only together with unicast-peers"),
        row(
            "accept-ttl backwards",
            file(group("unicast-peers: [198.18.0.2]", "accept-ttl: 255-250")),
            "t.yaml:8:17: groups[0].accept-ttl: \"255-250\" is out of range; allowed: a TTL range"
                + " MIN-MAX within 1..255, e.g. 250-255 (peers up to 5 routers away)"),
        // ---- checks, track-interfaces, hooks (line 7: the key; line 8 on: its entries)
        row(
            "checks not a list",
            file(group("checks: web")),
            "t.yaml:7:13: groups[0].checks: \"web\" is not a list; allowed: a list of 0..16 "
                + "checks"),
        row(
            "17 checks",
            file(
                group(
                    "checks: ["
                        + IntStream.rangeClosed(1, 17)
                            .mapToObj(i -> "{name: c" + i + ", type: tcp, host: h, port: 1}")
                            .collect(Collectors.joining(", "))
                        + "]")),
            "t.yaml:7:13: groups[0].checks: 17 checks; allowed: 0..16 checks per group"),
        row(
            "check not a mapping",
            file(group("checks: [web]")),
            "t.yaml:7:14: groups[0].checks[0]: \"web\" is not a mapping; allowed: a mapping "
                + "with keys name, type, interval, timeout, rise, fall, weight and those of its "
                + "type"),
        row(
            "check name missing",
            file(group("checks:\n      - type: tcp\n        host: 198.18.0.1\n        port: 80")),
            "t.yaml:8:9: groups[0].checks[0]: missing required key \"name\"; allowed: 1..32 "
                + "characters from A-Z, a-z, 0-9, '.', '_', '-'"),
        row(
            "check name bad",
            file(
                group(
                    "checks:\n      - name: web/http\n        type: tcp\n        host: 198.18.0.1\n"
                        + "        port: 80")),
            "t.yaml:8:15: groups[0].checks[0].name: \"web/http\" is not a valid name; allowed: "
                + "1..32 characters from A-Z, a-z, 0-9, '.', '_', '-'"),
        row(
            "check name duplicate",
            file(
                group(
                    "checks:\n      - {name: web, type: tcp, host: 198.18.0.1, port: 80}\n"
                        + "      - {name: web, type: tcp, host: 198.18.0.1, port: 81}")),
            "t.yaml:9:16: groups[0].checks[1].name: \"web\" is already the name of checks[0] "
                + "(line 8); allowed: a name no other check of this group has"),
        row(
            "type missing",
            file(group(check("host: 198.18.0.1"))),
            "t.yaml:8:9: groups[0].checks[0]: missing required key \"type\"; allowed: tcp, "
                + "http, dns, dhcp, script"),
        row(
            "type unknown typo",
            file(group(check("type: htpp", "url: http://198.18.0.1/"))),
            "t.yaml:9:15: groups[0].checks[0].type: \"htpp\" is not a check type (did you mean "
                + "\"http\"?); allowed: tcp, http, dns, dhcp, script"),
        row(
            "type unknown",
            file(group(check("type: icmp"))),
            "t.yaml:9:15: groups[0].checks[0].type: \"icmp\" is not a check type; allowed: tcp, "
                + "http, dns, dhcp, script"),
        row(
            "unknown key in check",
            file(group(check("type: tcp", "host: 198.18.0.1", "port: 80", "intervall: 2s"))),
            "t.yaml:12:9: groups[0].checks[0]: unknown key \"intervall\" (did you mean "
                + "\"interval\"?); allowed: name, type, interval, timeout, rise, fall, weight, "
                + "host, port"),
        row(
            "key of other type",
            file(group(check("type: tcp", "host: 198.18.0.1", "port: 80", "url: http://x/"))),
            "t.yaml:12:9: groups[0].checks[0]: unknown key \"url\" (it belongs in checks of "
                + "type http); allowed: name, type, interval, timeout, rise, fall, weight, "
                + "host, port"),
        row(
            "interval 99ms",
            file(group(check("type: tcp", "host: 198.18.0.1", "port: 80", "interval: 99ms"))),
            "t.yaml:12:19: groups[0].checks[0].interval: \"99ms\" is out of range; allowed: "
                + "100ms..1h"),
        row(
            "interval 2h",
            file(group(check("type: tcp", "host: 198.18.0.1", "port: 80", "interval: 2h"))),
            "t.yaml:12:19: groups[0].checks[0].interval: \"2h\" is out of range; allowed: "
                + "100ms..1h"),
        row(
            "timeout 9ms",
            file(group(check("type: tcp", "host: 198.18.0.1", "port: 80", "timeout: 9ms"))),
            "t.yaml:12:18: groups[0].checks[0].timeout: \"9ms\" is out of range; allowed: "
                + "10ms..1m"),
        row(
            "timeout 61s",
            file(
                group(
                    check(
                        "type: tcp",
                        "host: 198.18.0.1",
                        "port: 80",
                        "interval: 2m",
                        "timeout: 61s"))),
            "t.yaml:13:18: groups[0].checks[0].timeout: \"61s\" is out of range; allowed: "
                + "10ms..1m"),
        row(
            "timeout equal interval",
            file(
                group(
                    check(
                        "type: tcp",
                        "host: 198.18.0.1",
                        "port: 80",
                        "interval: 2s",
                        "timeout: 2s"))),
            "t.yaml:13:18: groups[0].checks[0].timeout: \"2s\" is not shorter than the interval "
                + "(2s); allowed: 10ms..1m, less than interval"),
        row(
            "rise 0",
            file(group(check("type: tcp", "host: 198.18.0.1", "port: 80", "rise: 0"))),
            "t.yaml:12:15: groups[0].checks[0].rise: 0 is out of range; allowed: 1..100"),
        row(
            "fall 101",
            file(group(check("type: tcp", "host: 198.18.0.1", "port: 80", "fall: 101"))),
            "t.yaml:12:15: groups[0].checks[0].fall: 101 is out of range; allowed: 1..100"),
        row(
            "weight typo",
            file(group(check("type: tcp", "host: 198.18.0.1", "port: 80", "weight: falt"))),
            "t.yaml:12:17: groups[0].checks[0].weight: \"falt\" is not a weight (did you mean "
                + "\"fault\"?); allowed: fault, or an integer -254..254 added to the priority"),
        row(
            "weight 255",
            file(group(check("type: tcp", "host: 198.18.0.1", "port: 80", "weight: 255"))),
            "t.yaml:12:17: groups[0].checks[0].weight: 255 is out of range; allowed: fault, or "
                + "an integer -254..254 added to the priority"),
        row(
            "weight -255",
            file(group(check("type: tcp", "host: 198.18.0.1", "port: 80", "weight: -255"))),
            "t.yaml:12:17: groups[0].checks[0].weight: -255 is out of range; allowed: fault, or "
                + "an integer -254..254 added to the priority"),
        row(
            "weight float",
            file(group(check("type: tcp", "host: 198.18.0.1", "port: 80", "weight: 1.5"))),
            "t.yaml:12:17: groups[0].checks[0].weight: 1.5 is not a weight; allowed: fault, or "
                + "an integer -254..254 added to the priority"),
        row(
            "weight bool",
            file(group(check("type: tcp", "host: 198.18.0.1", "port: 80", "weight: true"))),
            "t.yaml:12:17: groups[0].checks[0].weight: true is not a weight; allowed: fault, or "
                + "an integer -254..254 added to the priority"),
        row(
            "tcp host missing",
            file(group(check("type: tcp", "port: 80"))),
            "t.yaml:8:9: groups[0].checks[0]: missing required key \"host\"; allowed: a host "
                + "name or IP address, e.g. 198.18.0.1 or web.example.test"),
        row(
            "tcp port missing",
            file(group(check("type: tcp", "host: 198.18.0.1"))),
            "t.yaml:8:9: groups[0].checks[0]: missing required key \"port\"; allowed: an "
                + "integer 1..65535"),
        row(
            "tcp port 0",
            file(group(check("type: tcp", "host: 198.18.0.1", "port: 0"))),
            "t.yaml:11:15: groups[0].checks[0].port: 0 is out of range; allowed: 1..65535"),
        row(
            "tcp port 65536",
            file(group(check("type: tcp", "host: 198.18.0.1", "port: 65536"))),
            "t.yaml:11:15: groups[0].checks[0].port: 65536 is out of range; allowed: 1..65535"),
        row(
            "tcp host with port",
            file(group(check("type: tcp", "host: \"198.18.0.1:80\"", "port: 80"))),
            "t.yaml:10:15: groups[0].checks[0].host: \"198.18.0.1:80\" is not an IP address; "
                + "allowed: a host name or IP address, e.g. 198.18.0.1 or web.example.test"),
        row(
            "tcp host short ipv4",
            file(group(check("type: tcp", "host: 198.18.1", "port: 80"))),
            "t.yaml:10:15: groups[0].checks[0].host: \"198.18.1\" is not an IP address; "
                + "allowed: a host name or IP address, e.g. 198.18.0.1 or web.example.test"),
        row(
            "tcp host bad name",
            file(group(check("type: tcp", "host: web_1.example", "port: 80"))),
            "t.yaml:10:15: groups[0].checks[0].host: \"web_1.example\" is not a valid host "
                + "name; allowed: a host name or IP address, e.g. 198.18.0.1 or web.example.test"),
        row(
            "tcp host multicast",
            file(group(check("type: tcp", "host: 224.0.0.1", "port: 80"))),
            "t.yaml:10:15: groups[0].checks[0].host: \"224.0.0.1\" is a multicast address; "
                + "allowed: a host name or IP address, e.g. 198.18.0.1 or web.example.test"),
        row(
            "http url missing",
            file(group(check("type: http"))),
            "t.yaml:8:9: groups[0].checks[0]: missing required key \"url\"; allowed: an http:// "
                + "or https:// URL, e.g. http://198.18.0.1:8080/health"),
        row(
            "http url ftp",
            file(group(check("type: http", "url: ftp://198.18.0.1/x"))),
            "t.yaml:10:14: groups[0].checks[0].url: \"ftp://198.18.0.1/x\" has scheme \"ftp\"; "
                + "allowed: an http:// or https:// URL, e.g. http://198.18.0.1:8080/health"),
        row(
            "http url no scheme",
            file(group(check("type: http", "url: 198.18.0.1/health"))),
            "t.yaml:10:14: groups[0].checks[0].url: \"198.18.0.1/health\" has no scheme; "
                + "allowed: an http:// or https:// URL, e.g. http://198.18.0.1:8080/health"),
        row(
            "http url bad",
            file(group(check("type: http", "url: \"http://198.18.0.1/a b\""))),
            "t.yaml:10:14: groups[0].checks[0].url: \"http://198.18.0.1/a b\" is not a URL "
                + "(Illegal character in path); allowed: an http:// or https:// URL, e.g. "
                + "http://198.18.0.1:8080/health"),
        row(
            "http url no host",
            file(group(check("type: http", "url: \"http:///health\""))),
            "t.yaml:10:14: groups[0].checks[0].url: \"http:///health\" has no valid host; "
                + "allowed: an http:// or https:// URL, e.g. http://198.18.0.1:8080/health"),
        row(
            "http url port 0",
            file(group(check("type: http", "url: \"http://198.18.0.1:0/\""))),
            "t.yaml:10:14: groups[0].checks[0].url: \"http://198.18.0.1:0/\" has port 0; "
                + "allowed: an http:// or https:// URL, e.g. http://198.18.0.1:8080/health, "
                + "port 1..65535"),
        row(
            "http url port 70000",
            file(group(check("type: http", "url: \"http://198.18.0.1:70000/\""))),
            "t.yaml:10:14: groups[0].checks[0].url: \"http://198.18.0.1:70000/\" has port "
                + "70000; allowed: an http:// or https:// URL, e.g. "
                + "http://198.18.0.1:8080/health, port 1..65535"),
        row(
            "expect-status 600",
            file(group(check("type: http", "url: http://198.18.0.1/", "expect-status: 600"))),
            "t.yaml:11:24: groups[0].checks[0].expect-status: 600 is out of range; allowed: a "
                + "status 100..599 or a range of them, e.g. 200 or \"200-399\""),
        row(
            "expect-status range reversed",
            file(
                group(
                    check("type: http", "url: http://198.18.0.1/", "expect-status: \"399-200\""))),
            "t.yaml:11:24: groups[0].checks[0].expect-status: \"399-200\" is an empty range; "
                + "allowed: a status 100..599 or a range of them, e.g. 200 or \"200-399\""),
        row(
            "expect-status range out",
            file(
                group(
                    check("type: http", "url: http://198.18.0.1/", "expect-status: \"200-700\""))),
            "t.yaml:11:24: groups[0].checks[0].expect-status: \"200-700\" is out of range; "
                + "allowed: a status 100..599 or a range of them, e.g. 200 or \"200-399\""),
        row(
            "expect-status 99",
            file(group(check("type: http", "url: http://198.18.0.1/", "expect-status: 99"))),
            "t.yaml:11:24: groups[0].checks[0].expect-status: 99 is out of range; allowed: a "
                + "status 100..599 or a range of them, e.g. 200 or \"200-399\""),
        row(
            "expect-status text",
            file(group(check("type: http", "url: http://198.18.0.1/", "expect-status: ok"))),
            "t.yaml:11:24: groups[0].checks[0].expect-status: \"ok\" is not a status or range; "
                + "allowed: a status 100..599 or a range of them, e.g. 200 or \"200-399\""),
        row(
            "expect-status list",
            file(group(check("type: http", "url: http://198.18.0.1/", "expect-status: [200]"))),
            "t.yaml:11:24: groups[0].checks[0].expect-status: a list is not a status or range; "
                + "allowed: a status 100..599 or a range of them, e.g. 200 or \"200-399\""),
        row(
            "body-match bad",
            file(group(check("type: http", "url: http://198.18.0.1/", "body-match: \"ok(\""))),
            "t.yaml:11:21: groups[0].checks[0].body-match: \"ok(\" is not a valid regular "
                + "expression (Unclosed group at index 3); allowed: a Java regular expression, "
                + "searched for anywhere in the body"),
        row(
            "insecure-tls not bool",
            file(group(check("type: http", "url: https://198.18.0.1/", "insecure-tls: maybe"))),
            "t.yaml:11:23: groups[0].checks[0].insecure-tls: \"maybe\" is not a boolean; "
                + "allowed: true or false"),
        row(
            "dns server missing",
            file(group(check("type: dns", "query: www.example.test"))),
            "t.yaml:8:9: groups[0].checks[0]: missing required key \"server\"; allowed: an IP "
                + "address, e.g. 198.18.0.53"),
        row(
            "dns server name",
            file(group(check("type: dns", "server: ns.example.test", "query: www.example.test"))),
            "t.yaml:10:17: groups[0].checks[0].server: \"ns.example.test\" is not an IP "
                + "address; allowed: an IP address, e.g. 198.18.0.53"),
        row(
            "dns server with prefix",
            file(group(check("type: dns", "server: 198.18.0.53/24", "query: www.example.test"))),
            "t.yaml:10:17: groups[0].checks[0].server: \"198.18.0.53/24\" has a prefix length; "
                + "allowed: an IP address, e.g. 198.18.0.53"),
        row(
            "dns server unspecified",
            file(group(check("type: dns", "server: 0.0.0.0", "query: www.example.test"))),
            "t.yaml:10:17: groups[0].checks[0].server: \"0.0.0.0\" is the unspecified address; "
                + "allowed: an IP address, e.g. 198.18.0.53"),
        row(
            "dns query missing",
            file(group(check("type: dns", "server: 198.18.0.53"))),
            "t.yaml:8:9: groups[0].checks[0]: missing required key \"query\"; allowed: a domain "
                + "name, e.g. www.example.test"),
        row(
            "dns query bad",
            file(group(check("type: dns", "server: 198.18.0.53", "query: \"www..example\""))),
            "t.yaml:11:16: groups[0].checks[0].query: \"www..example\" is not a valid domain "
                + "name; allowed: a domain name, e.g. www.example.test"),
        row(
            "dns record-type bad",
            file(
                group(
                    check(
                        "type: dns",
                        "server: 198.18.0.53",
                        "query: www.example.test",
                        "record-type: ANY"))),
            "t.yaml:12:22: groups[0].checks[0].record-type: \"ANY\" is not a supported record "
                + "type; allowed: A, AAAA, CNAME, MX, TXT, NS, SOA, PTR, SRV"),
        row(
            "dns expect for MX",
            file(
                group(
                    check(
                        "type: dns",
                        "server: 198.18.0.53",
                        "query: example.test",
                        "record-type: MX",
                        "expect: 198.18.0.80"))),
            "t.yaml:13:17: groups[0].checks[0].expect: \"198.18.0.80\" is set for record-type "
                + "MX; allowed: only with record-type A or AAAA"),
        row(
            "dns expect family",
            file(
                group(
                    check(
                        "type: dns",
                        "server: 198.18.0.53",
                        "query: www.example.test",
                        "expect: \"2001:db8::80\""))),
            "t.yaml:12:17: groups[0].checks[0].expect: \"2001:db8::80\" is IPv6; allowed: an "
                + "IPv4 address for record-type A"),
        row(
            "dns expect AAAA v4",
            file(
                group(
                    check(
                        "type: dns",
                        "server: 198.18.0.53",
                        "query: www.example.test",
                        "record-type: aaaa",
                        "expect: 198.18.0.80"))),
            "t.yaml:13:17: groups[0].checks[0].expect: \"198.18.0.80\" is IPv4; allowed: an "
                + "IPv6 address for record-type AAAA"),
        row(
            "dns port 0",
            file(
                group(
                    check(
                        "type: dns", "server: 198.18.0.53", "port: 0", "query: www.example.test"))),
            "t.yaml:11:15: groups[0].checks[0].port: 0 is out of range; allowed: 1..65535"),
        row(
            "dhcp server v6",
            file(group(check("type: dhcp", "server: \"2001:db8::67\""))),
            "t.yaml:10:17: groups[0].checks[0].server: \"2001:db8::67\" is IPv6; allowed: an "
                + "IPv4 address (DHCPv4), e.g. 198.18.0.67"),
        row(
            "dhcp interface bad",
            file(group(check("type: dhcp", "server: 198.18.0.67", "interface: eth0:1"))),
            "t.yaml:11:20: groups[0].checks[0].interface: \"eth0:1\" is not a valid interface "
                + "name; allowed: a Linux interface name: 1..15 bytes in UTF-8, no '/', ':' or "
                + "whitespace, not '.' or '..'"),
        row(
            "dhcp server broadcast",
            file(group(check("type: dhcp", "server: 255.255.255.255"))),
            "t.yaml:10:17: groups[0].checks[0].server: \"255.255.255.255\" is the limited "
                + "broadcast address; allowed: an IPv4 address (DHCPv4), e.g. 198.18.0.67"),
        row(
            "script command missing",
            file(group(check("type: script"))),
            "t.yaml:8:9: groups[0].checks[0]: missing required key \"command\"; allowed: a "
                + "non-empty list: the program's absolute path, then its arguments, e.g. "
                + "[/usr/local/bin/check-web, --fast]"),
        row(
            "script command empty",
            file(group(check("type: script", "command: []"))),
            "t.yaml:10:18: groups[0].checks[0].command: an empty list; allowed: a non-empty "
                + "list: the program's absolute path, then its arguments, e.g. "
                + "[/usr/local/bin/check-web, --fast]"),
        row(
            "script command relative",
            file(group(check("type: script", "command: [check-web, --fast]"))),
            "t.yaml:10:19: groups[0].checks[0].command[0]: \"check-web\" is not an absolute "
                + "path; allowed: the program's absolute path, e.g. /usr/local/bin/check-web "
                + "(no shell, no PATH lookup)"),
        row(
            "script command not list",
            file(group(check("type: script", "command: /usr/local/bin/check-web"))),
            "t.yaml:10:18: groups[0].checks[0].command: \"/usr/local/bin/check-web\" is not a "
                + "list; allowed: a non-empty list: the program's absolute path, then its "
                + "arguments, e.g. [/usr/local/bin/check-web, --fast]"),
        row(
            "script command nested",
            file(group(check("type: script", "command: [/usr/local/bin/check-web, [a]]"))),
            "t.yaml:10:45: groups[0].checks[0].command[1]: a list is not a single value; "
                + "allowed: text, e.g. --fast"),
        row(
            "script command null arg",
            file(group(check("type: script", "command: [/usr/local/bin/check-web, null]"))),
            "t.yaml:10:45: groups[0].checks[0].command[1]: an empty value is not a single "
                + "value; allowed: text, e.g. --fast"),
        row(
            "script env reserved",
            file(
                group(
                    check(
                        "type: script",
                        "command: [/usr/local/bin/check-web]",
                        "env: {TAKEOVER_GROUP: x}"))),
            "t.yaml:11:15: groups[0].checks[0].env: \"TAKEOVER_GROUP\" starts with TAKEOVER_, "
                + "which Takeover's own variables use; allowed: a name of A-Z, a-z, 0-9, '_', "
                + "not starting with a digit or TAKEOVER_"),
        row(
            "script env bad name",
            file(
                group(
                    check("type: script", "command: [/usr/local/bin/check-web]", "env: {1A: x}"))),
            "t.yaml:11:15: groups[0].checks[0].env: \"1A\" is not a valid variable name; "
                + "allowed: a name of A-Z, a-z, 0-9, '_', not starting with a digit or TAKEOVER_"),
        row(
            "script env no value",
            file(group(check("type: script", "command: [/usr/local/bin/check-web]", "env: {A: }"))),
            "t.yaml:11:15: groups[0].checks[0].env.A: has no value; allowed: text, \"\" for "
                + "empty"),
        row(
            "script env list value",
            file(
                group(
                    check("type: script", "command: [/usr/local/bin/check-web]", "env: {A: [x]}"))),
            "t.yaml:11:18: groups[0].checks[0].env.A: a list is not a single value; allowed: "
                + "text, \"\" for empty"),
        row(
            "script env not map",
            file(group(check("type: script", "command: [/usr/local/bin/check-web]", "env: [A]"))),
            "t.yaml:11:14: groups[0].checks[0].env: a list is not a mapping; allowed: a mapping "
                + "of variable names to values, e.g. {SITE: lab}"),
        row(
            "script env dup",
            file(
                group(
                    check(
                        "type: script",
                        "command: [/usr/local/bin/check-web]",
                        "env:",
                        "  A: x",
                        "  A: y"))),
            "t.yaml:13:11: groups[0].checks[0].env: \"A\" is set twice (first at line 12); "
                + "allowed: a name of A-Z, a-z, 0-9, '_', not starting with a digit or TAKEOVER_"),
        row(
            "track not a list",
            file(group("track-interfaces: eth1")),
            "t.yaml:7:23: groups[0].track-interfaces: \"eth1\" is not a list; allowed: a list "
                + "of 0..16 entries, e.g. [{interface: eth1}]"),
        row(
            "track entry not map",
            file(group("track-interfaces: [eth1]")),
            "t.yaml:7:24: groups[0].track-interfaces[0]: \"eth1\" is not a mapping; allowed: a "
                + "mapping with keys interface, weight"),
        row(
            "17 tracked",
            file(
                group(
                    "track-interfaces: ["
                        + IntStream.rangeClosed(1, 17)
                            .mapToObj(i -> "{interface: e" + i + "}")
                            .collect(Collectors.joining(", "))
                        + "]")),
            "t.yaml:7:23: groups[0].track-interfaces: 17 interfaces; allowed: 0..16 tracked "
                + "interfaces per group"),
        row(
            "track interface missing",
            file(group("track-interfaces: [{weight: -10}]")),
            "t.yaml:7:24: groups[0].track-interfaces[0]: missing required key \"interface\"; "
                + "allowed: a Linux interface name: 1..15 bytes in UTF-8, no '/', ':' or "
                + "whitespace, not '.' or '..'"),
        row(
            "track interface bad",
            file(group("track-interfaces: [{interface: \"eth 1\"}]")),
            "t.yaml:7:36: groups[0].track-interfaces[0].interface: \"eth 1\" is not a valid "
                + "interface name; allowed: a Linux interface name: 1..15 bytes in UTF-8, no '/', "
                + "':' or whitespace, not '.' or '..'"),
        row(
            "track interface dup",
            file(group("track-interfaces: [{interface: eth1}, {interface: eth1, weight: -10}]")),
            "t.yaml:7:55: groups[0].track-interfaces[1].interface: \"eth1\" is already tracked "
                + "at track-interfaces[0] (line 7); allowed: each interface once"),
        row(
            "track weight bad",
            file(group("track-interfaces: [{interface: eth1, weight: 300}]")),
            "t.yaml:7:50: groups[0].track-interfaces[0].weight: 300 is out of range; allowed: "
                + "fault, or an integer -254..254 added to the priority"),
        row(
            "track unknown key",
            file(group("track-interfaces: [{interface: eth1, wieght: -10}]")),
            "t.yaml:7:42: groups[0].track-interfaces[0]: unknown key \"wieght\" (did you mean "
                + "\"weight\"?); allowed: interface, weight"),
        row(
            "hooks not a mapping",
            file(group("hooks: [x]")),
            "t.yaml:7:12: groups[0].hooks: a list is not a mapping; allowed: a mapping with "
                + "keys before-claim, after-claim, after-release, fault, stop, backup"),
        row(
            "hooks unknown kind",
            file(group(hook("after-clam", "command: [/bin/true]"))),
            "t.yaml:8:7: groups[0].hooks: unknown key \"after-clam\" (did you mean "
                + "\"after-claim\"?); allowed: before-claim, after-claim, after-release, fault, "
                + "stop, backup"),
        row(
            "hook not a mapping",
            file(group("hooks:\n      fault: /usr/local/bin/page")),
            "t.yaml:8:14: groups[0].hooks.fault: \"/usr/local/bin/page\" is not a mapping; "
                + "allowed: a mapping with keys command, timeout, budget, env"),
        row(
            "hook no value",
            file(group("hooks:\n      fault:")),
            "t.yaml:8:7: groups[0].hooks.fault: has no value; allowed: a mapping with keys "
                + "command, timeout, budget, env"),
        row(
            "hook command missing",
            file(group(hook("fault", "timeout: 5s"))),
            "t.yaml:9:9: groups[0].hooks.fault: missing required key \"command\"; allowed: a "
                + "non-empty list: the program's absolute path, then its arguments, e.g. "
                + "[/usr/local/bin/check-web, --fast]"),
        row(
            "hook command relative",
            file(group(hook("fault", "command: [page]"))),
            "t.yaml:9:19: groups[0].hooks.fault.command[0]: \"page\" is not an absolute path; "
                + "allowed: the program's absolute path, e.g. /usr/local/bin/check-web (no "
                + "shell, no PATH lookup)"),
        row(
            "hook timeout 99ms",
            file(group(hook("fault", "command: [/usr/local/bin/page]", "timeout: 99ms"))),
            "t.yaml:10:18: groups[0].hooks.fault.timeout: \"99ms\" is out of range; allowed: "
                + "100ms..10m"),
        row(
            "hook timeout 11m",
            file(group(hook("fault", "command: [/usr/local/bin/page]", "timeout: 11m"))),
            "t.yaml:10:18: groups[0].hooks.fault.timeout: \"11m\" is out of range; allowed: "
                + "100ms..10m"),
        row(
            "hook budget elsewhere",
            file(group(hook("after-claim", "command: [/usr/local/bin/started]", "budget: 1s"))),
            "t.yaml:10:17: groups[0].hooks.after-claim.budget: \"1s\" is set on the after-claim "
                + "hook; allowed: budget under before-claim only; nothing waits for other hooks"),
        row(
            "hook budget over timeout",
            file(
                group(
                    hook(
                        "before-claim",
                        "command: [/usr/local/bin/pre]",
                        "timeout: 2s",
                        "budget: 3s"))),
            "t.yaml:11:17: groups[0].hooks.before-claim.budget: \"3s\" is longer than the "
                + "timeout (2s); allowed: 0s..timeout"),
        row(
            "hook budget bad",
            file(group(hook("before-claim", "command: [/usr/local/bin/pre]", "budget: 1"))),
            "t.yaml:10:17: groups[0].hooks.before-claim.budget: 1 has no unit; allowed: a "
                + "number with unit ms, s, m or h, e.g. 100ms, 1s, 1.5s"),
        row(
            "hook env reserved",
            file(
                group(
                    hook("stop", "command: [/usr/local/bin/stopped]", "env: {TAKEOVER_NODE: x}"))),
            "t.yaml:10:15: groups[0].hooks.stop.env: \"TAKEOVER_NODE\" starts with TAKEOVER_, "
                + "which Takeover's own variables use; allowed: a name of A-Z, a-z, 0-9, '_', "
                + "not starting with a digit or TAKEOVER_"),
        row(
            "hook unknown key",
            file(group(hook("stop", "command: [/usr/local/bin/stopped]", "timout: 5s"))),
            "t.yaml:10:9: groups[0].hooks.stop: unknown key \"timout\" (did you mean "
                + "\"timeout\"?); allowed: command, timeout, budget, env"),
        row(
            "check key at group level",
            file(group("rise: 2")),
            "t.yaml:7:5: groups[0]: unknown key \"rise\" (it belongs in each entry of checks); "
                + "allowed: name, vrid, interface, priority, advert-interval, preempt, "
                + "preempt-delay, accept-mode, checksum, addresses, unicast-peers, "
                + "unicast-source, accept-ttl, checks, track-interfaces, hooks, auth, names,"
                + " version, authentication, track-files, routes, rules"),
        row(
            "hook key at group level",
            file(group("timeout: 5s")),
            "t.yaml:7:5: groups[0]: unknown key \"timeout\" (it belongs in each entry of checks "
                + "or in a hook under hooks or under dns or in each entry of api.webhooks); allowed: name, vrid, interface, priority, "
                + "advert-interval, preempt, preempt-delay, accept-mode, checksum, addresses, "
                + "unicast-peers, unicast-source, accept-ttl, checks, track-interfaces, hooks, auth,"
                + " names, version, authentication, track-files, routes, rules"),
        row(
            "hook kind at group level",
            file(group("before-claim: x")),
            "t.yaml:7:5: groups[0]: unknown key \"before-claim\" (it belongs under hooks); "
                + "allowed: name, vrid, interface, priority, advert-interval, preempt, "
                + "preempt-delay, accept-mode, checksum, addresses, unicast-peers, "
                + "unicast-source, accept-ttl, checks, track-interfaces, hooks, auth, names,"
                + " version, authentication, track-files, routes, rules"),
        row(
            "hook command not a list",
            file(group(hook("after-release", "command: /bin/systemctl"))),
            "t.yaml:9:18: groups[0].hooks.after-release.command: \"/bin/systemctl\" is not a list; "
                + "allowed: a non-empty list: the program's absolute path, then its arguments,"
                + " e.g. [/usr/local/bin/check-web, --fast]"),
        // ---- auth (auth_hmac); key files: AuthRulesTest
        row(
            "auth mode",
            file(group(auth("mode: enforced"))),
            "t.yaml:9:13: groups[0].auth.mode: \"enforced\" is not allowed (did you mean \"enforce\"?); allowed: receive-only, permissive, enforce"),
        row(
            "auth anti-replay",
            file(group(auth("anti-replay: clock"))),
            "t.yaml:9:20: groups[0].auth.anti-replay: \"clock\" is not allowed; allowed: time, monotonic"),
        row(
            "auth time-window too long",
            file(group(auth("time-window: 301s"))),
            "t.yaml:9:20: groups[0].auth.time-window: \"301s\" is out of range; allowed: 1s..5m in steps of 1000ms"),
        row(
            "auth time-window not whole seconds",
            file(group(auth("time-window: 1500ms"))),
            "t.yaml:9:20: groups[0].auth.time-window: \"1500ms\" is not a multiple of 1000ms; allowed: 1s..5m in steps of 1000ms"),
        row(
            "auth unknown key",
            file(group(auth("active_key: 1"))),
            "t.yaml:9:7: groups[0].auth: unknown key \"active_key\" (did you mean \"active-key\"?); allowed: keys, active-key, mode, anti-replay, time-window"),
        row(
            "auth no keys",
            file(group("auth:\n      keys: []")),
            "t.yaml:8:13: groups[0].auth.keys: an empty list; allowed: 1..16 keys per group"),
        row(
            "auth key too short",
            file(group("auth:\n      keys: [{id: 1, secret: \"hex:00112233\"}]")),
            "t.yaml:8:30: groups[0].auth.keys[0].secret: the key has 4 bytes (32 keep a 128-bit margin against a quantum search; generate one with `openssl rand -hex 32`); allowed: \"hex:\" and 64..128 hex digits (32..64 bytes), or 32..64 ASCII characters"),
        row(
            "auth key not hex",
            file(
                group(
                    "auth:\n      keys: [{id: 1, secret: \"hex:zz" + HEX64.substring(2) + "\"}]")),
            "t.yaml:8:30: groups[0].auth.keys[0].secret: the hex: value is not an even number of hex digits; allowed: \"hex:\" and 64..128 hex digits (32..64 bytes), or 32..64 ASCII characters"),
        row(
            "auth key id out of range",
            file(group("auth:\n      keys: [{id: 0, secret: \"hex:" + HEX64 + "\"}]")),
            "t.yaml:8:19: groups[0].auth.keys[0].id: 0 is out of range; allowed: 1..255"),
        row(
            "auth key with file and secret",
            file(group("auth:\n      keys: [{id: 1, secret: \"hex:" + HEX64 + "\", file: /k}]")),
            "t.yaml:8:14: groups[0].auth.keys[0]: both file and secret; allowed: exactly one of file (a key file, preferred) or secret (inline)"),
        row(
            "auth duplicate key id",
            file(
                group(
                    "auth:\n      keys:\n        - {id: 1, secret: \"hex:"
                        + HEX64
                        + "\"}\n        - {id: 1, secret: \"hex:"
                        + HEX64
                        + "\"}\n      active-key: 1")),
            "t.yaml:10:16: groups[0].auth.keys[1].id: 1 is already a key id (line 9); allowed: each id once"),
        row(
            "auth active-key not a key",
            file(group(auth("active-key: 2"))),
            "t.yaml:9:19: groups[0].auth.active-key: 2 is not the id of a key here; allowed: one of [1]"),
        row(
            "auth active-key needed with two keys",
            file(
                group(
                    "auth:\n      keys:\n        - {id: 1, secret: \"hex:"
                        + HEX64
                        + "\"}\n        - {id: 2, secret: \"hex:"
                        + HEX64
                        + "\"}")),
            "t.yaml:8:7: groups[0].auth: missing required key \"active-key\"; allowed: the id of one of the keys (required with several keys)"),
        // ---- names (docs/DNS.md); more in DnsRulesTest
        row(
            "names without a dns section",
            file(group("names: [{name: www.example.test, ttl: 30, points-to: self}]")),
            "t.yaml:1:1: groups have names but there is no dns section; allowed: a dns section"
                + " with servers (docs/DNS.md)"),
        row(
            "a name outside its zone",
            "dns: {servers: [{address: 198.18.0.100}]}\n"
                + file(
                    group(
                        "names: [{name: www.example.test, zone: other.test, ptr-zone: x.arpa,"
                            + " on-release: remove, on-conflict: alarm}]")),
            "t.yaml:8:44: groups[0].names[0].zone: \"other.test\" does not contain"
                + " \"www.example.test.\"; allowed: the zone the name is in, e.g. example.test."),
        row(
            "a move-ttl not below the ttl",
            "dns: {servers: [{address: 198.18.0.100}]}\n"
                + file(group("names: [{name: www.example.test, ttl: 30, move-ttl: 30}]")),
            "t.yaml:8:57: groups[0].names[0].move-ttl: 30 is not below the name's ttl (30);"
                + " allowed: 0..29 (below ttl), or leave move-ttl out"),
        row(
            "a move-wait-max without move-ttl",
            "dns: {servers: [{address: 198.18.0.100}]}\n"
                + file(group("names: [{name: www.example.test, move-wait-max: 30s}]")),
            "t.yaml:8:53: groups[0].names[0].move-wait-max: \"30s\" is set without move-ttl (it"
                + " caps the wait for a lowered TTL); allowed: move-ttl with it, or leave"
                + " move-wait-max out"),
        row(
            "a move-wait-max out of range",
            "dns: {servers: [{address: 198.18.0.100}]}\n"
                + file(group("names: [{name: www.example.test, move-ttl: 5, move-wait-max: 2h}]")),
            "t.yaml:8:66: groups[0].names[0].move-wait-max: \"2h\" is out of range; allowed:"
                + " 1s..1h"),
        // ---- VRRPv2 (version: 2, authentication)
        row(
            "version 4",
            file(group("version: 4")),
            "t.yaml:7:14: groups[0].version: 4 is out of range; allowed: 2..3"),
        row(
            "version 2 with IPv6 addresses",
            file(group("addresses: [2001:db8::50/64]", "version: 2")),
            "t.yaml:7:14: groups[0].version: 2 is IPv4 only (RFC 3768), and the group's addresses are IPv6; allowed: 3 for IPv6 groups"),
        row(
            "version 2 with an interval that is not whole seconds",
            file(group("version: 2", "advert-interval: 1500ms")),
            "t.yaml:8:22: groups[0].advert-interval: \"1500ms\" is not a multiple of 1000ms; allowed: 1s..255s in steps of 1000ms"),
        row(
            "version 2 with 256s",
            file(group("version: 2", "advert-interval: 256s")),
            "t.yaml:8:22: groups[0].advert-interval: \"256s\" is out of range; allowed: 1s..255s in steps of 1000ms"),
        row(
            "version 2 with checksum",
            file(group("version: 2", "checksum: rfc9568")),
            "t.yaml:8:15: groups[0].checksum: \"rfc9568\" does not apply to version: 2; the VRRPv2 checksum always covers the VRRP message only (RFC 3768 §5.3.8); allowed: remove the key"),
        row(
            "version 2 with auth",
            file(group("version: 2", auth())),
            "t.yaml:9:7: groups[0].auth: a mapping is auth_hmac, which is for version: 3 groups; allowed: authentication with type: pass for a VRRPv2 password, or version: 3"),
        row(
            "authentication on a VRRPv3 group",
            file(group("authentication: {type: pass, password: secret}")),
            "t.yaml:7:21: groups[0].authentication: a mapping is only for version: 2 (VRRPv3 adverts have no authentication field; for authenticated VRRPv3 adverts use auth); allowed: version: 2, or remove the key"),
        row(
            "authentication type ah",
            file(group("version: 2", "authentication: {type: ah, password: secret}")),
            "t.yaml:8:28: groups[0].authentication.type: \"ah\" (IPsec Authentication Header, RFC 2338 §5.3.6.2) is not supported: RFC 3768 removed it, and keepalived's implementation interoperates with nothing else; allowed: pass (keepalived auth_type PASS), or no authentication"),
        row(
            "authentication type typo",
            file(group("version: 2", "authentication: {type: pas, password: secret}")),
            "t.yaml:8:28: groups[0].authentication.type: \"pas\" is not an authentication type (did you mean \"pass\"?); allowed: pass"),
        row(
            "authentication password longer than 8 bytes",
            file(group("version: 2", "authentication: {type: pass, password: secret123}")),
            "t.yaml:8:44: groups[0].authentication.password: \"secret123\" has 9 bytes; a VRRPv2 password is at most 8 (keepalived would truncate it, Takeover does not guess); allowed: 1..8 bytes (keepalived's auth_pass)"),
        row(
            "authentication with both password and password-file",
            file(
                group(
                    "version: 2",
                    "authentication: {type: pass, password: a, password-file: /etc/pw}")),
            "t.yaml:8:21: groups[0].authentication: both password and password-file; allowed: exactly one of password (inline) or password-file (a file)"),
        row(
            "authentication password-file relative",
            file(group("version: 2", "authentication: {type: pass, password-file: pw}")),
            "t.yaml:8:49: groups[0].authentication.password-file: \"pw\" is not an absolute path; allowed: an absolute path to a readable file holding 1..8 bytes (keepalived's auth_pass)"),
        row(
            "authentication unknown key",
            file(group("version: 2", "authentication: {type: pass, pasword: a}")),
            "t.yaml:8:21: groups[0].authentication: no password or password-file; allowed: exactly one of password (inline) or password-file (a file)",
            "t.yaml:8:34: groups[0].authentication: unknown key \"pasword\" (did you mean \"password\"?); allowed: type, password, password-file"),
        row(
            "backup hook command not a list",
            file(group(hook("backup", "command: /bin/true"))),
            "t.yaml:9:18: groups[0].hooks.backup.command: \"/bin/true\" is not a list; "
                + "allowed: a non-empty list: the program's absolute path, then its arguments,"
                + " e.g. [/usr/local/bin/check-web, --fast]"),
        // ---- track-files (keepalived's track_file)
        row(
            "track file not absolute",
            file(group("track-files: [{file: prio, weight: -10}]")),
            "t.yaml:7:26: groups[0].track-files[0].file: \"prio\" is not an absolute path; allowed: an absolute path"),
        row(
            "track file weight out of range",
            file(group("track-files: [{file: /run/prio, weight: 255, reverse: true}]")),
            "t.yaml:7:45: groups[0].track-files[0].weight: 255 is out of range; allowed: -254..254"),
        row(
            "track file twice",
            file(group("track-files: [{file: /run/prio}, {file: /run/prio}]")),
            "t.yaml:7:45: groups[0].track-files[1].file: \"/run/prio\" is already tracked by track-files[0]; allowed: each file once per group"),
        // ---- addresses in the long form (keepalived's dev, label, scope)
        row(
            "address label not starting with its interface",
            file(group("addresses: [{address: 198.18.5.10/24, interface: eth1, label: eth0:vip}]")),
            "t.yaml:6:67: groups[0].addresses[0].label: \"eth0:vip\" does not start with the interface's name \"eth1\"; allowed: the interface's name, optionally followed by more, e.g. \"eth1:vip\", at most 15 bytes"),
        row(
            "address label on IPv6",
            file(group("addresses: [{address: 2001:db8::10/64, label: eth0:v6}]")),
            "t.yaml:6:51: groups[0].addresses[0].label: \"eth0:v6\" is set on an IPv6 address (IPv6 addresses have no label); allowed: no label on an IPv6 address"),
        row(
            "address label too long",
            file(group("addresses: [{address: 198.18.0.10/24, label: eth0:averylongone}]")),
            "t.yaml:6:50: groups[0].addresses[0].label: \"eth0:averylongone\" is 17 bytes long; allowed: the interface's name, optionally followed by more, e.g. \"eth0:vip\", at most 15 bytes"),
        row(
            "address scope unknown",
            file(group("addresses: [{address: 198.18.0.10/24, scope: universe}]")),
            "t.yaml:6:50: groups[0].addresses[0].scope: \"universe\" is not a scope; allowed: global, site, link, host or a number 0..255"),
        row(
            "address scope out of range",
            file(group("addresses: [{address: 198.18.0.10/24, scope: 256}]")),
            "t.yaml:6:50: groups[0].addresses[0].scope: 256 is not a scope; allowed: global, site, link, host or a number 0..255"),
        row(
            "address entry with keepalived's dev",
            file(group("addresses: [{address: 198.18.0.10/24, dev: eth1}]")),
            "t.yaml:6:43: groups[0].addresses[0]: unknown key \"dev\"; allowed: address, interface, label, scope"),
        row(
            "address entry without address",
            file(group("addresses: [{interface: eth1}]")),
            "t.yaml:6:17: groups[0].addresses[0]: missing required key \"address\"; allowed: an address with prefix length, e.g. 198.18.0.50/24 or 2001:db8::50/64"),
        row(
            "address entry interface name too long",
            file(group("addresses: [{address: 198.18.0.10/24, interface: eth1234567890abcd}]")),
            "t.yaml:6:54: groups[0].addresses[0].interface: \"eth1234567890abcd\" is not a valid interface name (17 bytes in UTF-8; at most 15); allowed: a Linux interface name: 1..15 bytes in UTF-8, no '/', ':' or whitespace, not '.' or '..'"),
        // ---- rules (keepalived's virtual_rules)
        row(
            "rule without table",
            file(group("rules: [{from: 198.18.0.50}]")),
            "t.yaml:7:13: groups[0].rules[0]: missing required key \"table\"; allowed: the table matching packets are looked up in, e.g. 100"),
        row(
            "rule from and to of two families",
            file(group("rules: [{from: 198.18.0.50, to: 2001:db8::/32, table: 100}]")),
            "t.yaml:7:37: groups[0].rules[0].to: \"2001:db8::/32\" is not of the family of from; allowed: an address or prefix, e.g. 198.18.5.10, 198.18.100.0/24 or 2001:db8:100::/48"),
        row(
            "rule from with host bits",
            file(group("rules: [{from: 198.18.0.50/24, table: 100}]")),
            "t.yaml:7:20: groups[0].rules[0].from: \"198.18.0.50/24\" has host bits set (the kernel refuses it); allowed: the network address of the prefix, e.g. 198.18.100.0/24"),
        row(
            "rule twice",
            file(
                group("rules: [{from: 198.18.0.50, table: 100}, {from: 198.18.0.50, table: 100}]")),
            "t.yaml:7:46: groups[0].rules[1]: \"from 198.18.0.50 lookup 100\" is the same rule as rules[0]; allowed: each rule once"),
        row(
            "rule with keepalived's iif",
            file(group("rules: [{iif: eth1, table: 100}]")),
            "t.yaml:7:14: groups[0].rules[0]: unknown key \"iif\"; allowed: from, to, table, priority, in-interface, out-interface, fwmark"),
        row(
            "rule fwmark 0",
            file(group("rules: [{fwmark: 0, table: 100}]")),
            "t.yaml:7:22: groups[0].rules[0].fwmark: 0 is out of range; allowed: 1..2147483647"),
        row(
            "rule priority out of range",
            file(
                group(
                    "rules: [{to: 198.18.100.0/24, in-interface: eth1, out-interface: eth0,"
                        + " priority: -1, table: 100}]")),
            "t.yaml:7:86: groups[0].rules[0].priority: -1 is out of range; allowed: 0..2147483647"),
        // ---- routes (keepalived's virtual_routes)
        row(
            "route destination not a prefix",
            file(group("routes: [{destination: 198.18.100.0}]")),
            "t.yaml:7:28: groups[0].routes[0].destination: \"198.18.100.0\" is not a prefix; allowed: default or a prefix, e.g. 198.18.100.0/24 or 2001:db8:100::/48"),
        row(
            "route destination with host bits",
            file(group("routes: [{destination: 198.18.100.1/24}]")),
            "t.yaml:7:28: groups[0].routes[0].destination: \"198.18.100.1/24\" has host bits set (the kernel refuses it); allowed: the network address of the prefix, e.g. 198.18.100.0/24"),
        row(
            "route gateway of the other family",
            file(group("routes: [{destination: 198.18.100.0/24, gateway: 2001:db8::1}]")),
            "t.yaml:7:54: groups[0].routes[0].gateway: \"2001:db8::1\" is not of the destination's family; allowed: a unicast address of the destination's family"),
        row(
            "route in the local table",
            file(group("routes: [{destination: default, gateway: 198.18.0.1, table: 255}]")),
            "t.yaml:7:65: groups[0].routes[0].table: 255 is a kernel table; allowed: 1..2147483647 except 253 (default) and 255 (local)"),
        row(
            "route twice in a table",
            file(
                group(
                    "routes: [{destination: 198.18.100.0/24}, {destination: 198.18.100.0/24,"
                        + " gateway: 198.18.0.1}]")),
            "t.yaml:7:60: groups[0].routes[1].destination: \"198.18.100.0/24\" is already routed by routes[0] in the same table with the same metric; allowed: each destination once per table and metric"),
        row(
            "route with an unknown key",
            file(group("routes: [{destination: default, via: 198.18.0.1}]")),
            "t.yaml:7:37: groups[0].routes[0]: unknown key \"via\" (it belongs in each entry of links.routes); allowed: destination, gateway, interface, metric, table, source"),
        row(
            "route metric negative",
            file(group("routes: [{destination: default, gateway: 198.18.0.1, metric: -1}]")),
            "t.yaml:7:66: groups[0].routes[0].metric: -1 is out of range; allowed: 0..2147483647"),
        row(
            "route source of the other family",
            file(group("routes: [{destination: 198.18.100.0/24, source: 2001:db8::1}]")),
            "t.yaml:7:53: groups[0].routes[0].source: \"2001:db8::1\" is not of the destination's family; allowed: a unicast address of the destination's family, usually one of the group's addresses"),
        row(
            "route source multicast",
            file(group("routes: [{destination: 198.18.100.0/24, source: 224.0.0.1}]")),
            "t.yaml:7:53: groups[0].routes[0].source: \"224.0.0.1\" is a multicast address; allowed: a unicast address of the destination's family, usually one of the group's addresses"),
        row(
            "the same route in two groups",
            file(
                group("routes: [{destination: 198.18.100.0/24}]"),
                group(
                    "name: db",
                    "vrid: 52",
                    "addresses: [198.18.0.51/24]",
                    "routes: [{destination: 198.18.100.0/24}]")),
            "t.yaml:12:28: groups[1].routes[0].destination: \"198.18.100.0/24\" in the same table with the same metric is already a route of groups[0].routes[0].destination (line 7); allowed: each destination once per table and metric on a node (the kernel keeps one)"),
        // ---- links.routes[].via[].probe (gateway probes, docs/LINKS.md); more in LinkRulesTest
        row(
            "gateway probe of an unknown kind",
            top(LINKS_VIA + "probe: {kind: ping}}\n"),
            "t.yaml:7:66: links.routes[0].via[0].probe.kind: \"ping\" is not a probe kind; allowed: arp, icmp, ndp"),
        row(
            "gateway probe kind that is not a single value",
            top(LINKS_VIA + "probe: {kind: [icmp]}}\n"),
            "t.yaml:7:66: links.routes[0].via[0].probe.kind: a list is not a single value; allowed: arp, icmp, ndp"),
        row(
            "ndp probe of an IPv4 gateway",
            top(LINKS_VIA + "probe: {kind: ndp}}\n"),
            "t.yaml:7:66: links.routes[0].via[0].probe.kind: \"ndp\" does not probe an IPv4 gateway; allowed: arp, icmp"),
        row(
            "arp probe of an IPv6 gateway",
            top(
                LINKS_VIA
                        .replace(
                            "198.18.1.1, peer: 198.18.1.2", "2001:db8:1::1, peer: 2001:db8:1::2")
                        .replace("198.18.1.254", "2001:db8:1::fe")
                    + "probe: {kind: arp}}\n"),
            "t.yaml:7:68: links.routes[0].via[0].probe.kind: \"arp\" does not probe an IPv6 gateway; allowed: ndp, icmp"),
        row(
            "gateway probe with an unknown key",
            top(LINKS_VIA + "probe: {every: 1s}}\n"),
            "t.yaml:7:60: links.routes[0].via[0].probe: unknown key \"every\"; allowed: kind, interval, misses, goods"),
        row(
            "gateway probe misses out of range",
            top(LINKS_VIA + "probe: {misses: 0}}\n"),
            "t.yaml:7:68: links.routes[0].via[0].probe.misses: 0 is out of range; allowed: 1..100"),
        row(
            "next hop with an unknown key",
            top(LINKS_VIA + "arp: true}\n"),
            "t.yaml:7:52: links.routes[0].via[0]: unknown key \"arp\"; allowed: interface, gateway, probe"),
        // ---- sync groups (keepalived's vrrp_sync_group)
        row(
            "sync group with one member",
            top("sync-groups: [{name: LB, groups: [web]}]\n"),
            "t.yaml:1:34: sync-groups[0].groups: 1 group; allowed: 2..16 groups"),
        row(
            "sync group member that is no group",
            top("sync-groups: [{name: LB, groups: [web, wbe]}]\n"),
            "t.yaml:1:40: sync-groups[0].groups[1]: \"wbe\" is not a group of this file (did you mean \"web\"?); allowed: the name of an entry of groups"),
        row(
            "sync group member twice",
            top("sync-groups: [{name: LB, groups: [web, web]}]\n"),
            "t.yaml:1:40: sync-groups[0].groups[1]: \"web\" is listed twice; allowed: each group once"),
        row(
            "group in two sync groups",
            "sync-groups:\n  - {name: A, groups: [web, db]}\n  - {name: B, groups: [db, web]}\n"
                + file(group(), group("name: db", "vrid: 52", "addresses: [198.18.0.51/24]")),
            "t.yaml:3:24: sync-groups[1].groups[0]: \"db\" is already in sync group A; allowed: each group in one sync group at most",
            "t.yaml:3:28: sync-groups[1].groups[1]: \"web\" is already in sync group A; allowed: each group in one sync group at most"),
        row(
            "sync group hook kind",
            top(
                "sync-groups: [{name: LB, groups: [web, web2], hooks: {stop: {command: [/bin/true]}}}]\n"),
            "t.yaml:1:40: sync-groups[0].groups[1]: \"web2\" is not a group of this file (did you mean \"web\"?); allowed: the name of an entry of groups",
            "t.yaml:1:55: sync-groups[0].hooks: unknown key \"stop\" (it belongs under hooks); allowed: after-claim, backup, fault"),
        // ---- YAML features that are not supported
        row(
            "alias",
            "node: &n alpha\ngroups:\n" + group("name: *n"),
            "t.yaml:3:11: groups[0].name: alias *n is not supported; allowed: 1..32 characters from"
                + " A-Z, a-z, 0-9, '.', '_', '-'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void everyRuleReportsItsExactMessage(String rule, String yaml, List<String> expected) {
    ConfigResult result = ConfigLoader.parse(yaml, SOURCE);

    assertThat(result).as(yaml).isInstanceOf(ConfigResult.Invalid.class);
    List<String> errors =
        ((ConfigResult.Invalid) result).errors().stream().map(ConfigError::toString).toList();
    assertThat(errors).as(yaml).containsExactlyElementsOf(expected);
  }

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("advert-interval 10ms", file(group("advert-interval: 10ms"))),
        Arguments.of("advert-interval 40.95s", file(group("advert-interval: 40.95s"))),
        Arguments.of(
            "priority 1 and 254",
            file(
                group("priority: 1"),
                group("name: db", "vrid: 52", "priority: 254", "addresses: [198.18.0.51/24]"))),
        Arguments.of("/31 has no network address", file(group("addresses: [198.18.0.0/31]"))),
        Arguments.of("/32 of a .0 address", file(group("addresses: [198.18.1.0/32]"))),
        Arguments.of(
            "same VRID, other interface",
            file(group(), group("name: db", "interface: eth1", "addresses: [198.18.0.51/24]"))),
        Arguments.of(
            "same VRID, other family",
            file(group(), group("name: db", "addresses: [\"2001:db8::50/64\"]"))),
        Arguments.of("garp-refresh 0s", top("announce:\n  garp-refresh: 0s\n")),
        Arguments.of("garp-refresh 1h", top("announce:\n  garp-refresh: 1h\n")),
        Arguments.of(
            "preempt false with zero delay", file(group("preempt: false", "preempt-delay: 0s"))),
        Arguments.of("YAML 1.1 boolean", file(group("preempt: yes"))),
        Arguments.of(
            "auth, every key",
            file(
                group(
                    auth(
                        "active-key: 1",
                        "mode: receive-only",
                        "anti-replay: monotonic",
                        "time-window: 300s")))),
        Arguments.of("auth time-window 1s", file(group(auth("time-window: 1s")))),
        Arguments.of(
            "auth 64-byte ASCII key",
            file(group("auth:\n      keys: [{id: 255, secret: \"" + "k".repeat(64) + "\"}]"))),
        Arguments.of(
            "accept-mode true states what Takeover does", file(group("accept-mode: true"))),
        Arguments.of("realtime-priority 99", top("daemon:\n  realtime-priority: 99\n")),
        Arguments.of("checks empty ok", file(group("checks: []"))),
        Arguments.of(
            "timeout default vs interval ok",
            file(group(check("type: tcp", "host: 198.18.0.1", "port: 80", "interval: 100ms")))),
        Arguments.of(
            "tcp host loopback ok", file(group(check("type: tcp", "host: 127.0.0.1", "port: 80")))),
        Arguments.of(
            "tcp host name ok",
            file(group(check("type: tcp", "host: web.example.test", "port: 80")))),
        Arguments.of(
            "check ranges, low edges",
            file(
                group(
                    check(
                        "type: tcp",
                        "host: 198.18.0.1",
                        "port: 1",
                        "interval: 100ms",
                        "timeout: 10ms",
                        "rise: 1",
                        "fall: 1",
                        "weight: -254")))),
        Arguments.of(
            "check ranges, high edges",
            file(
                group(
                    check(
                        "type: tcp",
                        "host: \"2001:db8::1\"",
                        "port: 65535",
                        "interval: 1h",
                        "timeout: 60s",
                        "rise: 100",
                        "fall: 100",
                        "weight: 254")))),
        Arguments.of(
            "timeout just below interval",
            file(
                group(
                    check("type: tcp", "host: h", "port: 1", "interval: 2s", "timeout: 1.999s")))),
        Arguments.of(
            "http status range edges and a body regex",
            file(
                group(
                    check(
                        "type: http",
                        "url: https://web.example.test:8443/health?full=1",
                        "expect-status: \"100-599\"",
                        "body-match: \"^ok$\"",
                        "insecure-tls: true")))),
        Arguments.of(
            "dns with every key",
            file(
                group(
                    check(
                        "type: dns",
                        "server: \"2001:db8::53\"",
                        "port: 5353",
                        "query: _http._tcp.example.test.",
                        "record-type: SRV")))),
        Arguments.of(
            "dns AAAA with expect",
            file(
                group(
                    check(
                        "type: dns",
                        "server: 198.18.0.53",
                        "query: www.example.test",
                        "record-type: AAAA",
                        "expect: \"2001:db8::80\"")))),
        Arguments.of(
            "dhcp with interface",
            file(group(check("type: dhcp", "server: 198.18.0.67", "interface: eth1")))),
        Arguments.of(
            "script with arguments of every scalar kind",
            file(
                group(
                    check(
                        "type: script",
                        "command: [/usr/local/bin/check-web, --count, 3, 1.5, true, \"\"]",
                        "env: {A: b, _X1: 2, EMPTY: \"\"}")))),
        Arguments.of(
            "16 checks",
            file(
                group(
                    "checks: ["
                        + IntStream.rangeClosed(1, 16)
                            .mapToObj(i -> "{name: c" + i + ", type: tcp, host: h, port: 1}")
                            .collect(Collectors.joining(", "))
                        + "]"))),
        Arguments.of(
            "16 tracked interfaces, weights at both edges",
            file(
                group(
                    "track-interfaces: ["
                        + IntStream.rangeClosed(1, 16)
                            .mapToObj(
                                i ->
                                    "{interface: e"
                                        + i
                                        + ", weight: "
                                        + (i % 2 == 0 ? 254 : -254)
                                        + "}")
                            .collect(Collectors.joining(", "))
                        + "]"))),
        Arguments.of(
            "hook timeouts at both edges, budget 0s and equal to the timeout",
            file(
                group(
                    "hooks:\n"
                        + "      before-claim: {command: [/a], timeout: 100ms, budget: 100ms}\n"
                        + "      after-claim: {command: [/a], timeout: 10m}\n"
                        + "      stop: {command: [/a]}\n"
                        + "      after-release: {command: [/a]}"))),
        Arguments.of(
            "VRRPv2 with an 8-byte password and the longest interval",
            file(
                group(
                    "version: 2",
                    "advert-interval: 255s",
                    "authentication: {type: pass, password: secret12}"))),
        Arguments.of("VRRPv2 without authentication", file(group("version: 2"))),
        Arguments.of(
            "track files at the weight edges, reverse, and a file that need not exist",
            file(
                group(
                    "track-files: [{file: /nonexistent/a, weight: -254}, {file: /b, weight: 254,"
                        + " reverse: true}, {file: /c, weight: 0}, {file: /d}]"))),
        Arguments.of(
            "routes: default, a device route, another table, metric, interface, IPv6",
            file(
                group(
                    "routes: [{destination: default, gateway: 198.18.0.1}, {destination:"
                        + " 198.18.100.0/24}, {destination: 198.18.100.0/24, metric: 10, table:"
                        + " 100, interface: eth1, gateway: 198.18.0.2}, {destination:"
                        + " 2001:db8:100::/48, gateway: 2001:db8::1}, {destination: 198.18.102.0/24,"
                        + " source: 198.18.0.50}]"))),
        Arguments.of(
            "the same route in two groups in other tables or with other metrics",
            file(
                group("routes: [{destination: 198.18.100.0/24}]"),
                group(
                    "name: db",
                    "vrid: 52",
                    "addresses: [198.18.0.51/24]",
                    "routes: [{destination: 198.18.100.0/24, table: 100}, {destination:"
                        + " 198.18.100.0/24, metric: 5}]"))),
        Arguments.of(
            "addresses in the long form: another interface, label, scopes by name and number",
            file(
                group(
                    "addresses: [198.18.0.50/24, {address: 198.18.5.10/24, interface: eth1, label:"
                        + " \"eth1:vip\", scope: link}, {address: 198.18.0.51/24, interface: eth0,"
                        + " label: eth0, scope: 200}, {address: 198.18.0.52/24}]"))),
        Arguments.of(
            "rules: from, to, interfaces, fwmark, priority, IPv6, a large table",
            file(
                group(
                    "rules: [{from: 198.18.0.50, table: 100}, {to: 198.18.100.0/24,"
                        + " in-interface: eth1, out-interface: eth0, fwmark: 7, priority: 0,"
                        + " table: 2147483647}, {from: 2001:db8::/32, table: 254}, {table: 5}]"))),
        Arguments.of("VRRPv3 said explicitly", file(group("version: 3"))),
        Arguments.of(
            "before-claim budget 0s",
            file(group(hook("before-claim", "command: [/a]", "budget: 0s")))),
        Arguments.of(
            "20 addresses",
            file(
                group(
                    "addresses: ["
                        + IntStream.rangeClosed(1, 20)
                            .mapToObj(i -> "198.18.0." + i + "/24")
                            .collect(Collectors.joining(", "))
                        + "]"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void edgesOfEveryRangeAreAccepted(String rule, String yaml) {
    ConfigResult result = ConfigLoader.parse(yaml, SOURCE);

    assertThat(result)
        .as(() -> result instanceof ConfigResult.Invalid i ? i.errors().toString() : yaml)
        .isInstanceOf(ConfigResult.Valid.class);
  }

  /** Keeps the table honest: every documented group key appears in at least one row. */
  @org.junit.jupiter.api.Test
  void everyGroupKeyHasARow() {
    String all = rules().map(a -> (String) a.get()[1]).collect(Collectors.joining("\n"));
    assertThat(Arrays.stream(ConfigValidator.GROUP_KEYS.toArray(String[]::new)))
        .allSatisfy(key -> assertThat(all).contains(key + ":"));
  }

  /** The same for the keys of checks (of every type), tracked interfaces and hooks. */
  @org.junit.jupiter.api.Test
  void everyNestedKeyHasARow() {
    String all = rules().map(a -> (String) a.get()[1]).collect(Collectors.joining("\n"));
    assertThat(ConfigValidator.nestedGroupKeys())
        .allSatisfy(key -> assertThat(all).contains(key + ":"));
  }
}
