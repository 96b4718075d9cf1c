package dev.takeover.it;

import static dev.takeover.it.Cluster.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.takeover.lab.Lab;
import dev.takeover.lab.LabProcess;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import dev.takeover.platform.Netns;
import dev.takeover.platform.PacketSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Authenticated adverts against a real keepalived 2.4.3 with {@code auth_hmac} (built from
 * ../shared/vendor by scripts/setup): each side as master with the other following and taking over
 * when it dies; a wrong key (the adverts are dropped and counted, the backup does not follow them);
 * a captured advert replayed from the client later (dropped, the new master stays master).
 *
 * <p>Both sides use one key file in keepalived's format ({@code hex:...}), mode enforce,
 * anti-replay time with the default 5 s window, multicast, 100 ms adverts. Skipped when the
 * keepalived 2.4.3 binary is missing, except where {@code CI=true}: there it is a failure.
 */
class AuthHmacIT {
  static final Path KEEPALIVED_24 = Path.of("/opt/keepalived-2.4.3/sbin/keepalived");
  private static final String KEY_A =
      "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  private static final String KEY_B =
      "hex:1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";
  private static final Duration HEARING_WINDOW = Duration.ofSeconds(3);
  private static final Duration TAKEOVER = Duration.ofSeconds(5);

  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  @BeforeEach
  void needsKeepalived24() {
    boolean present = Files.isExecutable(KEEPALIVED_24);
    if (!present && "true".equals(System.getenv("CI"))) {
      fail(KEEPALIVED_24 + " is missing: scripts/setup builds it from ../shared/vendor");
    }
    assumeTrue(present, KEEPALIVED_24 + " is missing (scripts/setup builds it)");
  }

  @Test
  void keepalivedMasterTakeoverBackupBothSigned() {
    cluster.startEcho();
    Path key = keyFile("key-a", KEY_A);
    Keepalived k = startKeepalived(config("n1", 200), key, "enforce");
    cluster.awaitMaster("n1", Cluster.STARTUP);
    k.awaitState("MASTER", TAKEOVER);

    NodeDaemon takeover = cluster.startTakeover(withAuth(config("n2", 100), key, "enforce"));
    Cluster.awaitTakeoverState(takeover, "BACKUP", Cluster.STARTUP);
    Poll.holdsFor(
        HEARING_WINDOW,
        () -> cluster.holdsVip("n1") && !cluster.holdsVip("n2"),
        () -> "takeover (n2) follows keepalived's signed adverts" + cluster.state());
    assertThat(takeover.process().log()).doesNotContain("AUTH_").contains("auth_hmac enforce");

    k.crash();
    cluster.awaitMaster("n2", TAKEOVER);

    // keepalived comes back with the higher priority: it must accept our signed adverts and we
    // its, so it preempts and we yield.
    Keepalived back = startKeepalived(config("n1", 200), key, "enforce");
    back.awaitState("MASTER", TAKEOVER);
    cluster.awaitReleased("n2", Duration.ofSeconds(2));
    cluster.awaitMaster("n1", Duration.ofSeconds(1));
    assertThat(back.log()).doesNotContain("authentication");
  }

  @Test
  void takeoverMasterKeepalivedBackupBothSigned() {
    cluster.startEcho();
    Path key = keyFile("key-a", KEY_A);
    NodeDaemon takeover = cluster.startTakeover(withAuth(config("n1", 200), key, "enforce"));
    cluster.awaitMaster("n1", Cluster.STARTUP);

    Keepalived k = startKeepalived(config("n2", 100), key, "enforce");
    k.awaitState("BACKUP", TAKEOVER);
    Poll.holdsFor(
        HEARING_WINDOW,
        () -> !k.log().contains("Entering MASTER STATE") && !cluster.holdsVip("n2"),
        () -> "keepalived (n2) stays BACKUP under takeover's signed adverts: " + k.log());
    assertThat(k.log()).doesNotContain("authentication");

    takeover.crash();
    k.awaitState("MASTER", TAKEOVER);
    cluster.awaitMaster("n2", TAKEOVER);

    // takeover comes back with the higher priority and preempts (the killed one left the VIP on
    // n1, so wait for its transition, not for the address); keepalived yields to its adverts.
    int backupsBefore = countOf(k.log(), "Entering BACKUP STATE");
    NodeDaemon back = cluster.startTakeover(withAuth(config("n1", 200), key, "enforce"));
    Cluster.awaitTakeoverState(back, "MASTER", Cluster.STARTUP);
    cluster.awaitReleased("n2", Duration.ofSeconds(2));
    Poll.until(
        Duration.ofSeconds(2),
        () -> countOf(k.log(), "Entering BACKUP STATE") > backupsBefore,
        () -> "keepalived to go back to BACKUP: " + k.log());
    assertThat(back.process().log()).doesNotContain("AUTH_");
  }

  @Test
  void aWrongKeyIsNotFollowedEitherWay() {
    cluster.startEcho();
    Keepalived k = startKeepalived(config("n1", 200), keyFile("key-a", KEY_A), "enforce");
    cluster.awaitMaster("n1", Cluster.STARTUP);
    NodeDaemon takeover =
        cluster.startTakeover(withAuth(config("n2", 100), keyFile("key-b", KEY_B), "enforce"));
    // The same key id with another secret: every keepalived advert fails our HMAC, so takeover
    // hears no master and becomes MASTER, although keepalived has the higher priority. Having
    // heard no master it probes the VIP first (RFC 5227), and keepalived, whose MAC it never
    // learned from a verified advert, answers: the address is in use, so takeover claims nothing
    // and reports the conflict instead of taking the VIP.
    Cluster.awaitTakeoverState(takeover, "MASTER", Cluster.STARTUP);
    Poll.until(
        TAKEOVER,
        () -> takeover.process().log().contains("dropped: AUTH_BAD_HMAC"),
        () -> "takeover to log dropped AUTH_BAD_HMAC adverts: " + takeover.process().log());
    // ...and keepalived, hearing our priority-100 adverts it cannot verify, stays master too.
    Poll.until(
        TAKEOVER,
        () -> k.log().contains("invalid authentication HMAC"),
        () -> "keepalived to log an invalid HMAC: " + k.log());
    Poll.until(
        TAKEOVER,
        () -> takeover.process().log().contains("address conflict: "),
        () -> "takeover to report the VIP in use: " + takeover.process().log());
    Poll.holdsFor(
        Duration.ofSeconds(1),
        () -> cluster.holdsVip("n1") && !cluster.holdsVip("n2"),
        () ->
            "keepalived keeps the VIP, takeover claims nothing it cannot prove free"
                + cluster.state());
    assertThat(takeover.process().log()).doesNotContain("-> BACKUP (higher priority");
  }

  @Test
  void aReplayedAdvertIsDropped() throws Exception {
    cluster.startEcho();
    Path key = keyFile("key-a", KEY_A);
    Keepalived k = startKeepalived(config("n1", 200), key, "enforce");
    cluster.awaitMaster("n1", Cluster.STARTUP);
    NodeDaemon takeover = cluster.startTakeover(withAuth(config("n2", 100), key, "enforce"));
    Cluster.awaitTakeoverState(takeover, "BACKUP", Cluster.STARTUP);
    Poll.holdsFor(
        Duration.ofSeconds(1),
        () -> !takeover.process().log().contains("-> MASTER"),
        () -> "takeover to stay BACKUP under keepalived's adverts: " + takeover.process().log());
    // Capture once takeover follows keepalived: the replay must be of a master it has heard.
    LabProcess sniffer =
        cluster
            .lab()
            .start(
                Lab.CLIENT,
                List.of(
                    "tcpdump", "-i", Lab.INTERFACE, "-nn", "-l", "-xx", "-c", "5", "ip proto 112"),
                cluster.logDir().resolve("client-tcpdump.log"));
    Poll.until(Duration.ofSeconds(5), () -> !sniffer.isAlive(), () -> "tcpdump to see 5 adverts");
    byte[] captured = firstFrame(sniffer.log(), Lab.ipv4("n1"), 200);
    assertThat(captured.length)
        .as("frame: Ethernet + IPv4 + 12-byte advert + 28-byte trailer")
        .isEqualTo(14 + 20 + 12 + 28);

    k.crash();
    cluster.awaitMaster("n2", TAKEOVER);
    // The addresses go up just before the transition is logged: count after the log says MASTER.
    Cluster.awaitTakeoverState(takeover, "MASTER", TAKEOVER);
    int transitions = countTransitions(takeover);

    // Within the 5 s window: the HMAC verifies, but the sequence is older than the last one heard
    // from n1. Had it been accepted, takeover (priority 100) would yield to it (priority 200).
    sendFromClient(captured, 3);
    Poll.until(
        Duration.ofSeconds(2),
        () -> takeover.process().log().contains("dropped: AUTH_REPLAY"),
        () -> "takeover to drop the replayed advert as AUTH_REPLAY: " + takeover.process().log());
    // After the window: the same capture is stale.
    Poll.sleep(Duration.ofSeconds(6));
    sendFromClient(captured, 3);
    Poll.until(
        Duration.ofSeconds(2),
        () -> takeover.process().log().contains("dropped: AUTH_STALE"),
        () -> "takeover to drop the old capture as AUTH_STALE: " + takeover.process().log());
    assertThat(countTransitions(takeover))
        .as("no transition after the replays")
        .isEqualTo(transitions);
    assertThat(cluster.holdsVip("n2")).as("n2 still master").isTrue();
  }

  /**
   * The migration modes against keepalived's: a permissive Takeover follows an unsigned
   * (receive-only) keepalived master, and a receive-only keepalived verifies and follows a signing
   * Takeover master.
   */
  @Test
  void rolloutModesInteroperate() {
    cluster.startEcho();
    Path key = keyFile("key-a", KEY_A);
    Keepalived k = startKeepalived(config("n1", 200), key, "receive-only");
    cluster.awaitMaster("n1", Cluster.STARTUP);
    NodeDaemon takeover = cluster.startTakeover(withAuth(config("n2", 100), key, "permissive"));
    Cluster.awaitTakeoverState(takeover, "BACKUP", Cluster.STARTUP);
    Poll.holdsFor(
        Duration.ofSeconds(2),
        () -> cluster.holdsVip("n1") && !cluster.holdsVip("n2"),
        () -> "permissive takeover follows unsigned adverts" + cluster.state());

    k.crash();
    cluster.awaitMaster("n2", TAKEOVER);
    Keepalived lower = startKeepalived(config("n1", 50), key, "receive-only");
    lower.awaitState("BACKUP", TAKEOVER);
    Poll.holdsFor(
        Duration.ofSeconds(2),
        () -> !lower.log().contains("Entering MASTER STATE"),
        () -> "receive-only keepalived follows takeover's signed adverts: " + lower.log());
    assertThat(lower.log()).doesNotContain("authentication");
    assertThat(takeover.process().log()).doesNotContain("AUTH_");
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private Path keyFile(String name, String content) {
    try {
      Path dir = cluster.logDir().resolve("conf");
      Files.createDirectories(dir);
      Path f = dir.resolve(name);
      Files.writeString(f, content + "\n", StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static NodeConfig withAuth(NodeConfig config, Path key, String mode) {
    return config.withGroupYaml(
        "    auth:\n"
            + "      keys: [{id: 1, file: \""
            + key
            + "\"}]\n"
            + "      mode: "
            + mode
            + "\n");
  }

  /** keepalived 2.4.3 on {@code config}'s node, the group signed with {@code key} (id 1). */
  private Keepalived startKeepalived(NodeConfig config, Path key, String mode) {
    try {
      Path dir = cluster.logDir().resolve("conf");
      Files.createDirectories(dir);
      String node = config.node();
      String conf =
          NodeDaemon.keepalivedConf(config)
              .replace(
                  "  virtual_ipaddress {",
                  "  auth_hmac {\n    key 1 file:"
                      + key
                      + "\n    active_key 1\n    mode "
                      + mode
                      + "\n  }\n  virtual_ipaddress {");
      Path file = dir.resolve(node + "-keepalived24.conf");
      Files.writeString(file, conf);
      Path vrrpPid = dir.resolve(node + "-vrrp24.pid");
      Files.deleteIfExists(vrrpPid);
      // No --vrrp: the vendored build has no LVS, and keepalived 2.4.3 then has no such option.
      LabProcess p =
          cluster
              .lab()
              .start(
                  node,
                  List.of(
                      KEEPALIVED_24.toString(),
                      "-n",
                      "-l",
                      "-D",
                      "-f",
                      file.toString(),
                      "-p",
                      dir.resolve(node + "-keepalived24.pid").toString(),
                      "-r",
                      vrrpPid.toString()),
                  cluster.logDir().resolve(node + "-keepalived24-" + System.nanoTime() + ".log"));
      return new Keepalived(p, vrrpPid);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A keepalived process and the PID file of its VRRP child. */
  private record Keepalived(LabProcess process, Path vrrpPid) {
    String log() {
      return process.log();
    }

    void awaitState(String state, Duration timeout) {
      Poll.until(
          timeout,
          () -> log().contains("Entering " + state + " STATE"),
          () -> "keepalived to enter " + state + ": " + log());
    }

    /** SIGKILL to the VRRP child first (the parent would stop it gracefully), then the parent. */
    void crash() {
      try {
        long child = Long.parseLong(Files.readString(vrrpPid).strip());
        ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
      } catch (IOException | NumberFormatException e) {
        // no child PID yet: the parent's kill below is all there is
      }
      process.signal(LabProcess.Signal.KILL);
      process.waitFor(Duration.ofSeconds(5));
    }
  }

  private static int countOf(String log, String text) {
    return (int) log.lines().filter(l -> l.contains(text)).count();
  }

  private static int countTransitions(NodeDaemon takeover) {
    return (int) takeover.process().log().lines().filter(l -> l.contains(" -> ")).count();
  }

  /**
   * The first Ethernet frame in tcpdump's {@code -xx} output that is an advert from {@code source}
   * with {@code priority}.
   */
  static byte[] firstFrame(String tcpdump, String source, int priority) {
    Pattern header =
        Pattern.compile("^\\S+ IP " + Pattern.quote(source) + " > .*prio " + priority + ",");
    StringBuilder hex = null;
    for (String line : tcpdump.lines().toList()) {
      if (hex == null) {
        if (header.matcher(line).find()) {
          hex = new StringBuilder();
        }
        continue;
      }
      Matcher m = Pattern.compile("^\\s+0x[0-9a-f]+:\\s+((?:[0-9a-f]{2,4}\\s?)+)").matcher(line);
      if (!m.find()) {
        break;
      }
      hex.append(m.group(1).replaceAll("\\s", ""));
    }
    if (hex == null) {
      throw new AssertionError(
          "no advert from " + source + " with priority " + priority + " in:\n" + tcpdump);
    }
    return HexFormat.of().parseHex(hex);
  }

  /** Sends {@code frame} (a whole Ethernet frame) {@code times} times from the client's eth0. */
  private void sendFromClient(byte[] frame, int times) {
    String link = cluster.lab().exec(Lab.CLIENT, "ip", "-o", "link", "show", Lab.INTERFACE);
    int ifindex = Integer.parseInt(link.substring(0, link.indexOf(':')).strip());
    Netns.call(
        cluster.lab().nsName(Lab.CLIENT),
        () -> {
          try (PacketSocket socket = PacketSocket.open()) {
            for (int i = 0; i < times; i++) {
              socket.send(ifindex, frame, frame.length);
            }
          }
          return Optional.empty();
        });
  }
}
