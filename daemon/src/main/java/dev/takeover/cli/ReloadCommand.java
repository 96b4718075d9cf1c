package dev.takeover.cli;

import dev.takeover.control.ControlRequest;
import dev.takeover.control.ReloadResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "reload",
    description = "Make the running daemon re-read its configuration and apply the difference.")
public final class ReloadCommand implements Callable<Integer> {
  @Mixin ControlOptions control;

  @Override
  public Integer call() {
    return ControlCall.run(
        control,
        new ControlRequest.Reload(),
        result -> {
          ReloadResult r = ControlCall.as(result, ReloadResult.class);
          if (!r.applied()) {
            // The same file:line:column lines `takeover check` prints; the old config stays.
            for (String e : r.errors()) {
              System.err.println(e);
            }
            System.err.println(
                "takeover: reload refused, "
                    + r.errors().size()
                    + " error(s); still running the"
                    + " previous configuration");
            return ExitCode.INVALID_CONFIG.code;
          }
          if (r.changes().isEmpty()) {
            System.out.println("reloaded: no changes");
          } else {
            System.out.println("reloaded: " + r.changes().size() + " change(s)");
            for (String c : r.changes()) {
              System.out.println("  " + c);
            }
          }
          return ExitCode.OK.code;
        });
  }
}
