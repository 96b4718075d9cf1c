package dev.takeover.lab;

import dev.takeover.platform.Netns;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.locks.LockSupport;
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
 * dns.test}, updatable only with the TSIG key {@code takeover} (hmac-sha256): for the ITs of names
 * (NameOnlyIT, the planned-move IT) and the bench's name scenario. Its directory is removed by
 * {@link #close}; the process is the lab's (stopped by the lab, by PID).
 */
public final class NamedServer implements AutoCloseable {
  public static final Path NAMED = Path.of("/usr/sbin/named");
  public static final String ZONE = "dns.test.";
  public static final String SERVER = Lab.ipv4(Lab.CLIENT);

  private final Lab lab;
  private final Path logDir;
  private final Path dir;
  private final String secret;
  private LabProcess process;

  private NamedServer(Lab lab, Path logDir, Path dir, String secret) {
    this.lab = lab;
    this.logDir = logDir;
    this.dir = dir;
    this.secret = secret;
  }

  /** Whether BIND 9 is installed (scripts/setup installs it). */
  public static boolean available() {
    return Files.isExecutable(NAMED);
  }

  /** Starts named in the lab's client namespace, its log in {@code logDir}; waits until it runs. */
  public static NamedServer start(Lab lab, Path logDir) throws IOException {
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
    NamedServer named = new NamedServer(lab, logDir, dir, secret);
    named.launch();
    return named;
  }

  private void launch() {
    Path log = logDir.resolve("named-" + System.nanoTime() + ".log");
    process =
        lab.start(
            Lab.CLIENT,
            List.of(
                "named", "-g", "-n", "1", "-u", "root", "-c", dir.resolve("named.conf").toString()),
            log);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!read(log).contains("running")) {
      if (System.nanoTime() - deadline > 0 || !process.isAlive()) {
        throw new LabException("named did not start:\n" + read(log));
      }
      LockSupport.parkNanos(20_000_000);
    }
  }

  public String secret() {
    return secret;
  }

  /**
   * The group YAML (indented for a key of the group) for one name, then the top-level {@code dns}
   * section with this server and its key, written to {@code keyDir/tsig.key} readable by its owner
   * only.
   */
  public String groupYaml(Path keyDir, String name, int ttl, String nameExtra) throws IOException {
    Path keyFile = keyDir.resolve("tsig.key");
    Files.createDirectories(keyDir);
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
  public Set<String> a(String name) {
    Set<String> values = new TreeSet<>();
    for (Record r : answer(name)) {
      if (r instanceof ARecord a) {
        values.add(a.getAddress().getHostAddress());
      }
    }
    return values;
  }

  /** The TTL of {@code name}'s A RRset as named holds it; -1 if there is none. */
  public long ttl(String name) {
    return answer(name).stream()
        .filter(r -> r instanceof ARecord)
        .mapToLong(Record::getTTL)
        .findFirst()
        .orElse(-1);
  }

  private List<Record> answer(String name) {
    try {
      return exchange(query(name), Optional.empty()).getSection(Section.ANSWER);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** An A query for {@code name}, recursion not desired (named is authoritative). */
  public static Message query(String name) {
    try {
      Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
      q.getHeader().unsetFlag(Flags.RD);
      return q;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public TSIG tsig() throws IOException {
    return new TSIG(TSIG.HMAC_SHA256, Name.fromString("takeover."), secret);
  }

  /** One UDP exchange with named, from the client namespace (the caller's JVM is outside it). */
  public Message exchange(Message query, Optional<TSIG> key) throws IOException {
    key.ifPresent(k -> k.apply(query, null));
    byte[] wire = query.toWire(65535);
    return Netns.call(
        lab.nsName(Lab.CLIENT),
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

  /**
   * Stops named (by its PID) and deletes its directory. Stopped first: a named still running writes
   * its zone journal while the directory goes, and the delete then fails on a directory that is not
   * empty (seen in NameOnlyIT, whose cleanup ran before the lab's).
   */
  @Override
  public void close() throws IOException {
    if (process != null) {
      process.signal(LabProcess.Signal.TERM);
      if (process.waitFor(Duration.ofSeconds(5)).isEmpty()) {
        process.signal(LabProcess.Signal.KILL);
        process.waitFor(Duration.ofSeconds(5));
      }
    }
    try (var files = Files.walk(dir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
