package dev.takeover.it;

import static dev.takeover.it.Cluster.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.action.GroupState;
import dev.takeover.journal.EventType;
import dev.takeover.journal.Journal;
import dev.takeover.journal.JournalEvent;
import dev.takeover.lab.Lab;
import dev.takeover.lab.NodeConfig;
import dev.takeover.lab.NodeDaemon;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A group's virtual routes (keepalived's virtual_routes) follow mastership: the master has them,
 * marked with protocol 175, the backup does not; after kill -9 of the master the new master
 * installs them, the killed node's leftovers are swept when it starts again, and a graceful stop
 * removes them. Prints the time from each transition to MASTER to its route, from the journal.
 */
class VirtualRoutesIT {
  private static final String DEST = "198.18.100.0/24";
  private static final String ROUTES =
      """
          routes:
            - { destination: %s, gateway: %s }
            - { destination: default, gateway: %s, table: 100, metric: 7 }
      """
          .formatted(DEST, Lab.ROUTER_IPV4, Lab.ROUTER_IPV4);

  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  @Test
  void theMasterHasTheRoutesTheBackupNotAndTheyMoveWithMastership() {
    NodeConfig n1 = config("n1", 200).withGroupYaml(ROUTES);
    NodeConfig n2 = config("n2", 100).withGroupYaml(ROUTES);
    cluster.startPair(n1, n2);
    awaitRoute("n1", true);
    assertThat(cluster.lab().route("n1", DEST)).contains("via " + Lab.ROUTER_IPV4, "proto 175");
    assertThat(table100("n1")).contains("default via " + Lab.ROUTER_IPV4, "metric 7");
    assertThat(cluster.lab().route("n2", DEST)).isEmpty();
    assertThat(table100("n2")).isEmpty();
    report("n1", "start", 1);

    // kill -9: n2 takes over and installs; n1's kernel keeps what the killed run left.
    long killed = System.nanoTime();
    cluster.daemon("n1").crash();
    awaitRoute("n2", true);
    double seenMs = Cluster.millisBetween(killed, System.nanoTime());
    assertThat(table100("n2")).contains("default via " + Lab.ROUTER_IPV4);
    assertThat(cluster.lab().route("n1", DEST)).contains("proto 175");
    System.out.printf(
        Locale.ROOT, "VirtualRoutesIT: kill -9 of n1 -> route seen on n2 after %.1f ms%n", seenMs);
    report("n2", "after kill -9", 1);

    // n1 again: the start sweeps the leftovers, then n1 (200) preempts, n2 removes its routes.
    cluster.start(n1);
    cluster.awaitMaster("n1", Cluster.STARTUP);
    awaitRoute("n1", true);
    awaitRoute("n2", false);
    assertThat(table100("n2")).isEmpty();
    assertThat(cluster.daemon("n1").process().log()).contains("removed stale route");
    Poll.until(
        Duration.ofSeconds(5),
        () -> journal("n2", EventType.ROUTE_REMOVED).size() == 2,
        () -> "n2's two route.removed: " + journal("n2", EventType.ROUTE_REMOVED));
    report("n1", "after preempting back", 2);

    // A graceful stop of the master: its routes go, n2's come.
    NodeDaemon master = cluster.daemon("n1");
    assertThat(master.terminate(Duration.ofSeconds(10))).contains(0);
    awaitRoute("n2", true);
    assertThat(cluster.lab().route("n1", DEST)).isEmpty();
    assertThat(table100("n1")).isEmpty();
    report("n2", "after n1's graceful stop", 2);
  }

  private void awaitRoute(String node, boolean present) {
    Poll.until(
        Duration.ofSeconds(5),
        () -> cluster.lab().route(node, DEST).contains("proto 175") == present,
        () ->
            node
                + (present ? " to have " : " not to have ")
                + DEST
                + ": "
                + cluster.lab().route(node, DEST)
                + cluster.state());
  }

  /** Our routes in table 100 ({@code show table 100} fails while the table does not exist). */
  private String table100(String node) {
    return cluster
        .lab()
        .exec(node, "ip", "route", "show", "table", "all", "proto", "175")
        .lines()
        .filter(l -> l.contains("table 100"))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  private List<JournalEvent> masterTimelines(String node) {
    return journal(node, EventType.TRANSITION_TIMELINE).stream()
        .filter(e -> GroupState.MASTER.name().equals(e.fields().get("to")))
        .toList();
  }

  private List<JournalEvent> journal(String node, EventType type) {
    return Journal.read(cluster.stateDir(node), e -> e.type() == type, 1000).events();
  }

  /**
   * The node's last transition to MASTER as its journal's timeline says it: from when it was due to
   * the addresses, the first route and the first advert.
   */
  private void report(String node, String when, int nth) {
    Poll.until(
        Duration.ofSeconds(5),
        () -> masterTimelines(node).size() >= nth,
        () -> node + "'s transition.timeline number " + nth + ": " + masterTimelines(node));
    JournalEvent timeline = masterTimelines(node).get(nth - 1);
    assertThat(timeline.fields()).containsKey("routesInstalledUs");
    assertThat(journal(node, EventType.ROUTE_INSTALLED)).isNotEmpty();
    System.out.printf(
        Locale.ROOT,
        "VirtualRoutesIT: %s (%s): due -> addresses %s us, routes %s us, first advert %s us%n",
        node,
        when,
        timeline.fields().get("addressesAddedUs"),
        timeline.fields().get("routesInstalledUs"),
        timeline.fields().get("firstAdvertUs"));
  }
}
