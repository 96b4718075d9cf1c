package dev.takeover.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The queue of one RRset (an owner name and a type): pure, driven by the times it is given.
 *
 * <p>Implementation notes. The queue holds at most one desired state: a newer one supersedes an
 * older pending one (its generation goes up), so the queue converges on the <em>current</em> wish,
 * never replays history. One attempt is in flight at a time; an answer to an older generation only
 * teaches what the server holds (the prerequisite of the next update). A failure moves to the next
 * server at once; when every server has failed once more, the wait doubles, from {@link
 * RetryPolicy#initialBackoffNanos} up to its cap. The RRset is read back every {@link
 * RetryPolicy#verifyIntervalNanos} (and first at start), whether or not we hold it: a backup that
 * has read the master's record can claim with a compare-and-swap that succeeds in one round trip.
 * While a {@link Desired.Replace} is held (we are master), a read that finds something else is
 * drift, and the desired state is written again. After a {@link Desired.Remove} is confirmed the
 * queue holds nothing. A failed prerequisite is overwritten (with what was found as the new
 * prerequisite) or, under the alarm policy, left alone until the next claim.
 */
public final class RecordQueue {

  /** What {@code status} shows of one RRset. */
  public record View(
      Optional<Desired> desired,
      Optional<Set<String>> lastSeen,
      Optional<Set<String>> lastConfirmed,
      boolean pending,
      int failures,
      Optional<String> lastError,
      boolean conflict) {}

  private final RetryPolicy policy;
  private Desired desired; // null: nothing to hold
  private long generation;
  private boolean pending;
  private boolean inFlight;
  private long dueAt;
  private long nextReadAt;
  private int server;
  private int failures;
  private int attempts;
  private boolean repairing;
  private boolean conflict;
  private Set<String> lastSeen; // null: never read
  private Set<String> lastConfirmed;
  private String lastError;

  /** A new queue reads the RRset at {@code now}, to learn what it holds. */
  public RecordQueue(RetryPolicy policy, long now) {
    this.policy = policy;
    this.nextReadAt = now;
  }

  /** A new desired state, from now on: supersedes anything pending (a claim, a release). */
  public void want(Desired next, long now) {
    desired = next;
    generation++;
    pending = true;
    dueAt = now;
    failures = 0;
    attempts = 0;
    server = 0;
    repairing = false;
    conflict = false;
  }

  /** Nothing to hold any more (a release that leaves the record): stop writing, keep reading. */
  public void cancel(long now) {
    desired = null;
    generation++;
    pending = false;
    repairing = false;
    conflict = false;
    failures = 0;
    long verifyAt = now + policy.verifyIntervalNanos();
    if (verifyAt - nextReadAt < 0) { // the earlier of the two; nanoTime may wrap, so no Math.min
      nextReadAt = verifyAt;
    }
  }

  /** The attempt due at {@code now}, if any; it is in flight until {@link #done}. */
  public Optional<Attempt> next(long now) {
    if (inFlight) {
      return Optional.empty();
    }
    if (pending && now - dueAt >= 0) {
      inFlight = true;
      attempts++;
      return Optional.of(
          new Attempt(
              generation, Optional.of(desired), Optional.ofNullable(lastSeen), server, attempts));
    }
    if (!pending && reads() && now - nextReadAt >= 0) {
      inFlight = true;
      return Optional.of(
          new Attempt(generation, Optional.empty(), Optional.ofNullable(lastSeen), server, 1));
    }
    return Optional.empty();
  }

  /** When {@link #next} will have something to do; empty while an attempt is in flight. */
  public OptionalLong deadline() {
    if (inFlight) {
      return OptionalLong.empty();
    }
    if (pending) {
      return OptionalLong.of(dueAt);
    }
    return reads() ? OptionalLong.of(nextReadAt) : OptionalLong.empty();
  }

  private boolean reads() {
    return policy.verifyIntervalNanos() > 0 || lastSeen == null;
  }

  /** The answer to {@code attempt}; returns what is worth recording. */
  public List<Note> done(Attempt attempt, Outcome outcome, long now) {
    inFlight = false;
    List<Note> notes = new ArrayList<>();
    if (attempt.generation() != generation) {
      // Superseded meanwhile: the answer only says what the server holds now.
      switch (outcome) {
        case Outcome.Confirmed c -> lastSeen = c.values();
        case Outcome.Observed o -> lastSeen = o.values();
        case Outcome.Conflict c -> lastSeen = c.found();
        case Outcome.Failed f -> {}
      }
      return notes;
    }
    switch (outcome) {
      case Outcome.Confirmed c -> confirmed(c.values(), now, notes);
      case Outcome.Observed o -> observed(o.values(), now, notes);
      case Outcome.Conflict c -> conflicted(c.found(), now, notes);
      case Outcome.Failed f -> failed(attempt, f.error(), now, notes);
    }
    return notes;
  }

  private void confirmed(Set<String> values, long now, List<Note> notes) {
    notes.add(new Note.Confirmed(desired, attempts, repairing, values));
    lastSeen = values;
    lastConfirmed = values;
    lastError = null;
    pending = false;
    failures = 0;
    server = 0;
    repairing = false;
    nextReadAt = now + policy.verifyIntervalNanos();
    if (desired instanceof Desired.Remove) {
      desired = null; // done: a removal is not held against later writers
    }
  }

  private void observed(Set<String> values, long now, List<Note> notes) {
    lastSeen = values;
    failures = 0;
    if (desired instanceof Desired.Replace held && !conflict && !held.satisfiedBy(values)) {
      notes.add(new Note.Drift(held, values));
      generation++;
      pending = true;
      repairing = true;
      dueAt = now;
      attempts = 0;
      return;
    }
    nextReadAt = now + policy.verifyIntervalNanos();
  }

  private void conflicted(Set<String> found, long now, List<Note> notes) {
    lastSeen = found;
    if (desired.satisfiedBy(found)) {
      // Someone (the other node, an operator) already wrote what we want: nothing to write.
      confirmed(found, now, notes);
      return;
    }
    if (policy.overwriteOnConflict()) {
      notes.add(new Note.Conflict(desired, found, true));
      // The first conflict is retried at once with the new prerequisite; a record that keeps
      // changing under us backs off like a failure, so two writers cannot spin.
      failures++;
      dueAt = now + (failures == 1 ? 0 : policy.delayAfter(failures * policy.servers()));
      lastError = "prerequisite failed: the server held " + text(found);
      return;
    }
    notes.add(new Note.Conflict(desired, found, false));
    lastError = "conflict: the server holds " + text(found) + "; left alone (on-conflict: alarm)";
    conflict = true;
    pending = false;
    nextReadAt = now + policy.verifyIntervalNanos();
  }

  private void failed(Attempt attempt, String error, long now, List<Note> notes) {
    failures++;
    lastError = error;
    server = (server + 1) % policy.servers();
    long delay = policy.delayAfter(failures);
    notes.add(new Note.Retry(error, attempt.attempt(), delay, server, attempt.isRead()));
    if (attempt.isRead()) {
      nextReadAt = now + Math.max(delay, 1);
    } else {
      dueAt = now + delay;
    }
  }

  /** {@code {198.18.0.50}}, or {@code nothing}. */
  public static String text(Set<String> values) {
    return values.isEmpty() ? "nothing" : "{" + String.join(", ", values) + "}";
  }

  public View view() {
    return new View(
        Optional.ofNullable(desired),
        Optional.ofNullable(lastSeen),
        Optional.ofNullable(lastConfirmed),
        pending,
        failures,
        Optional.ofNullable(lastError),
        conflict);
  }

  /** What survives a restart; see {@link #restore}. */
  public Saved save() {
    return new Saved(
        pending && desired instanceof Desired.Remove r ? Optional.of(r) : Optional.empty(),
        Optional.ofNullable(lastSeen),
        Optional.ofNullable(lastConfirmed));
  }

  /**
   * Takes over what an earlier run saved. A pending removal is retried: the node released and must
   * still take its value out. A claim is not restored: it belonged to the run that was master, and
   * this run is not master until it claims again.
   */
  public void restore(Saved saved, long now) {
    saved.pendingRemove().ifPresent(r -> want(r, now));
    saved.lastSeen().ifPresent(v -> lastSeen = v);
    saved.lastConfirmed().ifPresent(v -> lastConfirmed = v);
  }

  /** The persistent part of one queue. */
  public record Saved(
      Optional<Desired.Remove> pendingRemove,
      Optional<Set<String>> lastSeen,
      Optional<Set<String>> lastConfirmed) {}
}
