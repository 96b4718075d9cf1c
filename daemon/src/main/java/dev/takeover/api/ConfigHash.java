package dev.takeover.api;

import dev.takeover.config.GroupConfig;
import dev.takeover.config.TakeoverConfig;
import dev.takeover.config.VirtualAddress;
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

  public static String of(TakeoverConfig config) {
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
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }
}
