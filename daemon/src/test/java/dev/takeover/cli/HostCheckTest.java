package dev.takeover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.takeover.config.HostFacts;
import dev.takeover.daemon.HostSnapshot;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check --host} and {@code run} against this machine: its real {@code lo}, an interface name
 * no host has, and temp files with and without the exec bit. Needs no root: reading links and
 * addresses through rtnetlink is unprivileged, and {@code run} refuses before it opens anything.
 */
class HostCheckTest {
  private static final String NO_SUCH_INTERFACE = "tkv-nosuch0";

  /** No virtual address fits lo (the validator rejects loopback ones): each run warns of it. */
  private static final String VIP = "198.18.0.50/24";

  private static final String VIP_WARNING =
      ":8:17: groups[0].addresses[0]: 198.18.0.50/24 is in no subnet of lo (its subnets:"
          + " 127.0.0.1/8); other hosts may not reach it there";

  @TempDir Path dir;
  private final Console console = new Console();
  private Path executable;
  private Path plainFile;

  @BeforeEach
  void programs() throws IOException {
    executable = Files.writeString(dir.resolve("hook.sh"), "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwxr-xr-x"));
    plainFile = Files.writeString(dir.resolve("no-exec.sh"), "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(plainFile, PosixFilePermissions.fromString("rw-r--r--"));
  }

  /**
   * A config on {@code iface}; line 7 is the interface (value at column 16), line 8 the addresses
   * (first at column 17), line 9 on whatever {@code more} adds.
   */
  private Path config(String stateDir, String iface, String address, String more)
      throws IOException {
    String yaml =
        """
        node: alpha
        daemon:
          state-dir: %s
        groups:
          - name: web
            vrid: 51
            interface: %s
            addresses: [%s]
        %s"""
            .formatted(stateDir, iface, address, more.indent(4));
    return Files.writeString(dir.resolve("takeover.yaml"), yaml);
  }

  private Path config(String iface, String address, String more) throws IOException {
    return config(dir.resolve("state").toString(), iface, address, more);
  }

  @Test
  void aConfigThatFitsPassesWithHostWarningOfTheSubnetOnly() throws IOException {
    Path file =
        config(
            "lo",
            VIP,
            """
            checks:
              - { name: ok, type: script, command: [%s] }
            hooks:
              after-claim: { command: [%s, claimed] }
            """
                .formatted(executable, executable));
    assertThat(console.run("check", "--host", "-c", file.toString()))
        .as(console.err())
        .isEqualTo(ExitCode.OK.code);
    assertThat(console.out()).contains(": OK (node alpha, 1 group(s), fits this host)");
    assertThat(console.err()).isEqualTo("warning: " + file + VIP_WARNING + "\n");
    assertThat(console.run("check", file.toString())).isEqualTo(ExitCode.OK.code);
  }

  @Test
  void aMissingInterfaceIsAnErrorAtItsPositionOnlyWithHost() throws IOException {
    Path file = config(NO_SUCH_INTERFACE, VIP, "");
    assertThat(console.run("check", file.toString())).isEqualTo(ExitCode.OK.code);
    console.reset();

    assertThat(console.run("check", "--host", file.toString()))
        .isEqualTo(ExitCode.INVALID_CONFIG.code);
    assertThat(console.err())
        .contains(
            file
                + ":7:16: groups[0].interface: \"tkv-nosuch0\" does not exist on this host;"
                + " allowed: an interface of this host (")
        .contains("lo")
        .contains("1 error(s)");
    assertThat(console.out()).isEmpty();
  }

  @Test
  void hookAndScriptProgramsMustBeExecutableFiles() throws IOException {
    Path missing = dir.resolve("nope");
    Path file =
        config(
            "lo",
            VIP,
            """
            checks:
              - name: web
                type: script
                command: [%s]
            hooks:
              after-claim:
                command: [%s, claimed]
              stop:
                command: [%s]
            """
                .formatted(missing, plainFile, dir));
    assertThat(console.run("check", "--host", "-c", file.toString()))
        .isEqualTo(ExitCode.INVALID_CONFIG.code);
    assertThat(console.err())
        .contains(
            file + ":12:19: groups[0].checks[0].command[0]: \"" + missing + "\" does not exist",
            file
                + ":15:19: groups[0].hooks.after-claim.command[0]: \""
                + plainFile
                + "\" is not executable (chmod +x); allowed: an executable file",
            file + ":17:19: groups[0].hooks.stop.command[0]: \"" + dir + "\" is a directory",
            "3 error(s)");
  }

  @Test
  void anAddressOutsideEverySubnetOfItsInterfaceIsAWarning() throws IOException {
    Path file = config("lo", VIP, "");
    assertThat(console.run("check", "--host", file.toString())).isEqualTo(ExitCode.OK.code);
    assertThat(console.err()).contains("warning: " + file + VIP_WARNING);
    console.reset();
    assertThat(console.run("check", file.toString())).isEqualTo(ExitCode.OK.code);
    assertThat(console.err()).isEmpty();
  }

  @Test
  void aUnicastPeerThatIsThisNodeIsAnError() throws IOException {
    // Loopback peers are rejected by the pure rules, so this takes a real address of this host.
    Optional<HostFacts.HostAddress> own =
        HostSnapshot.read().localAddresses().stream()
            .filter(a -> a.address() instanceof Inet4Address && !a.address().isLoopbackAddress())
            .findFirst();
    assumeTrue(own.isPresent(), "needs an IPv4 address on an interface other than lo");
    String ownAddress = own.get().address().getHostAddress();
    Path file = config("lo", VIP, "unicast-peers: [198.18.0.2, " + ownAddress + "]\n");
    assertThat(console.run("check", "--host", file.toString()))
        .isEqualTo(ExitCode.INVALID_CONFIG.code);
    assertThat(console.err())
        .contains(
            file
                + ":9:33: groups[0].unicast-peers[1]: "
                + ownAddress
                + " is an address of this node (on "
                + own.get().interfaceName()
                + "); allowed: the addresses of the other nodes")
        .doesNotContain("unicast-peers[0]");
  }

  @Test
  void theStateDirectoryMustBeWritableOrCreatable() throws IOException {
    Path file = config(plainFile.toString(), "lo", VIP, "");
    assertThat(console.run("check", "--host", file.toString()))
        .isEqualTo(ExitCode.INVALID_CONFIG.code);
    assertThat(console.err())
        .contains(file + ":3:14: daemon.state-dir: \"" + plainFile + "\" is not a directory");
    console.reset();

    Path under = plainFile.resolve("state");
    file = config(under.toString(), "lo", VIP, "");
    assertThat(console.run("check", "--host", file.toString()))
        .isEqualTo(ExitCode.INVALID_CONFIG.code);
    assertThat(console.err())
        .contains(
            file
                + ":3:14: daemon.state-dir: \""
                + under
                + "\" cannot be created: "
                + plainFile
                + " is not a writable directory");
  }

  @Test
  void runRefusesWithTheSameMessagesBeforeStarting() throws IOException {
    Path file = config(NO_SUCH_INTERFACE, VIP, "");
    assertThat(console.run("check", "--host", file.toString()))
        .isEqualTo(ExitCode.INVALID_CONFIG.code);
    String fromCheck = console.err();
    console.reset();

    assertThat(console.run("run", "-c", file.toString())).isEqualTo(ExitCode.INVALID_CONFIG.code);
    assertThat(console.err()).isEqualTo(fromCheck);
    assertThat(dir.resolve("state")).doesNotExist();
  }
}
