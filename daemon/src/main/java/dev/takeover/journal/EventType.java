package dev.takeover.journal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What happened, as one of a fixed set of kinds. The wire name is what the journal file and the API
 * carry; it is lower case and dotted ({@code subject.verb}, or {@code subject.object.verb} for the
 * DNS events: {@code dns.update.sent}), and never changes once released, so scripts may match on
 * it. See docs/JOURNAL.md for the fields each type carries.
 */
public enum EventType {
  /** A group changed VRRP state; fields: from, to, reason. */
  STATE_CHANGED("state.changed"),
  /** A backup heard no advert for Master_Down_Interval; fields: master, masterDownIntervalMs. */
  ADVERT_TIMEOUT("advert.timeout"),
  /**
   * The moments of one transition to MASTER, in microseconds from when it was due; fields: from,
   * to, reason, lastAdvertHeardUs, timerLateUs, addressesAddedUs, firstAnnouncementUs,
   * firstAdvertUs.
   */
  TRANSITION_TIMELINE("transition.timeline"),
  /** The engine ran late by a pause (GC, scheduling, a stopped VM); fields: lateMs, gcMs. */
  ENGINE_STALL("engine.stall"),
  /** A virtual address was put on the interface; fields: interface, address, reason. */
  ADDRESS_ADDED("address.added"),
  /** A virtual address was taken off the interface; fields: interface, address, reason. */
  ADDRESS_REMOVED("address.removed"),
  /** Adding or removing a virtual address failed; fields: interface, address, operation, error. */
  ADDRESS_FAILED("address.failed"),
  /** A burst of gratuitous ARPs / unsolicited NAs started; fields: interface, addresses, ... */
  ANNOUNCE_BURST("announce.burst"),
  /**
   * Another host (not a VRRP peer) uses one of the group's addresses (RFC 5227); fields: interface,
   * address, otherMac, detail.
   */
  ADDRESS_CONFLICT("address.conflict"),
  /**
   * Another router acts as master where only one may (unreadable adverts while master, a rogue
   * source, two address owners, two masters); fields: kind, source, detail.
   */
  CONFLICT_DETECTED("conflict.detected"),
  /**
   * A sync group's state changed (its group field is the sync group's name); fields: from, to,
   * reason, members.
   */
  SYNC_CHANGED("sync.changed"),
  /** The group's link went up or down; fields: interface, up. */
  LINK_CHANGED("link.changed"),
  /** A hook process started; fields: hook, command, pid. */
  HOOK_STARTED("hook.started"),
  /** A hook process ended; fields: hook, exitCode, durationMs, timedOut. */
  HOOK_FINISHED("hook.finished"),
  /** A health check passed after failing (or at first); fields: check, detail. */
  CHECK_UP("check.up"),
  /** A health check failed after passing (or at first); fields: check, detail. */
  CHECK_DOWN("check.down"),
  /** A new configuration was applied; fields: file, added, removed, changed. */
  CONFIG_RELOADED("config.reloaded"),
  /** An RFC 2136 update left for a server; fields: record, want, expected, server, attempt. */
  DNS_UPDATE_SENT("dns.update.sent"),
  /** A server confirmed an update; fields: record, values, attempts, server. */
  DNS_UPDATE_CONFIRMED("dns.update.confirmed"),
  /** An update's prerequisite failed; fields: record, want, found, action (overwrite, alarm). */
  DNS_UPDATE_CONFLICT("dns.update.conflict"),
  /** An update or read failed and will be retried; fields: record, error, attempt, delayMs, ... */
  DNS_UPDATE_RETRY("dns.update.retry"),
  /** A record had drifted while we held it and was written back; fields: record, found, values. */
  DNS_DRIFT_REPAIRED("dns.drift.repaired"),
  /** The daemon started; fields: version, pid, groups. */
  DAEMON_STARTED("daemon.started"),
  /** The daemon stopped; fields: reason, uptimeMs. */
  DAEMON_STOPPED("daemon.stopped"),
  /**
   * A node-link path went UP or DOWN (docs/LINKS.md); fields: node, local, peer, from, to, reason.
   */
  LINK_PATH_CHANGED("link.path.changed"),
  /**
   * A route that follows the node links got a new next hop, or lost every healthy one; fields:
   * destination, interface, gateway, reason.
   */
  ROUTE_CHANGED("route.changed"),
  /**
   * A next hop's gateway probe went UP or DOWN (docs/LINKS.md, "Gateway probes"); fields:
   * interface, gateway, kind, from, to, reason.
   */
  GATEWAY_PROBE_CHANGED("gateway.probe.changed"),
  /**
   * A group's virtual route (keepalived's virtual_routes) was installed as it became master;
   * fields: interface, route, reason.
   */
  ROUTE_INSTALLED("route.installed"),
  /** A group's virtual route was removed as its mastership ended; fields: interface, route. */
  ROUTE_REMOVED("route.removed"),
  /** Installing or removing a virtual route failed; fields: interface, route, operation, error. */
  ROUTE_FAILED("route.failed");

  private static final Map<String, EventType> BY_WIRE_NAME = new HashMap<>();

  static {
    for (EventType t : values()) {
      BY_WIRE_NAME.put(t.wireName, t);
    }
  }

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  /** The stable name in files and on the API, e.g. {@code state.changed}. */
  public String wireName() {
    return wireName;
  }

  /** The type with this wire name; empty for names a newer version may have added. */
  public static Optional<EventType> fromWireName(String name) {
    return Optional.ofNullable(BY_WIRE_NAME.get(name));
  }

  @Override
  public String toString() {
    return wireName;
  }
}
