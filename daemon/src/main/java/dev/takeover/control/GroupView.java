package dev.takeover.control;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One VRRP group as the control socket reports it. Strings rather than enums so the JSON stays
 * stable when internal types change.
 *
 * @param family "IPv4" or "IPv6"
 * @param state "INITIALIZE", "BACKUP" or "MASTER" (or "MAINTENANCE", "FAULT" if the daemon has
 *     them)
 * @param priorityReasons why {@code effectivePriority} differs from {@code configuredPriority}, one
 *     short phrase each (e.g. "-20 check nginx failing"); empty when they are equal
 * @param vips the virtual addresses with prefix length, as configured
 * @param vipOwner the node name or address of the current master, or null when unknown
 * @param lastTransitions the most recent transitions, oldest first
 * @param peers the other routers heard on this group
 * @param conflict true while the group has any conflict ({@code conflicts} is not empty)
 * @param conflicts what makes the group's addresses unsafe now: another host using one of them, or
 *     another router acting as master where only one may
 * @param drops adverts for the group's VRID dropped (or, {@code ADDRESS_LIST_MISMATCH}, accepted
 *     with a complaint) since the daemon started, by reason; reasons with none are left out
 * @param claimWaitsForProbe master, but the addresses are not claimed: a probe found them in use
 *     and is repeated until they are free (RFC 5227)
 * @param routes the group's virtual routes installed now (a master's), as {@code ip route} shows
 *     them; empty otherwise
 */
public record GroupView(
    String name,
    int vrid,
    String interfaceName,
    String family,
    String state,
    int configuredPriority,
    int effectivePriority,
    List<String> priorityReasons,
    List<String> vips,
    String vipOwner,
    List<TransitionView> lastTransitions,
    List<PeerView> peers,
    boolean conflict,
    List<ConflictView> conflicts,
    Map<String, Long> drops,
    boolean claimWaitsForProbe,
    List<String> routes) {
  public GroupView {
    routes = ControlProtocol.copy(routes);
    priorityReasons = ControlProtocol.copy(priorityReasons);
    vips = ControlProtocol.copy(vips);
    lastTransitions = ControlProtocol.copy(lastTransitions);
    peers = ControlProtocol.copy(peers);
    conflicts = ControlProtocol.copy(conflicts);
    drops = drops == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(drops));
  }

  /** Without routes (from an older daemon, or in tests). */
  public GroupView(
      String name,
      int vrid,
      String interfaceName,
      String family,
      String state,
      int configuredPriority,
      int effectivePriority,
      List<String> priorityReasons,
      List<String> vips,
      String vipOwner,
      List<TransitionView> lastTransitions,
      List<PeerView> peers,
      boolean conflict,
      List<ConflictView> conflicts,
      Map<String, Long> drops,
      boolean claimWaitsForProbe) {
    this(
        name,
        vrid,
        interfaceName,
        family,
        state,
        configuredPriority,
        effectivePriority,
        priorityReasons,
        vips,
        vipOwner,
        lastTransitions,
        peers,
        conflict,
        conflicts,
        drops,
        claimWaitsForProbe,
        List.of());
  }

  /** Without conflict details or drop counts (from an older daemon, or in tests). */
  public GroupView(
      String name,
      int vrid,
      String interfaceName,
      String family,
      String state,
      int configuredPriority,
      int effectivePriority,
      List<String> priorityReasons,
      List<String> vips,
      String vipOwner,
      List<TransitionView> lastTransitions,
      List<PeerView> peers,
      boolean conflict) {
    this(
        name,
        vrid,
        interfaceName,
        family,
        state,
        configuredPriority,
        effectivePriority,
        priorityReasons,
        vips,
        vipOwner,
        lastTransitions,
        peers,
        conflict,
        List.of(),
        Map.of(),
        false);
  }
}
