package dev.takeover.lab;

import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code takeover demo}: a two-node failover demonstration in throwaway network namespaces. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = LabVersion.class,
    description = {
      "Run a live two-node cluster in network namespaces and show failovers as a client sees them.",
      "",
      "Builds a private network (2 nodes + a client), runs takeover on both nodes, probes the VIP"
          + " from the client every millisecond, breaks things and prints the outages. Needs root."
          + " Cleans up after itself, also on Ctrl-C."
    })
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--keep-logs", description = "Keep the logs directory even when all went well")
  boolean keepLogs;

  @Option(
      names = "--daemon",
      defaultValue = "takeover",
      description =
          "takeover, or keepalived to show the reference implementation (default:"
              + " ${DEFAULT-VALUE})")
  String daemon;

  @Override
  public Integer call() {
    NodeDaemon.Kind kind = NodeDaemon.Kind.valueOf(daemon.toUpperCase(Locale.ROOT));
    return new Demo(spec.commandLine().getOut(), JavaLauncher.current(), kind, keepLogs).run();
  }
}
