package dev.takeover.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.lab.Lab;
import dev.takeover.lab.NodeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A virtual address on another interface than the group's (keepalived's {@code dev eth1 label
 * eth1:vip}): two nodes on two LANs, adverts on eth0, a second VIP on eth1 with a label. The master
 * has it on eth1 with the label, the backup does not; a client on the second LAN reaches it; a
 * graceful stop of the master moves it and the gratuitous ARPs, sent on eth1, move the client's
 * neighbour entry to the new master's eth1 MAC, and the release takes it off the old master's eth1.
 * eth1 going down on the master puts the group in FAULT (the address's interface is tracked, as
 * keepalived 2.2.7 does without no_track); eth1 coming back brings it back.
 */
class OtherInterfaceAddressIT {
  private static final String VIP_B = "198.18.2.50";
  private static final String ETH1 = "eth1";

  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  private static NodeConfig config(String node, int priority) {
    return new NodeConfig(
        node,
        "web",
        51,
        Lab.INTERFACE,
        priority,
        Cluster.ADVERT_INTERVAL,
        true,
        List.of(),
        List.of(),
        """
            addresses:
              - %s/24
              - { address: %s/24, interface: eth1, label: "eth1:vip", scope: global }
            routes:
              - { destination: 198.18.100.0/24, gateway: %s, interface: eth1, source: %s }
            rules:
              - { from: %s, table: 100, priority: 100 }
              - { to: 198.18.100.0/24, in-interface: eth1, table: 101 }
        """
            .formatted(Cluster.VIP, VIP_B, Lab.GATEWAY_LAN_B, VIP_B, VIP_B));
  }

  @Test
  void theAddressLivesOnItsOwnInterfaceAndMovesThere() {
    Lab lab = cluster.lab();
    lab.addSecondLan();
    cluster.startPair(config("n1", 200), config("n2", 100));

    awaitOnEth1("n1", true);
    assertThat(lab.addressDetails("n1", ETH1)).contains(VIP_B + "/24 eth1:vip global");
    assertThat(lab.addresses("n1")).doesNotContain(VIP_B); // not on eth0
    assertThat(onEth1("n2")).isFalse();
    // The rules: on the master only, marked with protocol 175.
    awaitRules("n1", 2);
    assertThat(lab.exec("n1", "ip", "rule", "show"))
        .contains("100:\tfrom " + VIP_B + " lookup 100 proto 175")
        .contains("from all to 198.18.100.0/24 iif eth1 lookup 101 proto 175");
    assertThat(ourRules("n2")).isEmpty();
    // The route through LAN 2 with the VIP there as its preferred source (RTA_PREFSRC).
    assertThat(lab.route("n1", "198.18.100.0/24"))
        .contains("via " + Lab.GATEWAY_LAN_B, "dev eth1", "proto 175", "src " + VIP_B);
    lab.exec("n1", "ping", "-c", "1", "-W", "2", Lab.FAR_CLIENT); // from VIP_B, through gw

    // A client on the second LAN reaches it, through n1's eth1.
    lab.exec(Lab.CLIENT, "ping", "-c", "1", "-W", "2", "-I", ETH1, VIP_B);
    assertThat(lab.neighbourMac(Lab.CLIENT, VIP_B, ETH1)).contains(lab.mac("n1", ETH1));

    // A graceful stop: n2 takes over; its gratuitous ARPs on eth1 (no ping from here on) move
    // the client's entry; n1's release takes the address off its eth1.
    String n2Mac = lab.mac("n2", ETH1);
    long stopped = System.nanoTime();
    assertThat(cluster.daemon("n1").terminate(Duration.ofSeconds(10))).contains(0);
    Poll.until(
        Duration.ofSeconds(5),
        () -> lab.neighbourMac(Lab.CLIENT, VIP_B, ETH1).filter(n2Mac::equals).isPresent(),
        () -> "the client's entry for " + VIP_B + " to be n2's eth1 " + n2Mac + cluster.state());
    double movedMs = Cluster.millisBetween(stopped, System.nanoTime());
    awaitOnEth1("n2", true);
    assertThat(lab.addressDetails("n2", ETH1)).contains(VIP_B + "/24 eth1:vip global");
    assertThat(onEth1("n1")).isFalse();
    awaitRules("n2", 2);
    assertThat(ourRules("n1")).isEmpty(); // n1's graceful stop removed its rules
    lab.exec(Lab.CLIENT, "ping", "-c", "1", "-W", "2", "-I", ETH1, VIP_B);
    System.out.printf(
        Locale.ROOT,
        "OtherInterfaceAddressIT: graceful stop of n1 -> client's ARP entry for %s on n2's eth1"
            + " MAC after %.1f ms%n",
        VIP_B,
        movedMs);

    // eth1 down on the master: FAULT (both addresses released); up again: master again.
    long down = System.nanoTime();
    lab.exec("n2", "ip", "link", "set", ETH1, "down");
    cluster.awaitReleased("n2", Duration.ofSeconds(5));
    double faultMs = Cluster.millisBetween(down, System.nanoTime());
    awaitRules("n2", 0);
    Poll.until(
        Duration.ofSeconds(5),
        () -> cluster.daemon("n2").process().log().contains("tracked link eth1 is down"),
        () -> "n2 to log eth1 down");
    lab.exec("n2", "ip", "link", "set", ETH1, "up");
    cluster.awaitMaster("n2", Cluster.STARTUP);
    awaitOnEth1("n2", true);
    System.out.printf(
        Locale.ROOT,
        "OtherInterfaceAddressIT: eth1 down on master n2 -> %s released after %.1f ms%n",
        Cluster.VIP,
        faultMs);
  }

  /** The node's rules of protocol 175, as {@code ip rule show} prints them. */
  private List<String> ourRules(String node) {
    return cluster
        .lab()
        .exec(node, "ip", "rule", "show")
        .lines()
        .filter(l -> l.endsWith(" proto 175"))
        .toList();
  }

  private void awaitRules(String node, int count) {
    Poll.until(
        Duration.ofSeconds(5),
        () -> ourRules(node).size() == count,
        () -> node + " to have " + count + " rules of ours: " + ourRules(node));
  }

  private boolean onEth1(String node) {
    return cluster.lab().addressDetails(node, ETH1).stream()
        .anyMatch(a -> a.startsWith(VIP_B + "/"));
  }

  private void awaitOnEth1(String node, boolean present) {
    Poll.until(
        Duration.ofSeconds(5),
        () -> onEth1(node) == present,
        () ->
            node
                + (present ? " to have " : " not to have ")
                + VIP_B
                + " on eth1: "
                + cluster.lab().addressDetails(node, ETH1)
                + cluster.state());
  }
}
