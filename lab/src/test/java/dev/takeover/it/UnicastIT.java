package dev.takeover.it;

import static dev.takeover.it.Cluster.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.lab.Lab;
import dev.takeover.lab.ProbeEvent;
import dev.takeover.lab.ProbeFollower;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Unicast adverts where multicast is filtered (as in many clouds): election and failover work. */
class UnicastIT {
  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  @Test
  void electionAndFailoverWithVrrpMulticastBlocked() {
    Lab lab = cluster.lab();
    lab.blockVrrpMulticast("n1");
    lab.blockVrrpMulticast("n2");
    ProbeFollower probe =
        cluster.startPair(
            config("n1", 200).withUnicastPeers(List.of(Lab.ipv4("n2"))),
            config("n2", 100).withUnicastPeers(List.of(Lab.ipv4("n1"))));
    // Without adverts getting through, n2 would claim the VIP too after Master_Down_Interval.
    Poll.holdsFor(
        Duration.ofSeconds(1),
        () -> cluster.holdsVip("n1") && !cluster.holdsVip("n2"),
        () -> "n2 hears n1's unicast adverts and stays backup" + cluster.state());

    int mark = probe.mark();
    long killed = System.nanoTime();
    cluster.daemon("n1").crash();
    ProbeEvent.AnswererChanged answered = probe.awaitAnswerer(mark, "n2", Duration.ofSeconds(5));
    assertThat(Cluster.millisBetween(killed, answered.receiveNanos()))
        .as("ms from kill -9 of the master to the client's first answer from n2")
        .isLessThan(FailoverIT.LIMIT_MS);
  }
}
