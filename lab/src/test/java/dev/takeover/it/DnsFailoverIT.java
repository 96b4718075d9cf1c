package dev.takeover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.takeover.lab.Lab;
import dev.takeover.lab.LabProcess;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import dev.takeover.platform.Netns;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Names follow the service (docs/DNS.md), against a real BIND 9 {@code named} in the client
 * namespace holding {@code dns.test} and its reverse zone, both updatable only with a TSIG key. The
 * name points at the master's own address ({@code points-to: self}), so a failover has to move it.
 */
class DnsFailoverIT {
  static final String NAME = "www.dns.test.";
  static final String SERVER = Lab.ipv4(Lab.CLIENT);
  static final String PTR_ZONE = "0.18.198.in-addr.arpa";
  static final String PTR6_ZONE = "0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa";

  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);
  private LabProcess named;
  private Path namedDir;
  private String secret;

  /**
   * Kill -9 of the master: the name and the PTR move to the backup's own address. A client in the
   * client namespace asks named every 10 ms; the name outage runs from the kill to the first answer
   * with the new address. The send delay is from the journal: the new master's transition to the
   * update leaving, on the same monotonic clock.
   */
  @ParameterizedTest(name = "adverts every {0} ms")
  @ValueSource(ints = {100, 1000})
  void failoverMovesTheNameAndItsPtr(int advertMillis) throws Exception {
    startNamed();
    startPair(Duration.ofMillis(advertMillis), secret);
    String n2 = Lab.ipv4("n2");
    awaitA(Set.of(Lab.ipv4("n1")));
    Resolver resolver = new Resolver();
    Thread loop = Thread.ofPlatform().daemon().start(resolver);
    try {
      Poll.until(Duration.ofSeconds(5), () -> resolver.answers > 5, () -> "the resolver loop");
      long killed = System.nanoTime();
      cluster.daemon("n1").process().signal(LabProcess.Signal.KILL);
      Poll.until(
          Duration.ofSeconds(15),
          () -> resolver.firstNew != 0,
          () -> NAME + " to resolve to " + n2 + "; it is " + a());
      Poll.until(
          Duration.ofSeconds(5),
          () -> ptr(n2).contains(NAME),
          () -> "PTR of " + n2 + " -> " + NAME + "; it is " + ptr(n2));
      // The journal is written on its own thread: its lines may trail the server's answer.
      // The A's confirmation, not merely the first one: the PTR's may come first.
      Poll.until(
          Duration.ofSeconds(5),
          () ->
              journal("n2")
                  .lines()
                  .anyMatch(l -> l.contains("\"dns.update.confirmed\"") && l.contains("/A\"")),
          () -> "n2 to journal dns.update.confirmed for " + NAME + "/A");
      String journal = journal("n2");
      List<String> lines = journal.lines().toList();
      // The update's record says how long after the claim it left (the claim's own records are
      // journaled after its first announcement, so they come later).
      int s = firstIndex(lines, 0, "\"type\":\"dns.update.sent\"", "sinceClaimUs");
      int c = firstIndex(lines, s, "\"type\":\"dns.update.confirmed\"", "/A");
      java.util.regex.Matcher since =
          java.util.regex.Pattern.compile("\"sinceClaimUs\":(\\d+)").matcher(lines.get(s));
      assertThat(since.find()).isTrue();
      long sent = monotonic(lines.get(s));
      long master = sent - Long.parseLong(since.group(1)) * 1000;
      long confirmed = monotonic(lines.get(c));
      double outageMs = (resolver.firstNew - killed) / 1e6;
      double mdiMs =
          Cluster.masterDownInterval(100, Duration.ofMillis(advertMillis)).toNanos() / 1e6;
      System.out.printf(
          java.util.Locale.ROOT,
          "DnsFailoverIT adverts %d ms: name outage %.1f ms (Master_Down_Interval %.1f ms);"
              + " update sent %.3f ms after the claim, confirmed %.3f ms after"
              + " sending%n",
          advertMillis,
          outageMs,
          mdiMs,
          (sent - master) / 1e6,
          (confirmed - sent) / 1e6);
      // The target is 5 ms (0.5..3.3 ms measured in most runs). The DNS thread runs at normal
      // priority (DECISIONS 42), and on this shared 2-core machine at a load average of 9..13 a
      // woken normal thread waited up to 59 ms for a CPU: this bound only catches an update put
      // behind a hook, a retry or a server's answer, not the scheduler.
      assertThat(sent - master)
          .as("ns from the claim to the update leaving")
          .isLessThan(200_000_000);
      assertThat(outageMs).isLessThan(mdiMs + 1000);
    } finally {
      resolver.stop = true;
      loop.join(1000);
    }
  }

  /** The index of the first line from {@code from} on that contains both markers. */
  private static int firstIndex(List<String> lines, int from, String marker, String also) {
    for (int i = Math.max(from, 0); i < lines.size(); i++) {
      if (lines.get(i).contains(marker) && lines.get(i).contains(also)) {
        return i;
      }
    }
    throw new AssertionError(
        marker + " " + also + " after line " + from + " in\n" + String.join("\n", lines));
  }

  /** A journal line's monotonicNanos. */
  private static long monotonic(String line) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"monotonicNanos\":(\\d+)").matcher(line);
    assertThat(m.find()).as(line).isTrue();
    return Long.parseLong(m.group(1));
  }

  /** Asks named for the name every 10 ms from the client namespace; notes the first new answer. */
  private final class Resolver implements Runnable {
    volatile boolean stop;
    volatile int answers;
    volatile long firstNew;

    @Override
    public void run() {
      String n2 = Lab.ipv4("n2");
      try (DatagramSocket s =
          Netns.call(cluster.lab().nsName(Lab.CLIENT), () -> new DatagramSocket())) {
        s.setSoTimeout(10);
        Message q = Message.newQuery(Record.newRecord(Name.fromString(NAME), Type.A, DClass.IN));
        q.getHeader().unsetFlag(Flags.RD);
        byte[] wire = q.toWire();
        InetSocketAddress to = new InetSocketAddress(SERVER, 53);
        byte[] buf = new byte[1500];
        while (!stop) {
          long next = System.nanoTime() + 10_000_000;
          s.send(new DatagramPacket(wire, wire.length, to));
          try {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            long at = System.nanoTime();
            Message answer = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
            answers++;
            boolean isNew =
                answer.getSection(Section.ANSWER).stream()
                    .anyMatch(
                        r ->
                            r instanceof ARecord ar && ar.getAddress().getHostAddress().equals(n2));
            if (isNew && firstNew == 0) {
              firstNew = at;
            }
          } catch (java.net.SocketTimeoutException e) {
            // no answer within 10 ms: ask again
          }
          long wait = next - System.nanoTime();
          if (wait > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @Test
  void anUpdateMissedWhileTheServerIsDownArrivesWhenItIsBack() throws Exception {
    startNamed();
    startPair(Duration.ofMillis(100), secret);
    awaitA(Set.of(Lab.ipv4("n1")));
    named.signal(LabProcess.Signal.KILL);
    named.waitFor(Duration.ofSeconds(5));
    cluster.daemon("n1").process().signal(LabProcess.Signal.KILL);
    Cluster.awaitTakeoverState(cluster.daemon("n2"), "MASTER", Duration.ofSeconds(5));
    Poll.until(
        Duration.ofSeconds(5),
        () -> journal("n2").contains("\"dns.update.retry\""),
        () -> "n2 to journal a retry");
    Poll.sleep(Duration.ofSeconds(10));
    launchNamed();
    // Backoff is capped at retry-max (2 s here): the update lands soon after named is back.
    awaitA(Set.of(Lab.ipv4("n2")));
    assertThat(cluster.daemon("n2").process().isAlive()).isTrue();
  }

  @Test
  void aRecordEditedByHandWhileMasterIsRepairedAndJournaled() throws Exception {
    startNamed();
    startPair(Duration.ofMillis(100), secret);
    String n1 = Lab.ipv4("n1");
    awaitA(Set.of(n1));
    Update edit = new Update(Name.fromString("dns.test."));
    edit.replace(
        new ARecord(Name.fromString(NAME), DClass.IN, 60, InetAddress.ofLiteral("198.18.0.66")));
    Message answer = exchange(edit, Optional.of(tsig(secret)));
    assertThat(answer.getRcode()).as("the hand edit").isZero();
    Poll.until(
        Duration.ofSeconds(10),
        () -> journal("n1").contains("\"dns.drift.repaired\""),
        () -> "n1 to journal dns.drift.repaired; journal: " + dnsLines(journal("n1")));
    awaitA(Set.of(n1));
    assertThat(journal("n1")).contains("198.18.0.66");
  }

  @Test
  void aWrongKeyIsAClearErrorInLogJournalAndStatus() throws Exception {
    startNamed();
    String wrong = Base64.getEncoder().encodeToString(new byte[32]);
    startPair(Duration.ofMillis(100), wrong);
    NodeDaemon n1 = cluster.daemon("n1");
    Poll.until(
        Duration.ofSeconds(10),
        () -> n1.process().log().contains("BADSIG") || n1.process().log().contains("BADKEY"),
        () -> "n1 to log BADSIG or BADKEY; log:\n" + n1.process().log());
    assertThat(journal("n1")).containsPattern("\"dns.update.retry\".*BAD(SIG|KEY)");
    String status = takeover("n1", "status");
    assertThat(status).containsPattern("BAD(SIG|KEY)");
    assertThat(n1.process().isAlive()).isTrue();
    assertThat(a()).as("named still holds nothing of ours").isEmpty();
  }

  /**
   * An IPv6 group: the name's AAAA follows the master's own global address, and the PTR in the
   * ip6.arpa zone is written for it (the server is reached over IPv4: the DNS side does not care
   * about the group's family).
   */
  @Test
  void anIpv6GroupMovesTheAaaaAndItsPtr() throws Exception {
    startNamed();
    startPair(Duration.ofMillis(100), secret, "2001:db8::50/64", PTR6_ZONE, "", "1s");
    String n1 = Lab.ipv6("n1");
    String n2 = Lab.ipv6("n2");
    awaitValues(NAME, Type.AAAA, Set.of(n1));
    cluster.daemon("n1").process().signal(LabProcess.Signal.KILL);
    awaitValues(NAME, Type.AAAA, Set.of(n2));
    awaitValues(ReverseMap.fromAddress(n2).toString(), Type.PTR, Set.of(NAME));
    String record = "\"record\":\"" + NAME + "/AAAA\"";
    // The journal is written on its own thread: its lines may trail the server's answer.
    Poll.until(
        Duration.ofSeconds(5),
        () -> journal("n2").contains(record),
        () -> "n2 to journal " + record + "; journal: " + dnsLines(journal("n2")));
  }

  /**
   * A prerequisite that fails because someone else wrote the record: {@code on-conflict: alarm}
   * leaves it and says so (journal, log, status); {@code overwrite} writes anyway. The verify
   * interval is off, so n2 still expects n1's address when it claims after the hand edit.
   */
  @ParameterizedTest(name = "on-conflict {0}")
  @ValueSource(strings = {"alarm", "overwrite"})
  void aPrerequisiteConflictFollowsThePolicy(String policy) throws Exception {
    startNamed();
    startPair(
        Duration.ofMillis(100),
        secret,
        Cluster.VIP + "/24",
        PTR_ZONE,
        "        on-conflict: " + policy + "\n",
        "0s");
    awaitA(Set.of(Lab.ipv4("n1")));
    // n2 reads the record once, at start (verify-interval 0s): only after that may it change.
    java.util.regex.Pattern seen =
        java.util.regex.Pattern.compile("\"lastSeen\"\\s*:\\s*\"\\{198\\.18\\.0\\.1\\}\"");
    Poll.until(
        Duration.ofSeconds(10),
        () -> seen.matcher(takeover("n2", "status", "--json")).find(),
        () -> "n2 to have read " + NAME + ": " + takeover("n2", "status", "--json"));
    String other = "198.18.0.66";
    Update edit = new Update(Name.fromString("dns.test."));
    edit.replace(new ARecord(Name.fromString(NAME), DClass.IN, 60, InetAddress.ofLiteral(other)));
    assertThat(exchange(edit, Optional.of(tsig(secret))).getRcode()).as("the hand edit").isZero();
    awaitA(Set.of(other));
    cluster.daemon("n1").process().signal(LabProcess.Signal.KILL);
    Poll.until(
        Duration.ofSeconds(10),
        () -> journal("n2").contains("\"dns.update.conflict\""),
        () -> "n2 to journal dns.update.conflict; journal: " + dnsLines(journal("n2")));
    String conflict =
        journal("n2").lines().filter(l -> l.contains("\"dns.update.conflict\"")).findFirst().get();
    assertThat(conflict).contains(other).contains("\"action\":\"" + policy + "\"");
    if (policy.equals("alarm")) {
      Poll.holdsFor(
          Duration.ofSeconds(2), () -> a().equals(Set.of(other)), () -> "the edit to stay");
      assertThat(takeover("n2", "status")).contains("conflict");
      assertThat(cluster.daemon("n2").process().log()).contains("left alone (on-conflict: alarm)");
    } else {
      awaitA(Set.of(Lab.ipv4("n2")));
    }
  }

  @AfterEach
  void removeNamedDir() throws IOException {
    if (namedDir != null) {
      try (var files = Files.walk(namedDir)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  // ---- the rig --------------------------------------------------------------------------------

  private void startPair(Duration advert, String key) throws IOException {
    startPair(advert, key, Cluster.VIP + "/24", PTR_ZONE, "", "1s");
  }

  /**
   * n1 (priority 200) then n2 (100), each naming {@link #NAME} after its own address ({@code
   * points-to: self}) with a PTR in {@code ptrZone}; {@code nameExtra}: more keys of the name.
   */
  private void startPair(
      Duration advert, String key, String vip, String ptrZone, String nameExtra, String verify)
      throws IOException {
    Path keyFile = cluster.logDir().resolve("tsig.key");
    Files.writeString(keyFile, key + "\n");
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    String names =
        """
            names:
              - name: %s
                ttl: 5
                ptr-zone: %s
                points-to: self
        %s\
        dns:
          retry-initial: 250ms
          retry-max: 2s
          verify-interval: %s
          timeout: 500ms
          servers:
            - address: %s
              key: { name: takeover, algorithm: hmac-sha256, secret-file: "%s" }
        """
            .formatted(NAME, ptrZone, nameExtra, verify, SERVER, keyFile);
    NodeConfig n1 = NodeConfig.of("n1", 200, advert, vip).withGroupYaml(names);
    NodeConfig n2 = NodeConfig.of("n2", 100, advert, vip).withGroupYaml(names);
    Cluster.awaitTakeoverState(cluster.start(n1), "MASTER", Cluster.STARTUP);
    NodeDaemon b = cluster.start(n2);
    Cluster.awaitTakeoverState(b, "BACKUP", Cluster.STARTUP);
    // A backup that has heard no master probes the VIP before it claims (RFC 5227, DECISIONS 36),
    // and a master killed with -9 leaves the VIP on its interface, answering that probe: killed
    // before n2 heard its first advert (likely at 1 s adverts), n1 would keep n2 from ever
    // claiming.
    String from = "advert from "; // only the master advertises (IPv6: from its link-local)
    Poll.until(
        Cluster.STARTUP,
        () -> b.process().log().contains(from),
        () -> "n2 to hear n1 (" + from + ")");
  }

  private void startNamed() throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/named")), "needs BIND 9 (scripts/setup)");
    secret = Base64.getEncoder().encodeToString(SecureRandom.getSeed(32));
    // Not under the log directory: named's journal files are binary, and the logs are printed.
    namedDir = Files.createTempDirectory("tkv-named-");
    Files.writeString(
        namedDir.resolve("dns.test.zone"),
        """
        $TTL 60
        @    IN SOA ns.dns.test. admin.dns.test. 1 3600 600 86400 5
        @    IN NS  ns.dns.test.
        ns   IN A   %s
        """
            .formatted(SERVER));
    Files.writeString(
        namedDir.resolve("reverse.zone"),
        """
        $TTL 60
        @    IN SOA ns.dns.test. admin.dns.test. 1 3600 600 86400 5
        @    IN NS  ns.dns.test.
        """);
    Files.writeString(
        namedDir.resolve("reverse6.zone"),
        """
        $TTL 60
        @    IN SOA ns.dns.test. admin.dns.test. 1 3600 600 86400 5
        @    IN NS  ns.dns.test.
        """);
    Files.writeString(
        namedDir.resolve("named.conf"),
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
        zone "%4$s" {
          type primary; file "%1$s/reverse.zone";
          update-policy { grant takeover zonesub ANY; };
        };
        zone "%5$s" {
          type primary; file "%1$s/reverse6.zone";
          update-policy { grant takeover zonesub ANY; };
        };
        """
            .formatted(namedDir, secret, SERVER, PTR_ZONE, PTR6_ZONE));
    launchNamed();
  }

  private void launchNamed() throws IOException {
    Path log = cluster.logDir().resolve("named-" + System.nanoTime() + ".log");
    named =
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
                    namedDir.resolve("named.conf").toString()),
                log);
    Poll.until(
        Duration.ofSeconds(20),
        () -> read(log).contains("running"),
        () -> "named to start:\n" + read(log));
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private void awaitA(Set<String> expected) {
    awaitValues(NAME, Type.A, expected);
  }

  private void awaitValues(String name, int type, Set<String> expected) {
    Poll.until(
        Duration.ofSeconds(15),
        () -> values(name, type).equals(expected),
        () -> name + " " + Type.string(type) + " " + expected + "; it is " + values(name, type));
  }

  private static TSIG tsig(String secret) throws IOException {
    return new TSIG(TSIG.HMAC_SHA256, Name.fromString("takeover."), secret);
  }

  /** The A RRset of {@link #NAME} as named answers it now (empty on any failure). */
  Set<String> a() {
    return values(NAME, Type.A);
  }

  Set<String> ptr(String address) {
    try {
      return values(ReverseMap.fromAddress(address).toString(), Type.PTR);
    } catch (IOException e) {
      return Set.of();
    }
  }

  private Set<String> values(String name, int type) {
    try {
      Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
      q.getHeader().unsetFlag(Flags.RD);
      Message answer = exchange(q, Optional.empty());
      Set<String> values = new TreeSet<>();
      for (Record r : answer.getSection(Section.ANSWER)) {
        switch (r) {
          case ARecord a -> values.add(a.getAddress().getHostAddress());
          case AAAARecord a -> values.add(dev.takeover.wire.AddressText.of(a.getAddress()));
          case PTRRecord p -> values.add(p.getTarget().toString());
          default -> {}
        }
      }
      return values;
    } catch (IOException | RuntimeException e) {
      return Set.of();
    }
  }

  /** One UDP exchange with named, from the client namespace (the test JVM is outside the lab). */
  private Message exchange(Message query, Optional<TSIG> key) throws IOException {
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

  private String journal(String node) {
    StringBuilder all = new StringBuilder();
    try (var files = Files.list(cluster.stateDir(node))) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().startsWith("journal")).sorted().toList()) {
        all.append(Files.readString(f));
      }
    } catch (IOException e) {
      return all.toString();
    }
    return all.toString();
  }

  private static String dnsLines(String journal) {
    List<String> lines = new ArrayList<>();
    journal
        .lines()
        .filter(l -> l.contains("\"dns.") || l.contains("\"state.changed\""))
        .forEach(lines::add);
    return String.join("\n", lines);
  }

  private String takeover(String node, String... args) {
    List<String> argv = new ArrayList<>(List.of(args));
    argv.addAll(List.of("--socket", cluster.stateDir(node).resolve("control.sock").toString()));
    java.io.StringWriter out = new java.io.StringWriter();
    dev.takeover.cli.Main.commandLine()
        .setOut(new java.io.PrintWriter(out, true))
        .setErr(new java.io.PrintWriter(out, true))
        .execute(argv.toArray(String[]::new));
    return out.toString();
  }
}
