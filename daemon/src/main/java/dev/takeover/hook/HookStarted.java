package dev.takeover.hook;

import java.time.Instant;

/** A hook's process was started. */
public record HookStarted(
    String group, HookKind kind, String name, String eventId, long pid, Instant at)
    implements HookEvent {}
