package dev.takeover.it;

import static dev.takeover.it.Cluster.VIP;
import static dev.takeover.it.Cluster.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.lab.Lab;
import dev.takeover.lab.ProbeEvent;
import dev.takeover.lab.ProbeFollower;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 9 item 3: a peer that lost mastership sends a delayed second burst of gratuitous ARPs
 * (keepalived sends one 5 s after it became master, and it may arrive after the partition that made
 * it master has healed). The client follows it to a node that no longer holds the address; the
 * master must notice on the wire and bring the client back within one advert interval. The client's
 * neighbour table (ip neigh) is the judge, and the probe counts what the client lost.
 */
class StrandedClientIT {
  private static final int REPETITIONS = 3;

  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  @Test
  void aPeersDelayedGratuitousArpBurstDoesNotStrandTheClient() {
    cluster.startEcho();
    ProbeFollower probe = cluster.startProbe();
    // n2 is master first, so n1 hears its adverts and knows its MAC; then n1 preempts.
    cluster.start(config("n2", 100));
    cluster.awaitMaster("n2", Cluster.STARTUP);
    probe.awaitAnswerer(0, "n2", Cluster.STARTUP);
    int mark = probe.mark();
    cluster.start(config("n1", 200));
    probe.awaitAnswerer(mark, "n1", Cluster.STARTUP);
    cluster.awaitReleased("n2", Duration.ofSeconds(2));
    cluster.awaitClientNeighbour("n1", Duration.ofSeconds(2));

    Lab lab = cluster.lab();
    String peerMac = lab.mac("n2");
    String masterMac = lab.mac("n1");
    List<Double> backAfterMs = new ArrayList<>();
    for (int i = 0; i < REPETITIONS; i++) {
      Poll.sleep(Duration.ofSeconds(1)); // the master's own burst is over
      mark = probe.mark();
      // Back to back, as keepalived sends them; timed from the first frame on the wire.
      long sent = RawArp.announce(lab, "n2", peerMac, VIP, 5);
      Poll.until(
          Duration.ofSeconds(2),
          () -> lab.neighbourMac(Cluster.CLIENT, VIP).filter(masterMac::equals).isPresent(),
          () -> "the client's neighbour entry for " + VIP + " back on n1 (" + masterMac + ")");
      backAfterMs.add(Cluster.millisBetween(sent, System.nanoTime()));
      Poll.holdsFor(
          Duration.ofMillis(500),
          () -> lab.neighbourMac(Cluster.CLIENT, VIP).filter(masterMac::equals).isPresent(),
          () -> "the client stays on n1 after the stray burst");
      double lostMs =
          probe.since(mark, ProbeEvent.Outage.class).stream()
              .mapToDouble(ProbeEvent.Outage::durationMs)
              .sum();
      System.out.printf(
          "stray burst %d: client neighbour back on n1 after %.1f ms (read with ip neigh),"
              + " probes lost for %.1f ms%n",
          i + 1, backAfterMs.getLast(), lostMs);
      assertThat(lostMs)
          .as("ms the client lost after a stray burst (one advert interval is 100 ms)")
          .isLessThan(Cluster.ADVERT_INTERVAL.toMillis());
    }
    // The client's own view (probes lost, above) is held to one advert interval. This figure is
    // read by spawning `ip neigh` in a loop, so on a loaded machine it carries process start-up
    // (CI: 141 ms while the probes lost 12 ms); it only has to show the client was not stranded,
    // which in issue 9 meant 5.67 s.
    assertThat(backAfterMs)
        .as("ms from the stray burst until ip neigh shows the master again")
        .allMatch(ms -> ms < 1000);
    assertThat(cluster.daemon("n1").process().log())
        .contains("announcing addresses again: peer " + peerMac + " announced");
  }
}
