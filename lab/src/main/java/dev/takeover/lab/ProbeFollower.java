package dev.takeover.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Follows a {@code takeover probe} process from its parent: tails the process's log file and parses
 * the JSON event lines as they appear. Events carry their own monotonic timestamps, so the polling
 * delay here does not affect measurements.
 */
public final class ProbeFollower {
  private static final long POLL_NANOS = 2_000_000;

  private final LabProcess process;
  private final Path log;
  private final List<ProbeEvent> events = new ArrayList<>();
  private final ByteArrayOutputStream partialLine = new ByteArrayOutputStream();
  private long offset;

  public ProbeFollower(LabProcess process) {
    this.process = process;
    this.log = process.logFile();
  }

  public LabProcess process() {
    return process;
  }

  /** All events seen so far. */
  public synchronized List<ProbeEvent> events() {
    poll();
    return List.copyOf(events);
  }

  /** A position in the event stream, for {@link #awaitSince}. */
  public synchronized int mark() {
    poll();
    return events.size();
  }

  /** Events of {@code type} seen after {@code mark}. */
  public synchronized <T extends ProbeEvent> List<T> since(int mark, Class<T> type) {
    poll();
    return events.subList(mark, events.size()).stream()
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  /**
   * The first event of {@code type} after {@code mark} matching {@code condition}, waiting for it.
   */
  public <T extends ProbeEvent> T awaitSince(
      int mark, Class<T> type, Predicate<? super T> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> found = since(mark, type).stream().filter(condition).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      if (!process.isAlive()) {
        poll();
        found = since(mark, type).stream().filter(condition).findFirst();
        if (found.isPresent()) {
          return found.get();
        }
        throw new LabException("probe process exited; its output:\n" + process.log());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new LabException(
            "no matching " + type.getSimpleName() + " event within " + timeout.toMillis() + " ms");
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  /** The first answer from {@code node} after {@code mark}, waiting up to {@code timeout}. */
  public ProbeEvent.AnswererChanged awaitAnswerer(int mark, String node, Duration timeout) {
    return awaitSince(mark, ProbeEvent.AnswererChanged.class, c -> node.equals(c.to()), timeout);
  }

  /** Terminates the probe process (SIGTERM) and returns its final summary. */
  public ProbeReport stop(Duration timeout) {
    int mark = mark();
    process.signal(LabProcess.Signal.TERM);
    return awaitSince(mark, ProbeReport.class, r -> true, timeout);
  }

  private void poll() {
    if (!Files.exists(log)) {
      return;
    }
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      while (true) {
        buffer.clear();
        int n = channel.read(buffer, offset);
        if (n <= 0) {
          return;
        }
        offset += n;
        for (int i = 0; i < n; i++) {
          byte b = buffer.get(i);
          if (b == '\n') {
            String line = partialLine.toString(StandardCharsets.UTF_8);
            partialLine.reset();
            ProbeJson.parse(line).ifPresent(events::add);
          } else {
            partialLine.write(b);
          }
        }
      }
    } catch (IOException e) {
      throw new LabException("cannot read " + log, e);
    }
  }
}
