package dev.takeover.bench;

import dev.takeover.bench.BenchResult.NameSample;
import dev.takeover.lab.Lab;
import dev.takeover.lab.NamedServer;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import dev.takeover.platform.Netns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;

/**
 * The name scenario (issue 12, docs/DNS.md "Measured"): a takeover pair whose name follows the
 * master ({@code points-to: self}, TTL 5) against BIND 9 in the client namespace. The master is
 * killed with SIGKILL once the backup has heard it and read the record; a client in the client
 * namespace asks named for the name every 10 ms, and the name outage runs from the kill to the
 * first answer with the backup's own address. The new master's journal gives how long after the
 * claim the update left ({@code sinceClaimUs}) and how long named took to confirm it.
 *
 * <p>Takeover only: keepalived has no DNS updates (operators script {@code nsupdate} in hooks).
 */
final class NameOutageRun {
  static final String NAME = "www.dns.test.";
  private static final int MASTER_PRIORITY = 200;
  private static final int BACKUP_PRIORITY = 100;
  private static final Pattern SINCE_CLAIM = Pattern.compile("\"sinceClaimUs\":(\\d+)");
  private static final Pattern MONOTONIC = Pattern.compile("\"monotonicNanos\":(\\d+)");

  private NameOutageRun() {}

  static List<NameSample> run(Rig rig, BenchOptions options) {
    List<NameSample> samples = new ArrayList<>();
    if (!NamedServer.available()) {
      rig.say(
          "name: skipped, %s is not installed (scripts/setup installs bind9)", NamedServer.NAMED);
      return samples;
    }
    Path dir = rig.work.resolve("name");
    try (NamedServer named = NamedServer.start(rig.lab, dir)) {
      for (int interval : options.intervalsMs()) {
        for (int rep = 1; rep <= options.reps(); rep++) {
          NameSample s = once(rig, named, dir, interval, rep);
          rig.say(
              "name %d ms #%d: %s",
              interval,
              rep,
              s.ok()
                  ? "outage %.1f ms (MDI %.1f), sent %.2f ms after the claim, confirmed %.2f ms after"
                      .formatted(
                          s.nameOutageMs(),
                          s.masterDownIntervalMs(),
                          s.sentAfterClaimMs(),
                          s.confirmedAfterSentMs())
                  : "FAILED: " + s.error());
          samples.add(s);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("name scenario: named", e);
    } finally {
      rig.reset(List.of(FailoverCycle.VIP));
    }
    return samples;
  }

  private static NameSample once(Rig rig, NamedServer named, Path base, int intervalMs, int rep) {
    double mdi = StartupRun.masterDownIntervalMs(BACKUP_PRIORITY, intervalMs);
    Path dir = base.resolve(intervalMs + "ms-" + rep);
    Resolver resolver = null;
    Thread loop = null;
    try {
      rig.reset(List.of(FailoverCycle.VIP));
      Duration interval = Duration.ofMillis(intervalMs);
      String yaml = named.groupYaml(dir, NAME, 5, "        points-to: self\n");
      NodeConfig c1 =
          NodeConfig.of("n1", MASTER_PRIORITY, interval, FailoverCycle.VIP + "/24")
              .withGroupYaml(yaml);
      NodeConfig c2 =
          NodeConfig.of("n2", BACKUP_PRIORITY, interval, FailoverCycle.VIP + "/24")
              .withGroupYaml(yaml);
      String n1 = Lab.ipv4("n1");
      String n2 = Lab.ipv4("n2");
      NodeDaemon d1 = rig.start(NodeDaemon.Kind.TAKEOVER, c1, dir);
      Rig.awaitLog(d1, Rig.STARTUP, "-> MASTER");
      await(() -> named.a(NAME).equals(java.util.Set.of(n1)), Rig.STARTUP, NAME + " -> " + n1);
      NodeDaemon d2 = rig.start(NodeDaemon.Kind.TAKEOVER, c2, dir);
      Rig.awaitBackup(d2, Rig.STARTUP);
      // The backup must have heard the master (else it probes the VIP the killed master still
      // holds, DECISIONS 36) and read the record (else its compare-and-swap costs a round trip):
      // it reads at start, and an advert comes every interval.
      LockSupport.parkNanos(interval.multipliedBy(3).plusMillis(500).toNanos());
      resolver = new Resolver(rig.lab, n2);
      loop = Thread.ofPlatform().daemon().name("name-resolver").start(resolver);
      Resolver r = resolver;
      await(() -> r.answers.get() > 5, Duration.ofSeconds(5), "named to answer the resolver");
      Double load = ProcFs.loadAverage();
      long killed = System.nanoTime();
      d1.crash();
      await(
          () -> r.firstNew != 0,
          Duration.ofSeconds(15).plus(interval.multipliedBy(10)),
          NAME + " -> " + n2);
      double outage = (r.firstNew - killed) / 1e6;
      Path journal = NodeConfig.stateDir(dir, "n2").resolve("journal.jsonl");
      double[] timing = new double[2];
      await(() -> timing(journal, timing), Duration.ofSeconds(5), "n2 to journal the update");
      return new NameSample(intervalMs, rep, true, null, outage, mdi, timing[0], timing[1], load);
    } catch (RuntimeException | IOException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      return new NameSample(intervalMs, rep, false, message, null, mdi, null, null, null);
    } finally {
      if (resolver != null) {
        resolver.stop = true;
        try {
          loop.join(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      rig.stopDaemons();
    }
  }

  /**
   * From n2's journal: the first A update's {@code sinceClaimUs} and the time from it to the A's
   * confirmation, in ms; false until both are there (the journal is written on its own thread).
   */
  static boolean timing(Path journal, double[] out) {
    List<String> lines;
    try {
      lines = Files.exists(journal) ? Files.readAllLines(journal) : List.of();
    } catch (IOException e) {
      return false;
    }
    int sent = -1;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (sent < 0
          && l.contains("\"dns.update.sent\"")
          && l.contains("/A\"")
          && l.contains("sinceClaimUs")) {
        sent = i;
      } else if (sent >= 0 && l.contains("\"dns.update.confirmed\"") && l.contains("/A\"")) {
        Matcher since = SINCE_CLAIM.matcher(lines.get(sent));
        Matcher sentAt = MONOTONIC.matcher(lines.get(sent));
        Matcher confirmedAt = MONOTONIC.matcher(l);
        if (!since.find() || !sentAt.find() || !confirmedAt.find()) {
          return false;
        }
        out[0] = Long.parseLong(since.group(1)) / 1000.0;
        out[1] = (Long.parseLong(confirmedAt.group(1)) - Long.parseLong(sentAt.group(1))) / 1e6;
        return true;
      }
    }
    return false;
  }

  private static void await(
      java.util.function.BooleanSupplier done, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new StepFailedException("no " + what + " within " + timeout.toMillis() + " ms");
      }
      LockSupport.parkNanos(5_000_000);
    }
  }

  /** Asks named for the name every 10 ms from the client namespace; notes the first new answer. */
  private static final class Resolver implements Runnable {
    private final Lab lab;
    private final String target;
    volatile boolean stop;
    final java.util.concurrent.atomic.AtomicInteger answers =
        new java.util.concurrent.atomic.AtomicInteger();
    volatile long firstNew;

    Resolver(Lab lab, String target) {
      this.lab = lab;
      this.target = target;
    }

    @Override
    public void run() {
      try (DatagramSocket s = Netns.call(lab.nsName(Lab.CLIENT), () -> new DatagramSocket())) {
        s.setSoTimeout(10);
        byte[] wire = NamedServer.query(NAME).toWire();
        InetSocketAddress to = new InetSocketAddress(NamedServer.SERVER, 53);
        byte[] buf = new byte[1500];
        while (!stop) {
          long next = System.nanoTime() + 10_000_000;
          s.send(new DatagramPacket(wire, wire.length, to));
          try {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            long at = System.nanoTime();
            Message answer = new Message(Arrays.copyOf(buf, p.getLength()));
            answers.incrementAndGet();
            boolean isNew =
                answer.getSection(Section.ANSWER).stream()
                    .anyMatch(
                        rr ->
                            rr instanceof ARecord a
                                && a.getAddress().getHostAddress().equals(target));
            if (isNew && firstNew == 0) {
              firstNew = at;
            }
          } catch (SocketTimeoutException e) {
            // no answer within 10 ms: ask again
          }
          long wait = next - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
