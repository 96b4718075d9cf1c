package dev.takeover.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.takeover.lab.Lab;
import dev.takeover.lab.LabProcess;
import dev.takeover.platform.Netns;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * A real BIND 9 {@code named} in the lab's client namespace holding the dynamic zone {@code
 * dns.test}, updatable only with the TSIG key {@code takeover} (hmac-sha256), as DnsFailoverIT
 * starts it; for the ITs of name-only groups and planned moves. The directory is removed by {@link
 * #close}.
 */
final class Named implements AutoCloseable {
  static final String ZONE = "dns.test.";
  static final String SERVER = Lab.ipv4(Lab.CLIENT);

  private final Cluster cluster;
  private final Path dir;
  final String secret;
  private LabProcess process;

  private Named(Cluster cluster, Path dir, String secret) {
    this.cluster = cluster;
    this.dir = dir;
    this.secret = secret;
  }

  /** Starts named (skips the test without BIND 9) and waits until it runs. */
  static Named start(Cluster cluster) throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/named")), "needs BIND 9 (scripts/setup)");
    String secret = Base64.getEncoder().encodeToString(SecureRandom.getSeed(32));
    // Not under the log directory: named's journal files are binary, and the logs are printed.
    Path dir = Files.createTempDirectory("tkv-named-");
    Files.writeString(
        dir.resolve("dns.test.zone"),
        """
        $TTL 60
        @    IN SOA ns.dns.test. admin.dns.test. 1 3600 600 86400 5
        @    IN NS  ns.dns.test.
        ns   IN A   %s
        """
            .formatted(SERVER));
    Files.writeString(
        dir.resolve("named.conf"),
        """
        key "takeover" { algorithm hmac-sha256; secret "%2$s"; };
        options {
          directory "%1$s";
          pid-file "%1$s/named.pid";
          session-keyfile "%1$s/session.key";
          managed-keys-directory "%1$s";
          listen-on port 53 { %3$s; };
          listen-on-v6 { none; };
          recursion no;
          dnssec-validation no;
          allow-query { any; };
        };
        controls { };
        zone "dns.test" {
          type primary; file "%1$s/dns.test.zone";
          update-policy { grant takeover zonesub ANY; };
        };
        """
            .formatted(dir, secret, SERVER));
    Named named = new Named(cluster, dir, secret);
    named.launch();
    return named;
  }

  private void launch() {
    Path log = cluster.logDir().resolve("named-" + System.nanoTime() + ".log");
    process =
        cluster
            .lab()
            .start(
                Lab.CLIENT,
                List.of(
                    "named",
                    "-g",
                    "-n",
                    "1",
                    "-u",
                    "root",
                    "-c",
                    dir.resolve("named.conf").toString()),
                log);
    Poll.until(
        Duration.ofSeconds(20), () -> read(log).contains("running"), () -> "named:\n" + read(log));
  }

  /**
   * The group YAML (indented for a key of the group) for one name, and the top-level {@code dns}
   * section with this server and its key, written to a file readable by its owner only.
   */
  String groupYaml(String name, int ttl, String nameExtra) throws IOException {
    Path keyFile = cluster.logDir().resolve("tsig.key");
    Files.writeString(keyFile, secret + "\n");
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    return """
            names:
              - name: %s
                ttl: %d
        %s\
        dns:
          retry-initial: 250ms
          retry-max: 2s
          verify-interval: 1s
          timeout: 500ms
          servers:
            - address: %s
              key: { name: takeover, algorithm: hmac-sha256, secret-file: "%s" }
        """
        .formatted(name, ttl, nameExtra, SERVER, keyFile);
  }

  /** The A RRset of {@code name} as named answers it now; empty on any failure. */
  Set<String> a(String name) {
    Set<String> values = new TreeSet<>();
    for (Record r : answer(name)) {
      if (r instanceof ARecord a) {
        values.add(a.getAddress().getHostAddress());
      }
    }
    return values;
  }

  /** The TTL of {@code name}'s A RRset as named holds it; -1 if there is none. */
  long ttl(String name) {
    return answer(name).stream()
        .filter(r -> r instanceof ARecord)
        .mapToLong(Record::getTTL)
        .findFirst()
        .orElse(-1);
  }

  private List<Record> answer(String name) {
    try {
      Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
      q.getHeader().unsetFlag(Flags.RD);
      return exchange(q, Optional.empty()).getSection(Section.ANSWER);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  void awaitA(String name, Set<String> expected, Duration timeout) {
    Poll.until(
        timeout,
        () -> a(name).equals(expected),
        () -> name + " A " + expected + "; it is " + a(name));
  }

  TSIG tsig() throws IOException {
    return new TSIG(TSIG.HMAC_SHA256, Name.fromString("takeover."), secret);
  }

  /** One UDP exchange with named, from the client namespace (the test JVM is outside the lab). */
  Message exchange(Message query, Optional<TSIG> key) throws IOException {
    key.ifPresent(k -> k.apply(query, null));
    byte[] wire = query.toWire(65535);
    return Netns.call(
        cluster.lab().nsName(Lab.CLIENT),
        () -> {
          try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(500);
            s.send(new DatagramPacket(wire, wire.length, new InetSocketAddress(SERVER, 53)));
            byte[] buf = new byte[4096];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return new Message(java.util.Arrays.copyOf(buf, p.getLength()));
          }
        });
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Deletes named's directory; the lab stops the process itself. */
  @Override
  public void close() throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
