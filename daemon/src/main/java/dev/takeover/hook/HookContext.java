package dev.takeover.hook;

import java.util.List;
import java.util.Objects;

/**
 * What happened, as a hook sees it in its {@code TAKEOVER_*} environment.
 *
 * @param group the group's configured name; hooks of one group run strictly one after another
 * @param oldState the state before the transition as the log shows it ({@code BACKUP}, {@code
 *     MASTER}, {@code FAULT}, ...)
 * @param vips the group's virtual addresses in CIDR notation ({@code 198.18.0.10/24})
 * @param eventId the journal's id of the transition that caused this hook
 */
public record HookContext(
    String group,
    int vrid,
    String oldState,
    String newState,
    List<String> vips,
    String reason,
    String eventId) {
  public HookContext {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(oldState, "oldState");
    Objects.requireNonNull(newState, "newState");
    vips = List.copyOf(vips);
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(eventId, "eventId");
  }
}
