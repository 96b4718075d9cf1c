package dev.takeover.config;

import dev.takeover.config.ConfigNode.Entry;
import dev.takeover.config.ConfigNode.ListNode;
import dev.takeover.config.ConfigNode.MapNode;
import dev.takeover.config.ConfigNode.Scalar;
import dev.takeover.config.ConfigNode.ScalarKind;
import dev.takeover.wire.ChecksumMode;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Walks a {@link ConfigNode} tree, checks every rule and builds the records.
 *
 * <p>Implementation notes. Every problem is collected, none stops the walk: a reader that finds a
 * bad value reports it and returns {@code null}, and whatever needs that value is skipped (a group
 * with a bad VRID is left out of the VRID uniqueness check instead of producing a second, confusing
 * error). Records are built only when no error was found at all. Every message has the form {@code
 * path: what is wrong; allowed: what would be right}, so an operator never has to look up the rule.
 */
final class ConfigValidator {

  // ---- keys, in the order they are documented ------------------------------------------------

  static final List<String> TOP_KEYS = List.of("node", "announce", "daemon", "groups");
  static final List<String> ANNOUNCE_KEYS = List.of("garp-count", "garp-interval", "garp-refresh");
  static final List<String> DAEMON_KEYS = List.of("realtime-priority", "state-dir");
  static final List<String> GROUP_KEYS =
      List.of(
          "name",
          "vrid",
          "interface",
          "priority",
          "advert-interval",
          "preempt",
          "preempt-delay",
          "accept-mode",
          "checksum",
          "addresses",
          "unicast-peers",
          "unicast-source");

  /** Where a key that is misplaced belongs, for "it belongs under ..." hints. */
  private static final Map<String, String> SECTION_OF_KEY = sectionOfKey();

  // ---- limits ----------------------------------------------------------------------------------

  private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9._-]{1,32}");
  private static final String NODE_NAME_ALLOWED =
      "1..64 characters from A-Z, a-z, 0-9, '.', '_', '-'";
  private static final String GROUP_NAME_ALLOWED =
      "1..32 characters from A-Z, a-z, 0-9, '.', '_', '-'";
  // Linux dev_valid_name() (net/core/dev.c): shorter than IFNAMSIZ (16), not "." or "..",
  // no '/', ':' or whitespace.
  private static final String INTERFACE_ALLOWED =
      "a Linux interface name: 1..15 characters, no '/', ':' or whitespace, not '.' or '..'";

  static final int MAX_GROUPS = 255;

  /** keepalived's limit on addresses in one advert; the VRRP count field itself is 8 bits. */
  static final int MAX_ADDRESSES = 20;

  private static final IntRule VRID = new IntRule(1, 255); // RFC 5798 §5.2.3
  private static final IntRule PRIORITY = new IntRule(1, 255); // RFC 5798 §5.2.4; 0 is "resign"
  private static final IntRule GARP_COUNT = new IntRule(1, 100);
  private static final IntRule REALTIME_PRIORITY = new IntRule(0, 99); // sched_get_priority_max

  // RFC 5798 §5.2.7: Max Advertise Interval is 12 bits of centiseconds, 0 is not meaningful.
  private static final DurationRule ADVERT_INTERVAL =
      new DurationRule(Duration.ofMillis(10), Duration.ofMillis(40_950), 10, false);
  private static final DurationRule PREEMPT_DELAY =
      new DurationRule(Duration.ZERO, Duration.ofHours(1), 1, false);
  private static final DurationRule GARP_INTERVAL =
      new DurationRule(Duration.ofMillis(10), Duration.ofSeconds(10), 1, false);
  private static final DurationRule GARP_REFRESH =
      new DurationRule(Duration.ofSeconds(1), Duration.ofHours(1), 1, true);

  private static final Map<String, ChecksumMode> CHECKSUM_MODES =
      Map.of("rfc5798", ChecksumMode.PSEUDO_HEADER, "rfc9568", ChecksumMode.VRRP_ONLY);
  private static final List<String> CHECKSUM_NAMES = List.of("rfc5798", "rfc9568");

  private static final Set<String> YAML_TRUE = Set.of("true", "yes", "on", "y");

  private static final String UNICAST_ALLOWED =
      "a unicast address (not unspecified, loopback, multicast or broadcast)";
  private static final String VIRTUAL_ADDRESS_ALLOWED =
      "an address with prefix length, e.g. 198.18.0.50/24 or 2001:db8::50/64";

  // ---- state -----------------------------------------------------------------------------------

  private final String source;
  private final List<ConfigError> errors = new ArrayList<>();
  private final List<ConfigError> warnings = new ArrayList<>();

  private ConfigValidator(String source) {
    this.source = source;
  }

  /** Checks the whole tree; {@code root} is empty for an empty file. */
  static ConfigResult validate(Optional<ConfigNode> root, String source) {
    ConfigValidator v = new ConfigValidator(source);
    TakeoverConfig config = v.top(root);
    if (config == null && v.errors.isEmpty()) {
      // Every path that drops a value reports why; reaching this is a bug, but `check` must still
      // say something rather than throw.
      v.error(1, 1, "internal error: the configuration was rejected without a reason");
    }
    if (!v.errors.isEmpty() || config == null) {
      return new ConfigResult.Invalid(v.errors);
    }
    return new ConfigResult.Valid(config, v.warnings);
  }

  // ---- sections --------------------------------------------------------------------------------

  private TakeoverConfig top(Optional<ConfigNode> rootNode) {
    String allowed = "a mapping with keys " + String.join(", ", TOP_KEYS);
    if (rootNode.isEmpty()) {
      error(1, 1, "the file is empty; allowed: " + allowed);
      return null;
    }
    ConfigNode root = rootNode.get();
    if (!(root instanceof MapNode map)) {
      error(root, describe(root) + " is not a mapping; allowed: " + allowed);
      return null;
    }
    Section top = new Section(map, "", TOP_KEYS);
    String node = name(top, "node", NODE_NAME, NODE_NAME_ALLOWED);
    AnnounceConfig announce = announce(top);
    DaemonConfig daemon = daemon(top);
    List<GroupConfig> groups = groups(top);
    if (node == null || announce == null || daemon == null || groups == null) {
      return null;
    }
    return new TakeoverConfig(node, groups, announce, daemon);
  }

  private AnnounceConfig announce(Section top) {
    if (!top.has("announce")) {
      return AnnounceConfig.DEFAULTS;
    }
    Section s = subsection(top, "announce", ANNOUNCE_KEYS);
    if (s == null) {
      return null;
    }
    Integer count = integer(s, "garp-count", GARP_COUNT, AnnounceConfig.DEFAULT_GARP_COUNT);
    Duration interval =
        duration(s, "garp-interval", GARP_INTERVAL, AnnounceConfig.DEFAULT_GARP_INTERVAL);
    Duration refresh =
        duration(s, "garp-refresh", GARP_REFRESH, AnnounceConfig.DEFAULT_REFRESH_INTERVAL);
    if (count == null || interval == null || refresh == null) {
      return null;
    }
    return new AnnounceConfig(count, interval, refresh);
  }

  private DaemonConfig daemon(Section top) {
    if (!top.has("daemon")) {
      return DaemonConfig.DEFAULTS;
    }
    Section s = subsection(top, "daemon", DAEMON_KEYS);
    if (s == null) {
      return null;
    }
    Integer priority =
        integer(s, "realtime-priority", REALTIME_PRIORITY, DaemonConfig.DEFAULT_REALTIME_PRIORITY);
    Path stateDir = stateDir(s);
    if (priority == null || stateDir == null) {
      return null;
    }
    return new DaemonConfig(priority, stateDir);
  }

  private Path stateDir(Section s) {
    String allowed = "an absolute path, e.g. " + DaemonConfig.DEFAULT_STATE_DIR;
    if (!s.has("state-dir")) {
      return DaemonConfig.DEFAULT_STATE_DIR;
    }
    Scalar value = scalarText(s, "state-dir", allowed);
    if (value == null) {
      return null;
    }
    try {
      Path path = Path.of(value.text());
      if (path.isAbsolute()) {
        return path.normalize();
      }
      reject(value, s.path("state-dir"), "is not an absolute path", allowed);
    } catch (InvalidPathException e) {
      reject(value, s.path("state-dir"), "is not a valid path", allowed);
    }
    return null;
  }

  // ---- groups ----------------------------------------------------------------------------------

  /** A group's values as far as they could be read, with where they were written. */
  private record Draft(
      String path,
      String name,
      Entry nameEntry,
      Integer vrid,
      Entry vridEntry,
      String interfaceName,
      List<Located> addresses,
      AddressFamily family,
      GroupConfig config) {}

  private record Located(VirtualAddress address, ConfigNode node, String path) {}

  private List<GroupConfig> groups(Section top) {
    String allowed = "a list of 1.." + MAX_GROUPS + " groups";
    ListNode list = listOf(top, "groups", allowed);
    if (list == null) {
      return null;
    }
    if (list.items().isEmpty() || list.items().size() > MAX_GROUPS) {
      error(
          list,
          "groups: "
              + count(list.items().size(), "group")
              + "; allowed: 1.."
              + MAX_GROUPS
              + " groups");
    }
    List<Draft> drafts = new ArrayList<>();
    for (int i = 0; i < list.items().size(); i++) {
      Draft d = group(i, list.items().get(i));
      if (d != null) {
        drafts.add(d);
      }
    }
    checkUniqueNames(drafts);
    checkUniqueVrids(drafts);
    checkUniqueAddresses(drafts);
    List<GroupConfig> groups = new ArrayList<>();
    for (Draft d : drafts) {
      if (d.config() == null) {
        return null;
      }
      groups.add(d.config());
    }
    return drafts.size() == list.items().size() ? groups : null;
  }

  private Draft group(int index, ConfigNode node) {
    String path = "groups[" + index + "]";
    if (!(node instanceof MapNode map)) {
      reject(
          node, path, "is not a mapping", "a mapping with keys " + String.join(", ", GROUP_KEYS));
      return null;
    }
    Section s = new Section(map, path, GROUP_KEYS);
    String name = name(s, "name", GROUP_NAME, GROUP_NAME_ALLOWED);
    Integer vrid = integer(s, "vrid", VRID, null);
    String interfaceName = interfaceName(s);
    Integer priority = integer(s, "priority", PRIORITY, GroupConfig.DEFAULT_PRIORITY);
    Duration advertInterval =
        duration(s, "advert-interval", ADVERT_INTERVAL, GroupConfig.DEFAULT_ADVERT_INTERVAL);
    Boolean preempt = bool(s, "preempt", GroupConfig.DEFAULT_PREEMPT);
    Duration preemptDelay =
        duration(s, "preempt-delay", PREEMPT_DELAY, GroupConfig.DEFAULT_PREEMPT_DELAY);
    Boolean acceptMode = bool(s, "accept-mode", GroupConfig.DEFAULT_ACCEPT_MODE);
    ChecksumMode checksum = checksum(s);
    List<Located> addresses = addresses(s);
    AddressFamily family =
        addresses == null || addresses.isEmpty() ? null : addresses.getFirst().address().family();
    List<InetAddress> peers = unicastPeers(s, family, addresses);
    Optional<InetAddress> unicastSource = unicastSource(s, family, addresses, peers);

    if (Boolean.FALSE.equals(preempt) && preemptDelay != null && !preemptDelay.isZero()) {
      reject(
          s.entry("preempt-delay").value(),
          s.path("preempt-delay"),
          "needs preempt: true, but preempt is false",
          "0s, or set preempt: true");
    }
    if (priority != null && priority == GroupConfig.OWNER_PRIORITY) {
      warning(
          s.entry("priority").value(),
          s.path("priority")
              + ": 255 makes this node the address owner (RFC 5798 §5.2.4); it must really own"
              + " the virtual addresses, and it always preempts");
      if (Boolean.FALSE.equals(preempt)) {
        warning(
            s.entry("preempt").value(),
            s.path("preempt")
                + ": false is ignored at priority 255; the address owner always preempts"
                + " (RFC 5798 §6.1)");
      }
    }
    if (family == AddressFamily.IPV6 && s.has("checksum") && checksum != null) {
      warning(
          s.entry("checksum").value(),
          s.path("checksum")
              + ": has no effect on an IPv6 group; IPv6 always checksums the pseudo-header"
              + " (RFC 5798 §5.2.8)");
    }

    GroupConfig config = null;
    if (name != null
        && vrid != null
        && interfaceName != null
        && priority != null
        && advertInterval != null
        && preempt != null
        && preemptDelay != null
        && acceptMode != null
        && checksum != null
        && family != null
        && peers != null
        && unicastSource != null) {
      config =
          new GroupConfig(
              name,
              vrid,
              interfaceName,
              priority,
              advertInterval,
              preempt,
              preemptDelay,
              acceptMode,
              addresses.stream().map(Located::address).toList(),
              peers,
              unicastSource,
              checksum,
              family);
    }
    return new Draft(
        path,
        name,
        s.entry("name"),
        vrid,
        s.entry("vrid"),
        interfaceName,
        addresses == null ? List.of() : addresses,
        family,
        config);
  }

  private String interfaceName(Section s) {
    Scalar value = scalarText(s, "interface", INTERFACE_ALLOWED);
    if (value == null) {
      return null;
    }
    String name = value.text();
    boolean valid =
        !name.isEmpty()
            && name.length() <= 15
            && !name.equals(".")
            && !name.equals("..")
            && name.chars().noneMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c));
    if (!valid) {
      reject(value, s.path("interface"), "is not a valid interface name", INTERFACE_ALLOWED);
      return null;
    }
    return name;
  }

  private ChecksumMode checksum(Section s) {
    String allowed = String.join(", ", CHECKSUM_NAMES);
    if (!s.has("checksum")) {
      return GroupConfig.DEFAULT_CHECKSUM_MODE;
    }
    Scalar value = scalarText(s, "checksum", allowed);
    if (value == null) {
      return null;
    }
    ChecksumMode mode = CHECKSUM_MODES.get(value.text());
    if (mode == null) {
      reject(
          value,
          s.path("checksum"),
          "is not a checksum mode" + didYouMean(value.text(), CHECKSUM_NAMES),
          allowed);
    }
    return mode;
  }

  /** The group's virtual addresses; null if the list itself is unusable. */
  private List<Located> addresses(Section s) {
    String allowed = "a list of 1.." + MAX_ADDRESSES + " addresses, e.g. [198.18.0.50/24]";
    if (!s.has("addresses")) {
      missing(s, "addresses", allowed);
      return null;
    }
    ListNode list = listOf(s, "addresses", allowed);
    if (list == null) {
      return null;
    }
    if (list.items().isEmpty() || list.items().size() > MAX_ADDRESSES) {
      error(
          list,
          s.path("addresses")
              + ": "
              + count(list.items().size(), "address")
              + "; allowed: 1.."
              + MAX_ADDRESSES
              + " addresses per group");
    }
    List<Located> result = new ArrayList<>();
    Map<InetAddress, String> seen = new HashMap<>();
    boolean allValid = true;
    for (int i = 0; i < list.items().size(); i++) {
      ConfigNode item = list.items().get(i);
      String path = s.path("addresses") + "[" + i + "]";
      VirtualAddress va = virtualAddress(item, path);
      if (va == null) {
        allValid = false;
        continue;
      }
      if (!result.isEmpty() && va.family() != result.getFirst().address().family()) {
        Located first = result.getFirst();
        error(
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
        error(
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

  private VirtualAddress virtualAddress(ConfigNode item, String path) {
    if (!(item instanceof Scalar scalar) || scalar.kind() != ScalarKind.STRING) {
      reject(item, path, "is not an address", VIRTUAL_ADDRESS_ALLOWED);
      return null;
    }
    String text = scalar.text();
    int slash = text.indexOf('/');
    if (slash < 0) {
      String example = text.contains(":") ? "/64 or /128" : "/24 or /32";
      reject(
          item,
          path,
          "has no prefix length",
          VIRTUAL_ADDRESS_ALLOWED + " (" + example + " for a single host)");
      return null;
    }
    Optional<InetAddress> parsed = IpLiterals.parse(text.substring(0, slash));
    if (parsed.isEmpty()) {
      reject(item, path, IpLiterals.problem(text.substring(0, slash)), VIRTUAL_ADDRESS_ALLOWED);
      return null;
    }
    InetAddress address = parsed.get();
    boolean v4 = address instanceof Inet4Address;
    int maxPrefix = v4 ? 32 : 128;
    String prefixText = text.substring(slash + 1);
    if (!prefixText.matches("[1-9][0-9]{0,2}") || Integer.parseInt(prefixText) > maxPrefix) {
      reject(
          item,
          path,
          "has prefix length " + quote(prefixText),
          "1.." + maxPrefix + " for " + (v4 ? "IPv4" : "IPv6"));
      return null;
    }
    int prefix = Integer.parseInt(prefixText);
    String kind = unusableKind(address);
    if (kind != null) {
      reject(item, path, "is " + kind, UNICAST_ALLOWED);
      return null;
    }
    if (v4 && prefix < 31) {
      // RFC 3021: /31 and /32 have no network or broadcast address; shorter prefixes do.
      int bits = toInt(address);
      int mask = -1 << (32 - prefix);
      String network = IpLiterals.format(fromInt(bits & mask)) + "/" + prefix;
      String hostRule = "a host address, not the network or broadcast address of its prefix";
      if ((bits & ~mask) == 0) {
        reject(item, path, "is the network address of " + network, hostRule);
        return null;
      }
      if ((bits | mask) == -1) {
        reject(item, path, "is the broadcast address of " + network, hostRule);
        return null;
      }
    }
    return new VirtualAddress(address, prefix);
  }

  private List<InetAddress> unicastPeers(Section s, AddressFamily family, List<Located> vips) {
    String allowed = "a list of peer addresses, e.g. [198.18.0.2]";
    if (!s.has("unicast-peers")) {
      return List.of();
    }
    ListNode list = listOf(s, "unicast-peers", allowed);
    if (list == null) {
      return null;
    }
    if (list.items().isEmpty()) {
      error(
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
      InetAddress peer = plainAddress(item, path, family, vips, "peer");
      if (peer == null) {
        allValid = false;
        continue;
      }
      Integer earlier = seen.putIfAbsent(peer, i);
      if (earlier != null) {
        error(
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

  private Optional<InetAddress> unicastSource(
      Section s, AddressFamily family, List<Located> vips, List<InetAddress> peers) {
    if (!s.has("unicast-source")) {
      return Optional.empty();
    }
    ConfigNode node = s.entry("unicast-source").value();
    if (!s.has("unicast-peers")) {
      reject(
          node,
          s.path("unicast-source"),
          "is set without unicast-peers",
          "only together with unicast-peers");
      return null;
    }
    Scalar value = scalarText(s, "unicast-source", "an address of this node, e.g. 198.18.0.1");
    if (value == null) {
      return null;
    }
    InetAddress source = plainAddress(value, s.path("unicast-source"), family, vips, "source");
    if (source == null) {
      return null;
    }
    if (peers != null && peers.contains(source)) {
      error(
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
      ConfigNode item, String path, AddressFamily family, List<Located> vips, String role) {
    String allowed =
        "a plain "
            + (family == null ? "IP" : family.displayName())
            + " address, e.g. "
            + (family == AddressFamily.IPV6 ? "2001:db8::2" : "198.18.0.2");
    if (!(item instanceof Scalar scalar) || scalar.kind() != ScalarKind.STRING) {
      reject(item, path, "is not an address", allowed);
      return null;
    }
    if (scalar.text().contains("/")) {
      reject(item, path, "has a prefix length", allowed);
      return null;
    }
    Optional<InetAddress> parsed = IpLiterals.parse(scalar.text());
    if (parsed.isEmpty()) {
      reject(item, path, IpLiterals.problem(scalar.text()), allowed);
      return null;
    }
    InetAddress address = parsed.get();
    String kind = unusableKind(address);
    if (kind != null) {
      reject(item, path, "is " + kind, UNICAST_ALLOWED);
      return null;
    }
    if (family != null && AddressFamily.of(address) != family) {
      reject(
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
          reject(
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
  private static String unusableKind(InetAddress address) {
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

  // ---- whole-file checks -----------------------------------------------------------------------

  private void checkUniqueNames(List<Draft> drafts) {
    Map<String, Draft> byName = new HashMap<>();
    for (Draft d : drafts) {
      if (d.name() == null) {
        continue;
      }
      Draft first = byName.putIfAbsent(d.name(), d);
      if (first != null) {
        error(
            d.nameEntry().value(),
            d.path()
                + ".name: "
                + quote(d.name())
                + " is already the name of "
                + first.path()
                + " (line "
                + first.nameEntry().value().line()
                + "); allowed: a name no other group has");
      }
    }
  }

  // RFC 5798 §6.1: a VRID identifies a virtual router on one LAN, separately for IPv4 and IPv6.
  private void checkUniqueVrids(List<Draft> drafts) {
    Map<String, Draft> byKey = new HashMap<>();
    for (Draft d : drafts) {
      if (d.vrid() == null || d.interfaceName() == null || d.family() == null) {
        continue;
      }
      String key = d.interfaceName() + "/" + d.family() + "/" + d.vrid();
      Draft first = byKey.putIfAbsent(key, d);
      if (first != null) {
        error(
            d.vridEntry().value(),
            d.path()
                + ".vrid: "
                + d.vrid()
                + " is already used on "
                + d.interfaceName()
                + " for "
                + d.family().displayName()
                + " by "
                + groupLabel(first)
                + " (line "
                + first.vridEntry().value().line()
                + "); allowed: one group per VRID, interface and address family");
      }
    }
  }

  private void checkUniqueAddresses(List<Draft> drafts) {
    Map<InetAddress, Draft> owner = new HashMap<>();
    Map<InetAddress, Located> where = new HashMap<>();
    for (Draft d : drafts) {
      for (Located a : d.addresses()) {
        InetAddress ip = a.address().address();
        Draft first = owner.putIfAbsent(ip, d);
        if (first != null && first != d) {
          error(
              a.node(),
              a.path()
                  + ": "
                  + IpLiterals.format(ip)
                  + " is already a virtual address of "
                  + groupLabel(first)
                  + " (line "
                  + where.get(ip).node().line()
                  + "); allowed: each virtual address in one group only");
        } else {
          where.putIfAbsent(ip, a);
        }
      }
    }
  }

  private static String groupLabel(Draft d) {
    return d.name() == null ? d.path() : "group " + quote(d.name());
  }

  // ---- typed readers ---------------------------------------------------------------------------

  /** An inclusive integer range. */
  private record IntRule(int min, int max) {
    String allowed() {
      return min + ".." + max;
    }
  }

  /**
   * An inclusive duration range, a step all values must be a multiple of, and whether zero is
   * allowed below the range as "off".
   */
  private record DurationRule(Duration min, Duration max, long stepMillis, boolean zeroMeansOff) {
    String allowed() {
      String range = Durations.format(min) + ".." + Durations.format(max);
      if (stepMillis > 1) {
        range += " in steps of " + stepMillis + "ms";
      }
      return zeroMeansOff ? "0s (off) or " + range : range;
    }

    boolean inRange(Duration d) {
      return (zeroMeansOff && d.isZero()) || (d.compareTo(min) >= 0 && d.compareTo(max) <= 0);
    }
  }

  private Integer integer(Section s, String key, IntRule rule, Integer defaultValue) {
    if (!s.has(key) && defaultValue != null) {
      return defaultValue;
    }
    ConfigNode node = value(s, key, "an integer " + rule.allowed());
    if (node == null) {
      return null;
    }
    if (!(node instanceof Scalar scalar) || scalar.kind() != ScalarKind.INTEGER) {
      reject(node, s.path(key), "is not an integer", rule.allowed());
      return null;
    }
    BigInteger value = scalar.integer();
    if (value.compareTo(BigInteger.valueOf(rule.min())) < 0
        || value.compareTo(BigInteger.valueOf(rule.max())) > 0) {
      reject(node, s.path(key), "is out of range", rule.allowed());
      return null;
    }
    return value.intValueExact();
  }

  private Duration duration(Section s, String key, DurationRule rule, Duration defaultValue) {
    if (!s.has(key)) {
      return defaultValue;
    }
    String allowed = rule.allowed();
    ConfigNode node = value(s, key, "a duration " + allowed);
    if (node == null) {
      return null;
    }
    if (!(node instanceof Scalar scalar)
        || scalar.kind() == ScalarKind.BOOLEAN
        || scalar.kind() == ScalarKind.ALIAS) {
      reject(node, s.path(key), "is not a duration", Durations.SYNTAX);
      return null;
    }
    Duration d;
    try {
      d = Durations.parse(scalar.text());
    } catch (Durations.InvalidDurationException e) {
      reject(node, s.path(key), e.getMessage(), Durations.SYNTAX);
      return null;
    }
    if (!rule.inRange(d)) {
      reject(node, s.path(key), "is out of range", allowed);
      return null;
    }
    if (d.toMillis() % rule.stepMillis() != 0) {
      reject(node, s.path(key), "is not a multiple of " + rule.stepMillis() + "ms", allowed);
      return null;
    }
    return d;
  }

  private Boolean bool(Section s, String key, boolean defaultValue) {
    if (!s.has(key)) {
      return defaultValue;
    }
    ConfigNode node = value(s, key, "true or false");
    if (node == null) {
      return null;
    }
    if (!(node instanceof Scalar scalar) || scalar.kind() != ScalarKind.BOOLEAN) {
      reject(node, s.path(key), "is not a boolean", "true or false");
      return null;
    }
    // YAML 1.1 also spells booleans yes/no, on/off; Jackson resolved the kind, only the sign is
    // left.
    return YAML_TRUE.contains(scalar.text().toLowerCase(Locale.ROOT));
  }

  private String name(Section s, String key, Pattern pattern, String allowed) {
    Scalar value = scalarText(s, key, allowed);
    if (value == null) {
      return null;
    }
    if (!pattern.matcher(value.text()).matches()) {
      reject(value, s.path(key), "is not a valid name", allowed);
      return null;
    }
    return value.text();
  }

  /** A required key's scalar value whose text is used as is (names, paths, addresses). */
  private Scalar scalarText(Section s, String key, String allowed) {
    if (!s.has(key)) {
      missing(s, key, allowed);
      return null;
    }
    ConfigNode node = value(s, key, allowed);
    if (node == null) {
      return null;
    }
    if (!(node instanceof Scalar scalar) || scalar.kind() == ScalarKind.ALIAS) {
      reject(node, s.path(key), "is not a single value", allowed);
      return null;
    }
    return scalar;
  }

  /** The value of a key; null, with the error reported, when the key is missing or has no value. */
  private ConfigNode value(Section s, String key, String allowed) {
    Entry entry = s.entry(key);
    if (entry == null) {
      missing(s, key, allowed);
      return null;
    }
    ConfigNode node = entry.value();
    if (node instanceof Scalar scalar && scalar.kind() == ScalarKind.NULL) {
      // The null token sits after the colon; the key is where the operator will look.
      error(entry.line(), entry.column(), s.path(key) + ": has no value; allowed: " + allowed);
      return null;
    }
    if (node instanceof Scalar scalar && scalar.kind() == ScalarKind.ALIAS) {
      error(
          node,
          s.path(key) + ": alias *" + scalar.text() + " is not supported; allowed: " + allowed);
      return null;
    }
    return node;
  }

  private ListNode listOf(Section s, String key, String allowed) {
    ConfigNode node = value(s, key, allowed);
    if (node == null) {
      return null;
    }
    if (!(node instanceof ListNode list)) {
      reject(node, s.path(key), "is not a list", allowed);
      return null;
    }
    return list;
  }

  private Section subsection(Section parent, String key, List<String> keys) {
    String allowed = "a mapping with keys " + String.join(", ", keys);
    ConfigNode node = value(parent, key, allowed);
    if (node == null) {
      return null;
    }
    if (!(node instanceof MapNode map)) {
      reject(node, parent.path(key), "is not a mapping", allowed);
      return null;
    }
    return new Section(map, parent.path(key), keys);
  }

  private void missing(Section s, String key, String allowed) {
    String where = s.prefix.isEmpty() ? "" : s.prefix + ": ";
    error(s.map, where + "missing required key " + quote(key) + "; allowed: " + allowed);
  }

  // ---- mappings with known keys
  // ------------------------------------------------------------------

  /** A mapping whose keys were checked against the allowed ones when it was opened. */
  private final class Section {
    final MapNode map;
    final String prefix;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    Section(MapNode map, String prefix, List<String> keys) {
      this.map = map;
      this.prefix = prefix;
      String where = prefix.isEmpty() ? "" : prefix + ": ";
      for (Entry e : map.entries()) {
        if (!keys.contains(e.key())) {
          error(
              e.line(),
              e.column(),
              where
                  + "unknown key "
                  + quote(e.key())
                  + hint(e.key(), keys)
                  + "; allowed: "
                  + String.join(", ", keys));
        } else if (entries.containsKey(e.key())) {
          error(
              e.line(),
              e.column(),
              where
                  + "duplicate key "
                  + quote(e.key())
                  + " (first at line "
                  + entries.get(e.key()).line()
                  + "); allowed: each key once");
        } else {
          entries.put(e.key(), e);
        }
      }
    }

    boolean has(String key) {
      return entries.containsKey(key);
    }

    Entry entry(String key) {
      return entries.get(key);
    }

    String path(String key) {
      return prefix.isEmpty() ? key : prefix + "." + key;
    }
  }

  private static String hint(String key, List<String> keys) {
    String here = didYouMean(key, keys);
    if (!here.isEmpty()) {
      return here;
    }
    String section = SECTION_OF_KEY.get(Suggestions.kebab(key));
    return section == null ? "" : " (it belongs " + section + ")";
  }

  private static String didYouMean(String wrong, List<String> candidates) {
    return Suggestions.closest(wrong, candidates)
        .map(c -> " (did you mean " + quote(c) + "?)")
        .orElse("");
  }

  private static Map<String, String> sectionOfKey() {
    Map<String, String> m = new HashMap<>();
    TOP_KEYS.forEach(k -> m.put(k, "at the top level"));
    ANNOUNCE_KEYS.forEach(k -> m.put(k, "under announce"));
    DAEMON_KEYS.forEach(k -> m.put(k, "under daemon"));
    GROUP_KEYS.forEach(k -> m.put(k, "in each entry of groups"));
    return Map.copyOf(m);
  }

  // ---- messages --------------------------------------------------------------------------------

  /** How a value is shown in a message: strings quoted, numbers and booleans as written. */
  private static String describe(ConfigNode node) {
    return switch (node) {
      case MapNode m -> "a mapping";
      case ListNode l -> "a list";
      case Scalar s ->
          switch (s.kind()) {
            case STRING -> quote(s.text());
            case ALIAS -> "alias *" + s.text();
            case NULL -> "an empty value";
            case INTEGER, FLOAT, BOOLEAN -> s.text();
          };
    };
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static String count(int n, String noun) {
    if (n == 0) {
      return "an empty list";
    }
    String plural = noun.endsWith("s") ? noun + "es" : noun + "s";
    return n + " " + (n == 1 ? noun : plural);
  }

  /** Reports {@code path: <value> <problem>; allowed: <allowed>} at the value. */
  private void reject(ConfigNode value, String path, String problem, String allowed) {
    error(value, path + ": " + describe(value) + " " + problem + "; allowed: " + allowed);
  }

  private void error(ConfigNode at, String message) {
    error(at.line(), at.column(), message);
  }

  private void error(int line, int column, String message) {
    errors.add(new ConfigError(source, line, column, message));
  }

  private void warning(ConfigNode at, String message) {
    warnings.add(new ConfigError(source, at.line(), at.column(), message));
  }

  private static int toInt(InetAddress v4) {
    byte[] b = v4.getAddress();
    return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
  }

  private static InetAddress fromInt(int bits) {
    byte[] b = {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
    try {
      return InetAddress.getByAddress(b);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError("four bytes are always an IPv4 address", e);
    }
  }
}
