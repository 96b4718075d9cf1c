package dev.takeover.cli;

import dev.takeover.control.ControlRequest;
import dev.takeover.control.GroupView;
import dev.takeover.control.StatusView;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

  @Option(
      names = "--cluster",
      description =
          "Show every node x every group from the daemon's HTTP API (/v1/cluster), with when each"
              + " node was last heard and what they disagree on; exits 4 on any problem.")
  boolean cluster;

  @Option(
      names = "--api",
      paramLabel = "URL",
      description =
          "The daemon's API for --cluster (default: the first loopback address of the"
              + " configuration's api.listen, else http://127.0.0.1:9180).")
  URI api;

  @Override
  public Integer call() {
    if (cluster) {
      return ClusterTable.run(spec, control, api);
    }
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
