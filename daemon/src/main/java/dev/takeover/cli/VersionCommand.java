package dev.takeover.cli;

import dev.takeover.daemon.Version;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Print the version and the Java runtime.")
public final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  public static String version() {
    return Version.current();
  }

  @picocli.CommandLine.Option(
      names = "--json",
      description = "Print {\"takeover\": VERSION, \"java\": RUNTIME, \"javaVendor\": VENDOR}.")
  boolean json;

  @Override
  public Integer call() {
    if (json) {
      java.util.Map<String, String> v = new java.util.LinkedHashMap<>();
      v.put("takeover", version());
      v.put("java", Runtime.version().toString());
      v.put("javaVendor", System.getProperty("java.vendor"));
      try {
        spec.commandLine()
            .getOut()
            .println(dev.takeover.control.ControlJson.MAPPER.writeValueAsString(v));
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
