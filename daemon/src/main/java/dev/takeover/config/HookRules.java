package dev.takeover.config;

import dev.takeover.config.Readers.DurationRule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A group's {@code hooks}: the command run on each kind of transition (docs/HOOKS.md). */
final class HookRules {

  private static final DurationRule HOOK_TIMEOUT =
      new DurationRule(Duration.ofMillis(100), Duration.ofMinutes(10), 1, false);
  private static final DurationRule HOOK_BUDGET =
      new DurationRule(Duration.ZERO, Duration.ofMinutes(10), 1, false);

  private final Readers read;
  private final Diagnostics diagnostics;
  private final CommandRules commands;

  HookRules(Readers read, CommandRules commands) {
    this.read = read;
    this.diagnostics = read.diagnostics;
    this.commands = commands;
  }

  GroupHooks hooks(Section s) {
    return hooks(s, ConfigValidator.HOOK_KINDS);
  }

  /** The hooks of {@code kinds} only (a sync group has three); another kind is an unknown key. */
  GroupHooks hooks(Section s, List<String> kinds) {
    if (!s.has("hooks")) {
      return GroupHooks.NONE;
    }
    Section h = read.subsection(s, "hooks", kinds);
    if (h == null) {
      return null;
    }
    Optional<HookConfig> beforeClaim = hook(h, "before-claim");
    Optional<HookConfig> afterClaim = hook(h, "after-claim");
    Optional<HookConfig> afterRelease = hook(h, "after-release");
    Optional<HookConfig> fault = hook(h, "fault");
    Optional<HookConfig> stop = hook(h, "stop");
    Optional<HookConfig> backup = hook(h, "backup");
    if (beforeClaim == null
        || afterClaim == null
        || afterRelease == null
        || fault == null
        || stop == null
        || backup == null) {
      return null;
    }
    return new GroupHooks(beforeClaim, afterClaim, afterRelease, fault, stop, backup);
  }

  /** One hook kind; empty when left out, null when it has an error. */
  private Optional<HookConfig> hook(Section hooks, String kind) {
    if (!hooks.has(kind)) {
      return Optional.empty();
    }
    Section k = read.subsection(hooks, kind, ConfigValidator.HOOK_KEYS);
    if (k == null) {
      return null;
    }
    List<String> command = commands.command(k);
    Duration timeout = read.duration(k, "timeout", HOOK_TIMEOUT, HookConfig.DEFAULT_TIMEOUT);
    Duration budget = Duration.ZERO;
    if (!kind.equals("before-claim")) {
      if (k.has("budget")) {
        diagnostics.reject(
            k.entry("budget").value(),
            k.path("budget"),
            "is set on the " + kind + " hook",
            "budget under before-claim only; nothing waits for other hooks");
        budget = null;
      }
    } else if (k.has("budget")) {
      budget = read.duration(k, "budget", HOOK_BUDGET, null);
      if (budget != null && timeout != null && budget.compareTo(timeout) > 0) {
        diagnostics.reject(
            k.entry("budget").value(),
            k.path("budget"),
            "is longer than the timeout (" + Durations.format(timeout) + ")",
            "0s..timeout");
        budget = null;
      }
    } else {
      budget = timeout == null ? null : HookConfig.defaultBudget(timeout);
    }
    Map<String, String> env = commands.env(k);
    if (command == null || timeout == null || budget == null || env == null) {
      return null;
    }
    return Optional.of(new HookConfig(command, timeout, budget, env));
  }
}
