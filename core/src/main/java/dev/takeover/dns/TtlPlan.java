package dev.takeover.dns;

import java.util.List;

/**
 * Lowering one name's TTL ahead of a planned handover (issue 12 item 5, docs/DNS.md "Planned
 * moves"): when to write the lower TTL, when the handover may proceed, and when to put the TTL back
 * if the handover did not happen. Pure: it takes events and the monotonic time and returns steps;
 * the DNS thread writes, the control path holds the move until {@link Step.Proceed}.
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li>Resolvers that fetched the record before it was lowered keep the old answer for up to the
 *       old TTL, so lowering helps this handover only if the handover waits that long after the
 *       server confirmed the lower TTL. It does, up to {@code maxWait} from the request: a DNS
 *       server that is down must not hold an operator's move for ever, so at {@code maxWait} the
 *       handover proceeds with whatever the caches hold (the same as without the feature).
 *   <li>The new master writes the record with its configured TTL when it claims, so after a
 *       handover there is nothing to restore here; only a handover that did not happen (refused,
 *       cancelled, or not seen within {@code restoreAfter} of proceeding) restores the TTL.
 *   <li>Times are nanoseconds of one monotonic clock, compared by difference (they may wrap).
 * </ul>
 */
public final class TtlPlan {

  /** Where the plan is. */
  public enum Phase {
    /** Nothing planned; the record has its configured TTL. */
    IDLE,
    /** The lower TTL is asked for and not yet confirmed by a server. */
    LOWERING,
    /** Confirmed; waiting for caches of the old TTL to run out. */
    WAITING,
    /** The handover may go on; the TTL is restored if it is not seen to happen. */
    PROCEEDED
  }

  /** What the caller carries out. */
  public sealed interface Step {
    /** Write the record (its current values) with this TTL. */
    record WriteTtl(int ttl) implements Step {}

    /** Let the handover go on, and why now. */
    record Proceed(String why) implements Step {}
  }

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final int ttl;
  private final int lowTtl;
  private final long maxWait;
  private final long restoreAfter;
  private Phase phase = Phase.IDLE;
  private long giveUpAt;
  private long proceedAt;
  private long restoreAt;

  /**
   * @param ttl the name's configured TTL, seconds
   * @param lowTtl the TTL written ahead of a handover, seconds; at least {@code ttl} means the plan
   *     never lowers and proceeds at once
   * @param maxWaitNanos the longest a handover waits from its request, whatever the server does
   * @param restoreAfterNanos how long after proceeding a handover that was not seen gets its TTL
   *     back
   */
  public TtlPlan(int ttl, int lowTtl, long maxWaitNanos, long restoreAfterNanos) {
    if (ttl < 0 || lowTtl < 0 || maxWaitNanos < 0 || restoreAfterNanos < 0) {
      throw new IllegalArgumentException("negative TTL or duration");
    }
    this.ttl = ttl;
    this.lowTtl = lowTtl;
    this.maxWait = maxWaitNanos;
    this.restoreAfter = restoreAfterNanos;
  }

  public Phase phase() {
    return phase;
  }

  /**
   * A planned handover is asked for ({@code takeover move}, maintenance on): write the lower TTL,
   * or proceed at once when there is nothing to lower. A second request while one is pending
   * changes nothing (the first one's wait goes on).
   */
  public List<Step> requested(long now) {
    if (phase == Phase.LOWERING || phase == Phase.WAITING) {
      return List.of();
    }
    if (lowTtl >= ttl) {
      phase = Phase.PROCEEDED;
      restoreAt = now + restoreAfter;
      return List.of(new Step.Proceed("the TTL is already " + ttl + " s"));
    }
    if (phase == Phase.PROCEEDED) { // the record still has the lower TTL: no need to wait again
      restoreAt = now + restoreAfter;
      return List.of(new Step.Proceed("the TTL is still lowered"));
    }
    phase = Phase.LOWERING;
    giveUpAt = now + maxWait;
    return List.of(new Step.WriteTtl(lowTtl));
  }

  /**
   * A server confirmed the record with the lower TTL: the handover proceeds once the old TTL has
   * passed from now (caches that fetched just before hold it that long), or at the cap.
   */
  public List<Step> confirmed(int confirmedTtl, long now) {
    if (phase != Phase.LOWERING || confirmedTtl != lowTtl) {
      return List.of();
    }
    phase = Phase.WAITING;
    long cachesExpire = now + ttl * NANOS_PER_SECOND;
    proceedAt = cachesExpire - giveUpAt < 0 ? cachesExpire : giveUpAt;
    return tick(now);
  }

  /** The handover happened (this node released, or a new master was heard): nothing to restore. */
  public List<Step> handedOver(long now) {
    phase = Phase.IDLE;
    return List.of();
  }

  /** The handover was refused or called off: put the TTL back if it was lowered. */
  public List<Step> cancelled(long now) {
    Phase was = phase;
    phase = Phase.IDLE;
    return was == Phase.IDLE || lowTtl >= ttl ? List.of() : List.of(new Step.WriteTtl(ttl));
  }

  /** Time passes; call at {@link #deadline} at the latest. */
  public List<Step> tick(long now) {
    switch (phase) {
      case IDLE -> {
        return List.of();
      }
      case LOWERING -> {
        if (now - giveUpAt >= 0) {
          return proceed(now, "no server confirmed the lower TTL within the wait's cap");
        }
        return List.of();
      }
      case WAITING -> {
        if (now - proceedAt >= 0) {
          return proceed(
              now,
              proceedAt == giveUpAt
                  ? "waited the cap; caches of the old TTL may still answer"
                  : "caches of the old TTL (" + ttl + " s) have run out");
        }
        return List.of();
      }
      case PROCEEDED -> {
        if (now - restoreAt >= 0) {
          phase = Phase.IDLE;
          return lowTtl >= ttl ? List.of() : List.of(new Step.WriteTtl(ttl));
        }
        return List.of();
      }
    }
    throw new AssertionError(phase);
  }

  /** When {@link #tick} has something to do next; meaningless while {@link Phase#IDLE}. */
  public long deadline() {
    return switch (phase) {
      case IDLE -> Long.MAX_VALUE;
      case LOWERING -> giveUpAt;
      case WAITING -> proceedAt;
      case PROCEEDED -> restoreAt;
    };
  }

  private List<Step> proceed(long now, String why) {
    phase = Phase.PROCEEDED;
    restoreAt = now + restoreAfter;
    return List.of(new Step.Proceed(why));
  }
}
