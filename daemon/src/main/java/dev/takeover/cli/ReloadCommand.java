package dev.takeover.cli;

import dev.takeover.control.ControlRequest;
import dev.takeover.control.ReloadResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "reload",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Make the running daemon re-read its configuration and apply the difference.")
public final class ReloadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ControlOptions control;

  @Override
  public Integer call() {
    ControlCall call = new ControlCall(spec, control);
    return call.run(
        new ControlRequest.Reload(),
        ReloadResult.class,
        // A refused reload is exit 1 with --json too: scripts test the code, not the output.
        r -> r.applied() ? ExitCode.OK.code : ExitCode.INVALID_CONFIG.code,
        r -> {
          if (!r.applied()) {
            // The same file:line:column lines `takeover check` prints; the old config stays.
            for (String e : r.errors()) {
              call.err().println(e);
            }
            call.err()
                .println(
                    "takeover: reload refused, "
                        + r.errors().size()
                        + " error(s); still running the previous configuration");
          } else if (r.changes().isEmpty()) {
            call.out().println("reloaded: no changes");
          } else {
            call.out().println("reloaded: " + r.changes().size() + " change(s)");
            for (String c : r.changes()) {
              call.out().println("  " + c);
            }
          }
        });
  }
}
