package dev.takeover.health;

import java.util.Optional;

/**
 * The rise/fall counter of one check: probe results in, state transitions out. Pure and not
 * thread-safe; {@link HealthMonitor} confines each counter to its check's thread.
 *
 * <p>Rules (the same as HAProxy's {@code rise}/{@code fall} and keepalived's {@code vrrp_script}):
 *
 * <ul>
 *   <li>A success resets the failure streak; a failure resets the success streak.
 *   <li>Not {@link CheckState#UP} → UP after {@code rise} consecutive successes.
 *   <li>{@link CheckState#UP} → DOWN after {@code fall} consecutive failures.
 *   <li>{@link CheckState#UNKNOWN} → DOWN after the first failure: UNKNOWN already counts as down,
 *       so the first failure only confirms it; waiting for {@code fall} would delay the first
 *       verdict without changing any decision.
 * </ul>
 *
 * Streak counts saturate at {@link Integer#MAX_VALUE}.
 */
public final class RiseFall {

  /**
   * A change of state.
   *
   * @param consecutive the length of the streak of equal results that caused it
   */
  public record Transition(CheckState from, CheckState to, int consecutive) {}

  private final int rise;
  private final int fall;
  private CheckState state;
  private int successes;
  private int failures;

  /**
   * @param rise consecutive successes to go up, at least 1
   * @param fall consecutive failures to go down, at least 1
   * @param initial the state before any result
   */
  public RiseFall(int rise, int fall, CheckState initial) {
    if (rise < 1 || fall < 1) {
      throw new IllegalArgumentException("rise and fall must be at least 1: " + rise + "/" + fall);
    }
    this.rise = rise;
    this.fall = fall;
    this.state = java.util.Objects.requireNonNull(initial, "initial");
  }

  /** Takes one probe result; returns the transition it caused, if any. */
  public Optional<Transition> record(boolean ok) {
    CheckState from = state;
    if (ok) {
      failures = 0;
      successes = saturatingIncrement(successes);
      if (state != CheckState.UP && successes >= rise) {
        state = CheckState.UP;
        return Optional.of(new Transition(from, state, successes));
      }
    } else {
      successes = 0;
      failures = saturatingIncrement(failures);
      if ((state == CheckState.UP && failures >= fall) || state == CheckState.UNKNOWN) {
        state = CheckState.DOWN;
        return Optional.of(new Transition(from, state, failures));
      }
    }
    return Optional.empty();
  }

  public CheckState state() {
    return state;
  }

  /** The current streak of successes, 0 after a failure. */
  public int successes() {
    return successes;
  }

  /** The current streak of failures, 0 after a success. */
  public int failures() {
    return failures;
  }

  private static int saturatingIncrement(int n) {
    return n == Integer.MAX_VALUE ? n : n + 1;
  }
}
