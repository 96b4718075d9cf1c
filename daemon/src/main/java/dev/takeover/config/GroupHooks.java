package dev.takeover.config;

import java.util.Objects;
import java.util.Optional;

/** The hooks of one group, one optional command per kind (see docs/HOOKS.md). */
public record GroupHooks(
    Optional<HookConfig> beforeClaim,
    Optional<HookConfig> afterClaim,
    Optional<HookConfig> afterRelease,
    Optional<HookConfig> fault,
    Optional<HookConfig> stop,
    Optional<HookConfig> backup) {

  /** No hooks: the {@code hooks} section left out. */
  public static final GroupHooks NONE =
      new GroupHooks(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  public GroupHooks {
    Objects.requireNonNull(beforeClaim, "beforeClaim");
    Objects.requireNonNull(afterClaim, "afterClaim");
    Objects.requireNonNull(afterRelease, "afterRelease");
    Objects.requireNonNull(fault, "fault");
    Objects.requireNonNull(stop, "stop");
    Objects.requireNonNull(backup, "backup");
  }

  /** The hooks before the {@code backup} kind (keepalived's notify_backup) existed. */
  public GroupHooks(
      Optional<HookConfig> beforeClaim,
      Optional<HookConfig> afterClaim,
      Optional<HookConfig> afterRelease,
      Optional<HookConfig> fault,
      Optional<HookConfig> stop) {
    this(beforeClaim, afterClaim, afterRelease, fault, stop, Optional.empty());
  }

  /** Whether any hook is configured. */
  public boolean hasAny() {
    return beforeClaim.isPresent()
        || afterClaim.isPresent()
        || afterRelease.isPresent()
        || fault.isPresent()
        || stop.isPresent()
        || backup.isPresent();
  }
}
