package dev.takeover.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Prints the bash completion script picocli generates from the command model, so it can never list
 * an option that does not exist: {@code source <(takeover completion)}, or save it as {@code
 * /usr/share/bash-completion/completions/takeover}. Hidden: it is for packagers and shells.
 */
@Command(
    name = "completion",
    hidden = true,
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Print the bash completion script: source <(takeover completion).")
public final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    out.print(AutoComplete.bash("takeover", spec.commandLine().getParent()));
    out.flush();
    return ExitCode.OK.code;
  }
}
