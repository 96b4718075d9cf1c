package dev.takeover.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.clock.Clock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalFollowerTest {
  private static final JournalOptions SMALL =
      JournalOptions.DEFAULTS.withMaxFileBytes(1024).withKeepFiles(5);

  @TempDir Path dir;

  private final AtomicLong wallMillis = new AtomicLong(1_762_164_930_123L);
  private final InstantSource wall = () -> Instant.ofEpochMilli(wallMillis.getAndIncrement());

  private Journal open(JournalOptions options) throws IOException {
    Journal j = Journal.create(dir, "lb1", options, Clock.of(System::nanoTime, wall));
    j.start();
    return j;
  }

  private static EventDraft check(int i) {
    return Events.checkUp("web", "http", "probe " + i);
  }

  private static List<String> details(List<JournalEvent> events) {
    return events.stream().map(e -> (String) e.fields().get("detail")).toList();
  }

  private static List<String> probes(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add("probe " + i);
    }
    return out;
  }

  /** Waits until the writer has flushed everything appended so far. */
  private static void flushed(Journal journal, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      if (Journal.read(journal.stateDir(), e -> true, Integer.MAX_VALUE).events().size() >= count) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the writer did not flush " + count + " events within 5 s");
  }

  @Test
  void followSeesOnlyEventsAppendedAfterItStartedAlsoAcrossRotations() throws Exception {
    List<JournalEvent> got = new CopyOnWriteArrayList<>();
    try (Journal journal = open(SMALL)) {
      for (int i = 0; i < 3; i++) {
        journal.append(check(i));
      }
      flushed(journal, 3);
      JournalFollower follower = Journal.follow(dir, e -> true, got::add);
      try {
        // ~200 bytes per event and 1 KiB files: a rotation every ~5 events, paced so the
        // follower runs between some of them and not others.
        for (int i = 3; i < 40; i++) {
          journal.append(check(i));
          if (i % 7 == 0) {
            Thread.sleep(120);
          }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (got.size() < 37 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
      } finally {
        follower.close();
      }
    }

    assertThat(details(got)).isEqualTo(probes(3, 40));
  }

  @Test
  void onePollAfterSeveralRotationsReadsEveryFileInBetween() throws Exception {
    JournalFollower follower = new JournalFollower(dir, e -> true, false);
    try (Journal journal = open(SMALL)) {
      journal.append(check(0));
      flushed(journal, 1);
      assertThat(follower.poll().events()).isEmpty(); // positioned at the end
      for (int i = 1; i < 15; i++) {
        journal.append(check(i)); // about three rotations
      }
      flushed(journal, 15);
      assertThat(JournalFiles.oldestFirst(dir).size()).isGreaterThanOrEqualTo(3);

      ReadResult r = follower.poll();

      assertThat(r.skipped()).isEmpty();
      assertThat(details(r.events())).isEqualTo(probes(1, 15));
      assertThat(follower.poll().events()).isEmpty();
    } finally {
      follower.close();
    }
  }

  @Test
  void aLineIsReturnedOnlyOnceItIsComplete() throws Exception {
    try (Journal journal = open(JournalOptions.DEFAULTS)) {
      journal.append(check(0));
      flushed(journal, 1);
    }
    JournalFollower follower = new JournalFollower(dir, e -> true, true);
    try {
      assertThat(details(follower.poll().events())).containsExactly("probe 0");
      String line =
          JournalJson.write(
              new JournalEvent(
                  "0zzzzzzzz0000-lb1",
                  Instant.EPOCH,
                  1,
                  "lb1",
                  "web",
                  EventType.CHECK_DOWN,
                  "down",
                  null));
      Path active = JournalFiles.active(dir);
      Files.writeString(
          active, line.substring(0, 20), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      assertThat(follower.poll().events()).isEmpty();

      Files.writeString(
          active, line.substring(20) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      ReadResult r = follower.poll();

      assertThat(r.skipped()).isEmpty();
      assertThat(r.events()).extracting(JournalEvent::type).containsExactly(EventType.CHECK_DOWN);
    } finally {
      follower.close();
    }
  }

  @Test
  void aFollowerStartedBeforeTheJournalExistsReadsItFromTheStart() throws Exception {
    JournalFollower follower = new JournalFollower(dir, e -> e.type() == EventType.CHECK_UP, false);
    try {
      assertThat(follower.poll().events()).isEmpty();
      try (Journal journal = open(JournalOptions.DEFAULTS)) {
        journal.append(check(0));
        journal.append(Events.checkDown("web", "http", "probe 1"));
        journal.append(check(2));
        flushed(journal, 3);
      }

      assertThat(details(follower.poll().events())).containsExactly("probe 0", "probe 2");
    } finally {
      follower.close();
    }
  }
}
