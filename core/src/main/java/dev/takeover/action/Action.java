package dev.takeover.action;

/**
 * What a pure state machine asks the outside world to do. The engine hands each action to the
 * effects layer, which carries it out and never decides anything itself.
 */
public sealed interface Action {

  /** Send one advertisement now with this priority (0 when giving up mastership, RFC 5798 §6.4.3). */
  record SendAdvert(int priority) implements Action {}

  /** Become the owner of the group's virtual addresses: add them to the interface, then announce. */
  record ClaimAddresses() implements Action {}

  /** Stop owning the group's virtual addresses: remove them from the interface. */
  record ReleaseAddresses() implements Action {}

  /** A state change of record, to be logged, counted and journaled. */
  record Transition(GroupState from, GroupState to, String reason) implements Action {}
}
