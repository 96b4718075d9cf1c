package dev.takeover.api;

import java.util.List;

/** Every metric family docs/METRICS.md lists; the scrape test checks each is exposed. */
final class MetricsFamilies {
  private MetricsFamilies() {}

  static final List<String> ALL =
      List.of(
          "takeover_group_state",
          "takeover_group_priority_effective",
          "takeover_group_priority_configured",
          "takeover_group_conflict",
          "takeover_maintenance",
          "takeover_adverts_sent_total",
          "takeover_adverts_received_total",
          "takeover_adverts_dropped_total",
          "takeover_engine_lateness_seconds",
          "takeover_engine_stalls_total",
          "takeover_engine_dropped_events_total",
          "takeover_resident_memory_bytes",
          "takeover_transitions_total",
          "takeover_master_down_expiries_total",
          "takeover_announcements_total",
          "takeover_check_changes_total",
          "takeover_hook_runs_total",
          "takeover_dns_updates_total",
          "takeover_conflicts_total",
          "takeover_claim_timeline_seconds");
}
