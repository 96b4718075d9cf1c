package dev.takeover.control;

import java.util.List;

/**
 * The answer to {@code takeover reload}.
 *
 * @param applied true when the new configuration is in effect
 * @param changes what changed, one line each (e.g. "group web: priority 100 -> 90"); empty if none
 * @param errors why it was not applied, as {@code file:line:column: message}; empty when applied
 */
public record ReloadResult(boolean applied, List<String> changes, List<String> errors) {
  public ReloadResult {
    changes = ControlProtocol.copy(changes);
    errors = ControlProtocol.copy(errors);
  }
}
