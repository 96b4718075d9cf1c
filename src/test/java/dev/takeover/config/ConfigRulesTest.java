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

  static Arguments row(String rule, String yaml, String... expected) {
    return Arguments.of(rule, yaml, List.of(expected));
  }

  static Stream<Arguments> rules() {
    String keys =
        "name, vrid, interface, priority, advert-interval, preempt, preempt-delay, accept-mode,"
            + " checksum, addresses, unicast-peers, unicast-source";
    String unicast = "a unicast address (not unspecified, loopback, multicast or broadcast)";
    String cidr = "an address with prefix length, e.g. 198.18.0.50/24 or 2001:db8::50/64";
    String hostRule = "a host address, not the network or broadcast address of its prefix";
    String iface =
        "a Linux interface name: 1..15 characters, no '/', ':' or whitespace, not '.' or '..'";
    String durationSyntax = "a number with unit ms, s, m or h, e.g. 100ms, 1s, 1.5s";
    return Stream.of(
        // ---- top level
        row(
            "empty file",
            "",
            "t.yaml:1:1: the file is empty; allowed: a mapping with keys node, announce, daemon,"
                + " groups"),
        row(
            "comments only",
            "# nothing\n",
            "t.yaml:1:1: the file is empty; allowed: a mapping with keys node, announce, daemon,"
                + " groups"),
        row(
            "top level is a list",
            "- node: alpha\n",
            "t.yaml:1:1: a list is not a mapping; allowed: a mapping with keys node, announce,"
                + " daemon, groups"),
        row(
            "top level is a scalar",
            "alpha\n",
            "t.yaml:1:1: \"alpha\" is not a mapping; allowed: a mapping with keys node, announce,"
                + " daemon, groups"),
        row(
            "two documents",
            file(group()) + "---\nnode: beta\n",
            "t.yaml:8:1: a second YAML document; allowed: one document per file"),
        row(
            "unknown top-level key with suggestion",
            "nodes: x\n" + file(group()),
            "t.yaml:1:1: unknown key \"nodes\" (did you mean \"node\"?); allowed: node, announce,"
                + " daemon, groups"),
        row(
            "unknown top-level key without suggestion",
            "colour: blue\n" + file(group()),
            "t.yaml:1:1: unknown key \"colour\"; allowed: node, announce, daemon, groups"),
        row(
            "group key at top level",
            "vrid: 5\n" + file(group()),
            "t.yaml:1:1: unknown key \"vrid\" (it belongs in each entry of groups); allowed: node,"
                + " announce, daemon, groups"),
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
                + " garp-interval, garp-refresh"),
        row(
            "announce unknown key",
            top("announce:\n  garp_count: 3\n"),
            "t.yaml:2:3: announce: unknown key \"garp_count\" (did you mean \"garp-count\"?);"
                + " allowed: garp-count, garp-interval, garp-refresh"),
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
            "state-dir relative",
            top("daemon:\n  state-dir: run/takeover\n"),
            "t.yaml:2:14: daemon.state-dir: \"run/takeover\" is not an absolute path; allowed: an"
                + " absolute path, e.g. /run/takeover"),
        // ---- groups
        row(
            "groups missing",
            "node: alpha\n",
            "t.yaml:1:1: missing required key \"groups\"; allowed: a list of 1..255 groups"),
        row(
            "groups empty",
            "node: alpha\ngroups: []\n",
            "t.yaml:2:9: groups: an empty list; allowed: 1..255 groups"),
        row(
            "groups not a list",
            "node: alpha\ngroups: web\n",
            "t.yaml:2:9: groups: \"web\" is not a list; allowed: a list of 1..255 groups"),
        row(
            "group not a mapping",
            "node: alpha\ngroups:\n  - web\n",
            "t.yaml:3:5: groups[0]: \"web\" is not a mapping; allowed: a mapping with keys "
                + keys),
        row(
            "256 groups",
            file(
                IntStream.range(0, 256)
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
            "t.yaml:3:3: groups: 256 groups; allowed: 1..255 groups"),
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
            "t.yaml:5:16: groups[0].interface: \"abcdefghijklmnop\" is not a valid interface name;"
                + " allowed: "
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
        Arguments.of("realtime-priority 99", top("daemon:\n  realtime-priority: 99\n")),
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
}
