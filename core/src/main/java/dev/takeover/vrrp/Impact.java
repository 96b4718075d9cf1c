package dev.takeover.vrrp;

/**
 * What a cause does to the group while it is active: keepalived's tracking weight. A fault takes
 * the group out of the election; an adjustment moves its priority.
 */
public sealed interface Impact {

  /** The group goes to FAULT while the cause is active. */
  record Fault() implements Impact {}

  /** The priority moves by {@code delta} (-254..254) while the cause is active. */
  record Adjust(int delta) implements Impact {}
}
