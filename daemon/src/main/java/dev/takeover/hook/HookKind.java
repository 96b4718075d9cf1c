package dev.takeover.hook;

/** When an operator's command runs, relative to what the group does with its addresses. */
public enum HookKind {
  /** Before the addresses are added; the claim waits for it at most a time budget. */
  BEFORE_CLAIM("before-claim"),
  /** After the addresses were added and the first announcement sent. */
  AFTER_CLAIM("after-claim"),
  /** After the addresses were removed. */
  AFTER_RELEASE("after-release"),
  /** When the group enters FAULT (its interface or a tracked check failed). */
  FAULT("fault"),
  /** When the group enters BACKUP: at start, from MASTER, or when a fault ends. */
  BACKUP("backup"),
  /** When the daemon leaves the group at shutdown, after its addresses were released. */
  STOP("stop");

  private final String configName;

  HookKind(String configName) {
    this.configName = configName;
  }

  /** The key in the YAML {@code hooks:} map and the value of {@code TAKEOVER_HOOK}. */
  public String configName() {
    return configName;
  }
}
