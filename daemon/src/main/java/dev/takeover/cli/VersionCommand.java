package dev.takeover.cli;

import dev.takeover.control.ControlJson;
import dev.takeover.daemon.Version;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;

/** {@code takeover version}: declared with picocli's programmatic API ({@link Specs}). */
public final class VersionCommand {
  private CommandSpec spec;

  private VersionCommand() {}

  static CommandSpec spec() {
    VersionCommand command = new VersionCommand();
    command.spec =
        Specs.command("version", command::call, "Print the version and the Java runtime.");
    command.spec.addOption(
        Specs.flag(
            "Print {\"takeover\": VERSION, \"java\": RUNTIME, \"javaVendor\": VENDOR}.", "--json"));
    return command.spec;
  }

  public static String version() {
    return Version.current();
  }

  private int call() {
    if (Specs.given(spec, "--json")) {
      java.util.Map<String, String> v = new java.util.LinkedHashMap<>();
      v.put("takeover", version());
      v.put("java", Runtime.version().toString());
      v.put("javaVendor", System.getProperty("java.vendor"));
      try {
        spec.commandLine().getOut().println(ControlJson.MAPPER.writeValueAsString(v));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e); // three strings always serialize
      }
      return ExitCode.OK.code;
    }
    for (String line : new Provider().getVersion()) {
      spec.commandLine().getOut().println(line);
    }
    return ExitCode.OK.code;
  }

  /** Shared with {@code takeover --version}. */
  public static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "takeover " + version(),
        "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }
}
