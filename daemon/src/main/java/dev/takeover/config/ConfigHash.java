package dev.takeover.config;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * A short digest of what every node of a cluster must agree on: the named nodes, and per group its
 * name, VRID, family, version, advert interval and addresses. Priorities, interfaces, unicast
 * peers, checks and hooks are per node by design and left out, so two nodes with different hashes
 * really disagree about the cluster (DECISIONS: the cluster view's config hash).
 */
public final class ConfigHash {
  private ConfigHash() {}

  /** The digest as the API and {@code status} show it: its first 6 bytes in hex. */
  public static String of(TakeoverConfig config) {
    return hex(prefix(config));
  }

  /**
   * The digest's first 8 bytes, as the node links carry it in every heartbeat ({@code
   * links.NodeSummary}); {@link #hex} shows it the way {@link #of} does, so a peer's hash heard
   * over the links and one read from its API compare equal.
   */
  public static long prefix(TakeoverConfig config) {
    StringBuilder b = new StringBuilder();
    config.nodes().entrySet().stream()
        .sorted(java.util.Map.Entry.comparingByKey())
        .forEach(
            e ->
                b.append("node ").append(e.getKey()).append(' ').append(e.getValue()).append('\n'));
    config.groups().stream()
        .sorted(Comparator.comparing(GroupConfig::name))
        .forEach(
            g ->
                b.append("group ")
                    .append(g.name())
                    .append(' ')
                    .append(g.vrid())
                    .append(' ')
                    .append(g.family())
                    .append(" v")
                    .append(g.version())
                    .append(' ')
                    .append(g.advertInterval().toMillis())
                    .append(' ')
                    .append(g.addresses().stream().map(VirtualAddress::toString).sorted().toList())
                    .append('\n'));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(b.toString().getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }

  /** The first 6 bytes of a {@link #prefix} in hex, as {@link #of} gives them. */
  public static String hex(long prefix) {
    return HexFormat.of().toHexDigits(prefix).substring(0, 12);
  }
}
