package dev.takeover.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.takeover.lab.NamedServer;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Message;
import org.xbill.DNS.TSIG;

/**
 * The lab's {@link NamedServer} for an IT: started in the cluster's client namespace (skipping the
 * test without BIND 9), with its log in the test's log directory.
 */
final class Named implements AutoCloseable {
  static final String ZONE = NamedServer.ZONE;
  static final String SERVER = NamedServer.SERVER;

  private final Cluster cluster;
  private final NamedServer server;
  final String secret;

  private Named(Cluster cluster, NamedServer server) {
    this.cluster = cluster;
    this.server = server;
    this.secret = server.secret();
  }

  /** Starts named (skips the test without BIND 9) and waits until it runs. */
  static Named start(Cluster cluster) throws IOException {
    assumeTrue(NamedServer.available(), "needs BIND 9 (scripts/setup)");
    return new Named(cluster, NamedServer.start(cluster.lab(), cluster.logDir()));
  }

  /**
   * The group YAML (indented for a key of the group) for one name, and the top-level {@code dns}
   * section with this server and its key, written to a file readable by its owner only.
   */
  String groupYaml(String name, int ttl, String nameExtra) throws IOException {
    return server.groupYaml(cluster.logDir(), name, ttl, nameExtra);
  }

  /** The A RRset of {@code name} as named answers it now; empty on any failure. */
  Set<String> a(String name) {
    return server.a(name);
  }

  /** The TTL of {@code name}'s A RRset as named holds it; -1 if there is none. */
  long ttl(String name) {
    return server.ttl(name);
  }

  void awaitA(String name, Set<String> expected, Duration timeout) {
    Poll.until(
        timeout,
        () -> a(name).equals(expected),
        () -> name + " A " + expected + "; it is " + a(name));
  }

  TSIG tsig() throws IOException {
    return server.tsig();
  }

  /** One UDP exchange with named, from the client namespace (the test JVM is outside the lab). */
  Message exchange(Message query, Optional<TSIG> key) throws IOException {
    return server.exchange(query, key);
  }

  /** Deletes named's directory; the lab stops the process itself. */
  @Override
  public void close() throws IOException {
    server.close();
  }
}
