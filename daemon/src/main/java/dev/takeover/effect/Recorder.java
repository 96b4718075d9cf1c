package dev.takeover.effect;

import dev.takeover.journal.EventDraft;

/**
 * Puts an event of record into the journal and returns its id (hooks get it as TAKEOVER_EVENT_ID).
 */
@FunctionalInterface
public interface Recorder {
  String record(EventDraft draft);
}
