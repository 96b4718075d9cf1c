package dev.takeover.journal;

import dev.takeover.action.GroupState;
import dev.takeover.wire.AddressText;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One factory per event type, so every event of a type has the same fields in the same order (the
 * table in docs/JOURNAL.md). Addresses are passed as text in CIDR or plain form, as the caller
 * already prints them ({@code VirtualAddress.toString()}: {@code 198.18.0.50/24}).
 */
public final class Events {
  private Events() {}

  /** {@code state.changed}: the one event per VRRP transition. */
  public static EventDraft stateChanged(
      String group, GroupState from, GroupState to, String reason) {
    return draft(
        EventType.STATE_CHANGED,
        group,
        from + " -> " + to + " (" + reason + ")",
        "from",
        from,
        "to",
        to,
        "reason",
        reason);
  }

  /**
   * {@code advert.timeout}: a backup's Master_Down_Timer expired (RFC 5798 §6.4.2).
   *
   * @param lastMaster the master last heard from, or null if none was heard since start
   */
  public static EventDraft advertTimeout(
      String group, InetAddress lastMaster, Duration masterDownInterval) {
    String who = lastMaster == null ? "no master heard" : "master " + AddressText.of(lastMaster);
    return draft(
        EventType.ADVERT_TIMEOUT,
        group,
        "no advert for " + masterDownInterval.toMillis() + " ms (" + who + ")",
        "master",
        lastMaster,
        "masterDownIntervalMs",
        masterDownInterval);
  }

  /**
   * {@code transition.timeline}: the moments of one transition to MASTER, in microseconds relative
   * to when it was due (the Master_Down_Timer's deadline, or the arrival of the event that caused
   * it). Recorded after the first announcement went out.
   *
   * @param lastAdvertHeardUs when any advert was last heard (negative), or null if none was
   * @param firstAdvertUs when our first advert went out, or null if none did yet
   */
  public static EventDraft transitionTimeline(
      String group,
      GroupState from,
      GroupState to,
      String reason,
      Long lastAdvertHeardUs,
      long timerLateUs,
      long addressesAddedUs,
      long firstAnnouncementUs,
      Long firstAdvertUs) {
    return draft(
        EventType.TRANSITION_TIMELINE,
        group,
        String.format(
            java.util.Locale.ROOT,
            "%s -> %s: addresses up %.3f ms, first announcement %.3f ms after it was due",
            from,
            to,
            addressesAddedUs / 1000.0,
            firstAnnouncementUs / 1000.0),
        "from",
        from,
        "to",
        to,
        "reason",
        reason,
        "lastAdvertHeardUs",
        lastAdvertHeardUs,
        "timerLateUs",
        timerLateUs,
        "addressesAddedUs",
        addressesAddedUs,
        "firstAnnouncementUs",
        firstAnnouncementUs,
        "firstAdvertUs",
        firstAdvertUs);
  }

  /**
   * As above, with {@code routesInstalledUs} (when the first of the group's {@code routes} was in)
   * added to the fields and the message when the group has routes.
   */
  public static EventDraft transitionTimeline(
      String group,
      GroupState from,
      GroupState to,
      String reason,
      Long lastAdvertHeardUs,
      long timerLateUs,
      long addressesAddedUs,
      long firstAnnouncementUs,
      Long firstAdvertUs,
      Long routesInstalledUs) {
    EventDraft d =
        transitionTimeline(
            group,
            from,
            to,
            reason,
            lastAdvertHeardUs,
            timerLateUs,
            addressesAddedUs,
            firstAnnouncementUs,
            firstAdvertUs);
    if (routesInstalledUs == null) {
      return d;
    }
    Map<String, Object> fields = new LinkedHashMap<>(d.fields());
    fields.put("routesInstalledUs", routesInstalledUs);
    return new EventDraft(
        d.type(),
        d.group(),
        d.message()
            + String.format(
                java.util.Locale.ROOT, "; routes installed %.3f ms", routesInstalledUs / 1000.0),
        fields);
  }

  /**
   * {@code engine.stall}: the engine got to due work late enough to matter (a timer or an advert).
   *
   * @param suppressed stalls since the last one journaled, not journaled on their own
   */
  public static EventDraft engineStall(
      Duration late, boolean afterGc, long gcMaxMs, long suppressed) {
    return draft(
        EventType.ENGINE_STALL,
        null,
        String.format(
            java.util.Locale.ROOT,
            "engine ran %.1f ms late%s",
            late.toNanos() / 1e6,
            afterGc ? " (right after a garbage collection)" : ""),
        "lateMs",
        late,
        "afterGc",
        afterGc,
        "gcMaxMs",
        gcMaxMs,
        "suppressed",
        suppressed);
  }

  /** {@code address.added}. */
  public static EventDraft addressAdded(
      String group, String interfaceName, String address, String reason) {
    return draft(
        EventType.ADDRESS_ADDED,
        group,
        "added " + address + " to " + interfaceName + " (" + reason + ")",
        "interface",
        interfaceName,
        "address",
        address,
        "reason",
        reason);
  }

  /** {@code address.removed}. */
  public static EventDraft addressRemoved(
      String group, String interfaceName, String address, String reason) {
    return draft(
        EventType.ADDRESS_REMOVED,
        group,
        "removed " + address + " from " + interfaceName + " (" + reason + ")",
        "interface",
        interfaceName,
        "address",
        address,
        "reason",
        reason);
  }

  /** {@code address.failed}: the kernel refused an add or delete. */
  public static EventDraft addressFailed(
      String group, String interfaceName, String address, Operation operation, String error) {
    return draft(
        EventType.ADDRESS_FAILED,
        group,
        "could not " + operation.verb + " " + address + " on " + interfaceName + ": " + error,
        "interface",
        interfaceName,
        "address",
        address,
        "operation",
        operation.verb,
        "error",
        error);
  }

  /** {@code route.installed}: a group's virtual route, as it became master. */
  public static EventDraft routeInstalled(
      String group, String interfaceName, String route, String reason) {
    return draft(
        EventType.ROUTE_INSTALLED,
        group,
        "installed route " + route + " dev " + interfaceName + " (" + reason + ")",
        "interface",
        interfaceName,
        "route",
        route,
        "reason",
        reason);
  }

  /** {@code route.removed}: a group's virtual route, as its mastership ended. */
  public static EventDraft routeRemoved(String group, String interfaceName, String route) {
    return draft(
        EventType.ROUTE_REMOVED,
        group,
        "removed route " + route + " dev " + interfaceName,
        "interface",
        interfaceName,
        "route",
        route);
  }

  /** {@code route.failed}: the kernel refused to install or remove a group's virtual route. */
  public static EventDraft routeFailed(
      String group, String interfaceName, String route, Operation operation, String error) {
    return draft(
        EventType.ROUTE_FAILED,
        group,
        "could not " + operation.verb + " route " + route + " dev " + interfaceName + ": " + error,
        "interface",
        interfaceName,
        "route",
        route,
        "operation",
        operation.verb,
        "error",
        error);
  }

  /** Which address (or route) change failed. */
  public enum Operation {
    ADD("add"),
    DELETE("delete");

    private final String verb;

    Operation(String verb) {
      this.verb = verb;
    }
  }

  /**
   * {@code announce.burst}: gratuitous ARPs / unsolicited NAs for the group's addresses started.
   */
  public static EventDraft announceBurst(
      String group, String interfaceName, List<String> addresses, int count, Duration interval) {
    return draft(
        EventType.ANNOUNCE_BURST,
        group,
        "announcing "
            + String.join(", ", addresses)
            + " on "
            + interfaceName
            + " ("
            + count
            + " every "
            + interval.toMillis()
            + " ms)",
        "interface",
        interfaceName,
        "addresses",
        addresses,
        "count",
        count,
        "intervalMs",
        interval);
  }

  /**
   * {@code address.conflict}: another host, not one of the group's VRRP peers, uses one of its
   * addresses (RFC 5227: it answered our probe, or announced the address while we are master).
   *
   * @param otherMac the other host's MAC as {@code aa:bb:cc:dd:ee:ff}
   */
  public static EventDraft addressConflict(
      String group, String interfaceName, String address, String otherMac, String detail) {
    return draft(
        EventType.ADDRESS_CONFLICT,
        group,
        address + " on " + interfaceName + " is also used by " + otherMac + " (" + detail + ")",
        "interface",
        interfaceName,
        "address",
        address,
        "otherMac",
        otherMac,
        "detail",
        detail);
  }

  /**
   * {@code conflict.detected}: another router acts as master of the group where only one may.
   *
   * @param kind {@code unreadable-master}, {@code rogue-master}, {@code dual-owner} or {@code
   *     dual-master}
   * @param source the other router's address
   */
  public static EventDraft conflictDetected(
      String group, String kind, String source, String detail) {
    return draft(
        EventType.CONFLICT_DETECTED,
        group,
        "CONFLICT " + kind + ": " + detail,
        "kind",
        kind,
        "source",
        source,
        "detail",
        detail);
  }

  /** {@code sync.changed}: a sync group's state (its first member's, MASTER when all are). */
  public static EventDraft syncChanged(
      String syncGroup, GroupState from, GroupState to, String reason, List<String> members) {
    return draft(
        EventType.SYNC_CHANGED,
        syncGroup,
        "sync group " + from + " -> " + to + " (" + reason + ")",
        "from",
        from,
        "to",
        to,
        "reason",
        reason,
        "members",
        List.copyOf(members));
  }

  /** {@code link.changed}. */
  public static EventDraft linkChanged(String group, String interfaceName, boolean up) {
    return draft(
        EventType.LINK_CHANGED,
        group,
        "link " + interfaceName + " is " + (up ? "up" : "down"),
        "interface",
        interfaceName,
        "up",
        up);
  }

  /**
   * {@code hook.started}.
   *
   * @param hook the hook's name in the configuration, e.g. {@code notify-master}
   */
  public static EventDraft hookStarted(String group, String hook, List<String> command, long pid) {
    return draft(
        EventType.HOOK_STARTED,
        group,
        "hook " + hook + " started (pid " + pid + "): " + String.join(" ", command),
        "hook",
        hook,
        "command",
        command,
        "pid",
        pid);
  }

  /**
   * {@code hook.finished}.
   *
   * @param exitCode the exit status, or null when it was killed after its timeout
   */
  public static EventDraft hookFinished(
      String group, String hook, Integer exitCode, Duration duration, boolean timedOut) {
    String how =
        timedOut ? "killed after timeout" : exitCode == null ? "ended" : "exited " + exitCode;
    return draft(
        EventType.HOOK_FINISHED,
        group,
        "hook " + hook + " " + how + " after " + duration.toMillis() + " ms",
        "hook",
        hook,
        "exitCode",
        exitCode,
        "durationMs",
        duration,
        "timedOut",
        timedOut);
  }

  /** {@code check.up}. */
  public static EventDraft checkUp(String group, String check, String detail) {
    return draft(
        EventType.CHECK_UP,
        group,
        "check " + check + " is up (" + detail + ")",
        "check",
        check,
        "detail",
        detail);
  }

  /** {@code check.down}. */
  public static EventDraft checkDown(String group, String check, String detail) {
    return draft(
        EventType.CHECK_DOWN,
        group,
        "check " + check + " is down (" + detail + ")",
        "check",
        check,
        "detail",
        detail);
  }

  /** {@code config.reloaded}: names of groups added, removed and changed by the new file. */
  public static EventDraft configReloaded(
      String file, List<String> added, List<String> removed, List<String> changed) {
    return configReloaded(file, added, removed, changed, List.of());
  }

  /** {@code config.reloaded} with what changed in the node links, one line per change. */
  public static EventDraft configReloaded(
      String file,
      List<String> added,
      List<String> removed,
      List<String> changed,
      List<String> links) {
    return draft(
        EventType.CONFIG_RELOADED,
        null,
        "reloaded "
            + file
            + ": "
            + added.size()
            + " added, "
            + removed.size()
            + " removed, "
            + changed.size()
            + " changed"
            + (links.isEmpty() ? "" : ", " + links.size() + " node-link change(s)"),
        "file",
        file,
        "added",
        added,
        "removed",
        removed,
        "changed",
        changed,
        "links",
        links);
  }

  /** {@code daemon.started}. */
  public static EventDraft daemonStarted(String version, long pid, List<String> groups) {
    return draft(
        EventType.DAEMON_STARTED,
        null,
        "takeover " + version + " started (pid " + pid + ", " + groups.size() + " group(s))",
        "version",
        version,
        "pid",
        pid,
        "groups",
        groups);
  }

  /** {@code daemon.stopped}. */
  public static EventDraft daemonStopped(String reason, Duration uptime) {
    return draft(
        EventType.DAEMON_STOPPED,
        null,
        "stopped (" + reason + ") after " + uptime.toSeconds() + " s",
        "reason",
        reason,
        "uptimeMs",
        uptime);
  }

  /** {@code dns.update.sent}: an update left for {@code server}. */
  public static EventDraft dnsUpdateSent(
      String group, String record, String want, String expected, String server, int attempt) {
    return draft(
        EventType.DNS_UPDATE_SENT,
        group,
        record + ": " + want + " (if it holds " + expected + ") to " + server,
        "record",
        record,
        "want",
        want,
        "expected",
        expected,
        "server",
        server,
        "attempt",
        attempt);
  }

  /** {@code dns.update.confirmed}: the server holds what we asked for. */
  public static EventDraft dnsUpdateConfirmed(
      String group, String record, String values, int attempts, String server) {
    return draft(
        EventType.DNS_UPDATE_CONFIRMED,
        group,
        record + " holds " + values + " (confirmed by " + server + ")",
        "record",
        record,
        "values",
        values,
        "attempts",
        attempts,
        "server",
        server);
  }

  /** {@code dns.update.conflict}: a prerequisite failed; the record held {@code found}. */
  public static EventDraft dnsUpdateConflict(
      String group, String record, String want, String found, boolean overwrite) {
    return draft(
        EventType.DNS_UPDATE_CONFLICT,
        group,
        record
            + " held "
            + found
            + ", not what we last saw; "
            + (overwrite ? "overwriting with " + want : "left alone (on-conflict: alarm)"),
        "record",
        record,
        "want",
        want,
        "found",
        found,
        "action",
        overwrite ? "overwrite" : "alarm");
  }

  /** {@code dns.update.retry}: an update or a read failed and is tried again. */
  public static EventDraft dnsUpdateRetry(
      String group,
      String record,
      String error,
      int attempt,
      Duration delay,
      String nextServer,
      boolean read) {
    return draft(
        EventType.DNS_UPDATE_RETRY,
        group,
        record
            + ": "
            + (read ? "read" : "update")
            + " failed: "
            + error
            + "; next try in "
            + delay.toMillis()
            + " ms to "
            + nextServer,
        "record",
        record,
        "operation",
        read ? "read" : "update",
        "error",
        error,
        "attempt",
        attempt,
        "delayMs",
        delay,
        "nextServer",
        nextServer);
  }

  /** {@code dns.drift.repaired}: a held record was changed behind our back and written back. */
  public static EventDraft dnsDriftRepaired(
      String group, String record, String found, String values) {
    return draft(
        EventType.DNS_DRIFT_REPAIRED,
        group,
        record + " held " + found + " behind our back; written back to " + values,
        "record",
        record,
        "found",
        found,
        "values",
        values);
  }

  /** {@code link.path.changed}: a node-link path went UP or DOWN (docs/LINKS.md). */
  public static EventDraft linkPathChanged(
      String node, String local, String peer, String from, String to, String reason) {
    return draft(
        EventType.LINK_PATH_CHANGED,
        null,
        "node link to "
            + node
            + " "
            + local
            + " -> "
            + peer
            + " "
            + from
            + " -> "
            + to
            + " ("
            + reason
            + ")",
        "node",
        node,
        "local",
        local,
        "peer",
        peer,
        "from",
        from,
        "to",
        to,
        "reason",
        reason);
  }

  /** {@code route.changed}: a route's next hop (docs/LINKS.md); interface and gateway may be "". */
  public static EventDraft routeChanged(
      String destination, String interfaceName, String gateway, String reason) {
    return draft(
        EventType.ROUTE_CHANGED,
        null,
        "route "
            + destination
            + (interfaceName.isEmpty() ? " kept" : " via " + gateway + " dev " + interfaceName)
            + " ("
            + reason
            + ")",
        "destination",
        destination,
        "interface",
        interfaceName,
        "gateway",
        gateway,
        "reason",
        reason);
  }

  /** {@code gateway.probe.changed}: a next hop's gateway probe went UP or DOWN (docs/LINKS.md). */
  public static EventDraft gatewayProbeChanged(
      String interfaceName, String gateway, String kind, String from, String to, String reason) {
    return draft(
        EventType.GATEWAY_PROBE_CHANGED,
        null,
        "gateway "
            + gateway
            + " on "
            + interfaceName
            + " ("
            + kind
            + " probe) "
            + from
            + " -> "
            + to
            + " ("
            + reason
            + ")",
        "interface",
        interfaceName,
        "gateway",
        gateway,
        "kind",
        kind,
        "from",
        from,
        "to",
        to,
        "reason",
        reason);
  }

  private static EventDraft draft(
      EventType type, String group, String message, Object... keysAndValues) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      fields.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return new EventDraft(type, group, message, fields);
  }
}
