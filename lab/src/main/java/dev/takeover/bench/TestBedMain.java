package dev.takeover.bench;

import dev.takeover.lab.DemoCommand;
import dev.takeover.lab.EchoCommand;
import dev.takeover.lab.ProbeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the lab's jar ({@code takeover-lab.jar}): the demo, the benchmark and the lab's
 * helper processes. The {@code takeover} launcher sends {@code demo} and {@code bench} here; the
 * daemon's own jar holds none of this. It lives in {@code bench} because the bench builds on the
 * lab, not the other way round.
 */
@Command(
    name = "takeover",
    mixinStandardHelpOptions = true,
    subcommands = {
      DemoCommand.class,
      BenchCommand.class,
      EchoCommand.class,
      ProbeCommand.class,
      CommandLine.HelpCommand.class
    },
    description = "The test bed: demo, benchmark against keepalived, UDP echo responder, prober.")
public final class TestBedMain {
  private TestBedMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new TestBedMain()).execute(args));
  }
}
