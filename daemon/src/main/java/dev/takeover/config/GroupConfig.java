package dev.takeover.config;

import dev.takeover.wire.AuthSettings;
import dev.takeover.wire.ChecksumMode;
import dev.takeover.wire.SimplePassword;
import dev.takeover.wire.TtlRange;
import dev.takeover.wire.WireFormat;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One VRRP virtual router: a VRID on one interface for one address family (RFC 5798 §6.1).
 *
 * <p>There is no Accept_Mode (RFC 5798 §6.1): Takeover always accepts packets addressed to its
 * virtual addresses, as Accept_Mode true would (docs/DECISIONS.md); the key {@code accept-mode} may
 * only say {@code true}.
 *
 * @param name unique name of the group in this configuration
 * @param vrid Virtual Router Identifier, 1..255 (RFC 5798 §5.2.3)
 * @param interfaceName the Linux interface the adverts are sent on and the addresses added to
 * @param priority 1..255; 255 means this node owns the addresses (RFC 5798 §5.2.4)
 * @param advertInterval Advertisement_Interval, 10 ms steps up to 40.95 s (RFC 5798 §5.2.7)
 * @param preempt Preempt_Mode (RFC 5798 §6.1)
 * @param preemptDelay how long a higher-priority backup waits before preempting; zero when {@code
 *     preempt} is false
 * @param addresses the virtual addresses, 0..20, all of {@code family}; the first is the primary.
 *     Empty only for a name-only group (docs/DNS.md): it has names and moves nothing but them
 * @param unicastPeers where to send adverts instead of the VRRP multicast group; empty for
 *     multicast
 * @param unicastSource the source address for unicast adverts; empty to let the kernel choose
 * @param checksumMode how the IPv4 checksum is computed; ignored for IPv6
 * @param family the address family of the addresses (of the unicast peers in a name-only group)
 * @param checks health checks of the service the group fronts, in file order; 0..16
 * @param trackInterfaces other interfaces whose link state the group follows; 0..16
 * @param hooks commands run on the group's transitions
 * @param auth auth_hmac (keepalived 2.4's HMAC-SHA256 advert trailers), if the group has it
 * @param acceptTtl the TTL / hop limit its adverts are accepted with: {@link TtlRange#STRICT} (255,
 *     RFC 5798 §7.1) unless {@code accept-ttl} is set, which only a unicast group may do
 * @param version the VRRP version the group speaks: 3 (RFC 5798) or 2 (RFC 3768: IPv4 only, whole
 *     seconds, {@code checksumMode} {@link ChecksumMode#VRRP_ONLY}, no {@code auth})
 * @param password VRRPv2 simple-password authentication (keepalived {@code auth_type PASS}); empty
 *     for none and always for VRRPv3
 * @param trackFiles files whose integer content adjusts the priority (keepalived's {@code
 *     track_file}); 0..16
 * @param routes routes installed while the group is master (keepalived's {@code virtual_routes});
 *     0..16
 * @param rules policy routing rules installed and removed with the routes (keepalived's {@code
 *     virtual_rules}); 0..16
 */
public record GroupConfig(
    String name,
    int vrid,
    String interfaceName,
    int priority,
    Duration advertInterval,
    boolean preempt,
    Duration preemptDelay,
    List<VirtualAddress> addresses,
    List<InetAddress> unicastPeers,
    Optional<InetAddress> unicastSource,
    ChecksumMode checksumMode,
    AddressFamily family,
    List<CheckConfig> checks,
    List<TrackInterface> trackInterfaces,
    GroupHooks hooks,
    Optional<AuthSettings> auth,
    TtlRange acceptTtl,
    int version,
    Optional<SimplePassword> password,
    List<TrackFile> trackFiles,
    List<VirtualRoute> routes,
    List<VirtualRule> rules) {

  public static final int DEFAULT_PRIORITY = 100;

  /** Priority of the router that owns the addresses (RFC 5798 §5.2.4). */
  public static final int OWNER_PRIORITY = 255;

  public static final Duration DEFAULT_ADVERT_INTERVAL = Duration.ofSeconds(1);
  public static final boolean DEFAULT_PREEMPT = true;
  public static final Duration DEFAULT_PREEMPT_DELAY = Duration.ZERO;

  /** keepalived's default, so a mixed cluster works without extra settings. */
  public static final ChecksumMode DEFAULT_CHECKSUM_MODE = ChecksumMode.PSEUDO_HEADER;

  public GroupConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(interfaceName, "interfaceName");
    Objects.requireNonNull(advertInterval, "advertInterval");
    Objects.requireNonNull(preemptDelay, "preemptDelay");
    addresses = List.copyOf(addresses);
    unicastPeers = List.copyOf(unicastPeers);
    Objects.requireNonNull(unicastSource, "unicastSource");
    Objects.requireNonNull(checksumMode, "checksumMode");
    Objects.requireNonNull(family, "family");
    checks = List.copyOf(checks);
    trackInterfaces = List.copyOf(trackInterfaces);
    Objects.requireNonNull(hooks, "hooks");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(acceptTtl, "acceptTtl");
    trackFiles = List.copyOf(trackFiles);
    routes = List.copyOf(routes);
    rules = List.copyOf(rules);
    if (!acceptTtl.strict() && unicastPeers.isEmpty()) {
      throw new IllegalArgumentException("accept-ttl needs unicast peers");
    }
    // Checked by the validator with file positions; here only so no other path can mix them.
    WireFormat format = new WireFormat(version, checksumMode, password);
    if (version == 2 && (family != AddressFamily.IPV4 || auth.isPresent())) {
      throw new IllegalArgumentException("a VRRPv2 group is IPv4 without auth, got " + format);
    }
  }

  /** A group without policy rules. */
  public GroupConfig(
      String name,
      int vrid,
      String interfaceName,
      int priority,
      Duration advertInterval,
      boolean preempt,
      Duration preemptDelay,
      List<VirtualAddress> addresses,
      List<InetAddress> unicastPeers,
      Optional<InetAddress> unicastSource,
      ChecksumMode checksumMode,
      AddressFamily family,
      List<CheckConfig> checks,
      List<TrackInterface> trackInterfaces,
      GroupHooks hooks,
      Optional<AuthSettings> auth,
      TtlRange acceptTtl,
      int version,
      Optional<SimplePassword> password,
      List<TrackFile> trackFiles,
      List<VirtualRoute> routes) {
    this(
        name,
        vrid,
        interfaceName,
        priority,
        advertInterval,
        preempt,
        preemptDelay,
        addresses,
        unicastPeers,
        unicastSource,
        checksumMode,
        family,
        checks,
        trackInterfaces,
        hooks,
        auth,
        acceptTtl,
        version,
        password,
        trackFiles,
        routes,
        List.of());
  }

  /** A group without virtual routes. */
  public GroupConfig(
      String name,
      int vrid,
      String interfaceName,
      int priority,
      Duration advertInterval,
      boolean preempt,
      Duration preemptDelay,
      List<VirtualAddress> addresses,
      List<InetAddress> unicastPeers,
      Optional<InetAddress> unicastSource,
      ChecksumMode checksumMode,
      AddressFamily family,
      List<CheckConfig> checks,
      List<TrackInterface> trackInterfaces,
      GroupHooks hooks,
      Optional<AuthSettings> auth,
      TtlRange acceptTtl,
      int version,
      Optional<SimplePassword> password,
      List<TrackFile> trackFiles) {
    this(
        name,
        vrid,
        interfaceName,
        priority,
        advertInterval,
        preempt,
        preemptDelay,
        addresses,
        unicastPeers,
        unicastSource,
        checksumMode,
        family,
        checks,
        trackInterfaces,
        hooks,
        auth,
        acceptTtl,
        version,
        password,
        trackFiles,
        List.of());
  }

  /** A VRRPv3 group with the RFC's TTL rule (255 only). */
  public GroupConfig(
      String name,
      int vrid,
      String interfaceName,
      int priority,
      Duration advertInterval,
      boolean preempt,
      Duration preemptDelay,
      List<VirtualAddress> addresses,
      List<InetAddress> unicastPeers,
      Optional<InetAddress> unicastSource,
      ChecksumMode checksumMode,
      AddressFamily family,
      List<CheckConfig> checks,
      List<TrackInterface> trackInterfaces,
      GroupHooks hooks,
      Optional<AuthSettings> auth) {
    this(
        name,
        vrid,
        interfaceName,
        priority,
        advertInterval,
        preempt,
        preemptDelay,
        addresses,
        unicastPeers,
        unicastSource,
        checksumMode,
        family,
        checks,
        trackInterfaces,
        hooks,
        auth,
        TtlRange.STRICT,
        3,
        Optional.empty(),
        List.of());
  }

  /** How the group's adverts look on the wire: version, checksum mode, VRRPv2 password. */
  public WireFormat wireFormat() {
    return new WireFormat(version, checksumMode, password);
  }

  /** A group without auth_hmac. */
  public GroupConfig(
      String name,
      int vrid,
      String interfaceName,
      int priority,
      Duration advertInterval,
      boolean preempt,
      Duration preemptDelay,
      List<VirtualAddress> addresses,
      List<InetAddress> unicastPeers,
      Optional<InetAddress> unicastSource,
      ChecksumMode checksumMode,
      AddressFamily family,
      List<CheckConfig> checks,
      List<TrackInterface> trackInterfaces,
      GroupHooks hooks) {
    this(
        name,
        vrid,
        interfaceName,
        priority,
        advertInterval,
        preempt,
        preemptDelay,
        addresses,
        unicastPeers,
        unicastSource,
        checksumMode,
        family,
        checks,
        trackInterfaces,
        hooks,
        Optional.empty());
  }

  /**
   * A group without checks, tracked interfaces or hooks. Kept so code and tests that only care
   * about VRRP settings need not spell out the newer components.
   */
  public GroupConfig(
      String name,
      int vrid,
      String interfaceName,
      int priority,
      Duration advertInterval,
      boolean preempt,
      Duration preemptDelay,
      List<VirtualAddress> addresses,
      List<InetAddress> unicastPeers,
      Optional<InetAddress> unicastSource,
      ChecksumMode checksumMode,
      AddressFamily family) {
    this(
        name,
        vrid,
        interfaceName,
        priority,
        advertInterval,
        preempt,
        preemptDelay,
        addresses,
        unicastPeers,
        unicastSource,
        checksumMode,
        family,
        List.of(),
        List.of(),
        GroupHooks.NONE);
  }

  /** Whether adverts go to {@link #unicastPeers} instead of the VRRP multicast group. */
  public boolean unicast() {
    return !unicastPeers.isEmpty();
  }

  /**
   * Whether the group has no virtual address, only names (docs/DNS.md): its adverts list the
   * sender's own address, and a claim moves nothing but the names.
   */
  public boolean nameOnly() {
    return addresses.isEmpty();
  }

  /** Whether this node owns the addresses (priority 255, RFC 5798 §5.2.4). */
  public boolean addressOwner() {
    return priority == OWNER_PRIORITY;
  }
}
