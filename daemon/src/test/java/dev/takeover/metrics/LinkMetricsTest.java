package dev.takeover.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.control.LinksView;
import dev.takeover.control.StatusView;
import dev.takeover.journal.EventDraft;
import dev.takeover.journal.Events;
import dev.takeover.journal.JournalEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node links' families (docs/METRICS.md): path state and RTT, peers, drops, changes. */
class LinkMetricsTest {

  private static String scrape(Metrics m) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.scrape(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static JournalEvent event(String id, EventDraft d) {
    return new JournalEvent(
        id, Instant.EPOCH, 0, "alpha", d.group(), d.type(), d.message(), d.fields());
  }

  @Test
  void pathsPeersAndDropsComeFromStatusAndChangesFromTheJournal() throws IOException {
    LinksView links =
        new LinksView(
            List.of(
                new LinksView.PathView(
                    "beta", "198.18.0.1", "198.18.0.2", "UP", 0.25, "3 answered", 100, 3, 3),
                new LinksView.PathView(
                    "beta", "198.18.1.1", "198.18.1.2", "DOWN", -1, "3 unanswered", 100, 3, 3)),
            List.of(new LinksView.NodeView("beta", true, false, List.of(), 40, "", List.of())),
            List.of(),
            Map.of("BAD_MAC", 4L));
    StatusView status = new StatusView("alpha", List.of(), List.of(), null, List.of(), links);
    Metrics m = new Metrics(() -> new Metrics.Sample(status, Map.of(), 0, false));
    m.record(
        event("1", Events.linkPathChanged("beta", "198.18.1.1", "198.18.1.2", "UP", "DOWN", "x")));
    m.record(event("2", Events.routeChanged("198.18.100.0/24", "eth1", "198.18.1.2", "down")));
    String text = scrape(m);
    assertThat(text)
        .contains(
            "takeover_link_path_up{local=\"198.18.0.1\",node=\"beta\",peer=\"198.18.0.2\"} 1.0")
        .contains(
            "takeover_link_path_up{local=\"198.18.1.1\",node=\"beta\",peer=\"198.18.1.2\"} 0.0")
        .contains(
            "takeover_link_path_rtt_seconds{local=\"198.18.0.1\",node=\"beta\",peer=\"198.18.0.2\"}"
                + " 2.5E-4")
        .doesNotContain("takeover_link_path_rtt_seconds{local=\"198.18.1.1\"")
        .contains("takeover_link_peer_reachable{node=\"beta\"} 1.0")
        .contains("takeover_link_packets_dropped_total{reason=\"BAD_MAC\"} 4.0")
        .contains("takeover_link_path_changes_total{node=\"beta\",to=\"DOWN\"} 1.0")
        .contains("takeover_route_changes_total{destination=\"198.18.100.0/24\"} 1.0");
  }

  @Test
  void nextHopsShowTheirHealthAndWhichOneIsUsed() throws IOException {
    LinksView links =
        new LinksView(
            List.of(),
            List.of(),
            List.of(),
            Map.of("ARP_UNSOLICITED", 7L),
            List.of(
                new LinksView.HopView(
                    "198.18.100.0/24",
                    "eth0",
                    "198.18.1.254",
                    false,
                    false,
                    "gateway probe DOWN (3 ARP requests unanswered in a row)",
                    "arp",
                    "DOWN",
                    "3 ARP requests unanswered in a row",
                    0.1,
                    100,
                    3,
                    3),
                new LinksView.HopView(
                    "198.18.100.0/24",
                    "eth1",
                    "198.18.2.254",
                    true,
                    true,
                    "interface up",
                    "",
                    "",
                    "",
                    -1,
                    0,
                    0,
                    0)));
    StatusView status = new StatusView("alpha", List.of(), List.of(), null, List.of(), links);
    String text = scrape(new Metrics(() -> new Metrics.Sample(status, Map.of(), 0, false)));
    assertThat(text)
        .contains(
            "takeover_route_nexthop_up{destination=\"198.18.100.0/24\",gateway=\"198.18.1.254\","
                + "interface=\"eth0\"} 0.0")
        .contains(
            "takeover_route_nexthop_up{destination=\"198.18.100.0/24\",gateway=\"198.18.2.254\","
                + "interface=\"eth1\"} 1.0")
        .contains(
            "takeover_route_nexthop_active{destination=\"198.18.100.0/24\",gateway=\"198.18.2.254\","
                + "interface=\"eth1\"} 1.0")
        .contains("takeover_link_packets_dropped_total{reason=\"ARP_UNSOLICITED\"} 7.0");
  }

  @Test
  void withoutLinksTheFamiliesHaveNoSamples() throws IOException {
    StatusView status = new StatusView("alpha", List.of(), List.of(), null, List.of());
    String text = scrape(new Metrics(() -> new Metrics.Sample(status, Map.of(), 0, false)));
    assertThat(text).doesNotContain("takeover_link_path_up{").doesNotContain("takeover_link_peer");
  }
}
