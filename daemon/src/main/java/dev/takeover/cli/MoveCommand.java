package dev.takeover.cli;

import dev.takeover.control.ControlRequest;
import dev.takeover.control.MoveResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "move",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Ask for a group's addresses to move to another node.")
public final class MoveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ControlOptions control;

  @Parameters(paramLabel = "GROUP", description = "The group to move.")
  String group;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "NODE",
      description = "The node (name or address) that should become master.")
  String toNode;

  @Override
  public Integer call() {
    ControlCall call = new ControlCall(spec, control);
    return call.run(
        new ControlRequest.Move(group, toNode),
        MoveResult.class,
        move -> move.accepted() ? ExitCode.OK.code : ExitCode.FAILED.code,
        move -> {
          String what = "move " + move.group() + " to " + move.toNode();
          if (move.accepted()) {
            call.out().println(what + ": " + move.message());
          } else {
            call.fail(what + " refused: " + move.message());
          }
        });
  }
}
