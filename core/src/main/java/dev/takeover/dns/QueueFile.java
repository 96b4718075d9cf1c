package dev.takeover.dns;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The text form of the record queues in the state directory: pure, so a torn or edited file is
 * tested without a disk.
 *
 * <pre>
 * takeover-dns-queue 1
 * www.example.test./A\tremove=198.18.0.50\tseen=198.18.0.50\tconfirmed=198.18.0.50\t1a2b3c4d
 * </pre>
 *
 * <p>One line per RRset, ending in the CRC-32 of everything before its last tab. The effect writes
 * a new file and renames it over the old one, so a reader sees the old file or the new one; a line
 * that is cut short (a crash in the middle of a copy, a full disk) or altered fails its CRC and is
 * dropped alone, and the rest is kept: losing one record's memory costs a read, losing the file
 * costs every read.
 */
public final class QueueFile {
  public static final String HEADER = "takeover-dns-queue 1";
  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9.:_-]+");

  private QueueFile() {}

  /** What a file held, and how many lines were dropped as torn or malformed. */
  public record Read(Map<String, RecordQueue.Saved> queues, int dropped) {}

  public static String encode(Map<String, RecordQueue.Saved> queues) {
    StringBuilder out = new StringBuilder(HEADER).append('\n');
    queues.forEach(
        (key, saved) -> {
          String body =
              key
                  + "\tremove="
                  + saved.pendingRemove().map(r -> join(r.values())).orElse("-")
                  + "\tseen="
                  + saved.lastSeen().map(QueueFile::join).orElse("-")
                  + "\tconfirmed="
                  + saved.lastConfirmed().map(QueueFile::join).orElse("-");
          out.append(body).append('\t').append(crc(body)).append('\n');
        });
    return out.toString();
  }

  public static Read decode(String text) {
    Map<String, RecordQueue.Saved> queues = new LinkedHashMap<>();
    if (!text.startsWith(HEADER + "\n")) {
      // No header: not our file, or torn before its first line ended. Nothing is trusted.
      return new Read(queues, text.isBlank() ? 0 : 1);
    }
    String[] lines = text.substring(HEADER.length() + 1).split("\n", -1);
    int dropped = 0;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      boolean last = i == lines.length - 1;
      if (last && line.isEmpty()) {
        break; // the newline that ends the file
      }
      Optional<Map.Entry<String, RecordQueue.Saved>> entry = last ? Optional.empty() : line(line);
      if (entry.isEmpty()) {
        dropped++; // a last line without newline was cut short, even if it parses
        continue;
      }
      queues.put(entry.get().getKey(), entry.get().getValue());
    }
    return new Read(queues, dropped);
  }

  private static Optional<Map.Entry<String, RecordQueue.Saved>> line(String line) {
    int lastTab = line.lastIndexOf('\t');
    if (lastTab < 0 || !line.substring(lastTab + 1).equals(crc(line.substring(0, lastTab)))) {
      return Optional.empty();
    }
    String[] f = line.substring(0, lastTab).split("\t", -1);
    if (f.length != 4
        || f[0].isEmpty()
        || !f[1].startsWith("remove=")
        || !f[2].startsWith("seen=")
        || !f[3].startsWith("confirmed=")) {
      return Optional.empty();
    }
    Optional<Set<String>> remove;
    Optional<Set<String>> seen;
    Optional<Set<String>> confirmed;
    try {
      remove = values(f[1].substring("remove=".length()));
      seen = values(f[2].substring("seen=".length()));
      confirmed = values(f[3].substring("confirmed=".length()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.of(
        Map.entry(f[0], new RecordQueue.Saved(remove.map(Desired.Remove::new), seen, confirmed)));
  }

  /** "-": none; "": the empty set; else comma-separated values. Throws if malformed. */
  private static Optional<Set<String>> values(String field) {
    if (field.equals("-")) {
      return Optional.empty();
    }
    if (field.isEmpty()) {
      return Optional.of(Set.of());
    }
    String[] parts = field.split(",", -1);
    for (String p : parts) {
      if (!VALUE.matcher(p).matches()) {
        throw new IllegalArgumentException("malformed value");
      }
    }
    return Optional.of(Desired.sorted(Set.copyOf(Arrays.asList(parts))));
  }

  private static String join(Set<String> values) {
    return String.join(",", Desired.sorted(values)); // one text per set, whatever its order
  }

  private static String crc(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return String.format("%08x", crc.getValue());
  }
}
