package dev.takeover.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.takeover.control.ControlJson;
import dev.takeover.control.ControlRequest;
import dev.takeover.control.GroupView;
import dev.takeover.control.MoveResult;
import dev.takeover.control.StatusView;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code takeover move GROUP --to NODE}: asks the daemon for a handover, then (unless {@code
 * --no-wait}) watches {@code status} until the group's master is where it was asked, for at most
 * the bound the daemon gives (three Master_Down_Intervals plus the preempt delay). "moved" means
 * the handover was observed, not only asked for.
 */
@Command(
    name = "move",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = {
      "Move a group's addresses to a node, and wait until its master is there.",
      "Run it on the target node, or on the master when the target is the only other node.",
      "Exit 0: moved, already there, or cleared; 3: refused (the reason is printed) or no daemon;"
          + " 4: accepted but not moved within the wait."
    })
public final class MoveCommand implements Callable<Integer> {
  /** Between two looks at status while waiting. */
  static final long POLL_MILLIS = 100;

  @Spec CommandSpec spec;

  @Mixin ControlOptions control;

  @Parameters(paramLabel = "GROUP", description = "The group to move.")
  String group;

  @Option(
      names = "--to",
      paramLabel = "NODE",
      description =
          "The node that should become master: this node's name, a name from the configuration's"
              + " nodes section, or a peer's address.")
  String toNode;

  @Option(
      names = "--clear",
      description =
          "Drop this node's move adjustment (one that stays after a move, as status shows).")
  boolean clear;

  @Option(
      names = "--wait",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Wait until the move is observed done (default); --no-wait returns once it started.")
  boolean await;

  @Override
  public Integer call() {
    if (clear == (toNode != null)) {
      throw new ParameterException(spec.commandLine(), "give either --to NODE or --clear");
    }
    ControlCall call = new ControlCall(spec, control);
    JsonNode answer = call.call(new ControlRequest.Move(group, toNode, clear));
    if (answer == null) {
      return call.failure();
    }
    MoveResult move;
    try {
      move = ControlCall.as(answer, MoveResult.class);
    } catch (IllegalStateException e) {
      return call.fail(e.getMessage());
    }
    if (MoveResult.MOVING.equals(move.outcome()) && await) {
      if (move.dnsWaitMillis() != null && !control.json) {
        // The master lowers its names' TTL before it hands over (docs/DNS.md "Planned moves"):
        // say so now, the wait may be minutes.
        call.out()
            .println(
                "move "
                    + move.group()
                    + " to "
                    + move.toNode()
                    + ": held for DNS, at most "
                    + String.format(Locale.ROOT, "%.0f s", move.dnsWaitMillis() / 1000.0)
                    + ": "
                    + move.message());
        call.out().flush();
      }
      move = await(call, move);
    }
    if (control.json) {
      call.out().println(ControlCall.json(ControlJson.MAPPER.valueToTree(move)));
    } else if (exitCode(move) == ExitCode.OK.code) {
      call.out().println(text(move));
    } else {
      call.fail(text(move));
    }
    call.out().flush();
    return exitCode(move);
  }

  static int exitCode(MoveResult move) {
    return switch (move.outcome()) {
      case MoveResult.REFUSED -> ExitCode.FAILED.code;
      case MoveResult.NOT_MOVED -> ExitCode.NOT_DONE.code;
      default -> ExitCode.OK.code;
    };
  }

  private static String text(MoveResult move) {
    String what =
        MoveResult.CLEARED.equals(move.outcome())
                || MoveResult.NOTHING_TO_CLEAR.equals(move.outcome())
            ? "move " + move.group() + " --clear"
            : "move " + move.group() + " to " + move.toNode();
    String outcome = move.outcome().replace('-', ' ');
    if (MoveResult.MOVING.equals(move.outcome())) {
      outcome = "started";
    }
    return what + ": " + outcome + ": " + move.message();
  }

  /** Polls status until the group's master is the target, or the daemon's bound has passed. */
  private MoveResult await(ControlCall call, MoveResult move) {
    long polls = Math.max(1, (move.waitMillis() + POLL_MILLIS - 1) / POLL_MILLIS);
    String seconds = String.format(Locale.ROOT, "%.1f s", move.waitMillis() / 1000.0);
    String last = "unknown";
    for (long i = 0; i <= polls; i++) {
      JsonNode status = call.call(new ControlRequest.Status());
      if (status == null) {
        return move.settled(MoveResult.NOT_MOVED, "the daemon stopped answering while waiting");
      }
      Optional<GroupView> g =
          ControlCall.as(status, StatusView.class).groups().stream()
              .filter(v -> v.name().equals(move.group()))
              .findFirst();
      if (g.isEmpty()) {
        return move.settled(MoveResult.NOT_MOVED, "group " + move.group() + " is gone (a reload?)");
      }
      if (arrived(g.get(), move)) {
        return move.settled(
            MoveResult.MOVED, (move.here() ? "this node" : move.toNode()) + " is master now");
      }
      last =
          "this node is "
              + g.get().state()
              + (g.get().vipOwner() == null ? "" : ", master " + g.get().vipOwner());
      if (i < polls) {
        try {
          Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    return move.settled(
        MoveResult.NOT_MOVED,
        "not moved within "
            + seconds
            + " ("
            + last
            + "); "
            + move.message()
            + "; check both nodes' status");
  }

  /** Whether the group's master, as this node sees it, is where the move asked. */
  static boolean arrived(GroupView g, MoveResult move) {
    if (move.here()) {
      return "MASTER".equals(g.state());
    }
    String owner = g.vipOwner();
    return !"MASTER".equals(g.state())
        && owner != null
        && (owner.equals(move.toNode()) || move.targetAddresses().contains(owner));
  }
}
