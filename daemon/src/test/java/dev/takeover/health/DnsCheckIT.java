package dev.takeover.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.takeover.clock.Clock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS checks against a real BIND 9 {@code named} with a private config and zone, in a namespace.
 */
class DnsCheckIT {
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  // Checks that expect named to answer get longer: on a loaded 2-core machine it has taken more
  // than 500 ms, and those tests are about the answer, not the timeout.
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(3);

  private static HealthLab lab;
  private static Process named;
  private static Path log;

  @TempDir static Path dir;

  @BeforeAll
  static void startNamed() throws IOException {
    assumeTrue(HealthLab.isRoot(), "needs root for network namespaces");
    assumeTrue(HealthLab.installed("named"), "needs BIND 9 (apt-get install bind9)");
    lab = new HealthLab();
    String server = lab.serverAddress.getHostAddress();
    Files.writeString(
        dir.resolve("health.test.zone"),
        """
        $TTL 60
        @    IN SOA ns.health.test. admin.health.test. 1 3600 600 86400 60
        @    IN NS  ns.health.test.
        ns   IN A   %s
        www  IN A   %s.80
        www  IN A   %s.81
        www  IN AAAA 2001:db8::80
        mail IN TXT "no address here"
        """
            .formatted(server, lab.subnet, lab.subnet));
    Path conf = dir.resolve("named.conf");
    Files.writeString(
        conf,
        """
        options {
          directory "%1$s";
          pid-file "%1$s/named.pid";
          session-keyfile "%1$s/session.key";
          managed-keys-directory "%1$s";
          listen-on port 53 { %2$s; };
          listen-on-v6 { none; };
          recursion no;
          dnssec-validation no;
          allow-query { any; };
        };
        controls { };
        zone "health.test" { type primary; file "%1$s/health.test.zone"; };
        """
            .formatted(dir, server));
    log = dir.resolve("named.log");
    // -g: foreground, log to stderr; -n 1: one worker thread (the machine is shared).
    named = lab.start(log, "named", "-g", "-n", "1", "-c", conf.toString());
    awaitReady();
  }

  /** named logs "running" once it answers; poll the log until then. */
  private static void awaitReady() throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!Files.readString(log).contains("running")) {
      if (!named.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("named did not start:\n" + Files.readString(log));
      }
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close(); // kills named by its PID, then deletes the namespace
    }
  }

  private static DnsCheck check(String name, String type, Optional<String> expected) {
    return new DnsCheck(
        new InetSocketAddress(lab.serverAddress, 53),
        name,
        type,
        expected.map(HealthLab::ipv4OrV6),
        ANSWER_TIMEOUT);
  }

  private static DnsCheck check(
      InetSocketAddress server, String name, String type, Optional<String> expected) {
    return new DnsCheck(server, name, type, expected.map(HealthLab::ipv4OrV6), TIMEOUT);
  }

  @Test
  void passesWhenTheNameResolves() {
    ProbeResult result = check("www.health.test", "A", Optional.empty()).probe(Clock.system());
    assertThat(result.ok()).as(result.detail()).isTrue();
    assertThat(result.detail()).contains(lab.subnet + ".80", lab.subnet + ".81");
  }

  @Test
  void passesWhenTheExpectedAddressIsAmongTheAnswers() {
    assertThat(
            check("www.health.test", "A", Optional.of(lab.subnet + ".81"))
                .probe(Clock.system())
                .ok())
        .isTrue();
    assertThat(
            check("www.health.test.", "AAAA", Optional.of("2001:db8::80"))
                .probe(Clock.system())
                .ok())
        .isTrue();
  }

  @Test
  void failsWhenTheAnswerLacksTheExpectedAddress() {
    ProbeResult result =
        check("www.health.test", "A", Optional.of(lab.subnet + ".99")).probe(Clock.system());
    assertThat(result.ok()).isFalse();
    assertThat(result.detail()).contains("does not contain " + lab.subnet + ".99");
  }

  @Test
  void failsOnNxdomain() {
    ProbeResult result = check("nothing.health.test", "A", Optional.empty()).probe(Clock.system());
    assertThat(result.ok()).isFalse();
    assertThat(result.detail()).isEqualTo("nothing.health.test A: NXDOMAIN");
  }

  @Test
  void failsWhenTheNameHasNoRecordOfTheType() {
    ProbeResult result = check("mail.health.test", "A", Optional.empty()).probe(Clock.system());
    assertThat(result.ok()).isFalse();
    assertThat(result.detail()).contains("no A record");
    assertThat(check("mail.health.test", "TXT", Optional.empty()).probe(Clock.system()).ok())
        .isTrue();
  }

  @Test
  void failsOnAZoneTheServerRefuses() {
    ProbeResult result = check("example.org", "A", Optional.empty()).probe(Clock.system());
    assertThat(result.ok()).isFalse();
    assertThat(result.detail()).contains("REFUSED");
  }

  @Test
  void failsWithinTheTimeoutWhenNoServerAnswers() {
    InetSocketAddress nobody = new InetSocketAddress(lab.deadAddress, 53);
    ProbeResult result =
        check(nobody, "www.health.test", "A", Optional.empty()).probe(Clock.system());
    assertThat(result.ok()).isFalse();
    assertThat(result.detail()).contains("no answer from");
    assertThat(result.took()).isBetween(TIMEOUT.minusMillis(50), TIMEOUT.plusMillis(300));
  }

  @Test
  void failsWithinTheTimeoutOnAPortWithoutServer() {
    InetSocketAddress closed = new InetSocketAddress(lab.serverAddress, 5353);
    ProbeResult result =
        check(closed, "www.health.test", "A", Optional.empty()).probe(Clock.system());
    assertThat(result.ok()).isFalse();
    assertThat(result.took()).isLessThan(TIMEOUT.plusMillis(300));
  }

  @Test
  void rejectsAnExpectedAddressForANonAddressType() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> check("mail.health.test", "TXT", Optional.of("2001:db8::1")));
  }
}
