package dev.takeover.keepalived;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** keepalived.conf files from strings, globbed as the disk would be. */
final class MapConfFiles implements ConfFiles {
  private final Map<String, String> files = new TreeMap<>();

  MapConfFiles put(String path, String text) {
    files.put(path, text);
    return this;
  }

  @Override
  public String read(String path) throws IOException {
    String text = files.get(path);
    if (text == null) {
      throw new IOException("no such file");
    }
    if (text.length() > ConfReader.MAX_FILE_BYTES) {
      throw new IOException(
          "larger than the limit of " + ConfReader.MAX_FILE_BYTES + " bytes for one file");
    }
    return text;
  }

  @Override
  public List<String> glob(String pattern) {
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    return files.keySet().stream().filter(p -> matcher.matches(Path.of(p))).toList();
  }
}
