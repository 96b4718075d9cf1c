package dev.takeover.journal;

import java.util.Map;
import java.util.Objects;

/**
 * An event before the journal gives it an id and a time. Build one with {@link Events} so that
 * every event of a type carries the same fields, then hand it to {@link
 * Journal#append(EventDraft)}.
 *
 * @param group the group's name, or null for events of the whole daemon
 */
public record EventDraft(EventType type, String group, String message, Map<String, Object> fields) {

  public EventDraft {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(message, "message");
    fields = JournalEvent.normalizeMap(fields == null ? Map.of() : fields);
  }

  /** This draft with one more field. */
  public EventDraft with(String key, Object value) {
    var more = new java.util.LinkedHashMap<String, Object>(fields);
    more.put(key, value);
    return new EventDraft(type, group, message, more);
  }
}
