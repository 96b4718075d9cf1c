package dev.takeover.vrrp;

import dev.takeover.action.Action;
import java.util.List;
import java.util.Objects;

/**
 * What {@link GroupPolicy} made of a {@code takeover move}: whether it started a handover, found
 * the group where it was asked, or refused, with one sentence why, and the actions to carry out.
 *
 * @param kind what happened
 * @param message one sentence for the operator: what happens next, or why not
 * @param waitNanos for {@link Kind#MOVING}: how long the handover may take at most (three
 *     Master_Down_Intervals plus the preempt delay), so a caller can wait for it; otherwise 0
 * @param actions what to carry out, in order (empty unless the priority changed)
 */
public record MoveOutcome(Kind kind, String message, long waitNanos, List<Action> actions) {

  /** The outcomes a move can have. */
  public enum Kind {
    /** A handover has started; it is done when the group's master is where it was asked. */
    MOVING,
    /**
     * The group's master already is where it was asked; nothing changed (or a stale move ended).
     */
    ALREADY_THERE,
    /** Nothing changed, for the reason in the message. */
    REFUSED,
    /** {@code move --clear}: this node's move adjustment is gone. */
    CLEARED,
    /** {@code move --clear} with no move adjustment in force: nothing changed. */
    NOTHING_TO_CLEAR
  }

  public MoveOutcome {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    actions = List.copyOf(actions);
  }

  static MoveOutcome refused(String message) {
    return new MoveOutcome(Kind.REFUSED, message, 0, List.of());
  }
}
