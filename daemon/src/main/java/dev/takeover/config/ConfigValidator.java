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
import java.net.URI;
import java.net.URISyntaxException;
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
import java.util.regex.PatternSyntaxException;

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
  static final List<String> ANNOUNCE_KEYS = 
      List.of("garp-count", "garp-interval", "garp-refresh", "handover-hold");
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
          "unicast-source",
          "checks",
          "track-interfaces",
          "hooks");

  /** Keys every check has; the keys of its {@code type} come on top. */
  static final List<String> CHECK_KEYS =
      List.of("name", "type", "interval", "timeout", "rise", "fall", "weight");

  /** The keys of each check type, in the order they are documented. */
  static final Map<String, List<String>> CHECK_TYPE_KEYS = checkTypeKeys();

  static final List<String> CHECK_TYPES = List.copyOf(CHECK_TYPE_KEYS.keySet());
  static final List<String> TRACK_KEYS = List.of("interface", "weight");
  static final List<String> HOOK_KINDS =
      List.of("before-claim", "after-claim", "after-release", "fault", "stop");
  static final List<String> HOOK_KEYS = List.of("command", "timeout", "budget", "env");

  /** Every key of the sections inside a group (checks of every type, tracking, hooks). */
  static List<String> nestedGroupKeys() {
    return java.util.stream.Stream.of(
            CHECK_KEYS,
            CHECK_TYPE_KEYS.values().stream().flatMap(List::stream).toList(),
            TRACK_KEYS,
            HOOK_KINDS,
            HOOK_KEYS)
        .flatMap(List::stream)
        .distinct()
        .toList();
  }

  /** "it belongs in checks of type ..." for a key of another check type. */
  private static final Map<String, String> CHECK_TYPE_OF_KEY = checkTypeOfKey();

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

  static final int MAX_CHECKS = 16;
  static final int MAX_TRACKED_INTERFACES = 16;

  /** keepalived's limit on addresses in one advert; the VRRP count field itself is 8 bits. */
  static final int MAX_ADDRESSES = 20;

  private static final IntRule VRID = new IntRule(1, 255); // RFC 5798 §5.2.3
  private static final IntRule PRIORITY = new IntRule(1, 255); // RFC 5798 §5.2.4; 0 is "resign"
  private static final IntRule GARP_COUNT = new IntRule(1, 100);
  private static final IntRule REALTIME_PRIORITY = new IntRule(0, 99); // sched_get_priority_max
  private static final IntRule RISE_FALL = new IntRule(1, 100);
  private static final IntRule PORT = new IntRule(1, 65535);
  private static final IntRule WEIGHT = new IntRule(Weight.MIN_DELTA, Weight.MAX_DELTA);
  private static final IntRule HTTP_STATUS = new IntRule(100, 599); // RFC 9110 §15

  // RFC 5798 §5.2.7: Max Advertise Interval is 12 bits of centiseconds, 0 is not meaningful.
  private static final DurationRule ADVERT_INTERVAL =
      new DurationRule(Duration.ofMillis(10), Duration.ofMillis(40_950), 10, false);
  private static final DurationRule PREEMPT_DELAY =
      new DurationRule(Duration.ZERO, Duration.ofHours(1), 1, false);
  private static final DurationRule GARP_INTERVAL =
      new DurationRule(Duration.ofMillis(10), Duration.ofSeconds(10), 1, false);
  private static final DurationRule GARP_REFRESH =
      new DurationRule(Duration.ofSeconds(1), Duration.ofHours(1), 1, true);
  private static final DurationRule HANDOVER_HOLD =
      new DurationRule(Duration.ZERO, Duration.ofSeconds(10), 1, false);

  private static final DurationRule CHECK_INTERVAL =
      new DurationRule(Duration.ofMillis(100), Duration.ofHours(1), 1, false);
  private static final DurationRule CHECK_TIMEOUT =
      new DurationRule(Duration.ofMillis(10), Duration.ofSeconds(60), 1, false);
  private static final DurationRule HOOK_TIMEOUT =
      new DurationRule(Duration.ofMillis(100), Duration.ofMinutes(10), 1, false);
  private static final DurationRule HOOK_BUDGET =
      new DurationRule(Duration.ZERO, Duration.ofMinutes(10), 1, false);

  private static final List<String> RECORD_TYPES =
      List.of("A", "AAAA", "CNAME", "MX", "TXT", "NS", "SOA", "PTR", "SRV");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String RESERVED_ENV_PREFIX = "TAKEOVER_";
  // RFC 1123 §2.1 host names; DNS query names may also hold '_' (RFC 2782 SRV owner names).
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
  private static final Pattern QUERY_NAME =
      Pattern.compile(
          "(?=.{1,254}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
              + "(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");
  private static final Pattern STATUS_RANGE = Pattern.compile("([0-9]{1,3})(?:-([0-9]{1,3}))?");

  private static final String CHECK_NAME_ALLOWED = GROUP_NAME_ALLOWED;
  private static final String WEIGHT_ALLOWED =
      "fault, or an integer " + WEIGHT.allowed() + " added to the priority";
  private static final String COMMAND_ALLOWED =
      "a non-empty list: the program's absolute path, then its arguments, e.g."
          + " [/usr/local/bin/check-web, --fast]";
  private static final String ENV_NAME_ALLOWED =
      "a name of A-Z, a-z, 0-9, '_', not starting with a digit or " + RESERVED_ENV_PREFIX;

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
    Duration hold =
        duration(s, "handover-hold", HANDOVER_HOLD, AnnounceConfig.DEFAULT_HANDOVER_HOLD);
    if (count == null || interval == null || refresh == null || hold == null) {
      return null;
    }
    return new AnnounceConfig(count, interval, refresh, hold);
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
    List<CheckConfig> checks = checks(s);
    List<TrackInterface> tracked = trackInterfaces(s, interfaceName);
    GroupHooks hooks = hooks(s);

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
        && unicastSource != null
        && checks != null
        && tracked != null
        && hooks != null) {
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
              family,
              checks,
              tracked,
              hooks);
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

  // ---- health checks ---------------------------------------------------------------------------

  private List<CheckConfig> checks(Section s) {
    if (!s.has("checks")) {
      return List.of();
    }
    String allowed = "a list of 0.." + MAX_CHECKS + " checks";
    ListNode list = listOf(s, "checks", allowed);
    if (list == null) {
      return null;
    }
    boolean allValid = true;
    if (list.items().size() > MAX_CHECKS) {
      error(
          list,
          s.path("checks")
              + ": "
              + count(list.items().size(), "check")
              + "; allowed: 0.."
              + MAX_CHECKS
              + " checks per group");
      allValid = false;
    }
    List<CheckConfig> result = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      String path = s.path("checks") + "[" + i + "]";
      Section c = checkSection(list.items().get(i), path);
      if (c == null) {
        allValid = false;
        continue;
      }
      String name = name(c, "name", GROUP_NAME, CHECK_NAME_ALLOWED);
      if (name != null) {
        ConfigNode at = c.entry("name").value();
        String earlier = seen.putIfAbsent(name, "checks[" + i + "] (line " + at.line() + ")");
        if (earlier != null) {
          error(
              at,
              c.path("name")
                  + ": "
                  + quote(name)
                  + " is already the name of "
                  + earlier
                  + "; allowed: a name no other check of this group has");
          name = null;
        }
      }
      CheckConfig check = check(c, name);
      if (check == null) {
        allValid = false;
      } else {
        result.add(check);
      }
    }
    return allValid ? result : null;
  }

  /**
   * Opens one check's mapping with the keys of its type. When the type is missing or unknown, the
   * keys of every type are allowed, so the one error is about the type, not each of its keys.
   */
  private Section checkSection(ConfigNode item, String path) {
    if (!(item instanceof MapNode map)) {
      reject(
          item,
          path,
          "is not a mapping",
          "a mapping with keys " + String.join(", ", CHECK_KEYS) + " and those of its type");
      return null;
    }
    List<String> keys = new ArrayList<>(CHECK_KEYS);
    List<String> typeKeys =
        map.entry("type")
            .map(Entry::value)
            .filter(v -> v instanceof Scalar sc && sc.kind() == ScalarKind.STRING)
            .map(v -> CHECK_TYPE_KEYS.get(((Scalar) v).text()))
            .orElse(null);
    if (typeKeys != null) {
      keys.addAll(typeKeys);
    } else {
      CHECK_TYPE_KEYS.values().stream().flatMap(List::stream).distinct().forEach(keys::add);
    }
    return new Section(map, path, keys, CHECK_TYPE_OF_KEY);
  }

  /** One check, its name already read ({@code null} if it was bad). */
  private CheckConfig check(Section c, String name) {
    String type = checkType(c);
    Duration interval =
        duration(c, "interval", CHECK_INTERVAL, CheckConfig.DEFAULT_INTERVAL);
    Duration timeout;
    if (c.has("timeout")) {
      timeout = duration(c, "timeout", CHECK_TIMEOUT, null);
      if (timeout != null && interval != null && timeout.compareTo(interval) >= 0) {
        reject(
            c.entry("timeout").value(),
            c.path("timeout"),
            "is not shorter than the interval (" + Durations.format(interval) + ")",
            CHECK_TIMEOUT.allowed() + ", less than interval");
        timeout = null;
      }
    } else {
      timeout = interval == null ? null : CheckConfig.defaultTimeout(interval);
    }
    Integer rise = integer(c, "rise", RISE_FALL, CheckConfig.DEFAULT_RISE);
    Integer fall = integer(c, "fall", RISE_FALL, CheckConfig.DEFAULT_FALL);
    Weight weight = weight(c);
    CheckTarget target =
        type == null
            ? null
            : switch (type) {
              case "tcp" -> tcpTarget(c);
              case "http" -> httpTarget(c);
              case "dns" -> dnsTarget(c);
              case "dhcp" -> dhcpTarget(c);
              case "script" -> scriptTarget(c);
              default -> throw new IllegalStateException("check type " + type);
            };
    if (name == null
        || interval == null
        || timeout == null
        || rise == null
        || fall == null
        || weight == null
        || target == null) {
      return null;
    }
    return new CheckConfig(name, interval, timeout, rise, fall, weight, target);
  }

  private String checkType(Section c) {
    String allowed = String.join(", ", CHECK_TYPES);
    Scalar value = scalarText(c, "type", allowed);
    if (value == null) {
      return null;
    }
    if (!CHECK_TYPES.contains(value.text())) {
      reject(
          value,
          c.path("type"),
          "is not a check type" + didYouMean(value.text(), CHECK_TYPES),
          allowed);
      return null;
    }
    return value.text();
  }

  /** {@code fault} or a priority adjustment; {@code fault} when the key is left out. */
  private Weight weight(Section s) {
    if (!s.has("weight")) {
      return Weight.FAULT;
    }
    ConfigNode node = value(s, "weight", WEIGHT_ALLOWED);
    if (node == null) {
      return null;
    }
    if (node instanceof Scalar scalar && scalar.kind() == ScalarKind.INTEGER) {
      BigInteger v = scalar.integer();
      if (v.compareTo(BigInteger.valueOf(WEIGHT.min())) < 0
          || v.compareTo(BigInteger.valueOf(WEIGHT.max())) > 0) {
        reject(node, s.path("weight"), "is out of range", WEIGHT_ALLOWED);
        return null;
      }
      return new Weight.Adjust(v.intValueExact());
    }
    if (node instanceof Scalar scalar
        && scalar.kind() == ScalarKind.STRING
        && scalar.text().equals("fault")) {
      return Weight.FAULT;
    }
    String problem = "is not a weight";
    if (node instanceof Scalar scalar && scalar.kind() == ScalarKind.STRING) {
      problem += didYouMean(scalar.text(), List.of("fault"));
    }
    reject(node, s.path("weight"), problem, WEIGHT_ALLOWED);
    return null;
  }

  private CheckTarget tcpTarget(Section c) {
    String host = host(c, "host");
    Integer port = integer(c, "port", PORT, null);
    return host == null || port == null ? null : new CheckTarget.Tcp(host, port);
  }

  /** An IP literal (in canonical form) or an RFC 1123 host name, not resolved here. */
  private String host(Section c, String key) {
    String allowed = "a host name or IP address, e.g. 198.18.0.1 or web.example.test";
    Scalar value = scalarText(c, key, allowed);
    if (value == null) {
      return null;
    }
    String text = value.text();
    Optional<InetAddress> ip = IpLiterals.parse(text);
    if (ip.isPresent()) {
      String kind = unreachableKind(ip.get());
      if (kind != null) {
        reject(value, c.path(key), "is " + kind, allowed);
        return null;
      }
      return IpLiterals.format(ip.get());
    }
    if (value.kind() != ScalarKind.STRING || text.contains(":") || text.matches("[0-9.]+")) {
      reject(value, c.path(key), IpLiterals.problem(text), allowed);
      return null;
    }
    // A dotted name whose last label is all digits would be taken for an address by resolvers.
    if (!HOST_NAME.matcher(text).matches() || text.replaceAll("\\.$", "").matches(".*\\.[0-9]+")) {
      reject(value, c.path(key), "is not a valid host name", allowed);
      return null;
    }
    return text;
  }

  /**
   * Why an address cannot be probed, or null. Loopback is fine here (a local service), unlike
   * for virtual addresses.
   */
  private static String unreachableKind(InetAddress address) {
    String kind = unusableKind(address);
    return address.isLoopbackAddress() ? null : kind;
  }

  /** An IP address to send probes to, of {@code family} if that is not null. */
  private InetAddress probeAddress(
      Section c, String key, AddressFamily family, String allowed, boolean required) {
    if (!c.has(key) && !required) {
      return null;
    }
    Scalar value = scalarText(c, key, allowed);
    if (value == null) {
      return null;
    }
    if (value.kind() != ScalarKind.STRING) {
      reject(value, c.path(key), "is not an address", allowed);
      return null;
    }
    Optional<InetAddress> parsed = IpLiterals.parse(value.text());
    if (parsed.isEmpty()) {
      String problem =
          value.text().contains("/") ? "has a prefix length" : IpLiterals.problem(value.text());
      reject(value, c.path(key), problem, allowed);
      return null;
    }
    InetAddress address = parsed.get();
    String kind = unreachableKind(address);
    if (kind != null) {
      reject(value, c.path(key), "is " + kind, allowed);
      return null;
    }
    if (family != null && AddressFamily.of(address) != family) {
      reject(value, c.path(key), "is " + AddressFamily.of(address).displayName(), allowed);
      return null;
    }
    return address;
  }

  private CheckTarget httpTarget(Section c) {
    URI url = url(c);
    int[] status = expectStatus(c);
    Optional<Pattern> bodyMatch = bodyMatch(c);
    Boolean insecure = bool(c, "insecure-tls", false);
    if (Boolean.TRUE.equals(insecure) && url != null && url.getScheme().equals("http")) {
      warning(
          c.entry("insecure-tls").value(),
          c.path("insecure-tls") + ": has no effect on an http:// url; it applies to https only");
    }
    if (url == null || status == null || bodyMatch == null || insecure == null) {
      return null;
    }
    return new CheckTarget.Http(url, status[0], status[1], bodyMatch, insecure);
  }

  private URI url(Section c) {
    String allowed = "an http:// or https:// URL, e.g. http://198.18.0.1:8080/health";
    Scalar value = scalarText(c, "url", allowed);
    if (value == null) {
      return null;
    }
    URI url;
    try {
      url = new URI(value.text());
    } catch (URISyntaxException e) {
      reject(value, c.path("url"), "is not a URL (" + e.getReason() + ")", allowed);
      return null;
    }
    String scheme = url.getScheme() == null ? null : url.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
      String problem = scheme == null ? "has no scheme" : "has scheme " + quote(url.getScheme());
      reject(value, c.path("url"), problem, allowed);
      return null;
    }
    if (url.getHost() == null) {
      reject(value, c.path("url"), "has no valid host", allowed);
      return null;
    }
    if (url.getPort() == 0 || url.getPort() > PORT.max()) {
      reject(value, c.path("url"), "has port " + url.getPort(), allowed + ", port 1..65535");
      return null;
    }
    return url.normalize();
  }

  /** {@code [low, high]}; 200..399 when left out. */
  private int[] expectStatus(Section c) {
    String allowed =
        "a status "
            + HTTP_STATUS.allowed()
            + " or a range of them, e.g. 200 or \"200-399\"";
    if (!c.has("expect-status")) {
      return new int[] {200, 399};
    }
    ConfigNode node = value(c, "expect-status", allowed);
    if (node == null) {
      return null;
    }
    String text =
        node instanceof Scalar sc
                && (sc.kind() == ScalarKind.INTEGER || sc.kind() == ScalarKind.STRING)
            ? sc.text()
            : "";
    java.util.regex.Matcher m = STATUS_RANGE.matcher(text);
    if (!m.matches()) {
      reject(node, c.path("expect-status"), "is not a status or range", allowed);
      return null;
    }
    int low = Integer.parseInt(m.group(1));
    int high = m.group(2) == null ? low : Integer.parseInt(m.group(2));
    if (low < HTTP_STATUS.min() || high > HTTP_STATUS.max() || high < HTTP_STATUS.min()) {
      reject(node, c.path("expect-status"), "is out of range", allowed);
      return null;
    }
    if (low > high) {
      reject(node, c.path("expect-status"), "is an empty range", allowed);
      return null;
    }
    return new int[] {low, high};
  }

  private Optional<Pattern> bodyMatch(Section c) {
    String allowed = "a Java regular expression, searched for anywhere in the body";
    if (!c.has("body-match")) {
      return Optional.empty();
    }
    Scalar value = scalarText(c, "body-match", allowed);
    if (value == null) {
      return null;
    }
    try {
      return Optional.of(Pattern.compile(value.text()));
    } catch (PatternSyntaxException e) {
      reject(
          value,
          c.path("body-match"),
          "is not a valid regular expression (" + e.getDescription() + " at index " + e.getIndex()
              + ")",
          allowed);
      return null;
    }
  }

  private CheckTarget dnsTarget(Section c) {
    InetAddress server =
        probeAddress(c, "server", null, "an IP address, e.g. 198.18.0.53", true);
    Integer port = integer(c, "port", PORT, 53);
    String query = queryName(c);
    String recordType = recordType(c);
    Optional<InetAddress> expect = dnsExpect(c, recordType);
    if (server == null || port == null || query == null || recordType == null || expect == null) {
      return null;
    }
    return new CheckTarget.Dns(server, port, query, recordType, expect);
  }

  private String queryName(Section c) {
    String allowed = "a domain name, e.g. www.example.test";
    Scalar value = scalarText(c, "query", allowed);
    if (value == null) {
      return null;
    }
    if (value.kind() != ScalarKind.STRING || !QUERY_NAME.matcher(value.text()).matches()) {
      reject(value, c.path("query"), "is not a valid domain name", allowed);
      return null;
    }
    return value.text();
  }

  /** Upper case; written in any case. A when left out. */
  private String recordType(Section c) {
    String allowed = String.join(", ", RECORD_TYPES);
    if (!c.has("record-type")) {
      return "A";
    }
    Scalar value = scalarText(c, "record-type", allowed);
    if (value == null) {
      return null;
    }
    String upper = value.text().toUpperCase(Locale.ROOT);
    if (value.kind() != ScalarKind.STRING || !RECORD_TYPES.contains(upper)) {
      reject(value, c.path("record-type"), "is not a supported record type", allowed);
      return null;
    }
    return upper;
  }

  private Optional<InetAddress> dnsExpect(Section c, String recordType) {
    if (!c.has("expect")) {
      return Optional.empty();
    }
    if (recordType == null) {
      return null; // the record type's error is enough
    }
    if (!recordType.equals("A") && !recordType.equals("AAAA")) {
      reject(
          c.entry("expect").value(),
          c.path("expect"),
          "is set for record-type " + recordType,
          "only with record-type A or AAAA");
      return null;
    }
    AddressFamily family = recordType.equals("A") ? AddressFamily.IPV4 : AddressFamily.IPV6;
    String allowed =
        "an " + family.displayName() + " address for record-type " + recordType;
    InetAddress expect = probeAddress(c, "expect", family, allowed, true);
    return expect == null ? null : Optional.of(expect);
  }

  private CheckTarget dhcpTarget(Section c) {
    InetAddress server =
        probeAddress(
            c, "server", AddressFamily.IPV4, "an IPv4 address (DHCPv4), e.g. 198.18.0.67", true);
    Optional<String> iface = Optional.empty();
    if (c.has("interface")) {
      String name = interfaceName(c);
      iface = name == null ? null : Optional.of(name);
    }
    if (server == null || iface == null) {
      return null;
    }
    return new CheckTarget.Dhcp(server, iface);
  }

  private CheckTarget scriptTarget(Section c) {
    List<String> command = command(c);
    Map<String, String> env = env(c);
    return command == null || env == null ? null : new CheckTarget.Script(command, env);
  }

  // ---- commands, shared by script checks and hooks ---------------------------------------------

  /** argv of a command run without a shell: element 0 an absolute path. */
  private List<String> command(Section s) {
    ListNode list = listOf(s, "command", COMMAND_ALLOWED);
    if (list == null) {
      return null;
    }
    if (list.items().isEmpty()) {
      error(list, s.path("command") + ": an empty list; allowed: " + COMMAND_ALLOWED);
      return null;
    }
    List<String> argv = new ArrayList<>();
    boolean allValid = true;
    for (int i = 0; i < list.items().size(); i++) {
      ConfigNode item = list.items().get(i);
      String path = s.path("command") + "[" + i + "]";
      String arg = plainText(item);
      if (arg == null) {
        reject(item, path, "is not a single value", "text, e.g. --fast");
        allValid = false;
        continue;
      }
      if (i == 0 && !absolutePath(item, arg)) {
        reject(
            item,
            path,
            "is not an absolute path",
            "the program's absolute path, e.g. /usr/local/bin/check-web (no shell, no PATH"
                + " lookup)");
        allValid = false;
        continue;
      }
      argv.add(arg);
    }
    return allValid ? argv : null;
  }

  private static boolean absolutePath(ConfigNode node, String text) {
    if (!(node instanceof Scalar sc) || sc.kind() != ScalarKind.STRING || !text.startsWith("/")) {
      return false;
    }
    try {
      return Path.of(text).isAbsolute();
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /** The text of a scalar an argument or variable can hold, or null (lists, maps, nulls). */
  private static String plainText(ConfigNode node) {
    if (node instanceof Scalar sc) {
      return switch (sc.kind()) {
        case STRING, INTEGER, FLOAT, BOOLEAN -> sc.text();
        case NULL, ALIAS -> null;
      };
    }
    return null;
  }

  /** Extra environment variables, in file order; empty when left out. */
  private Map<String, String> env(Section s) {
    String allowed = "a mapping of variable names to values, e.g. {SITE: lab}";
    if (!s.has("env")) {
      return Map.of();
    }
    ConfigNode node = value(s, "env", allowed);
    if (node == null) {
      return null;
    }
    if (!(node instanceof MapNode map)) {
      reject(node, s.path("env"), "is not a mapping", allowed);
      return null;
    }
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, Integer> lineOf = new HashMap<>();
    boolean allValid = true;
    for (Entry e : map.entries()) {
      String path = s.path("env") + "." + e.key();
      String problem = null;
      if (!ENV_NAME.matcher(e.key()).matches()) {
        problem = "is not a valid variable name";
      } else if (e.key().startsWith(RESERVED_ENV_PREFIX)) {
        problem = "starts with " + RESERVED_ENV_PREFIX + ", which Takeover's own variables use";
      } else if (lineOf.containsKey(e.key())) {
        problem = "is set twice (first at line " + lineOf.get(e.key()) + ")";
      }
      if (problem != null) {
        error(
            e.line(),
            e.column(),
            s.path("env")
                + ": "
                + quote(e.key())
                + " "
                + problem
                + "; allowed: "
                + ENV_NAME_ALLOWED);
        allValid = false;
        continue;
      }
      lineOf.put(e.key(), e.line());
      String value = plainText(e.value());
      if (value == null) {
        if (e.value() instanceof Scalar sc && sc.kind() == ScalarKind.NULL) {
          error(e.line(), e.column(), path + ": has no value; allowed: text, \"\" for empty");
        } else {
          reject(e.value(), path, "is not a single value", "text, \"\" for empty");
        }
        allValid = false;
        continue;
      }
      env.put(e.key(), value);
    }
    return allValid ? env : null;
  }

  // ---- tracked interfaces ----------------------------------------------------------------------

  private List<TrackInterface> trackInterfaces(Section s, String groupInterface) {
    if (!s.has("track-interfaces")) {
      return List.of();
    }
    String allowed =
        "a list of 0.." + MAX_TRACKED_INTERFACES + " entries, e.g. [{interface: eth1}]";
    ListNode list = listOf(s, "track-interfaces", allowed);
    if (list == null) {
      return null;
    }
    boolean allValid = true;
    if (list.items().size() > MAX_TRACKED_INTERFACES) {
      error(
          list,
          s.path("track-interfaces")
              + ": "
              + count(list.items().size(), "interface")
              + "; allowed: 0.."
              + MAX_TRACKED_INTERFACES
              + " tracked interfaces per group");
      allValid = false;
    }
    List<TrackInterface> result = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      ConfigNode item = list.items().get(i);
      String path = s.path("track-interfaces") + "[" + i + "]";
      if (!(item instanceof MapNode map)) {
        reject(
            item, path, "is not a mapping", "a mapping with keys " + String.join(", ", TRACK_KEYS));
        allValid = false;
        continue;
      }
      Section t = new Section(map, path, TRACK_KEYS);
      String name = interfaceName(t);
      Weight weight = weight(t);
      if (name != null) {
        ConfigNode at = t.entry("interface").value();
        String earlier =
            seen.putIfAbsent(name, "track-interfaces[" + i + "] (line " + at.line() + ")");
        if (earlier != null) {
          error(
              at,
              t.path("interface")
                  + ": "
                  + quote(name)
                  + " is already tracked at "
                  + earlier
                  + "; allowed: each interface once");
          name = null;
        } else if (name.equals(groupInterface)) {
          warning(
              at,
              t.path("interface")
                  + ": "
                  + quote(name)
                  + " is the group's own interface, which the group always follows (FAULT while"
                  + " it is down); tracking it adds nothing");
        }
      }
      if (name == null || weight == null) {
        allValid = false;
        continue;
      }
      result.add(new TrackInterface(name, weight));
    }
    return allValid ? result : null;
  }

  // ---- hooks -----------------------------------------------------------------------------------

  private GroupHooks hooks(Section s) {
    if (!s.has("hooks")) {
      return GroupHooks.NONE;
    }
    Section h = subsection(s, "hooks", HOOK_KINDS);
    if (h == null) {
      return null;
    }
    Optional<HookConfig> beforeClaim = hook(h, "before-claim");
    Optional<HookConfig> afterClaim = hook(h, "after-claim");
    Optional<HookConfig> afterRelease = hook(h, "after-release");
    Optional<HookConfig> fault = hook(h, "fault");
    Optional<HookConfig> stop = hook(h, "stop");
    if (beforeClaim == null
        || afterClaim == null
        || afterRelease == null
        || fault == null
        || stop == null) {
      return null;
    }
    return new GroupHooks(beforeClaim, afterClaim, afterRelease, fault, stop);
  }

  /** One hook kind; empty when left out, null when it has an error. */
  private Optional<HookConfig> hook(Section hooks, String kind) {
    if (!hooks.has(kind)) {
      return Optional.empty();
    }
    Section k = subsection(hooks, kind, HOOK_KEYS);
    if (k == null) {
      return null;
    }
    List<String> command = command(k);
    Duration timeout = duration(k, "timeout", HOOK_TIMEOUT, HookConfig.DEFAULT_TIMEOUT);
    Duration budget = Duration.ZERO;
    if (!kind.equals("before-claim")) {
      if (k.has("budget")) {
        reject(
            k.entry("budget").value(),
            k.path("budget"),
            "is set on the " + kind + " hook",
            "budget under before-claim only; nothing waits for other hooks");
        budget = null;
      }
    } else if (k.has("budget")) {
      budget = duration(k, "budget", HOOK_BUDGET, null);
      if (budget != null && timeout != null && budget.compareTo(timeout) > 0) {
        reject(
            k.entry("budget").value(),
            k.path("budget"),
            "is longer than the timeout (" + Durations.format(timeout) + ")",
            "0s..timeout");
        budget = null;
      }
    } else {
      budget = timeout == null ? null : HookConfig.defaultBudget(timeout);
    }
    Map<String, String> env = env(k);
    if (command == null || timeout == null || budget == null || env == null) {
      return null;
    }
    return Optional.of(new HookConfig(command, timeout, budget, env));
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
      this(map, prefix, keys, Map.of());
    }

    /**
     * @param belongs where keys that are not allowed here do belong, for hints more specific than
     *     the file-wide ones (a key of another check type)
     */
    Section(MapNode map, String prefix, List<String> keys, Map<String, String> belongs) {
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
                  + hint(e.key(), keys, belongs)
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

  private static String hint(String key, List<String> keys, Map<String, String> belongs) {
    String here = didYouMean(key, keys);
    if (!here.isEmpty()) {
      return here;
    }
    String normalized = Suggestions.kebab(key);
    String section = belongs.getOrDefault(normalized, SECTION_OF_KEY.get(normalized));
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
    // Keys of the sections inside a group; a key used in several of them lists every place.
    Map<String, List<String>> nested = new LinkedHashMap<>();
    CHECK_KEYS.forEach(k -> add(nested, k, "in each entry of checks"));
    CHECK_TYPE_OF_KEY.forEach((k, where) -> add(nested, k, where));
    TRACK_KEYS.forEach(k -> add(nested, k, "in each entry of track-interfaces"));
    HOOK_KINDS.forEach(k -> add(nested, k, "under hooks"));
    HOOK_KEYS.forEach(k -> add(nested, k, "in a hook under hooks"));
    nested.forEach((k, places) -> m.putIfAbsent(k, String.join(" or ", places)));
    return Map.copyOf(m);
  }

  private static void add(Map<String, List<String>> places, String key, String place) {
    List<String> list = places.computeIfAbsent(key, k -> new ArrayList<>());
    if (!list.contains(place)) {
      list.add(place);
    }
  }

  private static Map<String, List<String>> checkTypeKeys() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("tcp", List.of("host", "port"));
    m.put("http", List.of("url", "expect-status", "body-match", "insecure-tls"));
    m.put("dns", List.of("server", "port", "query", "record-type", "expect"));
    m.put("dhcp", List.of("server", "interface"));
    m.put("script", List.of("command", "env"));
    return java.util.Collections.unmodifiableMap(m);
  }

  /** {@code port} → "in checks of type tcp or dns". */
  private static Map<String, String> checkTypeOfKey() {
    Map<String, List<String>> types = new LinkedHashMap<>();
    CHECK_TYPE_KEYS.forEach((type, keys) -> keys.forEach(k -> add(types, k, type)));
    Map<String, String> m = new LinkedHashMap<>();
    types.forEach((k, t) -> m.put(k, "in checks of type " + String.join(" or ", t)));
    return java.util.Collections.unmodifiableMap(m);
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
