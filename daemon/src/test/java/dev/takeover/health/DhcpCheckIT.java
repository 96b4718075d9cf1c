package dev.takeover.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.takeover.clock.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DHCP checks against a real ISC dhcpd serving a pool on the namespace's end of the veth; the check
 * sends its DHCPINFORM from the JVM's end.
 */
class DhcpCheckIT {
  private static final Duration TIMEOUT = Duration.ofMillis(1500);

  private static HealthLab lab;
  private static Process dhcpd;
  private static Path log;

  @TempDir static Path dir;

  @BeforeAll
  static void startDhcpd() throws IOException {
    assumeTrue(HealthLab.isRoot(), "needs root for network namespaces");
    assumeTrue(HealthLab.installed("dhcpd"), "needs ISC dhcpd (apt-get install isc-dhcp-server)");
    lab = new HealthLab();
    Path conf = dir.resolve("dhcpd.conf");
    Files.writeString(
        conf,
        """
        authoritative;
        default-lease-time 600;
        max-lease-time 600;
        ddns-update-style none;
        option domain-name-servers %1$s.2;
        subnet %1$s.0 netmask 255.255.255.0 {
          range %1$s.100 %1$s.150;
          option routers %1$s.2;
        }
        """
            .formatted(lab.subnet));
    Path leases = dir.resolve("dhcpd.leases");
    Files.createFile(leases);
    log = dir.resolve("dhcpd.log");
    dhcpd =
        lab.start(
            log,
            "dhcpd",
            "-4",
            "-f",
            "-d",
            "-cf",
            conf.toString(),
            "-lf",
            leases.toString(),
            "-pf",
            dir.resolve("dhcpd.pid").toString(),
            lab.nsLink);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!Files.readString(log).contains("Server starting service")) {
      if (!dhcpd.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("dhcpd did not start:\n" + Files.readString(log));
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close(); // kills dhcpd by its PID, then deletes the namespace
    }
  }

  @Test
  void passesWhenTheServerAcknowledgesTheInform() throws IOException {
    ProbeResult result =
        new DhcpCheck(lab.serverAddress, lab.clientAddress, TIMEOUT).probe(Clock.system());
    assertThat(result.ok()).as(result.detail() + "\n" + Files.readString(log)).isTrue();
    assertThat(result.detail()).isEqualTo("DHCPACK from " + lab.serverAddress.getHostAddress());
  }

  @Test
  void findsTheLocalAddressFromTheInterfaceName() {
    DhcpCheck check = DhcpCheck.onInterface(lab.serverAddress, lab.hostLink, TIMEOUT);
    assertThat(check.localAddress()).isEqualTo(lab.clientAddress);
    assertThat(check.probe(Clock.system()).ok()).isTrue();
  }

  @Test
  void repeatedProbesTakeNoLease() throws IOException {
    for (int i = 0; i < 3; i++) {
      assertThat(
              new DhcpCheck(lab.serverAddress, lab.clientAddress, TIMEOUT)
                  .probe(Clock.system())
                  .ok())
          .isTrue();
    }
    // DHCPINFORM is configuration only (RFC 2131 §3.4): the lease file records no binding.
    assertThat(Files.readString(dir.resolve("dhcpd.leases"))).doesNotContainPattern("(?m)^lease ");
  }

  @Test
  void failsWithinTheTimeoutWhenNoServerAnswers() {
    Duration shortTimeout = Duration.ofMillis(400);
    ProbeResult result =
        new DhcpCheck(lab.deadAddress, lab.clientAddress, shortTimeout).probe(Clock.system());
    assertThat(result.ok()).isFalse();
    assertThat(result.detail()).contains("no DHCP reply from " + lab.deadAddress.getHostAddress());
    assertThat(result.took()).isBetween(shortTimeout.minusMillis(50), shortTimeout.plusMillis(300));
  }
}
