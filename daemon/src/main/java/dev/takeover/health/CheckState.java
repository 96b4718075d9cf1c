package dev.takeover.health;

/** What a check's rise/fall counter currently says about its service. */
public enum CheckState {
  /**
   * No verdict yet. Treated as {@link #DOWN} by {@link #isUp()}: a node never claims to be healthy
   * unproven.
   */
  UNKNOWN,
  UP,
  DOWN;

  /** Whether the service counts as healthy; only {@link #UP} does. */
  public boolean isUp() {
    return this == UP;
  }
}
