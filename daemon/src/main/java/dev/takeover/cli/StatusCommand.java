package dev.takeover.cli;

import dev.takeover.control.ControlRequest;
import dev.takeover.control.GroupView;
import dev.takeover.control.StatusView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description =
        "Show every group of the running daemon: state, priority and why, VIP owner, peers, "
            + "last transitions, conflicts and dropped adverts. Exits 4 when any group is in "
            + "CONFLICT.")
public final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ControlOptions control;

  @Override
  public Integer call() {
    ControlCall call = new ControlCall(spec, control);
    return call.run(
        new ControlRequest.Status(),
        StatusView.class,
        status ->
            status.groups().stream().anyMatch(GroupView::conflict)
                ? ExitCode.CONFLICT.code
                : ExitCode.OK.code,
        status -> call.out().print(StatusTable.render(status)));
  }
}
