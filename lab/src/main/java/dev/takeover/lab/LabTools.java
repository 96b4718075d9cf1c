package dev.takeover.lab;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point for the lab's helper processes ({@code echo}, {@code probe}) and the demo, usable
 * whether or not the main launcher registers them: {@code java -cp takeover-lab.jar
 * dev.takeover.lab.LabTools probe --target 198.18.0.50}.
 */
@Command(
    name = "takeover-lab",
    mixinStandardHelpOptions = true,
    subcommands = {EchoCommand.class, ProbeCommand.class, DemoCommand.class, FloodCommand.class},
    description = "Test-bed tools: UDP echo responder, failover prober, demo.")
public final class LabTools {
  public static void main(String[] args) {
    System.exit(new CommandLine(new LabTools()).execute(args));
  }
}
