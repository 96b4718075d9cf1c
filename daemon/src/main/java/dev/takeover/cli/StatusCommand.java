package dev.takeover.cli;

import dev.takeover.control.ControlRequest;
import dev.takeover.control.StatusView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "status",
    description =
        "Show every group of the running daemon: state, priority and why, VIP owner, peers, "
            + "last transitions.")
public final class StatusCommand implements Callable<Integer> {
  @Mixin ControlOptions control;

  @Override
  public Integer call() {
    return ControlCall.run(
        control,
        new ControlRequest.Status(),
        result -> {
          System.out.print(StatusTable.render(ControlCall.as(result, StatusView.class)));
          return ExitCode.OK.code;
        });
  }
}
