package dev.takeover.control;

/**
 * One DNS record that follows a group (docs/DNS.md), as {@code status} shows it.
 *
 * @param record owner name and type, e.g. {@code www.example.test./A}
 * @param desired what this node wants it to hold ({@code {198.18.0.50}}, {@code remove {..}}), or
 *     null when it holds nothing (a backup)
 * @param lastConfirmed what a server last confirmed after our update, or null
 * @param lastSeen what the record held when last read or answered, or null when never read
 * @param pending whether an update is waiting for a server's confirmation
 * @param failures failed attempts in a row
 * @param lastError the last failure, or null after a success
 * @param conflict whether a failed prerequisite was left alone (on-conflict: alarm)
 */
public record NameView(
    String group,
    String record,
    String desired,
    String lastConfirmed,
    String lastSeen,
    boolean pending,
    int failures,
    String lastError,
    boolean conflict) {}
