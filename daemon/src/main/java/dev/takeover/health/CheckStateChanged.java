package dev.takeover.health;

import java.time.Instant;

/**
 * A check's service changed between healthy and not.
 *
 * @param name the check's configured name
 * @param up whether it is now healthy
 * @param detail the detail of the probe that caused the change
 * @param consecutive how many equal results in a row caused it
 * @param at when the deciding probe finished
 * @param from the state before: {@link CheckState#UNKNOWN} for a first verdict
 */
public record CheckStateChanged(
    String name, boolean up, String detail, int consecutive, Instant at, CheckState from) {}
