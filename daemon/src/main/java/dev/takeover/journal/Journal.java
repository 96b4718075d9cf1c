package dev.takeover.journal;

import dev.takeover.clock.Clock;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's events of record, as JSON lines in {@code <stateDir>/journal.jsonl}.
 *
 * <p>Implementation notes: {@link #append} runs on the engine thread, which must never wait for a
 * disk, so it only stamps the event (id, wall time, monotonic time) and offers it to a bounded
 * queue. One platform thread writes: it takes whatever is queued as a batch, writes the lines
 * through a buffer, and flushes once per batch (so a crash of the process loses nothing that was
 * flushed); it fsyncs when it rotates and when it closes, which is what survives a power loss. When
 * the queue is full the event is dropped and counted, and the next event that gets into the queue
 * carries the count in the field {@code droppedBefore} (so the gap is marked where it is); events
 * the writer could not write (disk full) are reported the same way on the next event it writes. Ids
 * are assigned and offered under one lock, so the file order is the id order. Subscribers are
 * called on the writer thread after each batch is flushed, and must not block. A file that ends in
 * a torn line (a crash mid-write) gets a newline first, so the torn line stays one bad line that
 * readers skip.
 */
public final class Journal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("takeover.journal");
  private static final int MAX_BATCH = 512;
  private static final long POLL_MILLIS = 100;
  // The writer waits for events without a timeout: an idle daemon's writer never wakes (it woke
  // ten times a second to look for close()). close() queues this marker instead; it is never
  // written.
  private static final JournalEvent WAKE_TO_CLOSE =
      new JournalEvent(
          "-", Instant.EPOCH, 0, "-", null, EventType.DAEMON_STOPPED, "close", Map.of());

  /** The field the writer adds to the first event written after drops. */
  public static final String DROPPED_FIELD = "droppedBefore";

  private final Path stateDir;
  private final String node;
  private final JournalOptions options;
  private final Clock clock;
  private final BlockingQueue<JournalEvent> queue;
  private final EventIds ids;
  private final Object appendLock = new Object();
  private final AtomicLong droppedTotal = new AtomicLong();
  private long droppedUnreported; // guarded by appendLock: queue full or closed
  private final AtomicLong lostByWriter = new AtomicLong(); // file not writable, not yet reported
  private final List<Consumer<JournalEvent>> subscribers = new CopyOnWriteArrayList<>();
  private final Thread writer;
  private final Thread.UncaughtExceptionHandler onWriterDeath;
  private boolean closed; // guarded by appendLock
  private volatile boolean closing;

  // The writer thread's, after create() opened the file (Thread.start orders the two).
  private FileChannel channel;
  private OutputStream out;
  private long size;
  private boolean writeFailing;

  private Journal(
      Path stateDir,
      String node,
      JournalOptions options,
      Clock clock,
      EventIds ids,
      Thread.UncaughtExceptionHandler onWriterDeath) {
    this.stateDir = stateDir;
    this.onWriterDeath = onWriterDeath;
    this.node = node;
    this.options = options;
    this.clock = clock;
    this.ids = ids;
    this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
    this.writer =
        Thread.ofPlatform()
            .name("takeover-journal")
            .daemon()
            .uncaughtExceptionHandler(onWriterDeath)
            .unstarted(this::writeLoop);
  }

  /**
   * Opens (or creates) the journal in {@code stateDir} and starts its writer. Ids continue after
   * the newest event already there.
   *
   * @throws IOException when the directory cannot be created or the journal file cannot be opened
   */
  public static Journal open(Path stateDir, String node, JournalOptions options, Clock clock)
      throws IOException {
    return open(stateDir, node, options, clock, Journal::logWriterDeath);
  }

  /**
   * Like {@link #open(Path, String, JournalOptions, Clock)}, with {@code onWriterDeath} (also the
   * writer thread's uncaught-exception handler) called if the writer dies of an unexpected error;
   * the daemon's ends the process.
   */
  public static Journal open(
      Path stateDir,
      String node,
      JournalOptions options,
      Clock clock,
      Thread.UncaughtExceptionHandler onWriterDeath)
      throws IOException {
    Journal journal = create(stateDir, node, options, clock, onWriterDeath);
    journal.start();
    return journal;
  }

  private static void logWriterDeath(Thread thread, Throwable error) {
    log.error("journal writer stopped by an unexpected error", error);
  }

  /** A journal whose writer is not started yet: tests fill its queue before {@link #start()}. */
  static Journal create(Path stateDir, String node, JournalOptions options, Clock clock)
      throws IOException {
    return create(stateDir, node, options, clock, Journal::logWriterDeath);
  }

  private static Journal create(
      Path stateDir,
      String node,
      JournalOptions options,
      Clock clock,
      Thread.UncaughtExceptionHandler onWriterDeath)
      throws IOException {
    Objects.requireNonNull(options, "options");
    if (node == null || node.isBlank() || node.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("node name must be non-blank text, got " + node);
    }
    Files.createDirectories(stateDir);
    EventIds ids = new EventIds(node, JournalFiles.lastEventId(stateDir));
    Journal journal = new Journal(stateDir, node, options, clock, ids, onWriterDeath);
    // Open now so that a bad state directory fails the start-up, not the first event.
    journal.openActive();
    return journal;
  }

  void start() {
    writer.start();
  }

  /** Stamps the event with the journal's monotonic clock and queues it; never blocks. */
  public JournalEvent append(EventDraft draft) {
    return append(draft, clock.nanoTime());
  }

  /**
   * Stamps the event and queues it for writing; never blocks and never does I/O. When the queue is
   * full or the journal is closed, the event is dropped and counted.
   *
   * @param monotonicNanos when it happened on the engine's clock (the engine passes its {@code
   *     now})
   * @return the stamped event, whether it was queued or dropped
   */
  public JournalEvent append(EventDraft draft, long monotonicNanos) {
    Instant now = clock.instant();
    synchronized (appendLock) {
      JournalEvent event =
          new JournalEvent(
              ids.next(now.toEpochMilli()),
              now,
              monotonicNanos,
              node,
              draft.group(),
              draft.type(),
              draft.message(),
              draft.fields());
      // The first event queued after a gap says how many are missing right before it.
      JournalEvent queued =
          droppedUnreported == 0 ? event : withDropReport(event, droppedUnreported);
      if (!closed && queue.offer(queued)) {
        droppedUnreported = 0;
        return queued;
      }
      droppedTotal.incrementAndGet();
      droppedUnreported++;
      return event;
    }
  }

  /** Shorthand for {@code append(new EventDraft(type, group, message, fields))}. */
  public JournalEvent append(
      EventType type, String group, String message, Map<String, Object> fields) {
    return append(new EventDraft(type, group, message, fields));
  }

  /**
   * Calls {@code subscriber} with every event after it is written, on the writer thread, in order.
   * A subscriber must return quickly (hand off to its own queue); an exception it throws is logged
   * and does not stop the others.
   *
   * @return closing it ends the subscription
   */
  public AutoCloseable subscribe(Consumer<JournalEvent> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  /** Events dropped since this journal was opened because the queue was full or it was closed. */
  public long droppedCount() {
    return droppedTotal.get();
  }

  public Path stateDir() {
    return stateDir;
  }

  /** Writes what is queued, fsyncs and stops the writer. Waits at most 5 s. */
  @Override
  public void close() {
    synchronized (appendLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    closing = true;
    // A full queue keeps the writer busy, and it looks at closing after every batch.
    queue.offer(WAKE_TO_CLOSE);
    if (writer.getState() == Thread.State.NEW) {
      writer.start();
    }
    try {
      writer.join(Duration.ofSeconds(5));
      if (writer.isAlive()) {
        log.error("journal writer did not finish within 5 s; {} events may be lost", queue.size());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Reads events from every journal file in {@code stateDir}, oldest file first.
   *
   * @param filter which events to keep
   * @param limit keep only the newest {@code limit} events that pass the filter
   * @throws UncheckedIOException when a file exists but cannot be read
   */
  public static ReadResult read(Path stateDir, Predicate<? super JournalEvent> filter, int limit) {
    return JournalReader.read(stateDir, filter, limit);
  }

  /**
   * The oldest {@code limit} events whose id sorts after {@code afterId} (ids sort in time order,
   * see docs/JOURNAL.md), oldest first: how the API pages forward, resumes an event stream and how
   * webhooks catch up from their cursor. Stops reading once it has them.
   */
  public static ReadResult readAfter(Path stateDir, String afterId, int limit) {
    return JournalReader.readAfter(JournalFiles.oldestFirst(stateDir), afterId, limit);
  }

  /**
   * Reads the events of one journal file, e.g. a copy taken off a crashed node ({@code events
   * --file}); like {@link #read}, but without looking for rotated files next to it.
   */
  public static ReadResult readFile(Path file, Predicate<? super JournalEvent> filter, int limit) {
    return JournalReader.read(List.of(file), filter, limit);
  }

  /**
   * Tails the journal: calls {@code sink} with each event written after this call, about every 100
   * ms, on a thread of its own, also across rotations. Close the result to stop.
   */
  public static JournalFollower follow(
      Path stateDir, Predicate<? super JournalEvent> filter, Consumer<JournalEvent> sink) {
    return JournalFollower.start(stateDir, filter, sink, Duration.ofMillis(POLL_MILLIS));
  }

  // ---- writer thread ----

  private void writeLoop() {
    List<JournalEvent> batch = new ArrayList<>();
    try {
      while (true) {
        if (closing && queue.isEmpty()) {
          break;
        }
        JournalEvent first = queue.take();
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        batch.removeIf(Journal::isWakeToClose);
        if (!batch.isEmpty()) {
          writeBatch(batch);
          batch.clear();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable e) {
      onWriterDeath.uncaughtException(writer, e); // first: logging could fail (OutOfMemoryError)
    } finally {
      closeActive(true);
    }
  }

  @SuppressWarnings("ReferenceEquality") // the marker is this one instance, equal to no event
  private static boolean isWakeToClose(JournalEvent event) {
    return event == WAKE_TO_CLOSE;
  }

  private void writeBatch(List<JournalEvent> batch) {
    List<JournalEvent> written = new ArrayList<>(batch.size());
    try {
      if (out == null) {
        openActive();
      }
      for (JournalEvent event : batch) {
        long lost = lostByWriter.getAndSet(0);
        if (lost > 0) {
          event = withDropReport(event, lost);
        }
        if (event.fields().get(DROPPED_FIELD) instanceof Long n) {
          log.warn(
              "journal dropped {} event(s) before {}: queue full or disk error", n, event.id());
        }
        byte[] line = (JournalJson.write(event) + "\n").getBytes(StandardCharsets.UTF_8);
        if (size > 0 && size + line.length > options.maxFileBytes()) {
          rotate();
        }
        out.write(line);
        size += line.length;
        written.add(event);
      }
      out.flush();
      if (writeFailing) {
        writeFailing = false;
        log.warn("journal writes to {} work again", JournalFiles.active(stateDir));
      }
    } catch (IOException | UncheckedIOException e) {
      int lost = batch.size() - written.size();
      droppedTotal.addAndGet(lost);
      lostByWriter.addAndGet(lost);
      if (!writeFailing) {
        writeFailing = true;
        log.error("cannot write the journal {}: {}", JournalFiles.active(stateDir), e.toString());
      }
      // Start over with a fresh file handle next batch.
      closeActive(false);
    }
    for (JournalEvent event : written) {
      if (options.mirrorToLog()) {
        log.info("{}", event.logLine());
      }
      for (Consumer<JournalEvent> s : subscribers) {
        try {
          s.accept(event);
        } catch (RuntimeException e) {
          log.warn("journal subscriber failed on {}: {}", event.id(), e.toString());
        }
      }
    }
  }

  private static JournalEvent withDropReport(JournalEvent event, long dropped) {
    Object earlier = event.fields().get(DROPPED_FIELD);
    long total = dropped + (earlier instanceof Long l ? l : 0);
    return event
        .withField(DROPPED_FIELD, total)
        .withMessage(event.message() + " [" + dropped + " earlier event(s) dropped]");
  }

  private void openActive() throws IOException {
    Path file = JournalFiles.active(stateDir);
    boolean torn = JournalFiles.endsTorn(file);
    channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    size = channel.size();
    out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
    if (torn) {
      log.warn("{} ends in a torn line (crash while writing?); it will be skipped", file);
      out.write('\n');
      out.flush();
      size++;
    }
  }

  private void rotate() throws IOException {
    out.flush();
    channel.force(true);
    out.close();
    out = null;
    channel = null;
    boolean rotated = false;
    try {
      JournalFiles.rotate(stateDir, options.keepFiles());
      rotated = true;
    } catch (IOException e) {
      // Keep writing to the one file rather than lose events.
      log.warn("journal rotation failed, still writing {}: {}", JournalFiles.active(stateDir), e);
    }
    openActive();
    if (!rotated) {
      size = 0; // try again after another maxFileBytes, not on every event
    }
  }

  private void closeActive(boolean sync) {
    if (out == null) {
      return;
    }
    try {
      out.flush();
      if (sync) {
        channel.force(true);
      }
    } catch (IOException e) {
      log.error("journal could not be flushed on close: {}", e.toString());
    }
    try {
      out.close();
    } catch (IOException e) {
      // closing after a failed flush: nothing more to save
    }
    out = null;
    channel = null;
  }
}
