package dev.takeover.lab;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code takeover probe --target 198.18.0.50 --port 7000 --interval 1ms --duration 10s}.
 *
 * <p>Prints JSON lines on stdout: a {@code started} line, then live {@code answerer-changed} and
 * {@code outage} lines as they happen (a parent process can follow them), then one {@code summary}
 * line when the duration is over or on SIGTERM/SIGINT.
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    versionProvider = LabVersion.class,
    description = {
      "Probe an address over UDP every millisecond and report outages (a lab tool).",
      "",
      "Probes TARGET:PORT every INTERVAL (answered by 'takeover echo') and reports, as JSON lines,"
          + " every outage and every change of answering node, live, then a summary."
    })
public final class ProbeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--target", required = true, description = "Address to probe, e.g. the VIP")
  String target;

  @Option(
      names = "--port",
      defaultValue = "7000",
      description = "UDP port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--interval",
      defaultValue = "1ms",
      converter = DurationConverter.class,
      description = "Time between probes (default: ${DEFAULT-VALUE})")
  Duration interval;

  @Option(
      names = "--duration",
      defaultValue = "0",
      converter = DurationConverter.class,
      description = "How long to probe; 0 = until terminated (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(
      names = "--loss-timeout",
      defaultValue = "500ms",
      converter = DurationConverter.class,
      description = "An unanswered probe counts as lost after this (default: ${DEFAULT-VALUE})")
  Duration lossTimeout;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    var address = new InetSocketAddress(InetAddress.ofLiteral(target), port);
    Prober prober =
        Prober.start(
            new Prober.Settings(address, interval, lossTimeout), event -> emit(out, event));
    AtomicBoolean finished = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    Runnable finish =
        () -> {
          if (finished.compareAndSet(false, true)) {
            emit(out, prober.stop());
            done.countDown();
          }
        };
    Thread hook = new Thread(finish, "probe-summary");
    Runtime.getRuntime().addShutdownHook(hook); // SIGTERM/SIGINT still yield a summary
    if (duration.isZero()) {
      done.await();
    } else {
      done.await(duration.toNanos(), TimeUnit.NANOSECONDS);
      finish.run();
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    return 0;
  }

  private static void emit(PrintWriter out, ProbeEvent event) {
    synchronized (out) {
      out.println(ProbeJson.line(event));
      out.flush();
    }
  }
}
