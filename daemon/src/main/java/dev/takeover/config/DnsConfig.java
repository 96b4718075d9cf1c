package dev.takeover.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code dns:} section and each group's {@code names:} (docs/DNS.md): which servers take RFC
 * 2136 updates, how they are signed, how updates are retried, and which names follow which group.
 *
 * @param servers tried in order; empty when no group has names
 * @param timeout for one exchange with one server
 * @param retryInitial the wait after every server has failed once; it doubles up to {@code
 *     retryMax}
 * @param verifyInterval how often every name is read back (and, while master, repaired)
 * @param names per group name, its names in file order; groups without names are absent
 */
public record DnsConfig(
    List<Server> servers,
    Duration timeout,
    Duration retryInitial,
    Duration retryMax,
    Duration verifyInterval,
    Map<String, List<NameConfig>> names) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofMillis(500);
  public static final Duration DEFAULT_RETRY_MAX = Duration.ofSeconds(30);
  public static final Duration DEFAULT_VERIFY_INTERVAL = Duration.ofSeconds(30);

  public static final DnsConfig NONE =
      new DnsConfig(
          List.of(),
          DEFAULT_TIMEOUT,
          DEFAULT_RETRY_INITIAL,
          DEFAULT_RETRY_MAX,
          DEFAULT_VERIFY_INTERVAL,
          Map.of());

  public DnsConfig {
    servers = List.copyOf(servers);
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(retryInitial, "retryInitial");
    Objects.requireNonNull(retryMax, "retryMax");
    Objects.requireNonNull(verifyInterval, "verifyInterval");
    Map<String, List<NameConfig>> copy = new LinkedHashMap<>();
    names.forEach((group, list) -> copy.put(group, List.copyOf(list)));
    names = java.util.Collections.unmodifiableMap(copy);
  }

  /** The names of one group; empty if it has none. */
  public List<NameConfig> names(String group) {
    return names.getOrDefault(group, List.of());
  }

  /** Whether any group has names. */
  public boolean enabled() {
    return names.values().stream().anyMatch(l -> !l.isEmpty());
  }

  /** One DNS server that takes updates. */
  public record Server(InetAddress address, int port, Optional<TsigKey> key) {
    public Server {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
      return IpLiterals.format(address) + "#" + port;
    }
  }

  /**
   * A TSIG key (RFC 8945). The secret is read from {@code secretFile} when the daemon starts, never
   * kept in the configuration; the file must not be readable by others.
   *
   * @param algorithm {@code hmac-sha256} or {@code hmac-sha512}
   */
  public record TsigKey(String name, String algorithm, Path secretFile) {}

  /** What a name points to. */
  public enum PointsTo {
    /** The group's virtual addresses: the same on every node, so the record only stays correct. */
    VIPS,
    /** This node's own address on the group's interface: the name moves with the master. */
    SELF
  }

  /**
   * One name that follows a group.
   *
   * @param name the owner name, absolute (ends in a dot)
   * @param zone the zone the update goes to, absolute; defaults to the name's parent
   * @param ttl of the records written
   * @param ptrZone when present, a PTR for each target address is kept in this reverse zone
   * @param removeOnRelease on release, take this node's values out (true) or leave the record
   * @param overwriteOnConflict a failed prerequisite is overwritten as master (true) or left and
   *     alarmed
   * @param moveTtl when present, a planned move on the master first writes the record with this
   *     (lower) TTL and waits for caches of the old one (docs/DNS.md "Planned moves")
   * @param moveWaitMax the longest a planned move waits for that, from its request
   */
  public record NameConfig(
      String name,
      String zone,
      int ttl,
      Optional<String> ptrZone,
      PointsTo pointsTo,
      boolean removeOnRelease,
      boolean overwriteOnConflict,
      OptionalInt moveTtl,
      Duration moveWaitMax) {

    /** Without a lowered TTL for planned moves (tests, callers that do not care). */
    public NameConfig(
        String name,
        String zone,
        int ttl,
        Optional<String> ptrZone,
        PointsTo pointsTo,
        boolean removeOnRelease,
        boolean overwriteOnConflict) {
      this(
          name,
          zone,
          ttl,
          ptrZone,
          pointsTo,
          removeOnRelease,
          overwriteOnConflict,
          OptionalInt.empty(),
          Duration.ofMinutes(2));
    }
  }
}
