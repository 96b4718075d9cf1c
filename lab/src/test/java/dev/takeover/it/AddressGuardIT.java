package dev.takeover.it;

import static dev.takeover.it.Cluster.VIP;
import static dev.takeover.it.Cluster.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The master keeps its addresses: one deleted by someone else is put back and announced. */
class AddressGuardIT {
  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  @Test
  void masterPutsBackAVipSomeoneDeleted() {
    cluster.startPair(config("n1", 200), config("n2", 100));
    cluster.lab().exec(cluster.lab().nsName("n1"), "ip", "addr", "del", VIP + "/24", "dev", "eth0");

    cluster.awaitMaster("n1", Duration.ofSeconds(2));
    Poll.until(
        Duration.ofSeconds(2),
        () -> cluster.daemon("n1").process().log().contains("re-claiming addresses"),
        () -> "n1 to log that it re-claimed the VIP");
    assertThat(cluster.holdsVip("n2")).isFalse();
  }
}
