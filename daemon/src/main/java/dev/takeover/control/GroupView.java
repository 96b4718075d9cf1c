package dev.takeover.control;

import java.util.List;

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
 * @param conflict true when two masters were seen for this group at the same time
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
    boolean conflict) {
  public GroupView {
    priorityReasons = ControlProtocol.copy(priorityReasons);
    vips = ControlProtocol.copy(vips);
    lastTransitions = ControlProtocol.copy(lastTransitions);
    peers = ControlProtocol.copy(peers);
  }
}
