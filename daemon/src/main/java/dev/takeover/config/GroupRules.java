package dev.takeover.config;

import static dev.takeover.config.Diagnostics.didYouMean;

import dev.takeover.config.AddressRules.Located;
import dev.takeover.config.ConfigNode.Entry;
import dev.takeover.config.ConfigNode.ListNode;
import dev.takeover.config.ConfigNode.Scalar;
import dev.takeover.config.Readers.DurationRule;
import dev.takeover.config.Readers.IntRule;
import dev.takeover.wire.AuthSettings;
import dev.takeover.wire.ChecksumMode;
import dev.takeover.wire.SimplePassword;
import dev.takeover.wire.TtlRange;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code groups} list and each group's own keys; the sections inside a group (addresses,
 * checks, tracked interfaces, hooks) are read by their own rules, and the rules across groups by
 * {@link CrossGroupRules}.
 */
final class GroupRules {

  // A VRID is unique per (interface, address family), so more than 255 groups take more
  // interfaces: keepalived users run over 1,000 instances that way, on VLANs. The cap bounds the
  // file and what the daemon holds per group; bench/ measures 1,000 (docs/DECISIONS.md 60).
  static final int MAX_GROUPS = 4096;

  static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,32}");
  static final String NAME_ALLOWED = "1..32 characters from A-Z, a-z, 0-9, '.', '_', '-'";

  private static final IntRule VRID = new IntRule(1, 255); // RFC 5798 §5.2.3
  private static final IntRule PRIORITY = new IntRule(1, 255); // RFC 5798 §5.2.4; 0 is "resign"

  // RFC 5798 §5.2.7: Max Advertise Interval is 12 bits of centiseconds, 0 is not meaningful.
  private static final DurationRule ADVERT_INTERVAL =
      new DurationRule(Duration.ofMillis(10), Duration.ofMillis(40_950), 10, false);
  private static final DurationRule V2_ADVERT_INTERVAL =
      new DurationRule(Duration.ofSeconds(1), Duration.ofSeconds(255), 1000, false);
  private static final DurationRule PREEMPT_DELAY =
      new DurationRule(Duration.ZERO, Duration.ofHours(1), 1, false);

  private static final Pattern TTL_RANGE = Pattern.compile("([0-9]{1,3})(?:-([0-9]{1,3}))?");
  private static final String TTL_ALLOWED =
      "a TTL range MIN-MAX within 1..255, e.g. 250-255 (peers up to 5 routers away)";

  private static final Map<String, ChecksumMode> CHECKSUM_MODES =
      Map.of("rfc5798", ChecksumMode.PSEUDO_HEADER, "rfc9568", ChecksumMode.VRRP_ONLY);
  private static final List<String> CHECKSUM_NAMES = List.of("rfc5798", "rfc9568");

  /** A group's values as far as they could be read, with where they were written. */
  record Draft(
      String path,
      String name,
      Entry nameEntry,
      Integer vrid,
      Entry vridEntry,
      String interfaceName,
      List<Located> addresses,
      AddressFamily family,
      GroupConfig config) {}

  private final Readers read;
  private final Diagnostics diagnostics;
  private final AddressRules addressRules;
  private final RuleRules ruleRules;
  private final CheckRules checkRules;
  private final TrackRules trackRules;
  private final HookRules hookRules;
  private final AuthRules authRules;
  private final DnsRules dnsRules;
  private final Map<String, List<DnsConfig.NameConfig>> names = new LinkedHashMap<>();
  private final Vrrp2Rules vrrp2Rules;
  private final TrackFileRules trackFileRules;
  private final RouteRules routeRules;

  GroupRules(Readers read) {
    this.read = read;
    this.diagnostics = read.diagnostics;
    CommandRules commands = new CommandRules(read);
    this.ruleRules = new RuleRules(read);
    this.addressRules = new AddressRules(read);
    this.checkRules = new CheckRules(read, commands);
    this.trackRules = new TrackRules(read);
    this.hookRules = new HookRules(read, commands);
    this.authRules = new AuthRules(read);
    this.dnsRules = new DnsRules(read);
    this.vrrp2Rules = new Vrrp2Rules(read);
    this.trackFileRules = new TrackFileRules(read);
    this.routeRules = new RouteRules(read);
  }

  /** Each group's {@code names} (docs/DNS.md), by group name, once {@link #groups} has run. */
  Map<String, List<DnsConfig.NameConfig>> names() {
    return names;
  }

  /** Every group; null if any of them has an error. */
  List<GroupConfig> groups(Section top) {
    String allowed = "a list of 1.." + MAX_GROUPS + " groups";
    ListNode list = read.listOf(top, "groups", allowed);
    if (list == null) {
      return null;
    }
    read.counted(list, "groups", "group", 1, MAX_GROUPS, "groups");
    List<Draft> drafts = new ArrayList<>();
    for (int i = 0; i < list.items().size(); i++) {
      Draft d = group(i, list.items().get(i));
      if (d != null) {
        drafts.add(d);
      }
    }
    CrossGroupRules cross = new CrossGroupRules(diagnostics);
    cross.checkUniqueNames(drafts);
    cross.checkUniqueVrids(drafts);
    cross.checkUniqueAddresses(drafts);
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
    Section s = read.mapping(node, path, ConfigValidator.GROUP_KEYS);
    if (s == null) {
      return null;
    }
    String name = read.name(s, "name", NAME, NAME_ALLOWED);
    Integer vrid = read.integer(s, "vrid", VRID, null);
    String interfaceName = read.interfaceName(s);
    Integer priority = read.integer(s, "priority", PRIORITY, GroupConfig.DEFAULT_PRIORITY);
    Integer version = vrrp2Rules.version(s);
    // RFC 3768 §5.3.7: VRRPv2's Adver Int is one byte of whole seconds.
    Duration advertInterval =
        read.duration(
            s,
            "advert-interval",
            Integer.valueOf(2).equals(version) ? V2_ADVERT_INTERVAL : ADVERT_INTERVAL,
            GroupConfig.DEFAULT_ADVERT_INTERVAL);
    Boolean preempt = read.bool(s, "preempt", GroupConfig.DEFAULT_PREEMPT);
    Duration preemptDelay =
        read.duration(s, "preempt-delay", PREEMPT_DELAY, GroupConfig.DEFAULT_PREEMPT_DELAY);
    boolean acceptModeOk = acceptMode(s);
    // VRRPv2 checksums the VRRP message only (RFC 3768 §5.3.8); a checksum key there is refused.
    ChecksumMode checksum =
        Integer.valueOf(2).equals(version) ? ChecksumMode.VRRP_ONLY : checksum(s);
    // A group with names and no addresses is name-only (docs/DNS.md): its family is its peers'.
    boolean nameOnly = !s.has("addresses") && s.has("names");
    List<Located> addresses = nameOnly ? List.of() : addressRules.addresses(s, interfaceName);
    AddressFamily family =
        addresses == null || addresses.isEmpty() ? null : addresses.getFirst().address().family();
    List<InetAddress> peers = addressRules.unicastPeers(s, family, addresses);
    if (nameOnly) {
      family = nameOnlyFamily(s, peers);
    }
    Optional<InetAddress> unicastSource = addressRules.unicastSource(s, family, addresses, peers);
    TtlRange acceptTtl = acceptTtl(s, family, unicastSource);
    List<CheckConfig> checks = checkRules.checks(s);
    List<TrackInterface> tracked = trackRules.trackInterfaces(s, interfaceName);
    GroupHooks hooks = hookRules.hooks(s);
    Optional<AuthSettings> auth = authRules.auth(s, advertInterval);
    List<DnsConfig.NameConfig> groupNames = dnsRules.names(s, nameOnly);
    if (nameOnly && priority != null && priority == GroupConfig.OWNER_PRIORITY) {
      diagnostics.reject(
          s.entry("priority").value(),
          s.path("priority"),
          "makes this node the address owner, but a name-only group has no address to own",
          "1..254");
      priority = null;
    }
    if (name != null && groupNames != null && !groupNames.isEmpty()) {
      names.put(name, groupNames);
    }
    Optional<SimplePassword> password = vrrp2Rules.authentication(s);
    boolean versionOk = vrrp2Rules.consistent(s, version, family);
    List<TrackFile> trackFiles = trackFileRules.trackFiles(s);
    List<VirtualRoute> routes = routeRules.routes(s, family);
    List<VirtualRule> rules = ruleRules.rules(s, family);

    if (Boolean.FALSE.equals(preempt) && preemptDelay != null && !preemptDelay.isZero()) {
      diagnostics.reject(
          s.entry("preempt-delay").value(),
          s.path("preempt-delay"),
          "needs preempt: true, but preempt is false",
          "0s, or set preempt: true");
    }
    if (priority != null && priority == GroupConfig.OWNER_PRIORITY) {
      diagnostics.warning(
          s.entry("priority").value(),
          s.path("priority")
              + ": 255 makes this node the address owner (RFC 5798 §5.2.4); it must really own"
              + " the virtual addresses, and it always preempts");
      if (Boolean.FALSE.equals(preempt)) {
        diagnostics.warning(
            s.entry("preempt").value(),
            s.path("preempt")
                + ": false is ignored at priority 255; the address owner always preempts"
                + " (RFC 5798 §6.1)");
      }
    }
    if (family == AddressFamily.IPV6 && s.has("checksum") && checksum != null) {
      diagnostics.warning(
          s.entry("checksum").value(),
          s.path("checksum")
              + ": has no effect on an IPv6 group; IPv6 always checksums the pseudo-header"
              + " (RFC 5798 §5.2.8)");
    }

    if (tracked != null && addresses != null) {
      tracked = withAddressInterfaces(tracked, addresses);
    }
    GroupConfig config = null;
    if (name != null
        && vrid != null
        && interfaceName != null
        && priority != null
        && advertInterval != null
        && preempt != null
        && preemptDelay != null
        && acceptModeOk
        && checksum != null
        && family != null
        && peers != null
        && unicastSource != null
        && acceptTtl != null
        && checks != null
        && tracked != null
        && hooks != null
        && auth != null
        && groupNames != null
        && versionOk
        && password != null
        && trackFiles != null
        && routes != null
        && rules != null) {
      config =
          new GroupConfig(
              name,
              vrid,
              interfaceName,
              priority,
              advertInterval,
              preempt,
              preemptDelay,
              addresses.stream().map(Located::address).toList(),
              peers,
              unicastSource,
              checksum,
              family,
              checks,
              tracked,
              hooks,
              auth,
              acceptTtl,
              version,
              password,
              trackFiles,
              routes,
              rules);
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

  /**
   * The tracked interfaces plus the interface of every address that lives on another interface than
   * the group's and is not tracked already: while it is down the group is in FAULT, as keepalived
   * 2.2.7 does for a {@code dev} address without {@code no_track} (docs/DECISIONS.md). An interface
   * listed in {@code track-interfaces} keeps the weight given there.
   */
  static List<TrackInterface> withAddressInterfaces(
      List<TrackInterface> tracked, List<Located> addresses) {
    List<TrackInterface> out = new ArrayList<>(tracked);
    for (Located a : addresses) {
      a.address()
          .interfaceName()
          .filter(n -> out.stream().noneMatch(t -> t.interfaceName().equals(n)))
          .ifPresent(n -> out.add(new TrackInterface(n, Weight.FAULT)));
    }
    return List.copyOf(out);
  }

  /**
   * A name-only group's family: that of its unicast peers, which it must have (its nodes sit on
   * different subnets, or it would have a virtual address); null, reported, otherwise.
   */
  private AddressFamily nameOnlyFamily(Section s, List<InetAddress> peers) {
    if (!s.has("unicast-peers")) {
      diagnostics.error(
          s.map,
          s.path("addresses")
              + ": missing, and the group has names: a name-only group (docs/DNS.md) needs"
              + " unicast-peers; allowed: addresses, or unicast-peers for a name-only group");
      return null;
    }
    if (peers == null || peers.isEmpty()) {
      return null;
    }
    AddressFamily family = AddressFamily.of(peers.getFirst());
    for (int i = 1; i < peers.size(); i++) {
      if (AddressFamily.of(peers.get(i)) != family) {
        ListNode list = (ListNode) s.entry("unicast-peers").value();
        diagnostics.reject(
            list.items().get(i),
            s.path("unicast-peers") + "[" + i + "]",
            "is "
                + AddressFamily.of(peers.get(i)).displayName()
                + " but unicast-peers[0] is "
                + family.displayName(),
            "one address family per group");
        return null;
      }
    }
    return family;
  }

  /**
   * {@code accept-ttl}: the TTL / hop limit range adverts are accepted with, for unicast peers
   * behind routers (keepalived's {@code min_ttl}/{@code max_ttl}); {@link TtlRange#STRICT} when
   * absent. Only with unicast-peers (the peer list is then the only check of who speaks), and for
   * IPv6 only with a unicast-source (adverts from a link-local address are never routed). Null if
   * the key has an error.
   */
  private TtlRange acceptTtl(Section s, AddressFamily family, Optional<InetAddress> unicastSource) {
    if (!s.has("accept-ttl")) {
      return TtlRange.STRICT;
    }
    ConfigNode node = s.entry("accept-ttl").value();
    if (!s.has("unicast-peers")) {
      diagnostics.reject(
          node,
          s.path("accept-ttl"),
          "is set without unicast-peers: only adverts from listed peers may come through routers"
              + " (RFC 5798 §7.1 requires TTL 255 otherwise)",
          "only together with unicast-peers");
      return null;
    }
    Scalar value = read.scalarText(s, "accept-ttl", TTL_ALLOWED);
    if (value == null) {
      return null;
    }
    var m = TTL_RANGE.matcher(value.text());
    if (!m.matches()) {
      diagnostics.reject(value, s.path("accept-ttl"), "is not a TTL range", TTL_ALLOWED);
      return null;
    }
    int min = Integer.parseInt(m.group(1));
    int max = m.group(2) == null ? min : Integer.parseInt(m.group(2));
    if (min < 1 || max > 255 || min > max) {
      diagnostics.reject(value, s.path("accept-ttl"), "is out of range", TTL_ALLOWED);
      return null;
    }
    if (family == AddressFamily.IPV6 && unicastSource != null && unicastSource.isEmpty()) {
      diagnostics.reject(
          value,
          s.path("accept-ttl"),
          "needs unicast-source in an IPv6 group: adverts are sent from the link-local address"
              + " otherwise, which no router forwards",
          "a global unicast-source with accept-ttl");
      return null;
    }
    return new TtlRange(min, max);
  }

  /**
   * Accept_Mode (RFC 5798 §6.1) is always true in Takeover: the master accepts packets addressed to
   * its virtual addresses, which the services it fronts listen on (docs/DECISIONS.md). So {@code
   * accept-mode: true} only states that behaviour, and {@code false} is an error rather than a
   * setting that would silently do nothing. False if the key has an error.
   */
  private boolean acceptMode(Section s) {
    Boolean accept = read.bool(s, "accept-mode", true);
    if (Boolean.FALSE.equals(accept)) {
      diagnostics.reject(
          s.entry("accept-mode").value(),
          s.path("accept-mode"),
          "is not supported: Takeover always accepts packets for its virtual addresses"
              + " (Accept_Mode true, RFC 5798 §6.1), which services on the master need",
          "true, or remove the key");
      return false;
    }
    return accept != null;
  }

  private ChecksumMode checksum(Section s) {
    String allowed = String.join(", ", CHECKSUM_NAMES);
    if (!s.has("checksum")) {
      return GroupConfig.DEFAULT_CHECKSUM_MODE;
    }
    Scalar value = read.scalarText(s, "checksum", allowed);
    if (value == null) {
      return null;
    }
    ChecksumMode mode = CHECKSUM_MODES.get(value.text());
    if (mode == null) {
      diagnostics.reject(
          value,
          s.path("checksum"),
          "is not a checksum mode" + didYouMean(value.text(), CHECKSUM_NAMES),
          allowed);
    }
    return mode;
  }
}
