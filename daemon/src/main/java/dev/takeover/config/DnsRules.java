package dev.takeover.config;

import static dev.takeover.config.Diagnostics.didYouMean;
import static dev.takeover.config.Diagnostics.quote;

import dev.takeover.config.ConfigNode.ListNode;
import dev.takeover.config.ConfigNode.Scalar;
import dev.takeover.config.DnsConfig.NameConfig;
import dev.takeover.config.DnsConfig.PointsTo;
import dev.takeover.config.Readers.DurationRule;
import dev.takeover.config.Readers.IntRule;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The top-level {@code dns} section (servers, TSIG keys, retries) and each group's {@code names}
 * list (docs/DNS.md). Whether a key file is readable by others is a fact of the host, checked by
 * {@link HostRules}.
 */
final class DnsRules {

  static final List<String> DNS_KEYS =
      List.of("servers", "timeout", "retry-initial", "retry-max", "verify-interval");
  static final List<String> SERVER_KEYS = List.of("address", "port", "key");
  static final List<String> KEY_KEYS = List.of("name", "algorithm", "secret-file");
  static final List<String> NAME_KEYS =
      List.of(
          "name",
          "zone",
          "ttl",
          "ptr-zone",
          "points-to",
          "on-release",
          "on-conflict",
          "move-ttl",
          "move-wait-max");

  static final int MAX_SERVERS = 8;
  static final int MAX_NAMES = 16;
  static final List<String> ALGORITHMS = List.of("hmac-sha256", "hmac-sha512");

  private static final IntRule PORT = new IntRule(1, 65535);
  private static final IntRule TTL = new IntRule(0, 86400);

  /** How long a planned move may wait for caches of the old TTL (docs/DNS.md "Planned moves"). */
  private static final DurationRule MOVE_WAIT =
      new DurationRule(Duration.ofSeconds(1), Duration.ofHours(1), 1, false);

  static final Duration DEFAULT_MOVE_WAIT_MAX = Duration.ofMinutes(2);

  private static final DurationRule TIMEOUT =
      new DurationRule(Duration.ofMillis(100), Duration.ofSeconds(30), 1, false);
  private static final DurationRule RETRY =
      new DurationRule(Duration.ofMillis(10), Duration.ofHours(1), 1, false);
  private static final DurationRule VERIFY =
      new DurationRule(Duration.ofSeconds(1), Duration.ofHours(24), 1, true);

  // RFC 1035 §2.3.4: labels of 1..63 octets, 255 in all; letters, digits, '-' and '_' (SRV-style
  // owner names), case-insensitive. The name must be absolute or is made so.
  private static final Pattern DOMAIN =
      Pattern.compile("(?=.{1,254}$)([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\\.)+");
  private static final String DOMAIN_ALLOWED =
      "a domain name such as www.example.test (labels of letters, digits, '-', '_')";

  private final Readers read;
  private final Diagnostics diagnostics;

  DnsRules(Readers read) {
    this.read = read;
    this.diagnostics = read.diagnostics;
  }

  /**
   * A group's {@code names}; empty if absent, null if any has an error. In a name-only group
   * ({@code nameOnly}: no addresses) a name can only point at this node's own address: {@code
   * points-to} defaults to {@code self} and {@code vips} is an error.
   */
  List<NameConfig> names(Section group, boolean nameOnly) {
    if (!group.has("names")) {
      return List.of();
    }
    String allowed = "a list of 1.." + MAX_NAMES + " names";
    ListNode list = read.listOf(group, "names", allowed);
    if (list == null) {
      return null;
    }
    boolean ok = read.counted(list, group.path("names"), "name", 1, MAX_NAMES, "names");
    List<NameConfig> names = new ArrayList<>();
    for (int i = 0; i < list.items().size(); i++) {
      NameConfig n = name(group.path("names") + "[" + i + "]", list.items().get(i), nameOnly);
      if (n == null) {
        ok = false;
      } else {
        names.add(n);
      }
    }
    return ok ? names : null;
  }

  private NameConfig name(String path, ConfigNode node, boolean nameOnly) {
    Section s = read.mapping(node, path, NAME_KEYS);
    if (s == null) {
      return null;
    }
    String name = domain(s, "name");
    String zone = s.has("zone") ? domain(s, "zone") : parent(name);
    Integer ttl = read.integer(s, "ttl", TTL, 60);
    String ptrZone = s.has("ptr-zone") ? domain(s, "ptr-zone") : "";
    PointsTo pointsTo =
        choice(
            s,
            "points-to",
            Map.of("vips", PointsTo.VIPS, "self", PointsTo.SELF),
            nameOnly ? PointsTo.SELF : PointsTo.VIPS);
    if (nameOnly && pointsTo == PointsTo.VIPS) {
      diagnostics.reject(
          s.entry("points-to").value(),
          s.path("points-to"),
          "is vips, but the group has no addresses (a name-only group)",
          "self, or give the group addresses");
      pointsTo = null;
    }
    Boolean remove = choice(s, "on-release", Map.of("leave", false, "remove", true), false);
    Boolean overwrite = choice(s, "on-conflict", Map.of("overwrite", true, "alarm", false), true);
    // A planned move lowers the TTL first (DECISIONS 44): only below the name's TTL, or it would
    // buy nothing; the cap only means something with it.
    Integer moveTtl = s.has("move-ttl") ? read.integer(s, "move-ttl", TTL, null) : null;
    boolean moveOk = true;
    if (moveTtl != null && ttl != null && moveTtl >= ttl) {
      diagnostics.reject(
          s.entry("move-ttl").value(),
          s.path("move-ttl"),
          "is not below the name's ttl (" + ttl + ")",
          ttl == 0
              ? "nothing below ttl 0: leave move-ttl out"
              : "0.." + (ttl - 1) + " (below ttl), or leave move-ttl out");
      moveOk = false;
    } else if (s.has("move-ttl") && moveTtl == null) {
      moveOk = false;
    }
    if (s.has("move-wait-max") && !s.has("move-ttl")) {
      diagnostics.reject(
          s.entry("move-wait-max").value(),
          s.path("move-wait-max"),
          "is set without move-ttl (it caps the wait for a lowered TTL)",
          "move-ttl with it, or leave move-wait-max out");
      moveOk = false;
    }
    Duration moveWait = read.duration(s, "move-wait-max", MOVE_WAIT, DEFAULT_MOVE_WAIT_MAX);
    if (name != null && zone != null && !name.equals(zone) && !name.endsWith("." + zone)) {
      diagnostics.reject(
          s.entry("zone").value(),
          s.path("zone"),
          "does not contain " + quote(name),
          "the zone the name is in, e.g. " + parent(name));
      return null;
    }
    if (name == null
        || zone == null
        || ttl == null
        || ptrZone == null
        || pointsTo == null
        || remove == null
        || overwrite == null
        || moveWait == null
        || !moveOk) {
      return null;
    }
    return new NameConfig(
        name,
        zone,
        ttl,
        ptrZone.isEmpty() ? Optional.empty() : Optional.of(ptrZone),
        pointsTo,
        remove,
        overwrite,
        moveTtl == null ? OptionalInt.empty() : OptionalInt.of(moveTtl),
        moveWait);
  }

  /** The top-level {@code dns} section; {@link DnsConfig#NONE} if absent, null on error. */
  DnsConfig dns(Section top, Map<String, List<NameConfig>> names) {
    boolean anyNames = names.values().stream().anyMatch(l -> !l.isEmpty());
    if (!top.has("dns")) {
      if (anyNames) {
        diagnostics.error(
            top.map,
            "groups have names but there is no dns section; allowed: a dns section with servers"
                + " (docs/DNS.md)");
        return null;
      }
      return DnsConfig.NONE;
    }
    Section s = read.subsection(top, "dns", DNS_KEYS);
    if (s == null) {
      return null;
    }
    List<DnsConfig.Server> servers = servers(s);
    Duration timeout = read.duration(s, "timeout", TIMEOUT, DnsConfig.DEFAULT_TIMEOUT);
    Duration initial = read.duration(s, "retry-initial", RETRY, DnsConfig.DEFAULT_RETRY_INITIAL);
    Duration max = read.duration(s, "retry-max", RETRY, DnsConfig.DEFAULT_RETRY_MAX);
    Duration verify =
        read.duration(s, "verify-interval", VERIFY, DnsConfig.DEFAULT_VERIFY_INTERVAL);
    if (initial != null && max != null && max.compareTo(initial) < 0) {
      diagnostics.reject(
          s.entry("retry-max").value(),
          s.path("retry-max"),
          "is shorter than retry-initial (" + Durations.format(initial) + ")",
          "a duration of at least retry-initial");
      return null;
    }
    if (servers == null || timeout == null || initial == null || max == null || verify == null) {
      return null;
    }
    return new DnsConfig(servers, timeout, initial, max, verify, names);
  }

  private List<DnsConfig.Server> servers(Section s) {
    String allowed = "a list of 1.." + MAX_SERVERS + " servers, tried in order";
    ListNode list = read.listOf(s, "servers", allowed);
    if (list == null) {
      return null;
    }
    boolean ok = read.counted(list, s.path("servers"), "server", 1, MAX_SERVERS, "servers");
    List<DnsConfig.Server> servers = new ArrayList<>();
    for (int i = 0; i < list.items().size(); i++) {
      String path = s.path("servers") + "[" + i + "]";
      Section e = read.mapping(list.items().get(i), path, SERVER_KEYS);
      if (e == null) {
        ok = false;
        continue;
      }
      InetAddress address = address(e);
      Integer port = read.integer(e, "port", PORT, 53);
      Optional<DnsConfig.TsigKey> key = e.has("key") ? key(e) : Optional.empty();
      if (address == null || port == null || key == null) {
        ok = false;
        continue;
      }
      servers.add(new DnsConfig.Server(address, port, key));
    }
    return ok ? servers : null;
  }

  private InetAddress address(Section e) {
    String allowed = "an IPv4 or IPv6 address";
    Scalar value = read.scalarText(e, "address", allowed);
    if (value == null) {
      return null;
    }
    Optional<InetAddress> a = IpLiterals.parse(value.text());
    if (a.isEmpty()) {
      diagnostics.reject(value, e.path("address"), IpLiterals.problem(value.text()), allowed);
      return null;
    }
    return a.get();
  }

  @SuppressWarnings("NullableOptional") // null: the key has an error (reported)
  private Optional<DnsConfig.TsigKey> key(Section server) {
    Section k = read.subsection(server, "key", KEY_KEYS);
    if (k == null) {
      return null;
    }
    String name = domain(k, "name");
    String algorithm = null;
    Scalar alg = read.scalarText(k, "algorithm", String.join(", ", ALGORITHMS));
    if (alg != null) {
      String lower = alg.text().toLowerCase(Locale.ROOT);
      if (ALGORITHMS.contains(lower)) {
        algorithm = lower;
      } else {
        diagnostics.reject(
            alg,
            k.path("algorithm"),
            "is not supported"
                + didYouMean(lower, ALGORITHMS)
                + " (HMAC-MD5 and SHA-1 are deprecated, RFC 8945 §6)",
            String.join(", ", ALGORITHMS));
      }
    }
    Path file = null;
    Scalar f =
        read.scalarText(k, "secret-file", "an absolute path to a file readable by root only");
    if (f != null) {
      if (f.text().startsWith("/")) {
        file = Path.of(f.text()).normalize();
      } else {
        diagnostics.reject(f, k.path("secret-file"), "is not an absolute path", "an absolute path");
      }
    }
    if (name == null || algorithm == null || file == null) {
      return null;
    }
    return Optional.of(new DnsConfig.TsigKey(name, algorithm, file));
  }

  /** An absolute domain name (a trailing dot is added), lower-cased; null if bad. */
  private String domain(Section s, String key) {
    Scalar value = read.scalarText(s, key, DOMAIN_ALLOWED);
    if (value == null) {
      return null;
    }
    String text = value.text().toLowerCase(Locale.ROOT);
    String abs = text.endsWith(".") ? text : text + ".";
    if (!DOMAIN.matcher(abs).matches()) {
      diagnostics.reject(value, s.path(key), "is not a domain name", DOMAIN_ALLOWED);
      return null;
    }
    return abs;
  }

  private static String parent(String name) {
    if (name == null) {
      return null;
    }
    int dot = name.indexOf('.');
    return dot < 0 || dot == name.length() - 1 ? name : name.substring(dot + 1);
  }

  private <T> T choice(Section s, String key, Map<String, T> values, T defaultValue) {
    if (!s.has(key)) {
      return defaultValue;
    }
    List<String> names = values.keySet().stream().sorted().toList();
    String allowed = String.join(", ", names);
    Scalar value = read.scalarText(s, key, allowed);
    if (value == null) {
      return null;
    }
    T t = values.get(value.text());
    if (t == null) {
      diagnostics.reject(
          value, s.path(key), "is not allowed" + didYouMean(value.text(), names), allowed);
    }
    return t;
  }
}
