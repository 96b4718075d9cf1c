package dev.takeover.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A one-group {@code takeover run} configuration for a lab node, written as YAML.
 *
 * @param addresses VIPs with prefix length, e.g. {@code 198.18.0.50/24}; none for a name-only group
 * @param unicastPeers empty for multicast; otherwise the peers' addresses
 * @param groupExtra YAML lines appended to the group as they are (checks, hooks, tracking),
 *     indented for a key of the group
 */
public record NodeConfig(
    String node,
    String group,
    int vrid,
    String iface,
    int priority,
    Duration advertInterval,
    boolean preempt,
    List<String> addresses,
    List<String> unicastPeers,
    String groupExtra) {

  public NodeConfig {
    addresses = List.copyOf(addresses);
    unicastPeers = List.copyOf(unicastPeers);
  }

  /** Group {@code web}, VRID 51 on eth0, preempting, multicast. */
  public static NodeConfig of(String node, int priority, Duration advertInterval, String... vips) {
    return new NodeConfig(
        node,
        "web",
        51,
        Lab.INTERFACE,
        priority,
        advertInterval,
        true,
        List.of(vips),
        List.of(),
        "");
  }

  public NodeConfig withUnicastPeers(List<String> peers) {
    return new NodeConfig(
        node, group, vrid, iface, priority, advertInterval, preempt, addresses, peers, groupExtra);
  }

  public NodeConfig withPreempt(boolean value) {
    return new NodeConfig(
        node,
        group,
        vrid,
        iface,
        priority,
        advertInterval,
        value,
        addresses,
        unicastPeers,
        groupExtra);
  }

  public NodeConfig withPriority(int value) {
    return new NodeConfig(
        node,
        group,
        vrid,
        iface,
        value,
        advertInterval,
        preempt,
        addresses,
        unicastPeers,
        groupExtra);
  }

  /**
   * A top-level {@code links} section (docs/LINKS.md) for the lab's two LANs ({@link
   * Lab#addSecondLan}): one path to the other of n1/n2 on each, the shared {@code keyFile}, the
   * heartbeat {@code interval} with {@code misses} and {@code goods}, and {@code extra} lines (two
   * spaces in: {@code guard}, {@code routes}) after the peers. For {@link #withGroupYaml}.
   */
  public static String twoLanLinksYaml(
      String node, Path keyFile, Duration interval, int misses, int goods, String extra) {
    return linksYaml(node, keyFile, interval, misses, goods, true, extra);
  }

  /**
   * As {@link #twoLanLinksYaml}, with the path on the second LAN only if {@code secondLan}: LAN A's
   * path alone is a links section a reload can then add LAN B's path to.
   */
  public static String linksYaml(
      String node,
      Path keyFile,
      Duration interval,
      int misses,
      int goods,
      boolean secondLan,
      String extra) {
    String peer = node.equals("n1") ? "n2" : "n1";
    return "links:\n"
        + "  key-file: \""
        + keyFile
        + "\"\n"
        + "  interval: "
        + interval.toMillis()
        + "ms\n"
        + "  misses: "
        + misses
        + "\n"
        + "  goods: "
        + goods
        + "\n"
        + "  peers:\n"
        + "    "
        + peer
        + ":\n"
        + "      - {local: "
        + Lab.ipv4(node)
        + ", peer: "
        + Lab.ipv4(peer)
        + "}\n"
        + (secondLan
            ? "      - {local: " + Lab.lanBIpv4(node) + ", peer: " + Lab.lanBIpv4(peer) + "}\n"
            : "")
        + extra;
  }

  /** Adds raw YAML to the group, e.g. {@code " checks:\n - ...\n"}. */
  public NodeConfig withGroupYaml(String yaml) {
    return new NodeConfig(
        node,
        group,
        vrid,
        iface,
        priority,
        advertInterval,
        preempt,
        addresses,
        unicastPeers,
        groupExtra + yaml);
  }

  public String toYaml() {
    StringBuilder y = new StringBuilder();
    y.append("node: ").append(node).append('\n');
    y.append("announce: { garp-count: 5, garp-interval: 200ms, garp-refresh: 60s }\n");
    y.append("groups:\n");
    y.append("  - name: ").append(group).append('\n');
    y.append("    vrid: ").append(vrid).append('\n');
    y.append("    interface: ").append(iface).append('\n');
    y.append("    priority: ").append(priority).append('\n');
    y.append("    advert-interval: ").append(format(advertInterval)).append('\n');
    y.append("    preempt: ").append(preempt).append('\n');
    if (!addresses.isEmpty()) { // none: a name-only group (names in groupExtra)
      y.append("    addresses: ").append(quotedList(addresses)).append('\n');
    }
    if (!unicastPeers.isEmpty()) {
      y.append("    unicast-peers: ").append(quotedList(unicastPeers)).append('\n');
    }
    y.append(groupExtra);
    return y.toString();
  }

  /** Writes {@code <dir>/<node>.yaml} and returns its path. */
  public Path write(Path dir) {
    return write(dir, "");
  }

  /**
   * Writes {@code <dir>/<node>.yaml} with {@code daemonYaml} (lines indented for a key of the
   * {@code daemon} section, e.g. {@code " realtime-priority: 50\n"}) added to its daemon section.
   */
  public Path write(Path dir, String daemonYaml) {
    Path file = dir.resolve(node + ".yaml");
    try {
      Files.createDirectories(dir);
      // Each node its own state directory (journal, control socket): the lab's nodes share one
      // filesystem.
      Files.writeString(
          file, toYaml() + "daemon:\n  state-dir: \"" + stateDir(dir, node) + "\"\n" + daemonYaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The state directory of {@code node} for configs written to {@code dir}: short and under /tmp,
   * because a Unix socket path (the control socket lives here) is limited to 107 bytes.
   */
  public static Path stateDir(Path dir, String node) {
    return Path.of(
        "/tmp",
        "tkv-" + Integer.toHexString(dir.toAbsolutePath().toString().hashCode()) + "-" + node);
  }

  /** {@code 100ms}, {@code 1s}: the duration syntax of the config file. */
  static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }

  private static String quotedList(List<String> values) {
    // Quoted, because IPv6 literals contain colons.
    return values.stream().map(v -> "\"" + v + "\"").toList().toString();
  }
}
