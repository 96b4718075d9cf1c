package dev.takeover.action;

/**
 * The states of a VRRP group: the three RFC 5798 §6.4 names, plus FAULT as keepalived has it (not
 * in the RFC): the group cannot serve (its link is down, or a tracked check that must pass has
 * failed), so it neither advertises nor listens nor holds the addresses until the fault clears.
 */
public enum GroupState {
  INITIALIZE,
  BACKUP,
  MASTER,
  FAULT
}
