package dev.takeover.keepalived;

import java.io.IOException;
import java.util.List;

/**
 * Where the reader gets its files: the disk ({@link DiskConfFiles}) or, in tests, a map of strings.
 * Paths are absolute strings; the reader resolves relative {@code include} patterns against the
 * including file's directory before it asks.
 */
public interface ConfFiles {

  /**
   * The text of one file.
   *
   * @throws IOException if it cannot be read, is not a regular file, or is larger than {@link
   *     ConfReader#MAX_FILE_BYTES}; the message says why
   */
  String read(String path) throws IOException;

  /**
   * The paths matching an absolute glob pattern ({@code *}, {@code ?}, {@code [...]}, {@code
   * {a,b}}), sorted; empty if none does. A pattern without wildcards names at most that file.
   */
  List<String> glob(String pattern) throws IOException;
}
