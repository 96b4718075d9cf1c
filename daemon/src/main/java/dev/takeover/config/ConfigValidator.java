package dev.takeover.config;

import static dev.takeover.config.Diagnostics.describe;

import dev.takeover.config.ConfigNode.MapNode;
import dev.takeover.config.ConfigNode.Scalar;
import dev.takeover.config.Readers.DurationRule;
import dev.takeover.config.Readers.IntRule;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one entry point of validation, which {@code takeover check}, start-up and reload share: walks
 * a {@link ConfigNode} tree, checks every rule and builds the records. Holds the file's keys and
 * the top-level sections; the rules of each section inside a group are in their own class ({@link
 * GroupRules} and what it calls, {@link CrossGroupRules} for rules across groups).
 *
 * <p>Implementation notes. Every problem is collected, none stops the walk: a reader that finds a
 * bad value reports it and returns {@code null}, and whatever needs that value is skipped (a group
 * with a bad VRID is left out of the VRID uniqueness check instead of producing a second, confusing
 * error). Records are built only when no error was found at all. Every message has the form {@code
 * path: what is wrong; allowed: what would be right}, so an operator never has to look up the rule
 * (see {@link Diagnostics}).
 */
final class ConfigValidator {

  // ---- keys, in the order they are documented ------------------------------------------------

  static final List<String> TOP_KEYS =
      List.of(
          "node", "nodes", "announce", "daemon", "dns", "api", "groups", "sync-groups", "links");
  static final List<String> ANNOUNCE_KEYS =
      List.of("garp-count", "garp-interval", "garp-refresh", "handover-hold");
  static final List<String> DAEMON_KEYS = List.of("realtime-priority", "state-dir", "log-level");
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
          "accept-ttl",
          "checks",
          "track-interfaces",
          "hooks",
          "auth",
          "names",
          "version",
          "authentication",
          "track-files",
          "routes",
          "rules");

  /** Keys every check has; the keys of its {@code type} come on top. */
  static final List<String> CHECK_KEYS =
      List.of("name", "type", "interval", "timeout", "rise", "fall", "weight");

  /** The keys of each check type, in the order they are documented. */
  static final Map<String, List<String>> CHECK_TYPE_KEYS = checkTypeKeys();

  static final List<String> CHECK_TYPES = List.copyOf(CHECK_TYPE_KEYS.keySet());
  static final List<String> TRACK_KEYS = List.of("interface", "weight");
  static final List<String> HOOK_KINDS =
      List.of("before-claim", "after-claim", "after-release", "fault", "stop", "backup");
  static final List<String> HOOK_KEYS = List.of("command", "timeout", "budget", "env");
  static final List<String> AUTH_KEYS =
      List.of("keys", "active-key", "mode", "anti-replay", "time-window");
  static final List<String> AUTH_KEY_KEYS = List.of("id", "file", "secret");
  static final List<String> TRACK_FILE_KEYS = List.of("file", "weight", "reverse");
  static final List<String> AUTHENTICATION_KEYS = List.of("type", "password", "password-file");
  static final List<String> SYNC_GROUP_KEYS = List.of("name", "groups", "hooks");
  static final List<String> SYNC_GROUP_HOOK_KINDS = List.of("after-claim", "backup", "fault");

  /** Every key of the sections inside a group (checks of every type, tracking, hooks). */
  static List<String> nestedGroupKeys() {
    return Stream.of(
            CHECK_KEYS,
            CHECK_TYPE_KEYS.values().stream().flatMap(List::stream).toList(),
            TRACK_KEYS,
            HOOK_KINDS,
            HOOK_KEYS,
            AUTH_KEYS,
            AUTH_KEY_KEYS,
            DnsRules.NAME_KEYS,
            AUTHENTICATION_KEYS,
            TRACK_FILE_KEYS,
            RouteRules.ROUTE_KEYS,
            AddressRules.ADDRESS_KEYS,
            RuleRules.RULE_KEYS,
            ApiRules.API_KEYS,
            ApiRules.TLS_KEYS,
            ApiRules.WEBHOOK_KEYS)
        .flatMap(List::stream)
        .distinct()
        .toList();
  }

  /** "it belongs in checks of type ..." for a key of another check type. */
  static final Map<String, String> CHECK_TYPE_OF_KEY = checkTypeOfKey();

  /** Where a key that is misplaced belongs, for "it belongs under ..." hints. */
  static final Map<String, String> SECTION_OF_KEY = sectionOfKey();

  // ---- limits of the top-level sections ---------------------------------------------------------

  private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String NODE_NAME_ALLOWED =
      "1..64 characters from A-Z, a-z, 0-9, '.', '_', '-'";

  private static final IntRule GARP_COUNT = new IntRule(1, 100);
  private static final IntRule REALTIME_PRIORITY = new IntRule(0, 99); // sched_get_priority_max
  private static final DurationRule GARP_INTERVAL =
      new DurationRule(Duration.ofMillis(10), Duration.ofSeconds(10), 1, false);
  private static final DurationRule GARP_REFRESH =
      new DurationRule(Duration.ofSeconds(1), Duration.ofHours(1), 1, true);
  private static final DurationRule HANDOVER_HOLD =
      new DurationRule(Duration.ZERO, Duration.ofSeconds(10), 1, false);

  // ---- state -----------------------------------------------------------------------------------

  private final Diagnostics diagnostics;
  private final Readers read;

  private ConfigValidator(String source) {
    this.diagnostics = new Diagnostics(source);
    this.read = new Readers(diagnostics);
  }

  /** Checks the whole tree; {@code root} is empty for an empty file. */
  static ConfigResult validate(Optional<ConfigNode> root, String source) {
    ConfigValidator v = new ConfigValidator(source);
    TakeoverConfig config = v.top(root);
    List<ConfigError> errors = v.diagnostics.errors();
    if (config == null && errors.isEmpty()) {
      // Every path that drops a value reports why; reaching this is a bug, but `check` must still
      // say something rather than throw.
      v.diagnostics.error(1, 1, "internal error: the configuration was rejected without a reason");
    }
    if (!errors.isEmpty() || config == null) {
      return new ConfigResult.Invalid(errors);
    }
    return new ConfigResult.Valid(config, v.diagnostics.warnings());
  }

  // ---- sections --------------------------------------------------------------------------------

  private TakeoverConfig top(Optional<ConfigNode> rootNode) {
    String allowed = "a mapping with keys " + String.join(", ", TOP_KEYS);
    if (rootNode.isEmpty()) {
      diagnostics.error(1, 1, "the file is empty; allowed: " + allowed);
      return null;
    }
    ConfigNode root = rootNode.get();
    if (!(root instanceof MapNode map)) {
      diagnostics.error(root, describe(root) + " is not a mapping; allowed: " + allowed);
      return null;
    }
    Section top = read.section(map, "", TOP_KEYS);
    String node = read.name(top, "node", NODE_NAME, NODE_NAME_ALLOWED);
    Map<String, List<java.net.InetAddress>> nodes =
        new NodeRules(diagnostics, read).nodes(top, NODE_NAME, NODE_NAME_ALLOWED);
    AnnounceConfig announce = announce(top);
    DaemonConfig daemon = daemon(top);
    GroupRules groupRules = new GroupRules(read);
    List<GroupConfig> groups = groupRules.groups(top);
    DnsConfig dns = new DnsRules(read).dns(top, groupRules.names());
    ApiConfig api = new ApiRules(read).api(top);
    List<SyncGroupConfig> syncGroups =
        new SyncGroupRules(read)
            .syncGroups(
                top,
                groups == null
                    ? null
                    : groups.stream()
                        .map(GroupConfig::name)
                        .collect(java.util.stream.Collectors.toSet()));
    LinksConfig links =
        new LinkRules(read)
            .links(
                top,
                node == null ? "" : node,
                groups == null ? List.of() : groups.stream().map(GroupConfig::name).toList());
    if (links == null
        || api == null
        || node == null
        || syncGroups == null
        || nodes == null
        || announce == null
        || daemon == null
        || groups == null
        || dns == null) {
      return null;
    }
    return new TakeoverConfig(node, nodes, groups, announce, daemon, dns, syncGroups, links, api);
  }

  private AnnounceConfig announce(Section top) {
    if (!top.has("announce")) {
      return AnnounceConfig.DEFAULTS;
    }
    Section s = read.subsection(top, "announce", ANNOUNCE_KEYS);
    if (s == null) {
      return null;
    }
    Integer count = read.integer(s, "garp-count", GARP_COUNT, AnnounceConfig.DEFAULT_GARP_COUNT);
    Duration interval =
        read.duration(s, "garp-interval", GARP_INTERVAL, AnnounceConfig.DEFAULT_GARP_INTERVAL);
    Duration refresh =
        read.duration(s, "garp-refresh", GARP_REFRESH, AnnounceConfig.DEFAULT_REFRESH_INTERVAL);
    Duration hold =
        read.duration(s, "handover-hold", HANDOVER_HOLD, AnnounceConfig.DEFAULT_HANDOVER_HOLD);
    if (count == null || interval == null || refresh == null || hold == null) {
      return null;
    }
    return new AnnounceConfig(count, interval, refresh, hold);
  }

  private DaemonConfig daemon(Section top) {
    if (!top.has("daemon")) {
      return DaemonConfig.DEFAULTS;
    }
    Section s = read.subsection(top, "daemon", DAEMON_KEYS);
    if (s == null) {
      return null;
    }
    Integer priority =
        read.integer(
            s, "realtime-priority", REALTIME_PRIORITY, DaemonConfig.DEFAULT_REALTIME_PRIORITY);
    Path stateDir = stateDir(s);
    LogLevel logLevel = logLevel(s);
    if (priority == null || stateDir == null || logLevel == null) {
      return null;
    }
    return new DaemonConfig(priority, stateDir, logLevel);
  }

  private LogLevel logLevel(Section s) {
    if (!s.has("log-level")) {
      return DaemonConfig.DEFAULT_LOG_LEVEL;
    }
    String allowed =
        String.join(", ", Stream.of(LogLevel.values()).map(LogLevel::configName).toList());
    Scalar value = read.scalarText(s, "log-level", allowed);
    if (value == null) {
      return null;
    }
    Optional<LogLevel> level = LogLevel.ofConfigName(value.text());
    if (level.isEmpty()) {
      diagnostics.reject(value, s.path("log-level"), "is not a log level", allowed);
      return null;
    }
    return level.get();
  }

  private Path stateDir(Section s) {
    String allowed = "an absolute path, e.g. " + DaemonConfig.DEFAULT_STATE_DIR;
    if (!s.has("state-dir")) {
      return DaemonConfig.DEFAULT_STATE_DIR;
    }
    Scalar value = read.scalarText(s, "state-dir", allowed);
    if (value == null) {
      return null;
    }
    try {
      Path path = Path.of(value.text());
      if (path.isAbsolute()) {
        return path.normalize();
      }
      diagnostics.reject(value, s.path("state-dir"), "is not an absolute path", allowed);
    } catch (InvalidPathException e) {
      diagnostics.reject(value, s.path("state-dir"), "is not a valid path", allowed);
    }
    return null;
  }

  // ---- where keys belong -----------------------------------------------------------------------

  private static Map<String, List<String>> checkTypeKeys() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("tcp", List.of("host", "port"));
    m.put("http", List.of("url", "expect-status", "body-match", "insecure-tls"));
    m.put("dns", List.of("server", "port", "query", "record-type", "expect"));
    m.put("dhcp", List.of("server", "interface"));
    m.put("script", List.of("command", "env"));
    return Collections.unmodifiableMap(m);
  }

  /** {@code port} → "in checks of type tcp or dns". */
  private static Map<String, String> checkTypeOfKey() {
    Map<String, List<String>> types = new LinkedHashMap<>();
    CHECK_TYPE_KEYS.forEach((type, keys) -> keys.forEach(k -> add(types, k, type)));
    Map<String, String> m = new LinkedHashMap<>();
    types.forEach((k, t) -> m.put(k, "in checks of type " + String.join(" or ", t)));
    return Collections.unmodifiableMap(m);
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
    AUTH_KEYS.forEach(k -> add(nested, k, "under auth"));
    AUTHENTICATION_KEYS.forEach(k -> add(nested, k, "under authentication"));
    TRACK_FILE_KEYS.forEach(k -> add(nested, k, "in each entry of track-files"));
    RouteRules.ROUTE_KEYS.forEach(k -> add(nested, k, "in each entry of a group's routes"));
    RuleRules.RULE_KEYS.forEach(k -> add(nested, k, "in each entry of a group's rules"));
    AddressRules.ADDRESS_KEYS.forEach(
        k -> add(nested, k, "in each entry of a group's addresses written as a mapping"));
    SYNC_GROUP_KEYS.forEach(k -> add(nested, k, "in each entry of sync-groups"));
    AUTH_KEY_KEYS.forEach(k -> add(nested, k, "in each entry of auth.keys"));
    DnsRules.NAME_KEYS.forEach(k -> add(nested, k, "in each entry of names"));
    DnsRules.DNS_KEYS.forEach(k -> add(nested, k, "under dns"));
    ApiRules.API_KEYS.forEach(k -> add(nested, k, "under api"));
    ApiRules.TLS_KEYS.forEach(k -> add(nested, k, "under api.tls"));
    ApiRules.WEBHOOK_KEYS.forEach(k -> add(nested, k, "in each entry of api.webhooks"));
    LinkRules.LINKS_KEYS.forEach(k -> add(nested, k, "under links"));
    LinkRules.PATH_KEYS.forEach(k -> add(nested, k, "in each path under links.peers"));
    LinkRules.ROUTE_KEYS.forEach(k -> add(nested, k, "in each entry of links.routes"));
    LinkRules.VIA_KEYS.forEach(k -> add(nested, k, "in each next hop of links.routes"));
    nested.forEach((k, places) -> m.putIfAbsent(k, String.join(" or ", places)));
    return Map.copyOf(m);
  }

  private static void add(Map<String, List<String>> places, String key, String place) {
    List<String> list = places.computeIfAbsent(key, k -> new ArrayList<>());
    if (!list.contains(place)) {
      list.add(place);
    }
  }
}
