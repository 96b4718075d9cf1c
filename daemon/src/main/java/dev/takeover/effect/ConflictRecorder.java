package dev.takeover.effect;

import dev.takeover.action.Action;
import dev.takeover.config.GroupConfig;
import dev.takeover.config.VirtualAddress;
import dev.takeover.journal.Events;
import dev.takeover.wire.AddressText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the conflicts the policy reports: a log line and a journal event each. The policy reports
 * a conflict once per episode (it must have been quiet for the conflict hold before it is reported
 * again), which is what rate-limits these lines. Engine thread only.
 */
final class ConflictRecorder {
  private static final Logger log = LoggerFactory.getLogger("takeover");

  private final GroupConfig group;
  private final String label;
  private final Recorder journal;

  ConflictRecorder(GroupConfig group, Recorder journal) {
    this.group = group;
    this.label = GroupEffects.label(group);
    this.journal = journal;
  }

  /** RFC 5227: another host uses one of our addresses. */
  void addressConflict(Action.AddressConflict c) {
    String address = withPrefix(c);
    log.error(
        "{} address conflict: {} is also used by {} ({})", label, address, c.mac(), c.detail());
    journal.record(
        Events.addressConflict(group.name(), group.interfaceName(), address, c.mac(), c.detail()));
  }

  /** Another router acts as master where only one may. */
  void conflictDetected(Action.ConflictDetected c) {
    log.error("{} CONFLICT {}: {}", label, c.kind(), c.detail());
    journal.record(Events.conflictDetected(group.name(), c.kind(), c.subject(), c.detail()));
  }

  /** The address as configured ({@code 198.18.0.50/24}), as the other address events show it. */
  private String withPrefix(Action.AddressConflict c) {
    for (VirtualAddress vip : group.addresses()) {
      if (vip.address().equals(c.address())) {
        return vip.toString();
      }
    }
    return AddressText.of(c.address());
  }
}
