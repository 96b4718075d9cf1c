package dev.takeover.control;

import java.util.List;

/**
 * What {@code takeover status} shows: this node's name, every group, and warnings the operator
 * should see first (e.g. a group in conflict, a hook failing).
 */
public record StatusView(String node, List<GroupView> groups, List<String> warnings) {
  public StatusView {
    groups = ControlProtocol.copy(groups);
    warnings = ControlProtocol.copy(warnings);
  }
}
