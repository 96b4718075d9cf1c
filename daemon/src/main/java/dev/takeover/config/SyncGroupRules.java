package dev.takeover.config;

import dev.takeover.config.ConfigNode.ListNode;
import dev.takeover.config.ConfigNode.Scalar;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The top-level {@code sync-groups}: sets of groups that are master together (keepalived's {@code
 * vrrp_sync_group}). Each names two or more groups of the file, each group in one sync group at
 * most; the set's hooks are {@code after-claim}, {@code backup} and {@code fault}.
 */
final class SyncGroupRules {
  static final int MAX_SYNC_GROUPS = 64;
  static final int MAX_MEMBERS = 16;
  private static final String NAME_ALLOWED = "1..32 characters from A-Z, a-z, 0-9, '.', '_', '-'";

  private final Readers read;
  private final Diagnostics diagnostics;
  private final HookRules hooks;

  SyncGroupRules(Readers read) {
    this.read = read;
    this.diagnostics = read.diagnostics;
    this.hooks = new HookRules(read, new CommandRules(read));
  }

  /**
   * Empty without the key; null if it has an error.
   *
   * @param groupNames the names of the file's groups, or null if the groups had errors (then the
   *     members are not checked against them)
   */
  List<SyncGroupConfig> syncGroups(Section top, Set<String> groupNames) {
    if (!top.has("sync-groups")) {
      return List.of();
    }
    String allowed =
        "a list of 1.." + MAX_SYNC_GROUPS + " sync groups, e.g. [{name: LB, groups: [web, db]}]";
    ListNode list = read.listOf(top, "sync-groups", allowed);
    if (list == null) {
      return null;
    }
    boolean ok = read.counted(list, "sync-groups", "sync group", 1, MAX_SYNC_GROUPS, "sync groups");
    List<SyncGroupConfig> result = new ArrayList<>();
    Map<String, String> memberOf = new HashMap<>();
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      String path = "sync-groups[" + i + "]";
      Section s = read.mapping(list.items().get(i), path, ConfigValidator.SYNC_GROUP_KEYS);
      if (s == null) {
        ok = false;
        continue;
      }
      String name = read.name(s, "name", GroupRules.NAME, NAME_ALLOWED);
      List<String> members = members(s, groupNames, memberOf, name);
      GroupHooks h = hooks.hooks(s, ConfigValidator.SYNC_GROUP_HOOK_KINDS);
      if (name != null) {
        Integer earlier = names.putIfAbsent(name, i);
        if (earlier != null) {
          diagnostics.error(
              s.entry("name").value(),
              s.path("name")
                  + ": "
                  + Diagnostics.quote(name)
                  + " is already sync-groups["
                  + earlier
                  + "]; allowed: a unique name");
          name = null;
        }
      }
      if (name == null || members == null || h == null) {
        ok = false;
        continue;
      }
      result.add(new SyncGroupConfig(name, members, h));
    }
    return ok ? result : null;
  }

  private List<String> members(
      Section s, Set<String> groupNames, Map<String, String> memberOf, String setName) {
    String allowed = "a list of 2.." + MAX_MEMBERS + " names of groups in this file";
    ListNode list = read.listOf(s, "groups", allowed);
    if (list == null) {
      return null;
    }
    boolean ok = read.counted(list, s.path("groups"), "group", 2, MAX_MEMBERS, "groups");
    List<String> members = new ArrayList<>();
    for (int i = 0; i < list.items().size(); i++) {
      String path = s.path("groups") + "[" + i + "]";
      if (!(list.items().get(i) instanceof Scalar member)) {
        diagnostics.reject(list.items().get(i), path, "is not a group name", allowed);
        ok = false;
        continue;
      }
      String m = member.text();
      if (members.contains(m)) {
        diagnostics.reject(member, path, "is listed twice", "each group once");
        ok = false;
      } else if (groupNames != null && !groupNames.contains(m)) {
        diagnostics.reject(
            member,
            path,
            "is not a group of this file" + Diagnostics.didYouMean(m, List.copyOf(groupNames)),
            "the name of an entry of groups");
        ok = false;
      } else if (memberOf.containsKey(m)) {
        diagnostics.reject(
            member,
            path,
            "is already in sync group " + memberOf.get(m),
            "each group in one sync group at most");
        ok = false;
      } else {
        members.add(m);
        memberOf.put(m, setName == null ? "sync-groups" : setName);
      }
    }
    return ok ? members : null;
  }
}
