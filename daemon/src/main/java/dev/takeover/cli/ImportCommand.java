package dev.takeover.cli;

import dev.takeover.config.ConfigError;
import dev.takeover.config.ConfigLoader;
import dev.takeover.config.ConfigResult;
import dev.takeover.keepalived.ConfReader;
import dev.takeover.keepalived.ConfSyntaxException;
import dev.takeover.keepalived.DiskConfFiles;
import dev.takeover.keepalived.ImportResult;
import dev.takeover.keepalived.KeepalivedImport;
import dev.takeover.keepalived.ReportEntry.Status;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = {
      "Convert a keepalived.conf (with its includes) into a Takeover configuration.",
      "Writes the YAML to stdout or -o FILE, and a report of every directive (mapped,"
          + " approximated, not yet supported, not mapped, each with its file and line) to"
          + " --report FILE or stderr. The YAML is checked as `takeover check` does."
          + " docs/KEEPALIVED.md has the mapping table and a rolling migration guide."
    })
public final class ImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "KEEPALIVED_CONF", description = "e.g. /etc/keepalived/keepalived.conf")
  Path input;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the YAML here instead of stdout.")
  Path output;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "Write the report here instead of stderr.")
  Path reportFile;

  @Option(names = "--force", description = "Overwrite -o FILE and --report FILE if they exist.")
  boolean force;

  @Option(
      names = "--node",
      paramLabel = "NAME",
      description =
          "This node's name if keepalived.conf has no router_id (default: the host name).")
  String node;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String path = input.toAbsolutePath().normalize().toString();
    ConfReader.Parsed parsed;
    try {
      parsed = ConfReader.read(new DiskConfFiles(), path);
    } catch (ConfSyntaxException e) {
      err.println(e.located());
      err.println(input + ": not imported");
      return ExitCode.INVALID_CONFIG.code;
    }
    ImportResult result =
        KeepalivedImport.map(parsed, input.toString(), node != null ? node : hostName());
    for (Path target : targets()) {
      if (!force && Files.exists(target)) {
        err.println(target + ": exists; not overwritten (use --force)");
        return ExitCode.FAILED.code;
      }
    }
    try {
      if (output != null) {
        // Owner-only before anything is written: the YAML may hold a VRRPv2 password.
        if (!Files.exists(output)) {
          Files.createFile(
              output,
              java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                  java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } else {
          Files.setPosixFilePermissions(
              output, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
        Files.writeString(output, result.yaml(), StandardCharsets.UTF_8);
      } else {
        out.print(result.yaml());
        out.flush();
      }
      if (reportFile != null) {
        Files.writeString(reportFile, result.reportText(), StandardCharsets.UTF_8);
      } else {
        err.print(result.reportText());
      }
    } catch (IOException e) {
      err.println("cannot write: " + e.getMessage());
      return ExitCode.FAILED.code;
    }
    err.println(summary(result));
    if (result.groups().isEmpty()) {
      err.println(input + ": no vrrp_instance could be imported; the report says why");
      return ExitCode.INVALID_CONFIG.code;
    }
    String name = output != null ? output.toString() : "the imported configuration";
    ConfigResult checked = ConfigLoader.parse(result.yaml(), name);
    switch (checked) {
      case ConfigResult.Invalid invalid -> {
        for (ConfigError e : invalid.errors()) {
          err.println(e);
        }
        err.println(
            name
                + ": does not pass takeover check ("
                + invalid.errors().size()
                + " error(s));"
                + " fix it by hand");
        return ExitCode.INVALID_CONFIG.code;
      }
      case ConfigResult.Valid valid -> {
        for (ConfigError w : valid.warnings()) {
          err.println("warning: " + w);
        }
      }
    }
    return ExitCode.OK.code;
  }

  private List<Path> targets() {
    List<Path> targets = new ArrayList<>();
    if (output != null) {
      targets.add(output);
    }
    if (reportFile != null) {
      targets.add(reportFile);
    }
    return targets;
  }

  private String summary(ImportResult result) {
    StringBuilder s = new StringBuilder();
    s.append(input).append(": ").append(result.groups().size()).append(" group(s) imported");
    for (Map.Entry<Status, Integer> e : result.counts().entrySet()) {
      s.append(", ").append(e.getValue()).append(' ').append(e.getKey().label);
    }
    if (reportFile != null) {
      s.append("; report in ").append(reportFile);
    }
    return s.toString();
  }

  /** keepalived's default router_id is the host name; read without a name lookup. */
  private static String hostName() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException | RuntimeException e) {
      return "node";
    }
  }
}
