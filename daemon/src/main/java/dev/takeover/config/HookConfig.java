package dev.takeover.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One configured hook command (see docs/HOOKS.md): run without a shell, {@code command.get(0)} an
 * absolute path.
 *
 * @param timeout the hook and what it started are terminated after this
 * @param budget how long the claim waits for a {@code before-claim} hook; {@link Duration#ZERO} for
 *     every other kind (nothing waits for them)
 * @param env added to the daemon's environment, in file order; no name starts {@code TAKEOVER_}
 */
public record HookConfig(
    List<String> command, Duration timeout, Duration budget, Map<String, String> env) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** The before-claim budget when none is written, unless the timeout is shorter. */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(1);

  public HookConfig {
    command = List.copyOf(command);
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(budget, "budget");
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    if (command.isEmpty()) {
      throw new IllegalArgumentException("a hook needs a command");
    }
    if (budget.isNegative() || budget.compareTo(timeout) > 0) {
      throw new IllegalArgumentException("budget " + budget + " outside 0.." + timeout);
    }
  }

  /** The budget used when the file gives none: {@link #DEFAULT_BUDGET}, at most the timeout. */
  public static Duration defaultBudget(Duration timeout) {
    return timeout.compareTo(DEFAULT_BUDGET) < 0 ? timeout : DEFAULT_BUDGET;
  }
}
