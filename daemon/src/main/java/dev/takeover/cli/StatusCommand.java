package dev.takeover.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.takeover.control.ControlAnswer;
import dev.takeover.control.ControlJson;
import dev.takeover.control.ControlRequest;
import dev.takeover.control.StatusTable;
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
    ControlAnswer answer = call.answer(new ControlRequest.Status(true));
    if (answer == null) {
      return call.failure();
    }
    String table = answer.text();
    boolean conflict = answer.conflict();
    if (table == null) {
      // A daemon that does not render the table: map its result and render it here.
      StatusView status;
      try {
        status =
            ControlJson.MAPPER.readValue(String.valueOf(answer.resultJson()), StatusView.class);
      } catch (JsonProcessingException | IllegalArgumentException e) {
        return call.fail("the daemon's answer is not a StatusView");
      }
      if (status == null) {
        return call.fail("the daemon's answer is not a StatusView");
      }
      table = StatusTable.render(status);
      conflict = status.anyConflict();
    }
    if (control.json) {
      call.out().println(answer.resultJson());
    } else {
      call.out().print(table);
    }
    call.out().flush();
    return conflict ? ExitCode.CONFLICT.code : ExitCode.OK.code;
  }
}
