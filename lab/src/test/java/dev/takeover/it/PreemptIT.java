package dev.takeover.it;

import static dev.takeover.it.Cluster.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.lab.ProbeEvent;
import dev.takeover.lab.ProbeFollower;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RFC 5798 §6.4.2 Preempt_Mode: a returning higher-priority node takes the VIP back, or not. */
class PreemptIT {
  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  private ProbeFollower n1CrashedAndN2Master() {
    ProbeFollower probe = cluster.startPair(config("n1", 200), config("n2", 100));
    int mark = probe.mark();
    cluster.daemon("n1").crash();
    cluster.awaitMaster("n2", Duration.ofSeconds(5));
    probe.awaitAnswerer(mark, "n2", Duration.ofSeconds(5));
    return probe;
  }

  @Test
  void restartedHigherPriorityNodeTakesTheVipBack() {
    ProbeFollower probe = n1CrashedAndN2Master();
    int mark = probe.mark();
    cluster.start(config("n1", 200));

    probe.awaitAnswerer(mark, "n1", Cluster.STARTUP);
    cluster.awaitMaster("n1", Duration.ofSeconds(1));
    cluster.awaitReleased("n2", Duration.ofSeconds(2));
    Poll.sleep(Duration.ofMillis(600)); // a gap would be reported once the probe gives it up
    // n1 announces before its first advert makes n2 let go, and n2 holds on a little longer.
    // Make-before-break: without it this loses ~65 probes. A rare single lost probe at the
    // switch is not explained yet (bench/ counts it); more than that is a regression.
    assertThat(
            probe.since(mark, ProbeEvent.Outage.class).stream()
                .mapToLong(ProbeEvent.Outage::lost)
                .sum())
        .as("probes lost at preempt")
        .isLessThanOrEqualTo(1);
  }

  @Test
  void withoutPreemptTheRestartedNodeStaysBackup() {
    n1CrashedAndN2Master();
    var restarted = cluster.start(config("n1", 200).withPreempt(false));
    // On startup n1 removes the VIP its killed predecessor left behind, and must not claim it
    // again while n2's adverts keep coming.
    cluster.awaitReleased("n1", Cluster.STARTUP);
    Poll.holdsFor(
        Duration.ofSeconds(2),
        () -> cluster.holdsVip("n2") && !cluster.holdsVip("n1"),
        () -> "n2 stays master" + cluster.state());
    assertThat(restarted.process().isAlive()).isTrue();
  }
}
