package dev.takeover.action;

/** The moments at which an operator's hook may run, relative to what the group does. */
public enum HookPoint {
  /** Before the addresses are added; the claim waits for it at most its time budget. */
  BEFORE_CLAIM,
  /** After the addresses were added and the first announcement sent. */
  AFTER_CLAIM,
  /** After the addresses were removed. */
  AFTER_RELEASE,
  /** When the group enters FAULT. */
  FAULT,
  /** When the group enters BACKUP (keepalived's {@code notify_backup}). */
  BACKUP,
  /** When the daemon leaves the group at shutdown, after its addresses were released. */
  STOP
}
