package dev.takeover.lab;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code takeover echo --port 7000 --name n1}: the server side of {@code takeover probe}. */
@Command(
    name = "echo",
    mixinStandardHelpOptions = true,
    versionProvider = LabVersion.class,
    description = {
      "Answer 'takeover probe' with this node's name (a lab tool).",
      "",
      "Answers each UDP probe with its sequence number and this node's name. Runs until"
          + " terminated."
    })
public final class EchoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "7000",
      description = "UDP port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--name", required = true, description = "Name to answer with, e.g. n1")
  String name;

  @Override
  public Integer call() throws Exception {
    try (EchoResponder responder = EchoResponder.start(port, name)) {
      var out = spec.commandLine().getOut();
      out.println("echo: " + name + " answering probes on udp port " + responder.port());
      out.flush();
      responder.awaitClose();
    }
    return 0;
  }
}
