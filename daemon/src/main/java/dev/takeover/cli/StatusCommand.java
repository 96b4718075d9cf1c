package dev.takeover.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.takeover.control.ControlAnswer;
import dev.takeover.control.ControlJson;
import dev.takeover.control.ControlRequest;
import dev.takeover.control.StatusTable;
import dev.takeover.control.StatusView;
import java.net.URI;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code takeover status}: declared with picocli's programmatic API ({@link Specs}), as operators
 * and monitoring scripts run it often.
 */
public final class StatusCommand {
  private CommandSpec spec;

  private StatusCommand() {}

  static CommandSpec spec() {
    StatusCommand command = new StatusCommand();
    command.spec =
        Specs.command(
            "status",
            command::call,
            "Show every group of the running daemon: state, priority and why, VIP owner, peers, "
                + "last transitions, conflicts and dropped adverts. Exits 4 when any group is in "
                + "CONFLICT.");
    ControlOptions.addTo(command.spec);
    command.spec.addOption(
        Specs.flag(
            "Show every node x every group from the daemon's HTTP API (/v1/cluster), with when"
                + " each node was last heard and what they disagree on; exits 4 on any problem.",
            "--cluster"));
    command.spec.addOption(
        Specs.option(
            URI.class,
            "URL",
            "The daemon's API for --cluster (default: the first loopback address of the"
                + " configuration's api.listen, else http://127.0.0.1:9180).",
            "--api"));
    return command.spec;
  }

  private int call() {
    ControlOptions control = ControlOptions.from(spec);
    if (Specs.given(spec, "--cluster")) {
      return ClusterTable.run(spec, control, Specs.value(spec, "--api", URI.class));
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
