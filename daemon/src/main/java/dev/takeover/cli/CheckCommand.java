package dev.takeover.cli;

import dev.takeover.config.ConfigLoader;
import dev.takeover.config.ConfigResult;
import dev.takeover.control.ControlJson;
import dev.takeover.daemon.HostSnapshot;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = {
      "Validate a configuration file without root or network access.",
      "With --host, also check it against this machine: interfaces exist, hook and script"
          + " programs are executable, unicast peers are not this node, the state directory is"
          + " writable, and (a warning) each address lies in a subnet of its interface."
    })
public final class CheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "FILE",
      description = "The YAML configuration file (the same as -c FILE).")
  Path file;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "The YAML configuration file.")
  Path config;

  @Option(
      names = "--host",
      description = "Also check against this machine, as run does before it starts.")
  boolean host;

  @Option(
      names = "--json",
      description =
          "Print the result as one JSON object: valid, node, groups, errors and warnings with"
              + " file, line and column. The exit status is the same as without it.")
  boolean json;

  @Override
  public Integer call() {
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
