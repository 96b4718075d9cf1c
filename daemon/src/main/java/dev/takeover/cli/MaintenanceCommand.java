package dev.takeover.cli;

import dev.takeover.control.ControlRequest;
import dev.takeover.control.MaintenanceResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "maintenance",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = {
      "Turn maintenance on (give up every group and never take over, across restarts) or off.",
      "Exit 0: done (or already so); 3: no daemon; 4: on, but not saved, so a restart ends it."
    })
public final class MaintenanceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

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
              throw new ParameterException(
                  spec.commandLine(), "expected on or off, not '" + mode + "'");
        };
    ControlCall call = new ControlCall(spec, control);
    return call.run(
        new ControlRequest.Maintenance(on),
        MaintenanceResult.class,
        m -> m.on() && !m.saved() ? ExitCode.NOT_DONE.code : ExitCode.OK.code,
        m -> {
          String state = m.on() ? "on" : "off";
          call.out()
              .println(
                  (m.changed() ? "maintenance " + state : "maintenance already " + state)
                      + (m.message() == null || m.message().isBlank() ? "" : ": " + m.message()));
        });
  }
}
