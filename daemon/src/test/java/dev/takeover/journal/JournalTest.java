package dev.takeover.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.takeover.action.GroupState;
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
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  private static final JournalOptions SMALL = JournalOptions.DEFAULTS.withMaxFileBytes(1024);

  @TempDir Path dir;

  private final AtomicLong wallMillis = new AtomicLong(1_762_164_930_123L);
  private final AtomicLong mono = new AtomicLong(Long.MAX_VALUE - 1_000_000);
  private final InstantSource wall = () -> Instant.ofEpochMilli(wallMillis.get());

  private Journal open(JournalOptions options) throws IOException {
    Journal j = Journal.create(dir, "lb1", options, Clock.of(mono::get, wall));
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

  private ReadResult readAll() {
    return Journal.read(dir, e -> true, Integer.MAX_VALUE);
  }

  @Test
  void eventsAreWrittenAndReadBackInOrder() throws IOException {
    try (Journal journal = open(JournalOptions.DEFAULTS)) {
      journal.append(
          Events.stateChanged("web", GroupState.INITIALIZE, GroupState.BACKUP, "startup"), 42);
      for (int i = 0; i < 20; i++) {
        wallMillis.addAndGet(i % 3 == 0 ? 1 : 0);
        journal.append(check(i));
      }
    }

    ReadResult read = readAll();

    assertThat(read.skipped()).isEmpty();
    assertThat(read.events()).hasSize(21);
    JournalEvent first = read.events().getFirst();
    assertThat(first.type()).isEqualTo(EventType.STATE_CHANGED);
    assertThat(first.monotonicNanos()).isEqualTo(42);
    assertThat(first.node()).isEqualTo("lb1");
    assertThat(first.group()).isEqualTo("web");
    assertThat(first.fields()).containsEntry("to", "BACKUP").containsEntry("reason", "startup");
    assertThat(details(read.events().subList(1, 21))).isEqualTo(probes(0, 20));
    assertThat(read.events().stream().map(JournalEvent::id).toList())
        .isSorted()
        .doesNotHaveDuplicates();
    assertThat(Files.readAllLines(JournalFiles.active(dir))).hasSize(21);
  }

  @Test
  void theIdleWriterWaitsWithoutATimeoutAndCloseStillEndsIt() throws Exception {
    java.util.Set<Thread> before = writerThreads();
    Journal journal = open(JournalOptions.DEFAULTS);
    journal.append(check(1));
    java.util.Set<Thread> after = writerThreads();
    after.removeAll(before);
    Thread writer = after.iterator().next();
    // Written, then idle: parked without a deadline (it polled every 100 ms before, so it was
    // TIMED_WAITING between its wake-ups).
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while ((readAll().events().isEmpty() || writer.getState() != Thread.State.WAITING)
        && System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
    }
    assertThat(writer.getState()).isEqualTo(Thread.State.WAITING);
    journal.append(check(2));
    journal.close();
    // close() woke it: it wrote what was queued and ended, well inside close()'s 5 s wait.
    assertThat(writer.isAlive()).isFalse();
    assertThat(details(readAll().events())).containsExactly("probe 1", "probe 2");
  }

  private static java.util.Set<Thread> writerThreads() {
    java.util.Set<Thread> writers = new java.util.HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("takeover-journal") && t.isAlive()) {
        writers.add(t);
      }
    }
    return writers;
  }

  @Test
  void readFiltersAndKeepsTheNewest() throws IOException {
    try (Journal journal = open(JournalOptions.DEFAULTS)) {
      for (int i = 0; i < 10; i++) {
        journal.append(i % 2 == 0 ? check(i) : Events.checkDown("web", "http", "probe " + i));
      }
    }

    ReadResult read = Journal.read(dir, e -> e.type() == EventType.CHECK_UP, 3);

    assertThat(details(read.events())).containsExactly("probe 4", "probe 6", "probe 8");
  }

  @Test
  void rotationKeepsTheNewestFilesAndReadCrossesThemInOrder() throws IOException {
    int total = 200; // ~200 bytes each: about 40 files' worth at 1 KiB
    try (Journal journal = open(SMALL.withKeepFiles(3))) {
      for (int i = 0; i < total; i++) {
        journal.append(check(i));
      }
    }

    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactly(
              "journal.jsonl", "journal.jsonl.1", "journal.jsonl.2", "journal.jsonl.3");
    }
    for (Path f : JournalFiles.oldestFirst(dir)) {
      assertThat(Files.size(f)).isLessThanOrEqualTo(1024);
    }
    ReadResult read = readAll();
    List<String> got = details(read.events());
    assertThat(read.skipped()).isEmpty();
    assertThat(got).hasSizeBetween(10, 40);
    // A gapless run of the newest events, oldest first.
    assertThat(got).isEqualTo(probes(total - got.size(), total));
  }

  @Test
  void aRestartAppendsAndIdsStayUniqueAndIncreasing() throws IOException {
    try (Journal journal = open(JournalOptions.DEFAULTS)) {
      for (int i = 0; i < 3; i++) {
        journal.append(check(i));
      }
    }
    // The second run's clock is an hour behind (stepped back while the daemon was down).
    wallMillis.addAndGet(-3_600_000);
    try (Journal journal = open(JournalOptions.DEFAULTS)) {
      for (int i = 3; i < 6; i++) {
        journal.append(check(i));
      }
    }

    List<JournalEvent> events = readAll().events();

    assertThat(details(events)).isEqualTo(probes(0, 6));
    List<String> ids = events.stream().map(JournalEvent::id).toList();
    assertThat(ids).isSorted().doesNotHaveDuplicates();
    assertThat(Files.readAllLines(JournalFiles.active(dir))).hasSize(6);
  }

  @Test
  void aTornLastLineIsSkippedAndReportedAndTheNextRunStartsOnANewLine() throws IOException {
    try (Journal journal = open(JournalOptions.DEFAULTS)) {
      journal.append(check(0));
      journal.append(check(1));
    }
    // A crash in the middle of writing the third line.
    String third =
        JournalJson.write(
            new JournalEvent("x", Instant.EPOCH, 0, "lb1", "web", EventType.CHECK_UP, "m", null));
    Files.writeString(
        JournalFiles.active(dir),
        third.substring(0, 30),
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    ReadResult afterCrash = readAll();

    assertThat(details(afterCrash.events())).containsExactly("probe 0", "probe 1");
    assertThat(afterCrash.skipped()).hasSize(1);
    assertThat(afterCrash.skipped().getFirst().file()).isEqualTo(JournalFiles.active(dir));
    assertThat(afterCrash.skipped().getFirst().line()).isEqualTo(3);

    try (Journal journal = open(JournalOptions.DEFAULTS)) {
      journal.append(check(2));
    }
    ReadResult afterRestart = readAll();
    assertThat(details(afterRestart.events())).containsExactly("probe 0", "probe 1", "probe 2");
    assertThat(afterRestart.skipped()).hasSize(1);
  }

  @Test
  void aFullQueueDropsCountsAndNeverBlocks() throws IOException {
    // The writer is not started: nothing leaves the queue of 4.
    Journal journal =
        Journal.create(
            dir, "lb1", JournalOptions.DEFAULTS.withQueueCapacity(4), Clock.of(mono::get, wall));
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          for (int i = 0; i < 10_004; i++) {
            journal.append(check(i));
          }
        });
    assertThat(journal.droppedCount()).isEqualTo(10_000);

    journal.start();
    // Wait until the writer drained the queue, then the next event gets in and reports the gap.
    List<JournalEvent> seen = new CopyOnWriteArrayList<>();
    journal.subscribe(seen::add);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    JournalEvent marked = null;
    while (marked == null && System.nanoTime() < deadline) {
      JournalEvent e = journal.append(check(20_000));
      if (e.fields().containsKey(Journal.DROPPED_FIELD)) {
        marked = e;
      }
    }
    journal.close();

    assertThat(marked).isNotNull();
    long dropped = journal.droppedCount();
    assertThat(marked.fields().get(Journal.DROPPED_FIELD)).isEqualTo(dropped);
    assertThat(marked.message()).contains(dropped + " earlier event(s) dropped");
    List<JournalEvent> written = readAll().events();
    assertThat(details(written.subList(0, 4))).isEqualTo(probes(0, 4));
    assertThat(written.get(4)).isEqualTo(marked);
    assertThat(written.stream().filter(e -> e.fields().containsKey(Journal.DROPPED_FIELD)))
        .containsExactly(marked);
    assertThat(seen).contains(marked);
  }

  @Test
  void subscribersSeeEveryWrittenEventInOrderUntilTheyUnsubscribe() throws Exception {
    List<JournalEvent> seen = new CopyOnWriteArrayList<>();
    List<JournalEvent> appended = new ArrayList<>();
    try (Journal journal = open(JournalOptions.DEFAULTS)) {
      AutoCloseable subscription = journal.subscribe(seen::add);
      journal.subscribe(
          e -> {
            if ("probe 0".equals(e.fields().get("detail"))) {
              throw new IllegalStateException("a broken subscriber");
            }
          });
      for (int i = 0; i < 50; i++) {
        appended.add(journal.append(check(i)));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (seen.size() < 50 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      subscription.close();
      journal.append(check(50));
    }

    assertThat(seen).isEqualTo(appended);
    assertThat(readAll().events()).hasSize(51);
  }

  @Test
  void appendAfterCloseIsCountedNotThrown() throws IOException {
    Journal journal = open(JournalOptions.DEFAULTS);
    journal.close();

    journal.append(check(0));

    assertThat(journal.droppedCount()).isEqualTo(1);
    assertThat(readAll().events()).isEmpty();
  }

  @Test
  void mirroringToTheLogIsOptionalAndDoesNotChangeTheFile() throws IOException {
    try (Journal journal = open(JournalOptions.DEFAULTS.withMirrorToLog(true))) {
      journal.append(Events.daemonStarted("0.1.0", 1234, List.of("web")));
    }

    JournalEvent e = readAll().events().getFirst();
    assertThat(e.group()).isNull();
    assertThat(e.fields())
        .isEqualTo(Map.of("version", "0.1.0", "pid", 1234L, "groups", List.of("web")));
    assertThat(e.logLine())
        .startsWith("daemon.started takeover 0.1.0 started (pid 1234, 1 group(s))");
  }

  @Test
  void aWriterThatDiesGoesToItsDeathHandler() throws Exception {
    java.util.concurrent.CompletableFuture<Throwable> died =
        new java.util.concurrent.CompletableFuture<>();
    try (Journal j =
        Journal.open(
            dir,
            "lb1",
            JournalOptions.DEFAULTS,
            Clock.of(mono::get, wall),
            (thread, error) -> died.complete(error))) {
      var unused =
          j.subscribe(
              event -> {
                throw new InternalError("subscriber broke the writer");
              });
      j.append(check(1));
      assertThat(died.get(5, java.util.concurrent.TimeUnit.SECONDS))
          .hasMessage("subscriber broke the writer");
    }
  }
}
