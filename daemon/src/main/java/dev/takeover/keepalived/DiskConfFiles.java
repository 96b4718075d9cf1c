package dev.takeover.keepalived;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/** {@link ConfFiles} on the local file system. */
public final class DiskConfFiles implements ConfFiles {

  /** How many directory entries one glob may look at, so a pattern over a huge tree ends. */
  static final int MAX_GLOB_ENTRIES = 10_000;

  @Override
  public String read(String path) throws IOException {
    Path file = Path.of(path);
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new IOException("no such file");
    }
    // Before opening: a FIFO would block, a device would never end.
    if (!attributes.isRegularFile()) {
      throw new IOException(attributes.isDirectory() ? "a directory" : "not a regular file");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(ConfReader.MAX_FILE_BYTES + 1);
    }
    if (bytes.length > ConfReader.MAX_FILE_BYTES) {
      throw new IOException(
          "larger than the limit of " + ConfReader.MAX_FILE_BYTES + " bytes for one file");
    }
    // keepalived reads bytes; a stray Latin-1 byte in a comment must not stop the import.
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  @Override
  public List<String> glob(String pattern) throws IOException {
    if (!hasWildcard(pattern)) {
      return Files.exists(Path.of(pattern)) ? List.of(pattern) : List.of();
    }
    // Walk from the deepest directory without a wildcard, as deep as the pattern has components.
    Path full = Path.of(pattern);
    Path base = full.getRoot();
    int fixed = 0;
    for (Path part : full) {
      if (hasWildcard(part.toString())) {
        break;
      }
      base = base.resolve(part);
      fixed++;
    }
    int depth = full.getNameCount() - fixed;
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    List<String> found = new ArrayList<>();
    int[] seen = {0};
    walk(base, depth, matcher, found, seen);
    found.sort(null);
    return found;
  }

  private static void walk(
      Path path, int depth, PathMatcher matcher, List<String> found, int[] seen)
      throws IOException {
    if (depth == 0) {
      if (matcher.matches(path) && Files.isRegularFile(path)) {
        found.add(path.toString());
      }
      return;
    }
    if (!Files.isDirectory(path)) {
      return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
      for (Path entry : entries) {
        if (++seen[0] > MAX_GLOB_ENTRIES) {
          throw new IOException("the pattern matches more than " + MAX_GLOB_ENTRIES + " entries");
        }
        walk(entry, depth - 1, matcher, found, seen);
      }
    }
  }

  static boolean hasWildcard(String s) {
    return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }
}
