package dev.takeover.cli;

import dev.takeover.config.ConfigLoader;
import dev.takeover.config.ConfigResult;
import dev.takeover.control.ControlJson;
import dev.takeover.daemon.HostSnapshot;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code takeover check}: declared with picocli's programmatic API ({@link Specs}), as operators
 * and packaging scripts run it often.
 */
public final class CheckCommand {
  private CommandSpec spec;

  private CheckCommand() {}

  static CommandSpec spec() {
    CheckCommand command = new CheckCommand();
    command.spec =
        Specs.command(
            "check",
            command::call,
            "Validate a configuration file without root or network access.",
            "With --host, also check it against this machine: interfaces exist, hook and script"
                + " programs are executable, unicast peers are not this node, the state directory"
                + " is writable, and (a warning) each address lies in a subnet of its interface.");
    command.spec.addPositional(
        Specs.optionalParameter(
            Path.class, "FILE", "The YAML configuration file (the same as -c FILE)."));
    command.spec.addOption(
        Specs.option(Path.class, "FILE", "The YAML configuration file.", "-c", "--config"));
    command.spec.addOption(
        Specs.flag("Also check against this machine, as run does before it starts.", "--host"));
    command.spec.addOption(
        Specs.flag(
            "Print the result as one JSON object: valid, node, groups, errors and warnings with"
                + " file, line and column. The exit status is the same as without it.",
            "--json"));
    return command.spec;
  }

  private int call() {
    Path file = spec.positionalParameters().get(0).getValue();
    Path config = Specs.value(spec, "--config", Path.class);
    boolean host = Specs.given(spec, "--host");
    boolean json = Specs.given(spec, "--json");
    // Both spellings are documented (`check FILE` in CONFIG.md, `check -c FILE` in the unit).
    if (file != null && config != null) {
      throw new ParameterException(
          spec.commandLine(), "give the configuration file once: FILE or -c FILE, not both");
    }
    Path path = file != null ? file : config;
    if (path == null) {
      throw new ParameterException(
          spec.commandLine(), "Missing the configuration file: takeover check FILE (or -c FILE)");
    }
    ConfigResult result =
        host ? ConfigLoader.load(path, HostSnapshot.read()) : ConfigLoader.load(path);
    if (json) {
      try {
        spec.commandLine()
            .getOut()
            .println(ControlJson.MAPPER.writeValueAsString(ConfigFiles.json(path, result, host)));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e); // maps of strings and numbers always serialize
      }
      return result instanceof ConfigResult.Valid ? ExitCode.OK.code : ExitCode.INVALID_CONFIG.code;
    }
    return ConfigFiles.report(path, result, spec.commandLine().getErr())
        .map(
            c -> {
              spec.commandLine()
                  .getOut()
                  .println(
                      path
                          + ": OK (node "
                          + c.node()
                          + ", "
                          + c.groups().size()
                          + " group(s)"
                          + (host ? ", fits this host" : "")
                          + ")");
              return ExitCode.OK.code;
            })
        .orElse(ExitCode.INVALID_CONFIG.code);
  }
}
