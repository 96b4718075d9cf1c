package dev.takeover.control;

import java.util.List;

/**
 * The answer to {@code takeover move}.
 *
 * @param accepted true when nothing was refused: a handover started, the group already is where it
 *     was asked, or a {@code --clear} was done; false when refused
 * @param message what happens next or why not, one sentence
 * @param outcome {@value #MOVING}, {@value #ALREADY_THERE}, {@value #REFUSED}, {@value #CLEARED} or
 *     {@value #NOTHING_TO_CLEAR}; the CLI, having waited, reports {@value #MOVED} or {@value
 *     #NOT_MOVED} in place of {@value #MOVING}
 * @param waitMillis for {@value #MOVING}: how long the handover may take at most (three
 *     Master_Down_Intervals plus the preempt delay); the CLI waits that long for it
 * @param here true when the target is the node that answered
 * @param targetAddresses the target's addresses on the group's family, when known: the group has
 *     moved when its master (status {@code vipOwner}) is the target's name or one of these
 * @param dnsWaitMillis for {@value #MOVING}: the longest the handover is held while the master
 *     lowers its names' TTL first ({@code move-ttl}, docs/DNS.md "Planned moves"), included in
 *     {@code waitMillis}; null when nothing is held (and from daemons that do not say)
 */
public record MoveResult(
    String group,
    String toNode,
    boolean accepted,
    String message,
    String outcome,
    long waitMillis,
    boolean here,
    List<String> targetAddresses,
    Long dnsWaitMillis) {
  public static final String MOVING = "moving";
  public static final String ALREADY_THERE = "already-there";
  public static final String REFUSED = "refused";
  public static final String CLEARED = "cleared";
  public static final String NOTHING_TO_CLEAR = "nothing-to-clear";
  public static final String MOVED = "moved";
  public static final String NOT_MOVED = "not-moved";

  public MoveResult {
    targetAddresses = ControlProtocol.copy(targetAddresses);
    if (outcome == null) {
      outcome = accepted ? MOVING : REFUSED; // from a daemon that did not say
    }
  }

  /** Nothing held for DNS. */
  public MoveResult(
      String group,
      String toNode,
      boolean accepted,
      String message,
      String outcome,
      long waitMillis,
      boolean here,
      List<String> targetAddresses) {
    this(group, toNode, accepted, message, outcome, waitMillis, here, targetAddresses, null);
  }

  /** A refusal. */
  public static MoveResult refused(String group, String toNode, String message) {
    return new MoveResult(group, toNode, false, message, REFUSED, 0, false, List.of());
  }

  /** The same answer with another outcome and message (the CLI, after waiting). */
  public MoveResult settled(String newOutcome, String newMessage) {
    return new MoveResult(
        group,
        toNode,
        accepted,
        newMessage,
        newOutcome,
        waitMillis,
        here,
        targetAddresses,
        dnsWaitMillis);
  }
}
