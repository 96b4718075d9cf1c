package dev.takeover.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The test bed's launcher, the main class of the lab's jar. */
class LabMainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return LabMain.commandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  @Test
  void holdsTheDemoTheBenchAndTheLabTools() {
    assertThat(LabMain.commandLine().getSubcommands().keySet())
        .containsExactly("demo", "echo", "probe", "bench", "help");
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("Usage: takeover-lab", "demo", "echo", "probe", "bench");
  }

  @Test
  void everyCommandAnswersHelpAndVersion() {
    for (String command : LabMain.commands().stream().map(LabMainTest::name).toList()) {
      out.getBuffer().setLength(0);
      assertThat(run(command, "--help")).as(command).isZero();
      assertThat(out.toString()).contains("Usage: takeover-lab " + command + " ");
      out.getBuffer().setLength(0);
      assertThat(run(command, "--version")).as(command).isZero();
      assertThat(out.toString()).startsWith("takeover-lab ").contains("java ");
    }
  }

  @Test
  void noArgumentsIsAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).startsWith("Usage: takeover-lab");
    assertThat(out.toString()).isEmpty();
  }

  private static String name(Object command) {
    return new CommandLine(command).getCommandName();
  }
}
