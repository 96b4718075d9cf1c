package dev.takeover.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.clock.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The per-RRset queue on a fake clock that starts near overflow. */
class RecordQueueTest {
  private static final long MS = 1_000_000L;
  private static final RetryPolicy ONE_SERVER =
      new RetryPolicy(1, 500 * MS, 4_000 * MS, 30_000 * MS, true);
  private static final Desired.Replace N1 = new Desired.Replace(Set.of("198.18.0.1"));
  private static final Desired.Replace N2 = new Desired.Replace(Set.of("198.18.0.2"));

  private final ManualClock clock = new ManualClock(Long.MAX_VALUE - 3_600_000 * MS, Instant.EPOCH);

  private long now() {
    return clock.nanoTime();
  }

  private void advance(long millis) {
    clock.advance(Duration.ofMillis(millis));
  }

  /** A queue that has read the RRset once and found {@code seen}. */
  private RecordQueue queueThatSaw(RetryPolicy policy, Set<String> seen) {
    RecordQueue q = new RecordQueue(policy, now());
    Attempt read = q.next(now()).orElseThrow();
    assertThat(read.isRead()).isTrue();
    assertThat(q.done(read, new Outcome.Observed(seen), now())).isEmpty();
    return q;
  }

  @Test
  void aClaimIsSentAtOnceWithWhatWasLastSeenAsItsPrerequisite() {
    RecordQueue q = queueThatSaw(ONE_SERVER, Set.of("198.18.0.2"));
    q.want(N1, now());
    assertThat(q.deadline()).hasValue(now());
    Attempt a = q.next(now()).orElseThrow();
    assertThat(a.desired()).contains(N1);
    assertThat(a.expected()).contains(Set.of("198.18.0.2"));
    assertThat(q.next(now())).as("one attempt in flight").isEmpty();
    assertThat(q.deadline()).isEmpty();
    List<Note> notes = q.done(a, new Outcome.Confirmed(Set.of("198.18.0.1")), now());
    assertThat(notes).containsExactly(new Note.Confirmed(N1, 1, false, Set.of("198.18.0.1")));
    assertThat(q.view().lastConfirmed()).contains(Set.of("198.18.0.1"));
    assertThat(q.view().pending()).isFalse();
    assertThat(q.deadline()).hasValue(now() + 30_000 * MS);
  }

  @Test
  void failuresBackOffExponentiallyUpToTheCap() {
    RecordQueue q = queueThatSaw(ONE_SERVER, Set.of());
    q.want(N1, now());
    long[] expected = {500, 1000, 2000, 4000, 4000, 4000};
    for (long wait : expected) {
      Attempt a = q.next(now()).orElseThrow();
      List<Note> notes = q.done(a, new Outcome.Failed("timeout"), now());
      assertThat(notes).singleElement().isInstanceOf(Note.Retry.class);
      assertThat(((Note.Retry) notes.getFirst()).delayNanos()).isEqualTo(wait * MS);
      assertThat(q.deadline()).hasValue(now() + wait * MS);
      advance(wait - 1);
      assertThat(q.next(now())).isEmpty();
      advance(1);
    }
    Attempt last = q.next(now()).orElseThrow();
    assertThat(last.attempt()).isEqualTo(7);
    assertThat(q.view().failures()).isEqualTo(6);
    assertThat(q.view().lastError()).contains("timeout");
    q.done(last, new Outcome.Confirmed(Set.of("198.18.0.1")), now());
    assertThat(q.view().failures()).isZero();
    assertThat(q.view().lastError()).isEmpty();
  }

  @Test
  void serversAreTriedInOrderBeforeWaiting() {
    RetryPolicy three = new RetryPolicy(3, 500 * MS, 4_000 * MS, 30_000 * MS, true);
    RecordQueue q = queueThatSaw(three, Set.of());
    q.want(N1, now());
    assertThat(q.next(now()).orElseThrow().server()).isZero();
    // (drive each attempt to failure)
    Attempt a = null;
    int[] servers = {0, 1, 2, 0};
    long[] waits = {0, 0, 500, 0};
    q = queueThatSaw(three, Set.of());
    q.want(N1, now());
    for (int i = 0; i < servers.length; i++) {
      a = q.next(now()).orElseThrow();
      assertThat(a.server()).isEqualTo(servers[i]);
      q.done(a, new Outcome.Failed("REFUSED"), now());
      advance(waits[i]);
    }
    assertThat(q.next(now()).orElseThrow().server()).isEqualTo(1);
  }

  @Test
  void aNewerClaimSupersedesAPendingOneAndALateAnswerOnlyTeachesWhatTheServerHolds() {
    RecordQueue q = queueThatSaw(ONE_SERVER, Set.of());
    q.want(N1, now());
    Attempt first = q.next(now()).orElseThrow();
    q.want(N2, now()); // e.g. released and claimed again with another target
    // The first one's answer comes late: it was applied, so it is what the server holds now.
    assertThat(q.done(first, new Outcome.Confirmed(Set.of("198.18.0.1")), now())).isEmpty();
    Attempt second = q.next(now()).orElseThrow();
    assertThat(second.desired()).contains(N2);
    assertThat(second.expected()).contains(Set.of("198.18.0.1"));
    q.done(second, new Outcome.Confirmed(Set.of("198.18.0.2")), now());
    assertThat(q.view().lastConfirmed()).contains(Set.of("198.18.0.2"));
  }

  @Test
  void aFailedPrerequisiteIsOverwrittenWithWhatWasFoundWhenThePolicySaysSo() {
    RecordQueue q = queueThatSaw(ONE_SERVER, Set.of());
    q.want(N1, now());
    Attempt a = q.next(now()).orElseThrow();
    List<Note> notes = q.done(a, new Outcome.Conflict(Set.of("198.18.0.9")), now());
    assertThat(notes).containsExactly(new Note.Conflict(N1, Set.of("198.18.0.9"), true));
    Attempt again = q.next(now()).orElseThrow();
    assertThat(again.expected()).contains(Set.of("198.18.0.9"));
    // A second conflict in a row backs off, so two writers cannot spin.
    q.done(again, new Outcome.Conflict(Set.of("198.18.0.8")), now());
    assertThat(q.next(now())).isEmpty();
    assertThat(q.deadline()).hasValue(now() + 1000 * MS);
  }

  @Test
  void aFailedPrerequisiteIsLeftAloneUnderTheAlarmPolicyUntilTheNextClaim() {
    RetryPolicy alarm = new RetryPolicy(1, 500 * MS, 4_000 * MS, 30_000 * MS, false);
    RecordQueue q = queueThatSaw(alarm, Set.of());
    q.want(N1, now());
    Attempt a = q.next(now()).orElseThrow();
    assertThat(q.done(a, new Outcome.Conflict(Set.of("198.18.0.9")), now()))
        .containsExactly(new Note.Conflict(N1, Set.of("198.18.0.9"), false));
    assertThat(q.view().conflict()).isTrue();
    assertThat(q.view().lastError().orElseThrow()).contains("198.18.0.9", "alarm");
    // Reads go on, but find no drift to repair.
    advance(30_000);
    Attempt read = q.next(now()).orElseThrow();
    assertThat(read.isRead()).isTrue();
    assertThat(q.done(read, new Outcome.Observed(Set.of("198.18.0.9")), now())).isEmpty();
    q.want(N1, now());
    assertThat(q.view().conflict()).isFalse();
    assertThat(q.next(now()).orElseThrow().desired()).contains(N1);
  }

  @Test
  void aConflictWithWhatWeWantIsAConfirmation() {
    RecordQueue q = queueThatSaw(ONE_SERVER, Set.of());
    q.want(N1, now());
    Attempt a = q.next(now()).orElseThrow();
    assertThat(q.done(a, new Outcome.Conflict(Set.of("198.18.0.1")), now()))
        .containsExactly(new Note.Confirmed(N1, 1, false, Set.of("198.18.0.1")));
  }

  @Test
  void driftWhileHoldingIsRepairedAndSaidSo() {
    RecordQueue q = queueThatSaw(ONE_SERVER, Set.of());
    q.want(N1, now());
    q.done(q.next(now()).orElseThrow(), new Outcome.Confirmed(Set.of("198.18.0.1")), now());
    advance(30_000);
    Attempt read = q.next(now()).orElseThrow();
    assertThat(read.isRead()).isTrue();
    assertThat(q.done(read, new Outcome.Observed(Set.of("198.18.0.66")), now()))
        .containsExactly(new Note.Drift(N1, Set.of("198.18.0.66")));
    Attempt repair = q.next(now()).orElseThrow();
    assertThat(repair.expected()).contains(Set.of("198.18.0.66"));
    assertThat(q.done(repair, new Outcome.Confirmed(Set.of("198.18.0.1")), now()))
        .containsExactly(new Note.Confirmed(N1, 1, true, Set.of("198.18.0.1")));
  }

  @Test
  void aReleaseThatLeavesTheRecordStopsWritingButKeepsReading() {
    RecordQueue q = queueThatSaw(ONE_SERVER, Set.of());
    q.want(N1, now());
    Attempt a = q.next(now()).orElseThrow();
    q.cancel(now());
    q.done(a, new Outcome.Failed("timeout"), now());
    assertThat(q.view().pending()).isFalse();
    assertThat(q.view().desired()).isEmpty();
    advance(30_000);
    Attempt read = q.next(now()).orElseThrow();
    assertThat(read.isRead()).isTrue();
    assertThat(q.done(read, new Outcome.Observed(Set.of("198.18.0.2")), now())).isEmpty();
  }

  /** Deadlines are compared by difference: nanoTime may wrap between two of them. */
  @Test
  void aReleaseKeepsTheEarlierReadWhenTheClockWrapsBetweenThem() {
    ManualClock late = new ManualClock(Long.MAX_VALUE - 40_000 * MS, Instant.EPOCH);
    RecordQueue q = new RecordQueue(ONE_SERVER, late.nanoTime());
    q.done(q.next(late.nanoTime()).orElseThrow(), new Outcome.Observed(Set.of()), late.nanoTime());
    long readAt = late.nanoTime() + 30_000 * MS; // 10 s before the wrap
    q.want(N1, late.nanoTime());
    Attempt claim = q.next(late.nanoTime()).orElseThrow();
    late.advance(Duration.ofMillis(15_000)); // now + 30 s wraps; the read due before it does not
    q.cancel(late.nanoTime());
    q.done(claim, new Outcome.Failed("timeout"), late.nanoTime());
    assertThat(q.deadline()).hasValue(readAt);
  }

  @Test
  void aConfirmedRemovalIsNotHeldAgainstLaterWriters() {
    RecordQueue q = queueThatSaw(ONE_SERVER, Set.of("198.18.0.1"));
    Desired.Remove remove = new Desired.Remove(Set.of("198.18.0.1"));
    q.want(remove, now());
    q.done(q.next(now()).orElseThrow(), new Outcome.Confirmed(Set.of()), now());
    assertThat(q.view().desired()).isEmpty();
    advance(30_000);
    Attempt read = q.next(now()).orElseThrow();
    assertThat(q.done(read, new Outcome.Observed(Set.of("198.18.0.1")), now())).isEmpty();
  }

  @Test
  void aPendingRemovalSurvivesARestartAndAPendingClaimDoesNot() {
    RecordQueue removing = queueThatSaw(ONE_SERVER, Set.of("198.18.0.1"));
    removing.want(new Desired.Remove(Set.of("198.18.0.1")), now());
    removing.done(removing.next(now()).orElseThrow(), new Outcome.Failed("timeout"), now());
    RecordQueue claiming = queueThatSaw(ONE_SERVER, Set.of());
    claiming.want(N1, now());
    String file = QueueFile.encode(Map.of("www./A", removing.save(), "db./A", claiming.save()));

    QueueFile.Read read = QueueFile.decode(file);
    assertThat(read.dropped()).isZero();
    RecordQueue again = new RecordQueue(ONE_SERVER, now());
    again.restore(read.queues().get("www./A"), now());
    Attempt a = again.next(now()).orElseThrow();
    assertThat(a.desired()).contains(new Desired.Remove(Set.of("198.18.0.1")));
    assertThat(a.expected()).contains(Set.of("198.18.0.1"));

    RecordQueue claimAgain = new RecordQueue(ONE_SERVER, now());
    claimAgain.restore(read.queues().get("db./A"), now());
    assertThat(claimAgain.next(now()).orElseThrow().isRead()).isTrue();
    assertThat(claimAgain.view().lastConfirmed()).isEmpty();
  }

  @Test
  void theViewShowsWhatStatusNeeds() {
    RecordQueue q = queueThatSaw(ONE_SERVER, Set.of());
    q.want(N1, now());
    q.done(q.next(now()).orElseThrow(), new Outcome.Failed("NOTAUTH (TSIG BADSIG)"), now());
    RecordQueue.View v = q.view();
    assertThat(v.desired()).contains(N1);
    assertThat(v.pending()).isTrue();
    assertThat(v.failures()).isEqualTo(1);
    assertThat(v.lastError()).contains("NOTAUTH (TSIG BADSIG)");
    assertThat(v.lastSeen()).contains(Set.of());
    assertThat(v.lastConfirmed()).isEqualTo(Optional.empty());
  }
}
