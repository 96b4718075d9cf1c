package dev.takeover.metrics;

import dev.takeover.control.GroupView;
import dev.takeover.control.LinksView;
import dev.takeover.control.RuntimeView;
import dev.takeover.control.StatusView;
import dev.takeover.journal.JournalEvent;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every metric name of the daemon in one place (docs/METRICS.md), exposed by the Prometheus Java
 * client's own registry and text writer.
 *
 * <p>Implementation notes. Nothing here runs on the engine thread, and the engine does no extra
 * work for it. Two sources:
 *
 * <ul>
 *   <li><b>At scrape time</b>, one {@link Sample} (the same {@code status} snapshot the control
 *       socket serves, taken by a task on the engine thread, plus counters the daemon keeps anyway:
 *       adverts sent and accepted, drops by reason, engine lateness) feeds the callback gauges and
 *       counters. No scrape, no cost: a daemon nobody looks at does nothing for its metrics.
 *   <li><b>From the journal</b>: each event of record (transitions, master-down expiries,
 *       announcements, checks, hooks, DNS updates, conflicts, the claim timeline) increments a
 *       counter or observes the histogram on the journal's writer thread, after it was written.
 * </ul>
 */
public final class Metrics {

  /** What a scrape reads, taken once per scrape. */
  public record Sample(
      StatusView status,
      Map<String, Long> advertsSent,
      long advertsAccepted,
      boolean maintenance) {}

  static final List<String> STATES = List.of("INITIALIZE", "BACKUP", "MASTER", "FAULT");

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Supplier<Sample> sampler;
  private Sample current; // guarded by this: one scrape at a time shares one sample

  private final Counter transitions;
  private final Counter masterDown;
  private final Counter announcements;
  private final Counter checks;
  private final Counter hooks;
  private final Counter dns;
  private final Counter conflicts;
  private final Histogram timeline;
  private final Counter pathChanges;
  private final Counter routeChanges;

  public Metrics(Supplier<Sample> sampler) {
    this.sampler = sampler;
    GaugeWithCallback.builder()
        .name("takeover_group_state")
        .help("1 for the state each group is in, 0 for the others (RFC 5798 §6.4)")
        .labelNames("group", "state")
        .callback(
            cb -> {
              for (GroupView g : sample().status().groups()) {
                for (String s : STATES) {
                  cb.call(s.equals(g.state()) ? 1 : 0, g.name(), s);
                }
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("takeover_group_priority_effective")
        .help("The priority the group advertises now, after checks, tracks, moves, maintenance")
        .labelNames("group")
        .callback(
            cb -> sample().status().groups().forEach(g -> cb.call(g.effectivePriority(), g.name())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("takeover_group_priority_configured")
        .help("The priority the configuration gives the group")
        .labelNames("group")
        .callback(
            cb ->
                sample().status().groups().forEach(g -> cb.call(g.configuredPriority(), g.name())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("takeover_group_conflict")
        .help("1 while the group has a conflict (two masters, an address in use elsewhere)")
        .labelNames("group")
        .callback(
            cb -> sample().status().groups().forEach(g -> cb.call(g.conflict() ? 1 : 0, g.name())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("takeover_maintenance")
        .help("1 while this node is in maintenance")
        .callback(cb -> cb.call(sample().maintenance() ? 1 : 0))
        .register(registry);
    CounterWithCallback.builder()
        .name("takeover_adverts_sent_total")
        .help("VRRP adverts sent by this node, per group, since start")
        .labelNames("group")
        .callback(cb -> sample().advertsSent().forEach((g, n) -> cb.call((double) n, g)))
        .register(registry);
    CounterWithCallback.builder()
        .name("takeover_adverts_received_total")
        .help("VRRP adverts accepted on every socket since start")
        .callback(cb -> cb.call((double) sample().advertsAccepted()))
        .register(registry);
    CounterWithCallback.builder()
        .name("takeover_adverts_dropped_total")
        .help("Adverts for a group's VRID dropped, by reason (RFC 5798 §7.1 checks and ours)")
        .labelNames("group", "reason")
        .callback(
            cb ->
                sample()
                    .status()
                    .groups()
                    .forEach(
                        g ->
                            g.drops()
                                .forEach((reason, n) -> cb.call((double) n, g.name(), reason))))
        .register(registry);
    GaugeWithCallback.builder()
        .name("takeover_engine_lateness_seconds")
        .help("How late the engine ran due timers and adverts since start, by quantile bound")
        .labelNames("quantile")
        .callback(
            cb -> {
              RuntimeView r = sample().status().runtime();
              if (r != null) {
                cb.call(r.lateP50Us() / 1e6, "0.5");
                cb.call(r.lateP99Us() / 1e6, "0.99");
                cb.call(r.lateP999Us() / 1e6, "0.999");
                cb.call(r.lateMaxUs() / 1e6, "1");
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("takeover_engine_stalls_total")
        .help("Engine runs at least 5 ms late (a stall can cost a false failover)")
        .callback(
            cb -> {
              RuntimeView r = sample().status().runtime();
              if (r != null) {
                cb.call((double) r.stalls());
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("takeover_engine_dropped_events_total")
        .help("Events the engine dropped because its queue was full")
        .callback(
            cb -> {
              RuntimeView r = sample().status().runtime();
              if (r != null) {
                cb.call((double) r.droppedEvents());
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("takeover_resident_memory_bytes")
        .help("Resident memory of the daemon (VmRSS)")
        .callback(
            cb -> {
              RuntimeView r = sample().status().runtime();
              if (r != null && r.residentBytes() >= 0) {
                cb.call((double) r.residentBytes());
              }
            })
        .register(registry);
    transitions =
        Counter.builder()
            .name("takeover_transitions_total")
            .help("VRRP state changes, per group, from and to")
            .labelNames("group", "from", "to")
            .register(registry);
    masterDown =
        Counter.builder()
            .name("takeover_master_down_expiries_total")
            .help("Master_Down_Timer expiries: a backup heard no advert (RFC 5798 §6.4.2)")
            .labelNames("group")
            .register(registry);
    announcements =
        Counter.builder()
            .name("takeover_announcements_total")
            .help("Gratuitous ARP / unsolicited NA bursts started")
            .labelNames("group")
            .register(registry);
    checks =
        Counter.builder()
            .name("takeover_check_changes_total")
            .help("Health check results that changed the check's state, by result")
            .labelNames("group", "check", "result")
            .register(registry);
    hooks =
        Counter.builder()
            .name("takeover_hook_runs_total")
            .help("Hook runs that ended, by outcome (ok, failed, timeout)")
            .labelNames("group", "hook", "outcome")
            .register(registry);
    dns =
        Counter.builder()
            .name("takeover_dns_updates_total")
            .help("RFC 2136 updates, by result (sent, confirmed, conflict, retry, repaired)")
            .labelNames("group", "result")
            .register(registry);
    conflicts =
        Counter.builder()
            .name("takeover_conflicts_total")
            .help("Conflict episodes: another master, or an address in use by another host")
            .labelNames("group", "kind")
            .register(registry);
    // Node links (docs/LINKS.md): absent when none are configured.
    GaugeWithCallback.builder()
        .name("takeover_link_path_up")
        .help("1 while a node-link path answers heartbeats (UP), else 0")
        .labelNames("node", "local", "peer")
        .callback(
            cb ->
                linkPaths()
                    .forEach(
                        p ->
                            cb.call(p.state().equals("UP") ? 1 : 0, p.node(), p.local(), p.peer())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("takeover_link_path_rtt_seconds")
        .help("The last answered heartbeat's round trip on a node-link path")
        .labelNames("node", "local", "peer")
        .callback(
            cb ->
                linkPaths().stream()
                    .filter(p -> p.rttMs() >= 0)
                    .forEach(p -> cb.call(p.rttMs() / 1e3, p.node(), p.local(), p.peer())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("takeover_link_peer_reachable")
        .help("1 while some node-link path to the peer is UP")
        .labelNames("node")
        .callback(
            cb -> {
              LinksView l = sample().status().links();
              if (l != null) {
                l.nodes().forEach(n -> cb.call(n.reachable() ? 1 : 0, n.node()));
              }
            })
        .register(registry);
    nextHopGauge(
        "takeover_route_nexthop_up",
        "1 while a route's next hop is healthy (interface up, its node-link paths and gateway"
            + " probe not DOWN), else 0",
        LinksView.HopView::healthy);
    nextHopGauge(
        "takeover_route_nexthop_active",
        "1 for the next hop a route uses, else 0",
        LinksView.HopView::active);
    CounterWithCallback.builder()
        .name("takeover_link_packets_dropped_total")
        .help("Node-link packets dropped, by reason (bad MAC, replay, unknown node, ...)")
        .labelNames("reason")
        .callback(
            cb -> {
              LinksView l = sample().status().links();
              if (l != null) {
                l.drops().forEach((reason, n) -> cb.call((double) n, reason));
              }
            })
        .register(registry);
    pathChanges =
        Counter.builder()
            .name("takeover_link_path_changes_total")
            .help("Node-link path state changes, by peer node and new state")
            .labelNames("node", "to")
            .register(registry);
    routeChanges =
        Counter.builder()
            .name("takeover_route_changes_total")
            .help("Routes that follow the node links moved to another next hop, by destination")
            .labelNames("destination")
            .register(registry);
    timeline =
        Histogram.builder()
            .name("takeover_claim_timeline_seconds")
            .help(
                "Each transition to MASTER: from when it was due to addresses up, first"
                    + " announcement and first advert")
            .labelNames("group", "phase")
            .classicOnly()
            .classicUpperBounds(
                0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5)
            .register(registry);
  }

  /** The scrape's sample: taken once per scrape, shared by every callback of that scrape. */
  private synchronized Sample sample() {
    if (current == null) {
      current = sampler.get();
    }
    return current;
  }

  /** Writes the text exposition format (version 0.0.4) of every metric. */
  public synchronized void scrape(OutputStream out) throws IOException {
    try {
      var snapshots = registry.scrape();
      writer.write(out, snapshots);
    } finally {
      current = null;
    }
  }

  public String contentType() {
    return writer.getContentType();
  }

  /** Counts one event of record; the journal's writer thread calls it after writing the event. */
  public void record(JournalEvent e) {
    String group = e.group() == null ? "" : e.group();
    Map<String, Object> f = e.fields();
    switch (e.type()) {
      case STATE_CHANGED -> transitions.labelValues(group, text(f, "from"), text(f, "to")).inc();
      case ADVERT_TIMEOUT -> masterDown.labelValues(group).inc();
      case ANNOUNCE_BURST -> announcements.labelValues(group).inc();
      case CHECK_UP -> checks.labelValues(group, text(f, "check"), "up").inc();
      case CHECK_DOWN -> checks.labelValues(group, text(f, "check"), "down").inc();
      case HOOK_FINISHED -> hooks.labelValues(group, text(f, "hook"), hookOutcome(f)).inc();
      case DNS_UPDATE_SENT -> dns.labelValues(group, "sent").inc();
      case DNS_UPDATE_CONFIRMED -> dns.labelValues(group, "confirmed").inc();
      case DNS_UPDATE_CONFLICT -> dns.labelValues(group, "conflict").inc();
      case DNS_UPDATE_RETRY -> dns.labelValues(group, "retry").inc();
      case DNS_DRIFT_REPAIRED -> dns.labelValues(group, "repaired").inc();
      case CONFLICT_DETECTED -> conflicts.labelValues(group, text(f, "kind")).inc();
      case ADDRESS_CONFLICT -> conflicts.labelValues(group, "address-in-use").inc();
      case LINK_PATH_CHANGED -> pathChanges.labelValues(text(f, "node"), text(f, "to")).inc();
      case ROUTE_CHANGED -> routeChanges.labelValues(text(f, "destination")).inc();
      case TRANSITION_TIMELINE -> {
        observe(group, "addresses_added", f.get("addressesAddedUs"));
        observe(group, "first_announcement", f.get("firstAnnouncementUs"));
        observe(group, "first_advert", f.get("firstAdvertUs"));
      }
      default -> {}
    }
  }

  /** A 0/1 gauge per route and next hop (docs/LINKS.md), from {@code status}. */
  private void nextHopGauge(
      String name, String help, java.util.function.Predicate<LinksView.HopView> one) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("destination", "interface", "gateway")
        .callback(
            cb ->
                routeHops()
                    .forEach(
                        h ->
                            cb.call(
                                one.test(h) ? 1 : 0,
                                h.destination(),
                                h.interfaceName(),
                                h.gateway())))
        .register(registry);
  }

  private List<LinksView.HopView> routeHops() {
    LinksView l = sample().status().links();
    return l == null ? List.of() : l.hops();
  }

  private List<LinksView.PathView> linkPaths() {
    LinksView l = sample().status().links();
    return l == null ? List.of() : l.paths();
  }

  private void observe(String group, String phase, Object micros) {
    if (micros instanceof Number n) {
      timeline.labelValues(group, phase).observe(Math.max(0, n.doubleValue()) / 1e6);
    }
  }

  private static String hookOutcome(Map<String, Object> f) {
    if (Boolean.TRUE.equals(f.get("timedOut"))) {
      return "timeout";
    }
    return f.get("exitCode") instanceof Number n && n.intValue() == 0 ? "ok" : "failed";
  }

  private static String text(Map<String, Object> f, String key) {
    Object v = f.get(key);
    return v == null ? "" : v.toString();
  }
}
