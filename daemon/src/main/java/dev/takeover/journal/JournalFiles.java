package dev.takeover.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Names and order of the journal files in a state directory. */
final class JournalFiles {
  static final String ACTIVE = "journal.jsonl";

  private JournalFiles() {}

  static Path active(Path stateDir) {
    return stateDir.resolve(ACTIVE);
  }

  static Path rotated(Path stateDir, int n) {
    return stateDir.resolve(ACTIVE + "." + n);
  }

  /** Every journal file that exists, oldest first: {@code .N ... .2 .1}, then the active one. */
  static List<Path> oldestFirst(Path stateDir) {
    List<Integer> numbers = new ArrayList<>();
    try (var files = Files.list(stateDir)) {
      files.forEach(
          p -> {
            String name = p.getFileName().toString();
            if (name.startsWith(ACTIVE + ".")) {
              try {
                numbers.add(Integer.parseInt(name.substring(ACTIVE.length() + 1)));
              } catch (NumberFormatException e) {
                // journal.jsonl.tmp or the like: not ours
              }
            }
          });
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    numbers.sort((a, b) -> Integer.compare(b, a));
    List<Path> out = new ArrayList<>();
    for (int n : numbers) {
      if (n > 0) {
        out.add(rotated(stateDir, n));
      }
    }
    Path active = active(stateDir);
    if (Files.exists(active)) {
      out.add(active);
    }
    return out;
  }

  /**
   * Shifts {@code .k} to {@code .k+1} for every k, dropping what falls past {@code keep}, and
   * renames the active file to {@code .1}. The caller has closed the active file.
   */
  static void rotate(Path stateDir, int keep) throws IOException {
    Files.deleteIfExists(rotated(stateDir, keep));
    for (int k = keep - 1; k >= 1; k--) {
      Path from = rotated(stateDir, k);
      if (Files.exists(from)) {
        Files.move(from, rotated(stateDir, k + 1), StandardCopyOption.ATOMIC_MOVE);
      }
    }
    Path active = active(stateDir);
    if (Files.exists(active)) {
      Files.move(active, rotated(stateDir, 1), StandardCopyOption.ATOMIC_MOVE);
    }
    // Older files past keep (after lowering keep in the configuration) go too.
    for (int k = keep + 1; Files.exists(rotated(stateDir, k)); k++) {
      Files.delete(rotated(stateDir, k));
    }
    syncDirectory(stateDir);
  }

  /** Makes renames durable; best effort, as not every file system allows opening a directory. */
  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Nothing to do: the data itself was synced.
    }
  }

  /**
   * The id of the newest event in the journal, for continuing ids after a restart. Reads at most
   * the last 64 KiB of each file, newest file first, and skips lines that do not parse.
   */
  static Optional<String> lastEventId(Path stateDir) throws IOException {
    List<Path> files = oldestFirst(stateDir);
    for (int i = files.size() - 1; i >= 0; i--) {
      List<String> lines = tailLines(files.get(i));
      for (int j = lines.size() - 1; j >= 0; j--) {
        try {
          return Optional.of(JournalJson.parse(lines.get(j)).id());
        } catch (IllegalArgumentException e) {
          // a torn or foreign line: look further back
        }
      }
    }
    return Optional.empty();
  }

  private static List<String> tailLines(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      int len = (int) Math.min(size, 64 * 1024);
      ByteBuffer buf = ByteBuffer.allocate(len);
      while (buf.hasRemaining() && ch.read(buf, size - len + buf.position()) > 0) {
        // read until the window is full
      }
      String tail = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
      List<String> lines = new ArrayList<>(List.of(tail.split("\n", -1)));
      // The piece after the last newline is empty or a torn write; the first may be cut by the
      // window.
      lines.removeLast();
      if (len < size && !lines.isEmpty()) {
        lines.removeFirst();
      }
      return lines;
    }
  }

  /** Whether the file is non-empty and its last byte is not a newline (a torn write). */
  static boolean endsTorn(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size == 0) {
        return false;
      }
      ByteBuffer last = ByteBuffer.allocate(1);
      ch.read(last, size - 1);
      return last.get(0) != '\n';
    } catch (NoSuchFileException e) {
      return false;
    }
  }
}
