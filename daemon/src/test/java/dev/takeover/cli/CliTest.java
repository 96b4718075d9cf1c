package dev.takeover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The launcher's commands as a user sees them: exit codes, stdout and stderr. */
class CliTest {
  private final Console console = new Console();
  @TempDir Path dir;

  private int run(String... args) {
    return console.run(args);
  }

  private String out() {
    return console.out();
  }

  private String err() {
    return console.err();
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
      int code = run("check", "-c", "examples/" + example + ".yaml");
      assertThat(code).as(example + ": " + err()).isEqualTo(ExitCode.OK.code);
    }
    assertThat(out()).contains("examples/two-node-alpha.yaml: OK (node alpha, 1 group(s))");
  }

  @Test
  void checkTakesTheFileAsAnArgumentToo() {
    assertThat(run("check", "examples/two-node-alpha.yaml")).as(err()).isEqualTo(ExitCode.OK.code);
    assertThat(out()).isEqualTo("examples/two-node-alpha.yaml: OK (node alpha, 1 group(s))\n");
  }

  @Test
  void checkWithoutAFileOrWithTwoIsAUsageError() {
    assertThat(run("check")).isEqualTo(ExitCode.USAGE.code);
    assertThat(err()).contains("Missing the configuration file", "Usage: takeover check");
    console.reset();
    assertThat(run("check", "a.yaml", "-c", "b.yaml")).isEqualTo(ExitCode.USAGE.code);
    assertThat(err()).contains("FILE or -c FILE, not both");
    assertThat(out()).isEmpty();
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
    int code = run("check", "-c", file.toString());
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
  void checkJsonGivesTheSameVerdictAndEveryErrorWithItsPosition() throws IOException {
    Path bad =
        write(
            "node: alpha\ngroups:\n  - name: web\n    vrid: 300\n    interface: eth0\n"
                + "    addresses: [198.18.0.50/24]\n");
    assertThat(run("check", "--json", bad.toString())).isEqualTo(ExitCode.INVALID_CONFIG.code);
    var json = dev.takeover.control.ControlJson.MAPPER.readTree(out());
    assertThat(json.get("valid").asBoolean()).isFalse();
    assertThat(json.at("/errors/0/line").asInt()).isEqualTo(4);
    assertThat(json.at("/errors/0/column").asInt()).isEqualTo(11);
    assertThat(json.at("/errors/0/message").asText()).contains("300");

    assertThat(run("check", "--json", "examples/two-node-alpha.yaml")).isZero();
    json = dev.takeover.control.ControlJson.MAPPER.readTree(out().lines().toList().getLast());
    assertThat(json.get("valid").asBoolean()).isTrue();
    assertThat(json.get("node").asText()).isEqualTo("alpha");
    assertThat(json.get("errors")).isEmpty();
  }

  @Test
  void versionJson() throws IOException {
    assertThat(run("version", "--json")).isZero();
    var json = dev.takeover.control.ControlJson.MAPPER.readTree(out());
    assertThat(json.get("takeover").asText()).isNotBlank();
    assertThat(json.get("java").asText()).startsWith("25");
  }

  @Test
  void checkOfAMissingFileSaysSo() {
    int code = run("check", "-c", dir.resolve("nope.yaml").toString());
    assertThat(code).isEqualTo(ExitCode.INVALID_CONFIG.code);
    assertThat(err()).contains("nope.yaml");
  }

  @Test
  void runRefusesAnInvalidConfigBeforeTouchingAnything() throws IOException {
    Path file = write("node: alpha\n");
    assertThat(run("run", "-c", file.toString())).isEqualTo(ExitCode.INVALID_CONFIG.code);
    assertThat(err()).contains("groups");
  }

  @Test
  void runWithAMissingInterfaceRefusesWithExitOneBeforeStarting() throws IOException {
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
    // The host checks of `check --host` run first (HostCheckTest has the rest of them).
    assertThat(run("run", "-c", file.toString())).isEqualTo(ExitCode.INVALID_CONFIG.code);
    assertThat(err())
        .contains(file + ":5:16: groups[0].interface: \"tkvnosuch0\" does not exist on this host");
    assertThat(dir.resolve("state")).doesNotExist();
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(run("run")).isEqualTo(ExitCode.USAGE.code);
    assertThat(err()).contains("Missing required option: '--config=<config>'");
    assertThat(run("frobnicate")).isEqualTo(ExitCode.USAGE.code);
    assertThat(run("status", "--frobnicate")).isEqualTo(ExitCode.USAGE.code);
  }

  @Test
  void noArgumentsPrintsTheUsageOnStderrAndExitsTwo() {
    assertThat(run()).isEqualTo(ExitCode.USAGE.code);
    assertThat(err()).startsWith("Usage: takeover ").contains("Commands:", "check");
    assertThat(out()).isEmpty();
  }

  @Test
  void everyCommandAnswersHelpAndVersion() {
    for (String command : Main.commandLine().getSubcommands().keySet()) {
      for (String help : new String[] {"--help", "-h"}) {
        console.reset();
        assertThat(run(command, help)).as(command + " " + help + ": " + err()).isZero();
        assertThat(out()).as(command + " " + help).contains("Usage: takeover " + command + " ");
        assertThat(err()).isEmpty();
      }
      if (command.equals("help")) {
        continue; // picocli's help command has -h but no --version
      }
      console.reset();
      assertThat(run(command, "--version")).as(command + " --version: " + err()).isZero();
      assertThat(out()).as(command + " --version").startsWith("takeover").contains("java 25");
    }
  }

  @Test
  void versionNamesTheJavaRuntime() {
    assertThat(run("version")).isZero();
    assertThat(out()).startsWith("takeover").contains("java 25");
  }

  @Test
  void helpListsOnlyTheOperatorsCommands() {
    assertThat(run("--help")).isZero();
    List<String> listed =
        out()
            .lines()
            .dropWhile(l -> !l.equals("Commands:"))
            .skip(1)
            .takeWhile(l -> !l.isBlank()) // the exit status and files follow
            .filter(l -> l.matches("  \\S.*"))
            .map(l -> l.strip().split(" ")[0])
            .toList();
    assertThat(listed)
        .containsExactly(
            "run",
            "check",
            "import",
            "version",
            "status",
            "events",
            "move",
            "maintenance",
            "reload",
            "help");
    assertThat(out()).contains("Exit status:", "Files:", "SIGHUP");
  }

  @Test
  void theLauncherBuildsOnlyTheCommandItRunsAndTheSameOneAsTheFullTree() {
    for (String command : Main.commandLine().getSubcommands().keySet()) {
      if (command.equals("help") || command.equals("completion")) {
        assertThat(Main.operatorCommand(command)).as(command).isNull();
        continue;
      }
      CommandLine alone = Main.commandLine(command, "--help");
      assertThat(alone.getSubcommands()).as(command).containsOnlyKeys(command);
      assertThat(alone.getSubcommands().get(command).getUsageMessage())
          .isEqualTo(Main.commandLine().getSubcommands().get(command).getUsageMessage());
    }
    assertThat(Main.commandLine("frobnicate").getSubcommands()).containsKeys("status", "help");
    assertThat(Main.commandLine("--help").getSubcommands()).containsKeys("status", "help");
    assertThat(Main.commandLine().getSubcommands()).containsKeys("status", "help");
  }

  @Test
  void theDaemonsJarHoldsNoTestBedCommand() {
    assertThat(Main.commandLine().getSubcommands())
        .doesNotContainKeys("demo", "echo", "probe", "bench");
  }
}
