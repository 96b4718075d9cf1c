package dev.takeover.journal;

/**
 * How a {@link Journal} writes.
 *
 * @param maxFileBytes rotate {@code journal.jsonl} before it would grow past this size
 * @param keepFiles how many rotated files to keep ({@code journal.jsonl.1} newest ... {@code .N})
 * @param queueCapacity events that may wait for the writer; more are dropped and counted
 * @param mirrorToLog also log every event at INFO on the {@code takeover.journal} logger. Off by
 *     default: the daemon already logs each transition, address change and hook on its own
 *     categories, so mirroring would print every one of them twice; turn it on where the log is the
 *     only thing collected
 */
public record JournalOptions(
    long maxFileBytes, int keepFiles, int queueCapacity, boolean mirrorToLog) {

  public static final long DEFAULT_MAX_FILE_BYTES = 10L * 1024 * 1024;
  public static final int DEFAULT_KEEP_FILES = 5;
  public static final int DEFAULT_QUEUE_CAPACITY = 4096;

  public static final JournalOptions DEFAULTS =
      new JournalOptions(DEFAULT_MAX_FILE_BYTES, DEFAULT_KEEP_FILES, DEFAULT_QUEUE_CAPACITY, false);

  public JournalOptions {
    if (maxFileBytes < 1024) {
      throw new IllegalArgumentException("maxFileBytes must be at least 1024, got " + maxFileBytes);
    }
    if (keepFiles < 1) {
      throw new IllegalArgumentException("keepFiles must be at least 1, got " + keepFiles);
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be at least 1, got " + queueCapacity);
    }
  }

  public JournalOptions withMaxFileBytes(long bytes) {
    return new JournalOptions(bytes, keepFiles, queueCapacity, mirrorToLog);
  }

  public JournalOptions withKeepFiles(int files) {
    return new JournalOptions(maxFileBytes, files, queueCapacity, mirrorToLog);
  }

  public JournalOptions withQueueCapacity(int capacity) {
    return new JournalOptions(maxFileBytes, keepFiles, capacity, mirrorToLog);
  }

  public JournalOptions withMirrorToLog(boolean mirror) {
    return new JournalOptions(maxFileBytes, keepFiles, queueCapacity, mirror);
  }
}
