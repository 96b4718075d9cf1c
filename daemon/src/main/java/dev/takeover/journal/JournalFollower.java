package dev.takeover.journal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails the journal of a state directory, like {@code tail -F}: each {@link #poll()} returns the
 * complete lines written since the last one.
 *
 * <p>Implementation notes: the follower keeps the active file open and remembers its file key
 * (device and inode). A rename does not change what an open channel reads, so after a rotation it
 * first reads the old file to its end, then the files rotated after it (when more than one rotation
 * happened between two polls), then the new active file from its start. A line without its newline
 * is kept until the rest arrives; a partial line left at the end of a rotated file was torn by a
 * crash and is reported as skipped. Ids strictly increase in a journal, so an event seen twice is
 * dropped by id. Not thread-safe; {@link #start} runs it on one thread.
 */
public final class JournalFollower implements AutoCloseable {
  // A writer rotating faster than we can open a file; past this many rounds the rest is skipped.
  private static final int MAX_ROTATION_ROUNDS = 8;

  private static final Logger log = LoggerFactory.getLogger("takeover.journal");

  private final Path stateDir;
  private final Predicate<? super JournalEvent> filter;
  private FileChannel current;
  private Object currentKey;
  private long position;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
  private String lastId = "";
  private boolean firstOpen = true;
  private final boolean fromStartOfActiveFile;
  private volatile Thread thread;
  private volatile boolean closed;

  /**
   * @param fromStartOfActiveFile true to return the events already in {@code journal.jsonl} first;
   *     false to return only what is written from now on
   */
  public JournalFollower(
      Path stateDir, Predicate<? super JournalEvent> filter, boolean fromStartOfActiveFile) {
    this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
    this.filter = Objects.requireNonNull(filter, "filter");
    this.fromStartOfActiveFile = fromStartOfActiveFile;
  }

  /** A follower that polls every {@code interval} on a daemon thread and hands events to sink. */
  static JournalFollower start(
      Path stateDir,
      Predicate<? super JournalEvent> filter,
      Consumer<JournalEvent> sink,
      Duration interval) {
    JournalFollower follower = new JournalFollower(stateDir, filter, false);
    // Position at the end now, so that "after this call" means after this call, not after the
    // thread first runs.
    follower.poll();
    follower.thread =
        Thread.ofPlatform()
            .name("takeover-journal-follow")
            .daemon()
            .start(
                () -> {
                  while (!follower.closed) {
                    try {
                      ReadResult r = follower.poll();
                      r.skipped().forEach(s -> log.warn("journal line skipped: {}", s));
                      r.events().forEach(sink);
                      Thread.sleep(interval);
                    } catch (InterruptedException e) {
                      return;
                    } catch (RuntimeException e) {
                      log.warn("following the journal: {}", e.toString());
                      try {
                        Thread.sleep(interval);
                      } catch (InterruptedException ie) {
                        return;
                      }
                    }
                  }
                });
    return follower;
  }

  /**
   * The events that passed the filter and were completed since the last poll, oldest first.
   *
   * @throws UncheckedIOException when a journal file exists but cannot be read
   */
  public ReadResult poll() {
    List<JournalEvent> events = new ArrayList<>();
    List<ReadResult.SkippedLine> skipped = new ArrayList<>();
    try {
      Path active = JournalFiles.active(stateDir);
      if (current == null) {
        openActive(active, events, skipped);
        return new ReadResult(events, skipped);
      }
      drain(active, events, skipped);
      Object key = fileKey(active);
      if (key != null && !key.equals(currentKey)) {
        // Rotated: finish the old file (the writer may have added lines before renaming it).
        Object oldKey = currentKey;
        Path old = findRotated(oldKey);
        drain(old == null ? active : old, events, skipped);
        endOfFile(old == null ? active : old, skipped);
        closeCurrent();
        firstOpen = false;
        // Then every file rotated since, then the active one. A rotation between listing the
        // rotated files and opening the active one would hide the file that was active at the
        // listing (it is rotated now, and the active file is a newer one): so open the active file,
        // look again, and read before it whatever rotated file is still unread. Reading the active
        // file first would lose those events (lines are taken in id order).
        Set<Object> read = new HashSet<>();
        read.add(oldKey);
        for (int round = 0; ; round++) {
          for (Rotated newer : rotatedAfter(oldKey)) {
            if (read.add(newer.key())) {
              readWhole(newer.key(), events, skipped);
            }
          }
          openActive(active, events, skipped, false);
          boolean unread = false;
          for (Rotated newer : rotatedAfter(oldKey)) {
            unread |= !read.contains(newer.key()) && !newer.key().equals(currentKey);
          }
          if (!unread || round >= MAX_ROTATION_ROUNDS || current == null) {
            break;
          }
          closeCurrent();
        }
        if (current != null) {
          drain(active, events, skipped);
        }
      } else if (key != null && current.size() < position) {
        // Truncated in place by someone: start over.
        position = 0;
        partial.reset();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ReadResult(events, skipped);
  }

  @Override
  public void close() {
    closed = true;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeCurrent();
  }

  private void openActive(
      Path active, List<JournalEvent> events, List<ReadResult.SkippedLine> skipped)
      throws IOException {
    openActive(active, events, skipped, true);
  }

  /**
   * Opens the active file; unless this is the first open (which starts at its end), positions at
   * its start and reads it when {@code drainNow}.
   */
  private void openActive(
      Path active,
      List<JournalEvent> events,
      List<ReadResult.SkippedLine> skipped,
      boolean drainNow)
      throws IOException {
    // The key must be the opened file's: retry if a rotation renamed it while we opened it.
    for (Object before = fileKey(active); ; before = fileKey(active)) {
      try {
        current = FileChannel.open(active, StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        // No journal yet: the first file the writer creates is read from its start.
        firstOpen = false;
        return;
      }
      Object after = fileKey(active);
      if (before != null && before.equals(after)) {
        currentKey = after;
        break;
      }
      closeCurrent();
    }
    boolean skipExisting = firstOpen && !fromStartOfActiveFile;
    firstOpen = false;
    partial.reset();
    if (skipExisting) {
      // Start after the last complete line: a line being written now is an event after this call.
      position = startOfPartialLine(current, current.size());
    } else {
      position = 0;
      if (drainNow) {
        drain(active, events, skipped);
      }
    }
  }

  /** Where the line that contains {@code end} starts (0 or just after a newline). */
  private static long startOfPartialLine(FileChannel ch, long end) throws IOException {
    long p = end;
    ByteBuffer one = ByteBuffer.allocate(1);
    while (p > 0) {
      one.clear();
      ch.read(one, p - 1);
      if (one.get(0) == '\n') {
        break;
      }
      p--;
    }
    return p;
  }

  private void drain(Path file, List<JournalEvent> events, List<ReadResult.SkippedLine> skipped)
      throws IOException {
    while (true) {
      buffer.clear();
      int n = current.read(buffer, position);
      if (n <= 0) {
        return;
      }
      position += n;
      byte[] bytes = buffer.array();
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (bytes[i] == '\n') {
          partial.write(bytes, start, i - start);
          line(file, partial.toString(StandardCharsets.UTF_8), events, skipped);
          partial.reset();
          start = i + 1;
        }
      }
      partial.write(bytes, start, n - start);
    }
  }

  private void endOfFile(Path file, List<ReadResult.SkippedLine> skipped) {
    if (partial.size() > 0) {
      skipped.add(
          new ReadResult.SkippedLine(file, 0, "torn last line (" + partial.size() + " bytes)"));
      partial.reset();
    }
  }

  /**
   * Reads the rotated file whose key is {@code key} from its start, wherever a rotation has moved
   * it meanwhile (a name is checked before and after opening, as for the active file).
   */
  private void readWhole(
      Object key, List<JournalEvent> events, List<ReadResult.SkippedLine> skipped)
      throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      Path file = null;
      for (Rotated r : rotated()) {
        if (r.key().equals(key)) {
          file = r.path();
        }
      }
      if (file == null) {
        return; // rotated out of existence already
      }
      FileChannel ch;
      try {
        ch = FileChannel.open(file, StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        continue; // renamed under us: look again
      }
      if (!key.equals(fileKey(file))) {
        ch.close(); // renamed and replaced under us: look again
        continue;
      }
      readWhole(file, ch, events, skipped);
      return;
    }
  }

  private void readWhole(
      Path file,
      FileChannel opened,
      List<JournalEvent> events,
      List<ReadResult.SkippedLine> skipped)
      throws IOException {
    FileChannel saved = current;
    long savedPosition = position;
    try (FileChannel ch = opened) {
      current = ch;
      position = 0;
      partial.reset();
      drain(file, events, skipped);
      endOfFile(file, skipped);
    } finally {
      current = saved;
      position = savedPosition;
    }
  }

  private void line(
      Path file, String text, List<JournalEvent> events, List<ReadResult.SkippedLine> skipped) {
    if (text.isEmpty()) {
      return;
    }
    JournalEvent event;
    try {
      event = JournalJson.parse(text);
    } catch (IllegalArgumentException e) {
      skipped.add(new ReadResult.SkippedLine(file, 0, e.getMessage()));
      return;
    }
    if (event.id().compareTo(lastId) <= 0) {
      return;
    }
    lastId = event.id();
    if (filter.test(event)) {
      events.add(event);
    }
  }

  /** The rotated file that is the one we had open, or null if it was rotated out of existence. */
  private Path findRotated(Object key) {
    for (Rotated r : rotated()) {
      if (key.equals(r.key())) {
        return r.path();
      }
    }
    return null;
  }

  /** A rotated file as one consistent look at the directory saw it. */
  private record Rotated(Path path, Object key) {}

  /** Rotated files newer than the one with {@code key}, oldest first. */
  private List<Rotated> rotatedAfter(Object key) {
    List<Rotated> all = rotated();
    List<Rotated> out = new ArrayList<>();
    boolean after = all.stream().noneMatch(r -> r.key().equals(key)); // ours is gone: all newer
    for (Rotated r : all) {
      if (after) {
        out.add(r);
      } else if (key.equals(r.key())) {
        after = true;
      }
    }
    return out;
  }

  /**
   * The rotated files, oldest first, with their keys, from a look at the directory taken while no
   * rotation was half done. A rotation renames {@code .k} to {@code .k+1} one file at a time, so a
   * listing taken in the middle has a gap in the numbers, or a name whose file changes between
   * listing and reading its key, and a file can be missed (JournalFollowerTest lost two files'
   * events, 8 of them, on a loaded machine). So: look twice, and take it only when both looks agree
   * and the numbers run 1..n without a gap; else look again (bounded, then take the last look).
   */
  private List<Rotated> rotated() {
    List<Rotated> last = List.of();
    for (int attempt = 0; attempt < 200; attempt++) {
      List<Rotated> first = lookOnce();
      List<Rotated> second = lookOnce();
      if (first != null && first.equals(second)) {
        return first;
      }
      last = second == null ? last : second;
      Thread.onSpinWait();
      if (attempt > 10) {
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    return last;
  }

  /** One look; null when a rotation is visibly half done (a gap, or a file that vanished). */
  private List<Rotated> lookOnce() {
    Path active = JournalFiles.active(stateDir);
    List<Path> names =
        JournalFiles.oldestFirst(stateDir).stream().filter(p -> !p.equals(active)).toList();
    List<Rotated> out = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      // Oldest first: .n ... .1, so the i-th must be .(n - i).
      if (!names.get(i).equals(JournalFiles.rotated(stateDir, names.size() - i))) {
        return null;
      }
      Object key = fileKey(names.get(i));
      if (key == null) {
        return null;
      }
      out.add(new Rotated(names.get(i), key));
    }
    return out;
  }

  private static Object fileKey(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  private void closeCurrent() {
    if (current != null) {
      try {
        current.close();
      } catch (IOException e) {
        // read-only channel: nothing to lose
      }
      current = null;
    }
  }
}
