package dev.takeover.cli;

import dev.takeover.control.ControlRequest;
import dev.takeover.control.MoveResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "move", description = "Ask for a group's addresses to move to another node.")
public final class MoveCommand implements Callable<Integer> {
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
    return ControlCall.run(
        control,
        new ControlRequest.Move(group, toNode),
        result -> {
          MoveResult move = ControlCall.as(result, MoveResult.class);
          if (!move.accepted()) {
            return ControlCall.fail(
                "move " + move.group() + " to " + move.toNode() + " refused: " + move.message());
          }
          System.out.println(
              "move " + move.group() + " to " + move.toNode() + ": " + move.message());
          return ExitCode.OK.code;
        });
  }
}
