package dev.takeover.it;

import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.ProbeFollower;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An IPv6 group: VRRPv3 over IPv6 from the link-local address, the VIP added without DAD, the
 * client moved by unsolicited Neighbor Advertisements; link down deletes the VIP, link up puts it
 * back and the higher priority node preempts again.
 */
class Ipv6FailoverIT {
  static final String VIP6 = "2001:db8::50";

  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  private static NodeConfig config(String node, int priority) {
    return NodeConfig.of(node, priority, Cluster.ADVERT_INTERVAL, VIP6 + "/64");
  }

  private void awaitHolder(String holder, String other, Duration timeout) {
    Poll.until(
        timeout,
        () -> cluster.lab().hasAddress(holder, VIP6) && !cluster.lab().hasAddress(other, VIP6),
        () -> holder + " alone to hold " + VIP6 + cluster.state());
  }

  @Test
  void ipv6VipFollowsTheMasterAndTheClientFollowsTheVip() {
    cluster.startEcho();
    ProbeFollower probe = cluster.startProbe(VIP6);
    cluster.start(config("n1", 200));
    cluster.start(config("n2", 100));
    awaitHolder("n1", "n2", Cluster.STARTUP);
    probe.awaitAnswerer(0, "n1", Cluster.STARTUP);

    int mark = probe.mark();
    cluster.lab().linkDown("n1");
    awaitHolder("n2", "n1", Duration.ofSeconds(2));
    probe.awaitAnswerer(mark, "n2", Duration.ofSeconds(2));

    mark = probe.mark();
    cluster.lab().linkUp("n1");
    awaitHolder("n1", "n2", Duration.ofSeconds(3));
    probe.awaitAnswerer(mark, "n1", Duration.ofSeconds(3));
  }
}
