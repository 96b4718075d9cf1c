package dev.takeover.dns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One group's planned handover and the {@link TtlPlan}s of its names with {@code move-ttl}
 * (docs/DNS.md "Planned moves", DECISIONS 44 and 48): the move is held until every name's plan lets
 * it proceed, then released once. Pure: it takes events and the monotonic time and returns steps;
 * the DNS thread writes the records and hands {@link Step.Proceed} to the engine, which performs
 * the move (or refuses it, and then {@link #cancelled} puts the TTLs back).
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li>A record's plan is made anew at each request that finds it idle, with that request's {@code
 *       restoreAfter} (the handover's own bound, which a reload may change); a plan still lowered
 *       from an earlier move is kept, so a second move does not wait again.
 *   <li>A second request while one is held changes no plan (the first one's wait goes on): the
 *       caller keeps only the newest request's handover.
 *   <li>Times are nanoseconds of one monotonic clock, compared by difference (they may wrap).
 * </ul>
 */
public final class MoveTtl {

  /** One name's record and its TTLs. */
  public record Lowering(String record, int ttl, int lowTtl, long maxWaitNanos) {
    public Lowering {
      Objects.requireNonNull(record, "record");
    }
  }

  /** What the caller carries out. */
  public sealed interface Step {
    /** Write {@code record} (its current values) with this TTL. */
    record Write(String record, int ttl) implements Step {}

    /** The held handover may go on now, and why. */
    record Proceed(String why) implements Step {}
  }

  private final Map<String, Lowering> records = new LinkedHashMap<>();
  private final Map<String, TtlPlan> plans = new LinkedHashMap<>();
  private boolean holding;
  private long requestedAt;
  private final List<String> reasons = new ArrayList<>();

  public MoveTtl(List<Lowering> lowerings) {
    if (lowerings.isEmpty()) {
      throw new IllegalArgumentException("no record to lower");
    }
    for (Lowering l : lowerings) {
      records.put(l.record(), l);
    }
  }

  /** Whether a handover is held, waiting for the plans. */
  public boolean holding() {
    return holding;
  }

  /** The latest a held handover waits until: the request plus the longest cap. */
  public long holdsAtMostUntil() {
    long longest = records.values().stream().mapToLong(Lowering::maxWaitNanos).max().orElse(0);
    return requestedAt + longest;
  }

  /**
   * A planned handover is asked for: lower every record's TTL (or proceed at once when nothing
   * needs it).
   *
   * @param restoreAfterNanos how long after proceeding a handover not seen gets its TTLs back
   */
  public List<Step> requested(long now, long restoreAfterNanos) {
    List<Step> out = new ArrayList<>();
    if (!holding) {
      holding = true;
      requestedAt = now;
      reasons.clear();
    }
    for (Lowering l : records.values()) {
      TtlPlan plan = plans.get(l.record());
      if (plan == null || plan.phase() == TtlPlan.Phase.IDLE) {
        plan = new TtlPlan(l.ttl(), l.lowTtl(), l.maxWaitNanos(), restoreAfterNanos);
        plans.put(l.record(), plan);
      }
      collect(l.record(), plan.requested(now), out);
    }
    return release(out, now);
  }

  /** A server confirmed {@code record} with {@code ttl}. */
  public List<Step> confirmed(String record, int ttl, long now) {
    TtlPlan plan = plans.get(record);
    if (plan == null) {
      return List.of();
    }
    List<Step> out = new ArrayList<>();
    collect(record, plan.confirmed(ttl, now), out);
    return release(out, now);
  }

  /**
   * The group released its addresses (the handover happened, or a failover did): nothing to
   * restore, the next master writes its own TTL. A handover still held is let go, so the engine,
   * not this plan, decides what the request means now.
   */
  public List<Step> released(long now) {
    plans.values().forEach(p -> p.handedOver(now));
    if (!holding) {
      return List.of();
    }
    holding = false;
    return List.of(new Step.Proceed("the group was released meanwhile"));
  }

  /** The group claimed: its names are written with their configured TTL; no plan goes on. */
  public void claimed(long now) {
    plans.values().forEach(p -> p.handedOver(now));
    holding = false;
  }

  /** The handover was refused or called off: put every lowered TTL back. */
  public List<Step> cancelled(long now) {
    holding = false;
    List<Step> out = new ArrayList<>();
    plans.forEach((record, plan) -> collect(record, plan.cancelled(now), out));
    return out;
  }

  /** Time passes; call at {@link #deadline} at the latest. */
  public List<Step> tick(long now) {
    List<Step> out = new ArrayList<>();
    plans.forEach(
        (record, plan) -> {
          if (!(holding && plan.phase() == TtlPlan.Phase.PROCEEDED)) {
            collect(record, plan.tick(now), out);
          }
        });
    return release(out, now);
  }

  /** When {@link #tick} has something to do next; {@link Long#MAX_VALUE} for nothing. */
  public long deadline() {
    long next = Long.MAX_VALUE;
    boolean any = false;
    for (TtlPlan p : plans.values()) {
      if (p.phase() == TtlPlan.Phase.IDLE || (holding && p.phase() == TtlPlan.Phase.PROCEEDED)) {
        continue; // a record that may go waits for the others, its restore not yet counting
      }
      // Deadlines may wrap: keep the earliest by difference from the first one.
      if (!any || p.deadline() - next < 0) {
        next = p.deadline();
        any = true;
      }
    }
    return next;
  }

  /** Whether any record's plan has a deadline (so {@link #deadline} means something). */
  public boolean active() {
    return plans.values().stream().anyMatch(p -> p.phase() != TtlPlan.Phase.IDLE);
  }

  private void collect(String record, List<TtlPlan.Step> steps, List<Step> out) {
    for (TtlPlan.Step s : steps) {
      switch (s) {
        case TtlPlan.Step.WriteTtl w -> out.add(new Step.Write(record, w.ttl()));
        case TtlPlan.Step.Proceed p -> {
          if (holding) {
            reasons.add(record + ": " + p.why());
          }
        }
      }
    }
  }

  /**
   * The writes, then one {@link Step.Proceed} once no plan holds the handover any more. A record
   * that could go earlier waited for the others: its restore counts from now, when the handover
   * really starts.
   */
  private List<Step> release(List<Step> out, long now) {
    if (!holding) {
      return out;
    }
    for (TtlPlan p : plans.values()) {
      if (p.phase() == TtlPlan.Phase.LOWERING || p.phase() == TtlPlan.Phase.WAITING) {
        return out;
      }
    }
    for (TtlPlan p : plans.values()) {
      if (p.phase() == TtlPlan.Phase.PROCEEDED) {
        p.requested(now); // still lowered: re-arms its restore from now, proceeds at once
      }
    }
    holding = false;
    out.add(new Step.Proceed(String.join("; ", reasons)));
    return out;
  }
}
