package dev.takeover.lab;

import dev.takeover.platform.Links;
import dev.takeover.platform.NativeException;
import dev.takeover.platform.PacketSocket;
import dev.takeover.platform.Rtnetlink;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code takeover-lab flood --vrid 51 --address 198.18.0.50 --duration 10s}: floods the link with
 * valid VRRPv3 adverts from spoofed sources (a lab tool, for {@code FloodIT}). See {@link
 * VrrpFlood}.
 */
@Command(
    name = "flood",
    mixinStandardHelpOptions = true,
    versionProvider = LabVersion.class,
    description = {
      "Flood the link with valid VRRPv3 adverts from spoofed sources (a lab tool).",
      "",
      "Sends through an AF_PACKET socket on the interface; needs CAP_NET_RAW. Prints one line"
          + " when it starts and one with the figures when it ends."
    })
public final class FloodCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--interface",
      defaultValue = Lab.INTERFACE,
      description = "Interface (default: ${DEFAULT-VALUE})")
  String iface;

  @Option(names = "--vrid", defaultValue = "51", description = "VRID (default: ${DEFAULT-VALUE})")
  int vrid;

  @Option(
      names = "--priority",
      defaultValue = "1",
      description = "Advertised priority (default: ${DEFAULT-VALUE})")
  int priority;

  @Option(
      names = "--advert-interval",
      defaultValue = "100ms",
      converter = DurationConverter.class,
      description = "Advertised Max Adver Int (default: ${DEFAULT-VALUE})")
  Duration advertInterval;

  @Option(
      names = "--address",
      required = true,
      description = "An address the adverts list (the group's VIPs); repeatable; sets the family")
  List<InetAddress> addresses;

  @Option(
      names = "--sources",
      defaultValue = "0",
      description =
          "Distinct spoofed sources, used round-robin; 0 = all of 198.18.0.0/15 but its first /24"
              + " for IPv4, 300000 for IPv6 (default: ${DEFAULT-VALUE})")
  int sources;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description = "Adverts per second; 0 = as fast as the socket takes them")
  int rate;

  @Option(
      names = "--duration",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "How long to flood (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Links.LinkInfo link;
    try (Rtnetlink rtnetlink = Rtnetlink.open()) {
      link =
          rtnetlink
              .byName(iface)
              .orElseThrow(() -> new LabException("flood: no interface " + iface));
    }
    VrrpFlood flood =
        new VrrpFlood(
            link.mac(), vrid, priority, (int) (advertInterval.toMillis() / 10), addresses);
    int distinct = sources > 0 ? Math.min(sources, flood.sourceSpace()) : defaultSources(flood);
    long sent = 0;
    long errors = 0;
    try (PacketSocket socket = PacketSocket.open()) {
      out.printf(
          Locale.ROOT,
          "flood: VRID %d priority %d from %d sources on %s, rate %s, for %s%n",
          vrid,
          priority,
          distinct,
          iface,
          rate > 0 ? rate + "/s" : "unlimited",
          duration);
      out.flush();
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      long now = start;
      while (now - end < 0) {
        // Pacing: send what is due by now, then nap; at rate 0 everything is always due.
        long due = rate > 0 ? (now - start) * rate / 1_000_000_000L : Long.MAX_VALUE;
        for (int burst = 0; burst < 1024 && sent < due; burst++) {
          try {
            socket.send(link.index(), flood.frame((int) (sent % distinct)), flood.length());
          } catch (NativeException e) {
            errors++; // ENOBUFS when the queue is full: a flood loses some, as a real one would
          }
          sent++;
        }
        if (sent >= due) {
          LockSupport.parkNanos(200_000);
        }
        now = System.nanoTime();
      }
      double seconds = (now - start) / 1e9;
      out.printf(
          Locale.ROOT,
          "flood: sent %d adverts from %d sources in %.1f s: %.0f/s, %d send errors%n",
          sent,
          Math.min(sent, distinct),
          seconds,
          sent / seconds,
          errors);
      out.flush();
    }
    return 0;
  }

  private static int defaultSources(VrrpFlood flood) {
    return Math.min(flood.sourceSpace(), 300_000);
  }
}
