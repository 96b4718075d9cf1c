package dev.takeover.journal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/** Reads the journal files of a state directory in order. */
final class JournalReader {
  private JournalReader() {}

  static ReadResult read(Path stateDir, Predicate<? super JournalEvent> filter, int limit) {
    return read(JournalFiles.oldestFirst(stateDir), filter, limit);
  }

  /** Reads {@code files} in the order given, as one journal. */
  static ReadResult read(List<Path> files, Predicate<? super JournalEvent> filter, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    Deque<JournalEvent> newest = new ArrayDeque<>();
    List<ReadResult.SkippedLine> skipped = new ArrayList<>();
    String lastId = "";
    for (Path file : files) {
      // InputStreamReader replaces bytes that are not UTF-8 (a torn multi-byte character).
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
        long number = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          number++;
          if (line.isEmpty()) {
            continue;
          }
          JournalEvent event;
          try {
            event = JournalJson.parse(line);
          } catch (IllegalArgumentException e) {
            skipped.add(new ReadResult.SkippedLine(file, number, e.getMessage()));
            continue;
          }
          // Ids increase through the journal; an id seen already means a rotation happened while
          // we listed the files and we are reading a renamed file a second time.
          if (event.id().compareTo(lastId) <= 0) {
            continue;
          }
          lastId = event.id();
          if (filter.test(event)) {
            newest.addLast(event);
            if (newest.size() > limit) {
              newest.removeFirst();
            }
          }
        }
      } catch (NoSuchFileException e) {
        // rotated away between listing and opening
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new ReadResult(new ArrayList<>(newest), skipped);
  }

  /** The first {@code limit} events with an id after {@code afterId}, oldest first. */
  static ReadResult readAfter(List<Path> files, String afterId, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    List<JournalEvent> first = new ArrayList<>();
    List<ReadResult.SkippedLine> skipped = new ArrayList<>();
    String lastId = afterId == null ? "" : afterId;
    for (Path file : files) {
      if (first.size() >= limit) {
        break;
      }
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
        long number = 0;
        for (String line = in.readLine();
            line != null && first.size() < limit;
            line = in.readLine()) {
          number++;
          if (line.isEmpty()) {
            continue;
          }
          JournalEvent event;
          try {
            event = JournalJson.parse(line);
          } catch (IllegalArgumentException e) {
            skipped.add(new ReadResult.SkippedLine(file, number, e.getMessage()));
            continue;
          }
          if (event.id().compareTo(lastId) > 0) {
            lastId = event.id();
            first.add(event);
          }
        }
      } catch (NoSuchFileException e) {
        // rotated away between listing and opening
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new ReadResult(first, skipped);
  }
}
