package dev.takeover.health;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the groups' tracked files (keepalived's {@code track_file}) every {@link #INTERVAL_MILLIS}
 * ms on its own platform thread and reports a value when it differs from the last one reported for
 * that group and file (and once at the start). Decides nothing: what a value does is {@code
 * vrrp.TrackFileRule}'s, applied by the group's policy on the engine thread.
 *
 * <p>Reading: the first line, trimmed, as a decimal integer (keepalived reads "a number in text").
 * A missing file, one that cannot be read, or text that is not an integer reads as 0 and is logged
 * (once per episode): keepalived's {@code init_file} default is 0, so 0 is "no effect". A file is
 * read up to 64 bytes; a FIFO or device is not opened.
 */
public final class TrackFilePoller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("takeover");

  /** keepalived polls track files with inotify; a short poll is close enough for a priority. */
  public static final long INTERVAL_MILLIS = 500;

  private static final int MAX_BYTES = 64;

  /** One file of one group. */
  public record Watch(int group, String path) {
    public Watch {
      Objects.requireNonNull(path, "path");
    }
  }

  /** What {@link #read} found: the value, and why it is 0 if the file could not give one. */
  record Reading(long value, String problem) {}

  private volatile List<Watch> watches = List.of();
  private final Reporter reporter;
  private final Map<Watch, Long> reported = new HashMap<>(); // the poll thread's alone
  private final Map<Watch, String> problems = new HashMap<>(); // the poll thread's alone
  private final Thread thread;
  private volatile boolean running = true;

  /** Receives a changed value. */
  public interface Reporter {
    void changed(Watch watch, long value);
  }

  public TrackFilePoller(Reporter reporter) {
    this.reporter = reporter;
    this.thread = Thread.ofPlatform().daemon().name("track-files").unstarted(this::loop);
  }

  /** Starts polling. */
  public void start() {
    thread.start();
  }

  /** The files to read from now on (at start and on reload; any thread). */
  public void replace(List<Watch> next) {
    watches = List.copyOf(next);
    LockSupport.unpark(thread); // it waits without a deadline while there is nothing to read
  }

  private void loop() {
    while (running) {
      List<Watch> now = watches;
      reported.keySet().retainAll(now);
      problems.keySet().retainAll(now);
      if (now.isEmpty()) {
        // Most configurations have no track file: then the thread sleeps until a reload gives
        // it one (replace) or close() ends it, instead of waking twice a second for nothing.
        LockSupport.park(this);
        continue;
      }
      try {
        for (Watch w : now) {
          Reading r = read(Path.of(w.path()));
          String before = r.problem() == null ? problems.remove(w) : problems.put(w, r.problem());
          if (r.problem() != null && !r.problem().equals(before)) {
            log.warn("track file {} reads as 0: {}", w.path(), r.problem());
          }
          Long last = reported.put(w, r.value());
          if (last == null || last != r.value()) {
            reporter.changed(w, r.value());
          }
        }
      } catch (RuntimeException e) {
        // One bad round must not end the polling for good, silently (issue 9: a thread that
        // failover relies on dies loudly or not at all). An OutOfMemoryError exits the process
        // (the launcher's -XX:+ExitOnOutOfMemoryError).
        log.error("track files: unexpected error, going on", e);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The file's value; 0 with the problem when it has none. */
  static Reading read(Path file) {
    if (!Files.exists(file)) {
      return new Reading(0, "does not exist");
    }
    if (!Files.isRegularFile(file)) {
      return new Reading(0, "is not a regular file");
    }
    String text;
    try (InputStream in = Files.newInputStream(file)) {
      text = new String(in.readNBytes(MAX_BYTES), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return new Reading(0, "cannot be read: " + e.getMessage());
    }
    String first = text.lines().findFirst().orElse("").strip();
    try {
      return new Reading(Long.parseLong(first), null);
    } catch (NumberFormatException e) {
      return new Reading(0, "\"" + first + "\" is not an integer");
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
