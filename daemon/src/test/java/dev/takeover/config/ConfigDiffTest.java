package dev.takeover.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.config.ConfigDiff.GroupChange;
import dev.takeover.config.ConfigDiff.GroupSetting;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigDiffTest {

  /** A group as one flow mapping; {@code extra} is appended inside the braces. */
  private static String group(String name, int vrid, String addresses, String... extra) {
    String more = extra.length == 0 ? "" : ", " + String.join(", ", extra);
    return "  - {name: "
        + name
        + ", vrid: "
        + vrid
        + ", interface: eth0, addresses: ["
        + addresses
        + "]"
        + more
        + "}\n";
  }

  private static String web(String... extra) {
    return group("web", 51, "198.18.0.50/24", extra);
  }

  private static String db(String... extra) {
    return group("db", 52, "198.18.0.60/24", extra);
  }

  private static String config(String... groups) {
    return "node: alpha\ngroups:\n" + String.join("", groups);
  }

  private static TakeoverConfig load(String yaml) {
    ConfigResult result = ConfigLoader.parse(yaml, "t.yaml");
    assertThat(result)
        .as(() -> result instanceof ConfigResult.Invalid i ? i.errors().toString() : yaml)
        .isInstanceOf(ConfigResult.Valid.class);
    return ((ConfigResult.Valid) result).config();
  }

  /** The diff in one line, so a table row can state all of it. */
  private static String summary(ConfigDiff d) {
    StringBuilder s = new StringBuilder();
    if (!d.added().isEmpty()) {
      s.append(" added=").append(d.added().stream().map(GroupConfig::name).toList());
    }
    if (!d.removed().isEmpty()) {
      s.append(" removed=").append(d.removed().stream().map(GroupConfig::name).toList());
    }
    for (GroupChange c : d.changed()) {
      s.append(" changed ")
          .append(c.name())
          .append(c.soft() ? " soft " : " hard ")
          .append(c.settings());
    }
    if (!d.moved().isEmpty()) {
      s.append(" moved=").append(d.moved());
    }
    if (d.nodeChanged()) {
      s.append(" node");
    }
    if (d.announceChanged()) {
      s.append(" announce");
    }
    if (d.daemonChanged()) {
      s.append(" daemon");
    }
    return s.isEmpty() ? "no change" : s.substring(1);
  }

  private static Arguments row(String what, String before, String after, String expected) {
    return Arguments.of(what, before, after, expected);
  }

  static Stream<Arguments> diffs() {
    String tcp = "checks: [{name: web-tcp, type: tcp, host: 198.18.0.1, port: 80}]";
    String http =
        "checks: [{name: web-http, type: http, url: \"http://198.18.0.1/\", body-match: \"^ok\"}]";
    return Stream.of(
        row("identical", config(web(), db()), config(web(), db()), "no change"),
        row(
            "a body-match pattern read twice is the same check",
            config(web(http)),
            config(web(http)),
            "no change"),
        row("groups in another order", config(web(), db()), config(db(), web()), "no change"),
        row("group added", config(web()), config(web(), db()), "added=[db]"),
        row("group removed", config(web(), db()), config(web()), "removed=[db]"),
        row("priority", config(web()), config(web("priority: 200")), "changed web soft [PRIORITY]"),
        row(
            "advert interval and preempt",
            config(web()),
            config(web("advert-interval: 100ms", "preempt: false")),
            "changed web soft [ADVERT_INTERVAL, PREEMPT]"),
        row(
            "every other hard setting",
            config(web()),
            config(
                group(
                        "web",
                        52,
                        "198.18.0.50/25",
                        "preempt-delay: 5s",
                        "checksum: rfc9568",
                        "unicast-peers: [198.18.0.2]",
                        "unicast-source: 198.18.0.1")
                    .replace("eth0", "eth1")),
            "changed web hard [VRID, INTERFACE, ADDRESSES, PREEMPT_DELAY, CHECKSUM, UNICAST_PEERS,"
                + " UNICAST_SOURCE]"),
        // Takeover always accepts packets for its virtual addresses; the key only says so.
        row(
            "accept-mode: true added",
            config(web()),
            config(web("accept-mode: true")),
            "no change"),
        row(
            "address family",
            config(web()),
            config(group("web", 51, "\"2001:db8::50/64\"")),
            "changed web hard [FAMILY, ADDRESSES]"),
        row("check added", config(web()), config(web(tcp)), "changed web soft [CHECKS]"),
        row("check replaced", config(web(tcp)), config(web(http)), "changed web soft [CHECKS]"),
        row(
            "rise of a check",
            config(web(tcp)),
            config(web(tcp.replace("port: 80", "port: 80, rise: 5"))),
            "changed web soft [CHECKS]"),
        row(
            "tracking and hooks",
            config(web()),
            config(
                web(
                    "track-interfaces: [{interface: eth1, weight: -20}]",
                    "hooks: {after-claim: {command: [/usr/local/bin/started]}}")),
            "changed web soft [TRACK_INTERFACES, HOOKS]"),
        row(
            "hook timeout",
            config(web("hooks: {fault: {command: [/usr/local/bin/page]}}")),
            config(web("hooks: {fault: {command: [/usr/local/bin/page], timeout: 5s}}")),
            "changed web soft [HOOKS]"),
        row(
            "a soft and a hard change make a hard one",
            config(web()),
            config(web(tcp, "priority: 150").replace("vrid: 51", "vrid: 61")),
            "changed web hard [VRID, PRIORITY, CHECKS]"),
        row(
            "address moved to another group",
            config(web(), db()),
            config(
                group("web", 51, "198.18.0.51/24"),
                group("db", 52, "198.18.0.60/24, 198.18.0.50/24")),
            "changed web hard [ADDRESSES] changed db hard [ADDRESSES]"
                + " moved=[198.18.0.50 web -> db]"),
        row(
            "address moved to a new group",
            config(web()),
            config(group("web", 51, "198.18.0.51/24"), group("api", 53, "198.18.0.50/24")),
            "added=[api] changed web hard [ADDRESSES] moved=[198.18.0.50 web -> api]"),
        row(
            "group renamed",
            config(web()),
            config(group("www", 51, "198.18.0.50/24")),
            "added=[www] removed=[web] moved=[198.18.0.50 web -> www]"),
        row(
            "prefix length only: the address stays",
            config(web()),
            config(group("web", 51, "198.18.0.50/25")),
            "changed web hard [ADDRESSES]"),
        row("announce", config(web()), "announce: {garp-count: 3}\n" + config(web()), "announce"),
        row(
            "node and daemon",
            config(web()),
            config(web()).replace("alpha", "beta") + "daemon: {realtime-priority: 20}\n",
            "node daemon"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("diffs")
  void diffNamesEveryChange(String what, String before, String after, String expected) {
    ConfigDiff diff = ConfigDiff.between(load(before), load(after));

    assertThat(summary(diff)).isEqualTo(expected);
    assertThat(diff.isEmpty()).isEqualTo(expected.equals("no change"));
  }

  @Test
  void changedGroupCarriesBothVersions() {
    TakeoverConfig before = load(config(web()));
    TakeoverConfig after = load(config(web("priority: 200")));

    GroupChange change = ConfigDiff.between(before, after).change("web").orElseThrow();

    assertThat(change.before()).isEqualTo(before.groups().getFirst());
    assertThat(change.after()).isEqualTo(after.groups().getFirst());
    assertThat(ConfigDiff.between(before, after).change("db")).isEmpty();
    assertThat(change.descriptions()).containsExactly("priority 100 -> 200");
  }

  @Test
  void aChangeOfRoutesRestartsTheGroupAndSaysWhichRoutes() {
    GroupChange change =
        ConfigDiff.between(
                load(config(web("routes: [{destination: 198.18.100.0/24}]"))),
                load(
                    config(
                        web(
                            "routes: [{destination: 198.18.100.0/24, gateway: 198.18.0.1,"
                                + " metric: 5}]"))))
            .change("web")
            .orElseThrow();

    assertThat(change.soft()).isFalse();
    assertThat(change.descriptions())
        .containsExactly("routes [198.18.100.0/24] -> [198.18.100.0/24 via 198.18.0.1 metric 5]");
  }

  @Test
  void descriptionsSayWhatChanged() {
    GroupChange change =
        ConfigDiff.between(
                load(config(web("hooks: {fault: {command: [/usr/local/bin/page]}}"))),
                load(
                    config(
                        web(
                            "advert-interval: 100ms",
                            "preempt-delay: 1.5s",
                            "hooks: {fault: {command: [/usr/local/bin/page], timeout: 5s}}"))))
            .change("web")
            .orElseThrow();

    assertThat(change.descriptions())
        .containsExactly(
            "advert-interval 1s -> 100ms", "preempt-delay 0s -> 1.5s", "hooks [fault] changed");
  }

  /** A new GroupConfig component must be given a setting, hard or soft, or the diff misses it. */
  @Test
  void everyGroupComponentButTheNameIsASetting() {
    List<String> components =
        Arrays.stream(GroupConfig.class.getRecordComponents())
            .map(RecordComponent::getName)
            .filter(n -> !n.equals("name"))
            .toList();

    assertThat(Arrays.stream(GroupSetting.values()).map(GroupSetting::component))
        .containsExactlyInAnyOrderElementsOf(components);
    assertThat(
            Arrays.stream(GroupSetting.values())
                .filter(s -> !s.hard())
                .map(GroupSetting::name)
                .collect(Collectors.joining(",")))
        .isEqualTo("ADVERT_INTERVAL,PRIORITY,PREEMPT,PREEMPT_DELAY,CHECKS,TRACK_INTERFACES,HOOKS");
  }
}
