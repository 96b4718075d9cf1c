package dev.takeover.hook;

/** What the runner reports about each hook, for the journal and the log. */
public sealed interface HookEvent permits HookStarted, HookFinished {
  String group();

  HookKind kind();

  String name();

  String eventId();
}
