package dev.takeover.effect;

import dev.takeover.action.HookPoint;
import dev.takeover.config.GroupHooks;
import dev.takeover.config.HookConfig;
import dev.takeover.hook.HookKind;
import dev.takeover.hook.HookRunner;
import dev.takeover.hook.HookSpec;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Hands a group's hooks to the {@link HookRunner}: which hook and when is the policy's decision (it
 * emits a hook action only for hooks that are configured). Engine thread only; the runner runs them
 * off it.
 */
final class HookDispatch {
  private GroupHooks config;
  private final HookRunner hooks;
  private final TransitionRecorder transitions;
  private final LongConsumer claimProceed;

  /**
   * @param hooks the runner; null when the daemon runs no hooks (then no hook action comes)
   * @param claimProceed posts "the before-claim hook of this claim epoch is done (or out of
   *     budget)" back to the engine thread
   */
  HookDispatch(
      GroupHooks config,
      HookRunner hooks,
      TransitionRecorder transitions,
      LongConsumer claimProceed) {
    this.config = config;
    this.hooks = hooks;
    this.transitions = transitions;
    this.claimProceed = claimProceed;
  }

  /**
   * The hooks from now on (a reload). A hook already handed to the runner runs to its end; a
   * before-claim hook under way still releases its claim epoch when it ends.
   */
  void replace(GroupHooks next) {
    this.config = next;
  }

  void run(HookPoint point) {
    HookKind kind = kind(point);
    Optional<HookConfig> hook = hook(point);
    if (hooks == null || hook.isEmpty()) {
      return;
    }
    if (point == HookPoint.BEFORE_CLAIM) {
      throw new IllegalArgumentException("a before-claim hook is awaited, not run");
    }
    hooks.submit(kind, spec(kind, hook.get()), transitions.hookContext(kind.configName()));
  }

  /** Starts the before-claim hook; when it is done the engine gets {@code epoch} back. */
  void awaitBeforeClaim(long epoch) {
    Optional<HookConfig> hook = config.beforeClaim();
    if (hooks == null || hook.isEmpty()) {
      claimProceed.accept(epoch); // nothing to wait for: claim at once
      return;
    }
    HookConfig h = hook.get();
    hooks.submitBeforeClaim(
        spec(HookKind.BEFORE_CLAIM, h),
        transitions.hookContext(HookKind.BEFORE_CLAIM.configName()),
        h.budget(),
        () -> claimProceed.accept(epoch));
  }

  private Optional<HookConfig> hook(HookPoint point) {
    return switch (point) {
      case BEFORE_CLAIM -> config.beforeClaim();
      case AFTER_CLAIM -> config.afterClaim();
      case AFTER_RELEASE -> config.afterRelease();
      case FAULT -> config.fault();
      case BACKUP -> config.backup();
      case STOP -> config.stop();
    };
  }

  static HookKind kind(HookPoint point) {
    return switch (point) {
      case BEFORE_CLAIM -> HookKind.BEFORE_CLAIM;
      case AFTER_CLAIM -> HookKind.AFTER_CLAIM;
      case AFTER_RELEASE -> HookKind.AFTER_RELEASE;
      case FAULT -> HookKind.FAULT;
      case BACKUP -> HookKind.BACKUP;
      case STOP -> HookKind.STOP;
    };
  }

  private static HookSpec spec(HookKind kind, HookConfig h) {
    return new HookSpec(kind.configName(), h.command(), h.env(), h.timeout());
  }
}
