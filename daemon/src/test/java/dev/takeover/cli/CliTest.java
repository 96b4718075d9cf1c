package dev.takeover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's commands as a user sees them: exit codes, stdout and stderr. */
class CliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream savedOut;
  private PrintStream savedErr;
  @TempDir Path dir;

  @BeforeEach
  void capture() {
    savedOut = System.out;
    savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(savedOut);
    System.setErr(savedErr);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("takeover.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void checkAcceptsTheShippedExamples() {
    for (String example :
        new String[] {"two-node-alpha", "two-node-beta", "unicast-alpha", "ipv6"}) {
      int code = Main.execute("check", "-c", "examples/" + example + ".yaml");
      assertThat(code).as(example + ": " + err()).isEqualTo(ExitCode.OK.code);
    }
    assertThat(out()).contains("examples/two-node-alpha.yaml: OK (node alpha, 1 group(s))");
  }

  @Test
  void checkReportsEveryErrorWithItsPositionAndExitsOne() throws IOException {
    Path file =
        write(
            """
            node: alpha
            groups:
              - name: web
                vrid: 300
                interface: eth0
                advert-interval: 15ms
                addresses: [198.18.0.50/24]
            """);
    int code = Main.execute("check", "-c", file.toString());
    assertThat(code).isEqualTo(ExitCode.INVALID_CONFIG.code);
    assertThat(err())
        .contains(file + ":4:11: ")
        .contains("300")
        .contains(file + ":6:22: ")
        .contains("15ms")
        .contains("2 error(s)");
    assertThat(out()).isEmpty();
  }

  @Test
  void checkOfAMissingFileSaysSo() {
    int code = Main.execute("check", "-c", dir.resolve("nope.yaml").toString());
    assertThat(code).isEqualTo(ExitCode.INVALID_CONFIG.code);
    assertThat(err()).contains("nope.yaml");
  }

  @Test
  void runRefusesAnInvalidConfigBeforeTouchingAnything() throws IOException {
    Path file = write("node: alpha\n");
    assertThat(Main.execute("run", "-c", file.toString()))
        .isEqualTo(ExitCode.INVALID_CONFIG.code);
    assertThat(err()).contains("groups");
  }

  @Test
  void runWithAMissingInterfaceFailsWithExitThree() throws IOException {
    Path file =
        write(
            """
            node: alpha
            groups:
              - name: web
                vrid: 51
                interface: tkvnosuch0
                addresses: [198.18.0.50/24]
            daemon:
              state-dir: "%s"
            """
                .formatted(dir.resolve("state")));
    assertThat(Main.execute("run", "-c", file.toString())).isEqualTo(ExitCode.FAILED.code);
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(Main.execute("check")).isEqualTo(ExitCode.USAGE.code);
    assertThat(err()).contains("Missing required option");
    assertThat(Main.execute("frobnicate")).isEqualTo(ExitCode.USAGE.code);
  }

  @Test
  void versionNamesTheJavaRuntime() {
    assertThat(Main.execute("version")).isZero();
    assertThat(out()).startsWith("takeover ").contains("java 25");
  }

  @Test
  void helpListsTheCommands() {
    assertThat(Main.execute("--help")).isZero();
    assertThat(out()).contains("run", "check", "version").doesNotContain("demo", "bench", "probe");
  }
}
