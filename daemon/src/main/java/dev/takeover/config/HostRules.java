package dev.takeover.config;

import static dev.takeover.config.Diagnostics.quote;

import dev.takeover.config.ConfigNode.ListNode;
import dev.takeover.config.ConfigNode.MapNode;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Checks a valid configuration against this machine: the mistakes that pass the pure validator and
 * then make {@code run} fail or misbehave. Interfaces exist, hook and script programs are
 * executable files, unicast peers are not this node, the state directory can be written, and (a
 * warning) each virtual address lies in a subnet of its interface.
 *
 * <p>It walks the same tree the validator read, so every problem keeps its {@code
 * file:line:column}; the validated config gives the values, the tree only the positions. Both list
 * groups, addresses, peers and checks in file order.
 */
final class HostRules {
  private static final int MAX_NAMES_SHOWN = 12;

  private final Diagnostics diagnostics;
  private final HostFacts host;
  private final ConfigNode root;

  private HostRules(Diagnostics diagnostics, HostFacts host, ConfigNode root) {
    this.diagnostics = diagnostics;
    this.host = host;
    this.root = root;
  }

  static void check(ConfigNode root, TakeoverConfig config, HostFacts host, Diagnostics d) {
    HostRules rules = new HostRules(d, host, root);
    for (int i = 0; i < config.groups().size(); i++) {
      rules.group(i, config.groups().get(i));
    }
    rules.stateDir(config.daemon().stateDir());
    List<DnsConfig.Server> servers = config.dns().servers();
    for (int i = 0; i < servers.size(); i++) {
      int index = i;
      servers.get(i).key().ifPresent(k -> rules.keyFile(index, k.secretFile()));
    }
    config.links().keyFile().ifPresent(rules::linkKeyFile);
    List<LinksConfig.LinkRoute> routes = config.links().routes();
    for (int i = 0; i < routes.size(); i++) {
      List<LinksConfig.NextHop> via = routes.get(i).via();
      for (int j = 0; j < via.size(); j++) {
        rules.icmpProbeSource(i, j, via.get(j));
      }
    }
  }

  /**
   * An ICMP gateway probe sends from this node's IPv4 address on the next hop's interface; without
   * one the daemon refuses to start (docs/LINKS.md, "Gateway probes"), so {@code check --host} says
   * so first. A missing interface is the start's to report, as for routes in general.
   */
  private void icmpProbeSource(int route, int hop, LinksConfig.NextHop nextHop) {
    if (nextHop.probe().isPresent() && nextHop.gateway() instanceof java.net.Inet6Address) {
      ipv6ProbeSource(route, hop, nextHop);
      return;
    }
    if (nextHop.probe().isEmpty() || !nextHop.probe().get().kind().equals(LinksConfig.Probe.ICMP)) {
      return;
    }
    Optional<List<HostFacts.HostAddress>> addresses =
        host.interfaceAddresses(nextHop.interfaceName());
    if (addresses.isEmpty()
        || addresses.get().stream().anyMatch(a -> a.address() instanceof Inet4Address)) {
      return;
    }
    diagnostics.error(
        at("links", "routes", route, "via", hop, "probe", "kind"),
        "links.routes["
            + route
            + "].via["
            + hop
            + "].probe.kind: \"icmp\" needs an IPv4 address on "
            + nextHop.interfaceName()
            + " to send from, and it has none; allowed: arp, or an IPv4 address on "
            + nextHop.interfaceName());
  }

  /**
   * A probe of an IPv6 gateway (ndp or icmp) sends from this node's IPv6 address on the next hop's
   * interface, global or link-local; without one the daemon refuses to start.
   */
  private void ipv6ProbeSource(int route, int hop, LinksConfig.NextHop nextHop) {
    Optional<List<HostFacts.HostAddress>> addresses =
        host.interfaceAddresses(nextHop.interfaceName());
    if (addresses.isEmpty()
        || addresses.get().stream().anyMatch(a -> a.address() instanceof java.net.Inet6Address)) {
      return;
    }
    diagnostics.error(
        at("links", "routes", route, "via", hop, "probe"),
        "links.routes["
            + route
            + "].via["
            + hop
            + "].probe: the "
            + nextHop.probe().get().kind()
            + " probe of "
            + IpLiterals.format(nextHop.gateway())
            + " needs an IPv6 address on "
            + nextHop.interfaceName()
            + " to send from, and it has none; allowed: an IPv6 address on "
            + nextHop.interfaceName()
            + ", or no probe");
  }

  /**
   * The node-link key lets anyone who reads it forge heartbeats (and so hold a backup back, or make
   * it claim): it must be a file of 16+ bytes that is not world-readable (docs/LINKS.md).
   */
  private void linkKeyFile(Path file) {
    ConfigNode at = at("links", "key-file");
    String path = "links.key-file: " + quote(file.toString());
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      diagnostics.error(
          at, path + " is not a readable file; allowed: a file of 16 or more bytes (chmod 600)");
      return;
    }
    try {
      if (Files.getPosixFilePermissions(file)
          .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
        diagnostics.error(
            at,
            path
                + " is readable by every user; allowed: a file readable by its owner only"
                + " (chmod 600)");
        return;
      }
      if (Files.size(file) < 16) {
        diagnostics.error(at, path + " holds fewer than 16 bytes; allowed: a key of 16+ bytes");
      }
    } catch (java.io.IOException | UnsupportedOperationException e) {
      diagnostics.error(at, path + " cannot be checked: " + e.getMessage() + "; allowed: a file");
    }
  }

  /**
   * A TSIG secret lets anyone who reads it rewrite the zone: the file must exist and be readable by
   * its owner only. The pure validator cannot stat files, so this is a host rule.
   */
  private void keyFile(int server, Path file) {
    ConfigNode at = at("dns", "servers", server, "key", "secret-file");
    String path = "dns.servers[" + server + "].key.secret-file: " + quote(file.toString());
    if (!Files.isRegularFile(file)) {
      diagnostics.error(at, path + " is not a file; allowed: a file holding the key's secret");
      return;
    }
    if (!Files.isReadable(file)) {
      diagnostics.error(at, path + " cannot be read; allowed: a file this user can read");
      return;
    }
    try {
      java.util.Set<java.nio.file.attribute.PosixFilePermission> perms =
          Files.getPosixFilePermissions(file);
      if (perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
        diagnostics.error(
            at,
            path
                + " is readable by every user; allowed: a file readable by its owner only"
                + " (chmod 600)");
      } else if (perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ)) {
        diagnostics.warning(
            at, path + " is readable by its group; a TSIG secret should be readable by root only");
      }
    } catch (java.io.IOException | UnsupportedOperationException e) {
      diagnostics.error(at, path + " cannot be checked: " + e.getMessage() + "; allowed: a file");
    }
  }

  private void group(int index, GroupConfig group) {
    String path = "groups[" + index + "]";
    Optional<List<HostFacts.HostAddress>> addresses =
        host.interfaceAddresses(group.interfaceName());
    if (addresses.isEmpty()) {
      diagnostics.error(
          at("groups", index, "interface"),
          path
              + ".interface: "
              + quote(group.interfaceName())
              + " does not exist on this host; allowed: "
              + interfacesHere());
    } else {
      for (int k = 0; k < group.addresses().size(); k++) {
        VirtualAddress vip = group.addresses().get(k);
        String on = vip.interfaceOr(group.interfaceName());
        Optional<List<HostFacts.HostAddress>> there =
            vip.interfaceName().isEmpty() ? addresses : host.interfaceAddresses(on);
        if (there.isEmpty()) {
          diagnostics.error(
              at("groups", index, "addresses", k),
              path
                  + ".addresses["
                  + k
                  + "].interface: "
                  + quote(on)
                  + " does not exist on this host; allowed: "
                  + interfacesHere());
          continue;
        }
        List<HostFacts.HostAddress> sameFamily =
            there.get().stream()
                .filter(a -> a.address().getClass() == vip.address().getClass())
                .toList();
        if (sameFamily.stream().noneMatch(a -> inSubnet(vip.address(), a))) {
          diagnostics.warning(
              at("groups", index, "addresses", k),
              path
                  + ".addresses["
                  + k
                  + "]: "
                  + vip
                  + " is in no subnet of "
                  + on
                  + " ("
                  + (sameFamily.isEmpty()
                      ? "it has no " + vip.family().displayName() + " address"
                      : "its subnets: " + join(sameFamily))
                  + "); other hosts may not reach it there");
        }
      }
    }
    List<HostFacts.HostAddress> local = host.localAddresses();
    for (int k = 0; k < group.unicastPeers().size(); k++) {
      InetAddress peer = group.unicastPeers().get(k);
      Optional<HostFacts.HostAddress> own =
          local.stream().filter(a -> a.address().equals(peer)).findFirst();
      if (own.isPresent()) {
        diagnostics.error(
            at("groups", index, "unicast-peers", k),
            path
                + ".unicast-peers["
                + k
                + "]: "
                + peer.getHostAddress()
                + " is an address of this node (on "
                + own.get().interfaceName()
                + "); allowed: the addresses of the other nodes");
      }
    }
    for (int j = 0; j < group.checks().size(); j++) {
      CheckConfig check = group.checks().get(j);
      switch (check.target()) {
        case CheckTarget.Script script ->
            program(
                script.command().getFirst(),
                at("groups", index, "checks", j, "command", 0),
                path + ".checks[" + j + "].command[0]");
        case CheckTarget.Dhcp dhcp when dhcp.interfaceName().isPresent() -> {
          String name = dhcp.interfaceName().get();
          if (host.interfaceAddresses(name).isEmpty()) {
            diagnostics.error(
                at("groups", index, "checks", j, "interface"),
                path
                    + ".checks["
                    + j
                    + "].interface: "
                    + quote(name)
                    + " does not exist on this host; allowed: "
                    + interfacesHere());
          }
        }
        default -> {}
      }
    }
    hook(index, "before-claim", group.hooks().beforeClaim());
    hook(index, "after-claim", group.hooks().afterClaim());
    hook(index, "after-release", group.hooks().afterRelease());
    hook(index, "fault", group.hooks().fault());
    hook(index, "backup", group.hooks().backup());
    hook(index, "stop", group.hooks().stop());
  }

  private void hook(int index, String kind, Optional<HookConfig> hook) {
    hook.ifPresent(
        h ->
            program(
                h.command().getFirst(),
                at("groups", index, "hooks", kind, "command", 0),
                "groups[" + index + "].hooks." + kind + ".command[0]"));
  }

  /** Hooks and script checks run without a shell: argv[0] must be an executable file. */
  private void program(String program, ConfigNode at, String path) {
    Path file = Path.of(program);
    String problem;
    if (!Files.exists(file)) {
      problem = "does not exist";
    } else if (Files.isDirectory(file)) {
      problem = "is a directory";
    } else if (!Files.isExecutable(file)) {
      problem = "is not executable (chmod +x)";
    } else {
      return;
    }
    diagnostics.error(
        at, path + ": " + quote(program) + " " + problem + "; allowed: an executable file");
  }

  /** The daemon writes its socket, journal and state there: writable, or creatable. */
  private void stateDir(Path dir) {
    ConfigNode at = at("daemon", "state-dir");
    String path = "daemon.state-dir: " + quote(dir.toString());
    if (Files.isDirectory(dir)) {
      if (!Files.isWritable(dir)) {
        diagnostics.error(at, path + " is not writable; allowed: a directory this user can write");
      }
      return;
    }
    if (Files.exists(dir)) {
      diagnostics.error(at, path + " is not a directory; allowed: a directory or a new path");
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    while (parent != null && !Files.exists(parent)) {
      parent = parent.getParent();
    }
    if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
      diagnostics.error(
          at,
          path
              + " cannot be created: "
              + (parent == null ? "no parent" : parent + " is not a writable directory")
              + "; allowed: a directory this user can write or create");
    }
  }

  static boolean inSubnet(InetAddress vip, HostFacts.HostAddress net) {
    byte[] a = vip.getAddress();
    byte[] b = net.address().getAddress();
    if (a.length != b.length) {
      return false;
    }
    int bits = a.length * 8;
    int prefix = Math.min(net.prefixLength(), bits);
    BigInteger mask =
        BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftRight(bits - prefix);
    mask = mask.shiftLeft(bits - prefix);
    return new BigInteger(1, a).and(mask).equals(new BigInteger(1, b).and(mask));
  }

  private String interfacesHere() {
    List<String> names = host.interfaceNames();
    String shown = String.join(", ", names.subList(0, Math.min(names.size(), MAX_NAMES_SHOWN)));
    return "an interface of this host ("
        + shown
        + (names.size() > MAX_NAMES_SHOWN ? ", ...)" : ")");
  }

  private static String join(List<HostFacts.HostAddress> addresses) {
    return String.join(", ", addresses.stream().map(HostFacts.HostAddress::toString).toList());
  }

  /**
   * The node at {@code path} (keys and list indexes), or the deepest node on the way if the file
   * has another shape there (a default the file leaves out: then the section or the file start).
   */
  private ConfigNode at(Object... path) {
    ConfigNode node = root;
    for (Object step : path) {
      ConfigNode next =
          switch (node) {
            case MapNode m when step instanceof String key ->
                m.entry(key).map(ConfigNode.Entry::value).orElse(null);
            case ListNode l when step instanceof Integer i && i < l.items().size() ->
                l.items().get(i);
            default -> null;
          };
      if (next == null) {
        return node;
      }
      node = next;
    }
    return node;
  }
}
