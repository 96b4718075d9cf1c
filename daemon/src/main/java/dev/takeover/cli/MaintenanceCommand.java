package dev.takeover.cli;

import dev.takeover.control.ControlRequest;
import dev.takeover.control.MaintenanceResult;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "maintenance",
    description = "Turn maintenance on (give up every group and never take over) or off.")
public final class MaintenanceCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ControlOptions control;

  @Parameters(paramLabel = "on|off", description = "on or off.")
  String mode;

  @Override
  public Integer call() {
    boolean on =
        switch (mode) {
          case "on" -> true;
          case "off" -> false;
          default ->
              throw new CommandLine.ParameterException(
                  spec.commandLine(), "expected on or off, not '" + mode + "'");
        };
    return ControlCall.run(
        control,
        new ControlRequest.Maintenance(on),
        result -> {
          MaintenanceResult m = ControlCall.as(result, MaintenanceResult.class);
          String state = m.on() ? "on" : "off";
          System.out.println(
              (m.changed() ? "maintenance " + state : "maintenance already " + state)
                  + (m.message() == null || m.message().isBlank() ? "" : ": " + m.message()));
          return ExitCode.OK.code;
        });
  }
}
