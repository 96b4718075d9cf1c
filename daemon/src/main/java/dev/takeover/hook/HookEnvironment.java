package dev.takeover.hook;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code TAKEOVER_*} variables a hook receives, documented in docs/HOOKS.md. */
public final class HookEnvironment {
  static final String RESERVED_PREFIX = "TAKEOVER_";

  private HookEnvironment() {}

  /** The variables for one run, in a stable order. */
  public static Map<String, String> of(HookKind kind, HookContext context, String node) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("TAKEOVER_GROUP", context.group());
    env.put("TAKEOVER_VRID", Integer.toString(context.vrid()));
    env.put("TAKEOVER_OLD_STATE", context.oldState());
    env.put("TAKEOVER_NEW_STATE", context.newState());
    env.put("TAKEOVER_VIPS", String.join(" ", context.vips()));
    env.put("TAKEOVER_REASON", context.reason());
    env.put("TAKEOVER_EVENT_ID", context.eventId());
    env.put("TAKEOVER_HOOK", kind.configName());
    env.put("TAKEOVER_NODE", node);
    return env;
  }
}
