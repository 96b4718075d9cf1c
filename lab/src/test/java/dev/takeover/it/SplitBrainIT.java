package dev.takeover.it;

import static dev.takeover.it.Cluster.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.lab.ProbeEvent;
import dev.takeover.lab.ProbeFollower;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two masters at once (the backup stopped hearing the master: a stall, a one-way fault) heal
 * quickly for clients: when the real master hears the rival's lower-priority advert it announces
 * the VIP again, so clients the rival's gratuitous ARP took away come back at once instead of after
 * their neighbour entry ages out (seconds).
 */
class SplitBrainIT {
  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  @Test
  void theRealMasterWinsTheClientsBackWhenTheRivalIsHeard() {
    ProbeFollower probe = cluster.startPair(config("n1", 200), config("n2", 100));
    int mark = probe.mark();
    cluster.lab().blockVrrpMulticastOut("n1"); // n2 stops hearing n1; n1 still hears n2
    ProbeEvent.AnswererChanged lost = probe.awaitAnswerer(mark, "n2", Duration.ofSeconds(5));

    ProbeEvent.AnswererChanged back = probe.awaitAnswerer(mark, "n1", Duration.ofSeconds(3));
    assertThat(Cluster.millisBetween(lost.receiveNanos(), back.receiveNanos()))
        .as("ms from the rival's announcement to the client's first answer from n1 again")
        .isLessThan(300);

    mark = probe.mark();
    cluster.lab().unblockVrrpMulticastOut("n1");
    cluster.awaitReleased("n2", Duration.ofSeconds(2));
    Poll.sleep(Duration.ofMillis(600)); // a gap would be reported once the probe gives it up
    assertThat(probe.since(mark, ProbeEvent.Outage.class))
        .as("probes lost after the partition healed")
        .allSatisfy(o -> assertThat(o.durationMs()).isLessThan(300));
  }
}
