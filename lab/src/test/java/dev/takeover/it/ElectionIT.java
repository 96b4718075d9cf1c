package dev.takeover.it;

import static dev.takeover.it.Cluster.config;

import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 5798 §6.4.2/§6.4.3: of two routers, the one with the higher priority becomes master. */
class ElectionIT {
  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  @ParameterizedTest(name = "n1 priority {0}, n2 priority {1}: {2} wins")
  @CsvSource({"200, 100, n1, n2", "100, 200, n2, n1"})
  void higherPriorityWins(int priority1, int priority2, String winner, String loser) {
    cluster.start(config("n1", priority1));
    cluster.start(config("n2", priority2));

    cluster.awaitMaster(winner, Cluster.STARTUP);
    // Whoever's JVM came up first may have been master for a moment; the loser must yield...
    cluster.awaitReleased(loser, Duration.ofSeconds(5));
    // ...and then stay backup: exactly one master.
    Poll.holdsFor(
        Duration.ofSeconds(1),
        () -> cluster.holdsVip(winner) && !cluster.holdsVip(loser),
        () -> "only " + winner + " holds the VIP" + cluster.state());
  }
}
