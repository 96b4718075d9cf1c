package dev.takeover.action;

/** The states of a VRRP group as RFC 5798 §6.4 names them. */
public enum GroupState {
  INITIALIZE,
  BACKUP,
  MASTER
}
