package dev.takeover.config;

import static java.util.Map.entry;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * keepalived's names for what Takeover calls otherwise, for the hint on an unknown key: a user who
 * writes {@code virtual_router_id} is told {@code vrid}. Only names that the spelling rules of
 * {@link Suggestions} do not already catch ({@code preempt_delay} is {@code preempt-delay} in
 * another convention) and that keepalived users reach for; docs/KEEPALIVED.md has the full table.
 */
final class KeepalivedNames {
  private KeepalivedNames() {}

  private static final String NOT_YET = "not yet supported (issue 14); see docs/KEEPALIVED.md";

  private static final Map<String, String> HINTS =
      Map.ofEntries(
          entry("virtual_router_id", didYouMean("vrid")),
          entry("advert_int", didYouMean("advert-interval")),
          entry("nopreempt", didYouMean("preempt") + " (preempt: false)"),
          entry("virtual_ipaddress", didYouMean("addresses")),
          entry("virtual_ipaddress_excluded", didYouMean("addresses")),
          entry("unicast_peer", didYouMean("unicast-peers")),
          entry("unicast_src_ip", didYouMean("unicast-source")),
          entry("track_interface", didYouMean("track-interfaces")),
          entry("track_script", didYouMean("checks") + " (a check of type script)"),
          entry("vrrp_script", didYouMean("checks") + " in a group (a check of type script)"),
          entry("script", didYouMean("command") + " in a check of type script"),
          entry("notify_master", didYouMean("hooks") + " (after-claim)"),
          entry("notify_fault", didYouMean("hooks") + " (fault)"),
          entry("notify_stop", didYouMean("hooks") + " (stop)"),
          entry("notify", didYouMean("hooks") + " (one command per kind)"),
          entry(
              "notify_backup",
              "a hook on entering BACKUP is "
                  + NOT_YET
                  + "; hooks: after-release runs on leaving"
                  + " MASTER"),
          entry("router_id", didYouMean("node")),
          entry("vrrp_instance", didYouMean("groups")),
          entry("global_defs", "its settings are node, announce and daemon at the top level"),
          entry("vrrp_garp_master_repeat", didYouMean("garp-count") + " under announce"),
          entry("garp_master_repeat", didYouMean("garp-count") + " under announce"),
          entry("vrrp_garp_interval", didYouMean("garp-interval") + " under announce"),
          entry("garp_interval", didYouMean("garp-interval") + " under announce"),
          entry("vrrp_gna_interval", didYouMean("garp-interval") + " under announce"),
          entry("vrrp_garp_master_refresh", didYouMean("garp-refresh") + " under announce"),
          entry("garp_master_refresh", didYouMean("garp-refresh") + " under announce"),
          entry("vrrp_rt_priority", didYouMean("realtime-priority") + " under daemon"),
          entry(
              "state",
              "no initial state in Takeover: every group starts as backup and the election"
                  + " decides"),
          entry("authentication", "VRRPv2 password authentication is " + NOT_YET),
          entry("vrrp_sync_group", "sync groups are " + NOT_YET),
          entry("track_file", "track files are " + NOT_YET),
          entry("virtual_routes", "routes that follow mastership are " + NOT_YET),
          entry("vrrp_version", "Takeover speaks VRRPv3; VRRPv2 is " + NOT_YET),
          entry("version", "Takeover speaks VRRPv3; VRRPv2 is " + NOT_YET),
          entry("virtual_server", "LVS is not mapped: Takeover does not configure IPVS"));

  private static String didYouMean(String key) {
    return "did you mean " + Diagnostics.quote(key) + "?";
  }

  /**
   * The hint for a keepalived name, e.g. {@code keepalived's virtual_router_id: did you mean
   * "vrid"?}.
   */
  static Optional<String> hint(String key) {
    String hint = HINTS.get(key.toLowerCase(Locale.ROOT));
    return hint == null ? Optional.empty() : Optional.of("keepalived's " + key + ": " + hint);
  }
}
