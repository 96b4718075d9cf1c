package dev.takeover.daemon;

import dev.takeover.hook.HookEvent;
import dev.takeover.hook.HookFinished;
import dev.takeover.hook.HookStarted;
import dev.takeover.journal.EventDraft;
import dev.takeover.journal.Events;
import java.util.List;

/** Hook runner events as events of record. */
final class Hooks {
  private Hooks() {}

  static EventDraft event(HookEvent event) {
    return switch (event) {
      case HookStarted s ->
          Events.hookStarted(s.group(), s.kind().configName(), List.of(s.name()), s.pid())
              .with("causeEventId", s.eventId());
      case HookFinished f ->
          Events.hookFinished(
                  f.group(),
                  f.kind().configName(),
                  f.exitCode().isPresent() ? f.exitCode().getAsInt() : null,
                  f.duration(),
                  f.timedOut())
              .with("causeEventId", f.eventId())
              .with("output", f.output());
    };
  }
}
