package dev.takeover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code takeover import} as a user runs it: files, exit codes, stdout and stderr. */
class ImportCommandTest {
  private final Console console = new Console();
  @TempDir Path dir;

  private static final String CONF =
      """
      global_defs {
          router_id alpha
      }
      vrrp_script chk {
          script "/usr/bin/pgrep haproxy"
          weight -20
      }
      vrrp_instance VI_1 {
          interface eth0
          virtual_router_id 51
          priority 150
          virtual_ipaddress {
              198.18.0.50/24
          }
          track_script {
              chk
          }
      }
      virtual_server 198.18.0.50 80 {
          lb_algo rr
      }
      """;

  @Test
  void writesYamlThatCheckAcceptsAndAReportWithLines() throws IOException {
    Path conf = dir.resolve("keepalived.conf");
    Files.writeString(conf, CONF);
    Path yaml = dir.resolve("takeover.yaml");
    Path report = dir.resolve("report.txt");
    int code =
        console.run(
            "import", conf.toString(), "-o", yaml.toString(), "--report", report.toString());
    assertThat(code).as(console.err()).isEqualTo(ExitCode.OK.code);
    assertThat(console.out()).isEmpty();
    assertThat(console.err())
        .contains(conf + ": 1 group(s) imported")
        .contains("1 not mapped")
        .contains("report in " + report);
    assertThat(Files.readString(yaml)).contains("node: alpha", "vrid: 51", "weight: -20");
    // It may hold a VRRPv2 password: readable by its owner only.
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(yaml)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(report))
        .contains(conf.toAbsolutePath() + ":19: not mapped: virtual_server 198.18.0.50 80 (LVS");

    console.reset();
    assertThat(console.run("check", yaml.toString())).as(console.err()).isEqualTo(0);
    assertThat(console.out()).contains("OK (node alpha, 1 group(s))");
  }

  @Test
  void withoutFilesTheYamlGoesToStdoutAndTheReportToStderr() throws IOException {
    Path conf = dir.resolve("keepalived.conf");
    Files.writeString(conf, CONF);
    assertThat(console.run("import", conf.toString())).isEqualTo(ExitCode.OK.code);
    assertThat(console.out()).startsWith("# Imported from ").contains("  - name: VI_1");
    assertThat(console.err()).contains("# takeover import report for ", ": mapped: ");
  }

  @Test
  void doesNotOverwriteWithoutForce() throws IOException {
    Path conf = dir.resolve("keepalived.conf");
    Files.writeString(conf, CONF);
    Path yaml = dir.resolve("takeover.yaml");
    Files.writeString(yaml, "keep me");
    assertThat(console.run("import", conf.toString(), "-o", yaml.toString()))
        .isEqualTo(ExitCode.FAILED.code);
    assertThat(console.err()).contains("exists; not overwritten (use --force)");
    assertThat(Files.readString(yaml)).isEqualTo("keep me");
    assertThat(console.run("import", conf.toString(), "-o", yaml.toString(), "--force"))
        .isEqualTo(ExitCode.OK.code);
    assertThat(Files.readString(yaml)).contains("vrid: 51");
  }

  @Test
  void malformedInputIsOneLineWithFileAndLineAndExitsOne() throws IOException {
    Path conf = dir.resolve("keepalived.conf");
    Files.writeString(conf, "vrrp_instance VI_1 {\n  interface eth0\n");
    assertThat(console.run("import", conf.toString())).isEqualTo(ExitCode.INVALID_CONFIG.code);
    assertThat(console.err())
        .startsWith(conf.toAbsolutePath() + ":1: the block opened here is never closed")
        .doesNotContain("Exception", "\tat ");
    assertThat(console.out()).isEmpty();
  }

  @Test
  void aFileWithNothingToImportExitsOne() throws IOException {
    Path conf = dir.resolve("keepalived.conf");
    Files.writeString(conf, "virtual_server 10.0.0.1 80 {\n}\n");
    assertThat(console.run("import", conf.toString(), "--node", "beta"))
        .isEqualTo(ExitCode.INVALID_CONFIG.code);
    assertThat(console.err()).contains("no vrrp_instance could be imported");
  }

  @Test
  void aMissingFileOrADirectoryIsAClearError() {
    assertThat(console.run("import", dir.resolve("nope.conf").toString()))
        .isEqualTo(ExitCode.INVALID_CONFIG.code);
    assertThat(console.err()).contains("nope.conf: cannot read: no such file");
    console.reset();
    assertThat(console.run("import", dir.toString())).isEqualTo(ExitCode.INVALID_CONFIG.code);
    assertThat(console.err()).contains("cannot read: a directory");
  }

  @Test
  void checkSuggestsTheTakeoverKeyForAKeepalivedName() throws IOException {
    Path yaml = dir.resolve("takeover.yaml");
    Files.writeString(
        yaml,
        """
        node: alpha
        groups:
          - name: web
            virtual_router_id: 51
            interface: eth0
            advert_int: 1s
            addresses: [198.18.0.50/24]
        """);
    assertThat(console.run("check", yaml.toString())).isEqualTo(ExitCode.INVALID_CONFIG.code);
    assertThat(console.err())
        .contains(
            "unknown key \"virtual_router_id\" (keepalived's virtual_router_id: did you mean"
                + " \"vrid\"?)")
        .contains(
            "unknown key \"advert_int\" (keepalived's advert_int: did you mean"
                + " \"advert-interval\"?)");
  }
}
