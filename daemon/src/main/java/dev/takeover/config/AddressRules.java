package dev.takeover.config;

import static dev.takeover.config.Diagnostics.quote;

import dev.takeover.config.ConfigNode.ListNode;
import dev.takeover.config.ConfigNode.Scalar;
import dev.takeover.config.ConfigNode.ScalarKind;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A group's addresses: its virtual addresses, and the unicast peers and source its adverts use. One
 * family per group; peers and source are plain unicast addresses of that family that are not
 * virtual addresses.
 */
final class AddressRules {

  /** keepalived's limit on addresses in one advert; the VRRP count field itself is 8 bits. */
  static final int MAX_ADDRESSES = 20;

  private static final String UNICAST_ALLOWED =
      "a unicast address (not unspecified, loopback, multicast or broadcast)";
  private static final String VIRTUAL_ADDRESS_ALLOWED =
      "an address with prefix length, e.g. 198.18.0.50/24 or 2001:db8::50/64";

  static final List<String> ADDRESS_KEYS = List.of("address", "interface", "label", "scope");

  private static final String LABEL_ALLOWED =
      "the interface's name, optionally followed by more, e.g. \"eth1:vip\", at most 15 bytes";
  private static final String SCOPE_ALLOWED = "global, site, link, host or a number 0..255";

  /** A virtual address with where it was written. */
  record Located(VirtualAddress address, ConfigNode node, String path) {}

  private final Readers read;
  private final Diagnostics diagnostics;

  AddressRules(Readers read) {
    this.read = read;
    this.diagnostics = read.diagnostics;
  }

  /** The group's virtual addresses; null if the list itself is unusable. */
  List<Located> addresses(Section s, String groupInterface) {
    String allowed = "a list of 1.." + MAX_ADDRESSES + " addresses, e.g. [198.18.0.50/24]";
    if (!s.has("addresses")) {
      read.missing(s, "addresses", allowed);
      return null;
    }
    ListNode list = read.listOf(s, "addresses", allowed);
    if (list == null) {
      return null;
    }
    read.counted(list, s.path("addresses"), "address", 1, MAX_ADDRESSES, "addresses per group");
    List<Located> result = new ArrayList<>();
    Map<InetAddress, String> seen = new HashMap<>();
    boolean allValid = true;
    for (int i = 0; i < list.items().size(); i++) {
      ConfigNode item = list.items().get(i);
      String path = s.path("addresses") + "[" + i + "]";
      VirtualAddress va =
          item instanceof ConfigNode.MapNode
              ? addressEntry(item, path, groupInterface)
              : virtualAddress(item, path);
      if (va == null) {
        allValid = false;
        continue;
      }
      if (!result.isEmpty() && va.family() != result.getFirst().address().family()) {
        Located first = result.getFirst();
        diagnostics.error(
            item,
            path
                + ": "
                + va
                + " is "
                + va.family().displayName()
                + " but "
                + first.address()
                + " (line "
                + first.node().line()
                + ") is "
                + first.address().family().displayName()
                + "; allowed: one address family per group (use a second group for the other"
                + " family)");
        allValid = false;
        continue;
      }
      String earlier =
          seen.putIfAbsent(va.address(), "addresses[" + i + "] (line " + item.line() + ")");
      if (earlier != null) {
        diagnostics.error(
            item,
            path
                + ": "
                + IpLiterals.format(va.address())
                + " is already listed at "
                + earlier
                + "; allowed: each address once");
        allValid = false;
        continue;
      }
      result.add(new Located(va, item, path));
    }
    return allValid ? result : null;
  }

  /**
   * The long form {@code {address, interface, label, scope}} (keepalived's {@code dev}, {@code
   * label}, {@code scope}). An interface equal to the group's is the group's.
   */
  private VirtualAddress addressEntry(ConfigNode item, String path, String groupInterface) {
    Section e = read.mapping(item, path, ADDRESS_KEYS);
    if (e == null) {
      return null;
    }
    Scalar text = read.scalarText(e, "address", VIRTUAL_ADDRESS_ALLOWED);
    VirtualAddress plain = text == null ? null : virtualAddress(text, e.path("address"));
    boolean valid = plain != null;
    String ifname = null;
    if (e.has("interface")) {
      ifname = read.interfaceName(e);
      valid &= ifname != null;
    }
    String on = ifname != null ? ifname : groupInterface;
    Optional<String> label = Optional.empty();
    if (e.has("label")) {
      Scalar l = read.scalarText(e, "label", LABEL_ALLOWED);
      String problem =
          l == null
              ? null
              : plain != null && plain.family() == AddressFamily.IPV6
                  ? "is set on an IPv6 address (IPv6 addresses have no label)"
                  : labelProblem(l.text(), on);
      if (l == null) {
        valid = false;
      } else if (problem != null) {
        diagnostics.reject(
            l,
            e.path("label"),
            problem,
            plain != null && plain.family() == AddressFamily.IPV6
                ? "no label on an IPv6 address"
                : on == null
                    ? LABEL_ALLOWED
                    : "the interface's name, optionally followed by more, e.g. "
                        + quote(on + ":vip")
                        + ", at most 15 bytes");
        valid = false;
      } else {
        label = Optional.of(l.text());
      }
    }
    int scope = VirtualAddress.SCOPE_GLOBAL;
    if (e.has("scope")) {
      Scalar sc = read.scalarText(e, "scope", SCOPE_ALLOWED);
      Integer parsed = sc == null ? null : scope(sc.text());
      if (sc != null && parsed == null) {
        diagnostics.reject(sc, e.path("scope"), "is not a scope", SCOPE_ALLOWED);
      }
      if (parsed == null) {
        valid = false;
      } else {
        scope = parsed;
      }
    }
    if (!valid) {
      return null;
    }
    Optional<String> other =
        ifname == null || ifname.equals(groupInterface) ? Optional.empty() : Optional.of(ifname);
    return new VirtualAddress(plain.address(), plain.prefixLength(), other, label, scope);
  }

  /**
   * Why the kernel would not take {@code label} for an address on {@code ifname}, or null. iproute2
   * ({@code ip addr add ... label}) insists the label starts with the device's name, and the
   * ifconfig-era tools that read labels take {@code eth1:vip} as an alias of {@code eth1}; the
   * kernel keeps at most IFNAMSIZ - 1 bytes.
   */
  static String labelProblem(String label, String ifname) {
    int bytes = label.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (bytes >= Readers.IFNAMSIZ) {
      return "is " + bytes + " bytes long";
    }
    if (ifname != null && !label.startsWith(ifname)) {
      return "does not start with the interface's name " + quote(ifname);
    }
    return null;
  }

  /** A scope by name as {@code ip addr} writes it (rtnetlink's rt_scope), or by number. */
  static Integer scope(String text) {
    return switch (text) {
      case "global" -> VirtualAddress.SCOPE_GLOBAL;
      case "site" -> VirtualAddress.SCOPE_SITE;
      case "link" -> VirtualAddress.SCOPE_LINK;
      case "host" -> VirtualAddress.SCOPE_HOST;
      default ->
          text.matches("[0-9]{1,3}") && Integer.parseInt(text) <= 255
              ? Integer.parseInt(text)
              : null;
    };
  }

  private VirtualAddress virtualAddress(ConfigNode item, String path) {
    if (!(item instanceof Scalar scalar) || scalar.kind() != ScalarKind.STRING) {
      diagnostics.reject(item, path, "is not an address", VIRTUAL_ADDRESS_ALLOWED);
      return null;
    }
    String text = scalar.text();
    int slash = text.indexOf('/');
    if (slash < 0) {
      String example = text.contains(":") ? "/64 or /128" : "/24 or /32";
      diagnostics.reject(
          item,
          path,
          "has no prefix length",
          VIRTUAL_ADDRESS_ALLOWED + " (" + example + " for a single host)");
      return null;
    }
    Optional<InetAddress> parsed = IpLiterals.parse(text.substring(0, slash));
    if (parsed.isEmpty()) {
      diagnostics.reject(
          item, path, IpLiterals.problem(text.substring(0, slash)), VIRTUAL_ADDRESS_ALLOWED);
      return null;
    }
    InetAddress address = parsed.get();
    boolean v4 = address instanceof Inet4Address;
    int maxPrefix = v4 ? 32 : 128;
    String prefixText = text.substring(slash + 1);
    if (!prefixText.matches("[1-9][0-9]{0,2}") || Integer.parseInt(prefixText) > maxPrefix) {
      diagnostics.reject(
          item,
          path,
          "has prefix length " + quote(prefixText),
          "1.." + maxPrefix + " for " + (v4 ? "IPv4" : "IPv6"));
      return null;
    }
    int prefix = Integer.parseInt(prefixText);
    String kind = unusableKind(address);
    if (kind != null) {
      diagnostics.reject(item, path, "is " + kind, UNICAST_ALLOWED);
      return null;
    }
    if (v4 && prefix < 31) {
      // RFC 3021: /31 and /32 have no network or broadcast address; shorter prefixes do.
      int bits = toInt(address);
      int mask = -1 << (32 - prefix);
      String network = IpLiterals.format(fromInt(bits & mask)) + "/" + prefix;
      String hostRule = "a host address, not the network or broadcast address of its prefix";
      if ((bits & ~mask) == 0) {
        diagnostics.reject(item, path, "is the network address of " + network, hostRule);
        return null;
      }
      if ((bits | mask) == -1) {
        diagnostics.reject(item, path, "is the broadcast address of " + network, hostRule);
        return null;
      }
    }
    return new VirtualAddress(address, prefix);
  }

  List<InetAddress> unicastPeers(Section s, AddressFamily family, List<Located> vips) {
    String allowed = "a list of peer addresses, e.g. [198.18.0.2]";
    if (!s.has("unicast-peers")) {
      return List.of();
    }
    ListNode list = read.listOf(s, "unicast-peers", allowed);
    if (list == null) {
      return null;
    }
    if (list.items().isEmpty()) {
      diagnostics.error(
          list,
          s.path("unicast-peers")
              + ": an empty list; allowed: at least one peer, or leave the key out for multicast");
      return null;
    }
    List<InetAddress> peers = new ArrayList<>();
    Map<InetAddress, Integer> seen = new HashMap<>();
    boolean allValid = true;
    for (int i = 0; i < list.items().size(); i++) {
      ConfigNode item = list.items().get(i);
      String path = s.path("unicast-peers") + "[" + i + "]";
      InetAddress peer = plainAddress(item, path, family, vips);
      if (peer == null) {
        allValid = false;
        continue;
      }
      Integer earlier = seen.putIfAbsent(peer, i);
      if (earlier != null) {
        diagnostics.error(
            item,
            path
                + ": "
                + IpLiterals.format(peer)
                + " is already listed at unicast-peers["
                + earlier
                + "]; allowed: each peer once");
        allValid = false;
        continue;
      }
      peers.add(peer);
    }
    return allValid ? peers : null;
  }

  Optional<InetAddress> unicastSource(
      Section s, AddressFamily family, List<Located> vips, List<InetAddress> peers) {
    if (!s.has("unicast-source")) {
      return Optional.empty();
    }
    ConfigNode node = s.entry("unicast-source").value();
    if (!s.has("unicast-peers")) {
      diagnostics.reject(
          node,
          s.path("unicast-source"),
          "is set without unicast-peers",
          "only together with unicast-peers");
      return null;
    }
    Scalar value = read.scalarText(s, "unicast-source", "an address of this node, e.g. 198.18.0.1");
    if (value == null) {
      return null;
    }
    InetAddress source = plainAddress(value, s.path("unicast-source"), family, vips);
    if (source == null) {
      return null;
    }
    if (peers != null && peers.contains(source)) {
      diagnostics.error(
          value,
          s.path("unicast-source")
              + ": "
              + IpLiterals.format(source)
              + " is also listed in unicast-peers; allowed: an address of this node, not of a"
              + " peer");
      return null;
    }
    return Optional.of(source);
  }

  /** A peer or source address: no prefix, unicast, the group's family, not one of its VIPs. */
  private InetAddress plainAddress(
      ConfigNode item, String path, AddressFamily family, List<Located> vips) {
    String allowed =
        "a plain "
            + (family == null ? "IP" : family.displayName())
            + " address, e.g. "
            + (family == AddressFamily.IPV6 ? "2001:db8::2" : "198.18.0.2");
    if (!(item instanceof Scalar scalar) || scalar.kind() != ScalarKind.STRING) {
      diagnostics.reject(item, path, "is not an address", allowed);
      return null;
    }
    if (scalar.text().contains("/")) {
      diagnostics.reject(item, path, "has a prefix length", allowed);
      return null;
    }
    Optional<InetAddress> parsed = IpLiterals.parse(scalar.text());
    if (parsed.isEmpty()) {
      diagnostics.reject(item, path, IpLiterals.problem(scalar.text()), allowed);
      return null;
    }
    InetAddress address = parsed.get();
    String kind = unusableKind(address);
    if (kind != null) {
      diagnostics.reject(item, path, "is " + kind, UNICAST_ALLOWED);
      return null;
    }
    if (family != null && AddressFamily.of(address) != family) {
      diagnostics.reject(
          item,
          path,
          "is "
              + AddressFamily.of(address).displayName()
              + " but the group's addresses are "
              + family.displayName(),
          allowed);
      return null;
    }
    if (vips != null) {
      for (Located vip : vips) {
        if (vip.address().address().equals(address)) {
          diagnostics.reject(
              item,
              path,
              "is a virtual address of this group (line " + vip.node().line() + ")",
              "an address that stays on its node, not a virtual address");
          return null;
        }
      }
    }
    return address;
  }

  /** Why an address can never be a VRRP address or peer, or null if it can be. */
  static String unusableKind(InetAddress address) {
    if (address.isAnyLocalAddress()) {
      return "the unspecified address";
    }
    if (address.isLoopbackAddress()) {
      return "a loopback address";
    }
    if (address.isMulticastAddress()) {
      return "a multicast address";
    }
    if (address instanceof Inet4Address && toInt(address) == -1) {
      return "the limited broadcast address";
    }
    return null;
  }

  private static int toInt(InetAddress v4) {
    byte[] b = v4.getAddress();
    return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
  }

  private static InetAddress fromInt(int bits) {
    byte[] b = {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError("four bytes are always an IPv4 address", e);
    }
  }
}
