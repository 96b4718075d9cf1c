package dev.takeover.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.lab.Lab;
import dev.takeover.lab.ProbeEvent;
import dev.takeover.lab.ProbeFollower;
import dev.takeover.lab.ProbeReport;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The measuring tools without any daemon: the VIP is moved by hand and the client's prober must see
 * the outage and the change of answering node.
 */
class ProbeIT {
  @RegisterExtension final Cluster cluster = Cluster.withNodes(2);

  @Test
  void measuresAVipMovedByHand() {
    Lab lab = cluster.lab();
    lab.exec("n1", "ip", "addr", "add", Cluster.VIP + "/24", "dev", "eth0");
    cluster.startEcho();
    ProbeFollower probe = cluster.startProbe();
    probe.awaitAnswerer(0, "n1", Cluster.STARTUP);

    int mark = probe.mark();
    long moved = System.nanoTime();
    lab.exec("n1", "ip", "addr", "del", Cluster.VIP + "/24", "dev", "eth0");
    long deleted = System.nanoTime();
    // The outage we cause. Not a bare parkNanos: it may return at once ("for no reason", its
    // contract says), and CI once saw n2 answer 22.7 ms after the delete.
    Poll.sleep(Duration.ofMillis(100));
    lab.exec("n2", "ip", "addr", "add", Cluster.VIP + "/24", "dev", "eth0");
    // What a gratuitous ARP from n2 would do to the client's neighbour entry.
    lab.exec(
        "client",
        "ip",
        "neigh",
        "replace",
        Cluster.VIP,
        "lladdr",
        lab.mac("n2"),
        "dev",
        "eth0",
        "nud",
        "reachable");

    ProbeEvent.AnswererChanged change = probe.awaitAnswerer(mark, "n2", Duration.ofSeconds(5));
    assertThat(change.from()).isEqualTo("n1");
    assertThat(change.receiveNanos() - moved).isGreaterThan(Duration.ofMillis(100).toNanos());
    ProbeEvent.Outage outage = probe.since(mark, ProbeEvent.Outage.class).getFirst();
    assertThat(outage.before()).isEqualTo("n1");
    assertThat(outage.after()).isEqualTo("n2");
    assertThat(outage.durationMs()).isBetween(100.0, 2_000.0);
    // 1 ms probes: roughly one lost probe per millisecond of outage (the thread may skip slots).
    assertThat(outage.lost()).isBetween(20L, (long) outage.durationMs());
    // It starts with the last probe answered before the address went away.
    assertThat(outage.startNanos()).isBetween(moved - Duration.ofMillis(5).toNanos(), deleted);

    ProbeReport report = probe.stop(Duration.ofSeconds(10));
    assertThat(report.transitions())
        .extracting(ProbeEvent.AnswererChanged::to)
        .containsExactly("n1", "n2");
    assertThat(report.outages()).filteredOn(o -> o.before() != null).containsExactly(outage);
    assertThat(report.answersByNode()).containsKeys("n1", "n2");
    assertThat(report.sent()).isEqualTo(report.answered() + report.lost() + report.pending());
    assertThat(report.pending()).isZero();
  }

  @Test
  void probesOverIpv6() {
    cluster.startEcho();
    ProbeFollower probe = cluster.startProbe(Lab.ipv6("n2"));
    probe.awaitAnswerer(0, "n2", Cluster.STARTUP);
    ProbeReport report = probe.stop(Duration.ofSeconds(10));
    assertThat(report.answersByNode()).containsOnlyKeys("n2");
  }
}
