package dev.takeover.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The queue file: round trip, and what survives a torn or edited file. */
class QueueFileTest {
  private static final RecordQueue.Saved WWW =
      new RecordQueue.Saved(
          Optional.of(new Desired.Remove(Set.of("198.18.0.1"))),
          Optional.of(Set.of("198.18.0.1", "198.18.0.2")),
          Optional.of(Set.of("198.18.0.1")));
  private static final RecordQueue.Saved PTR =
      new RecordQueue.Saved(
          Optional.empty(), Optional.of(Set.of()), Optional.of(Set.of("www.example.test.")));

  private static Map<String, RecordQueue.Saved> both() {
    Map<String, RecordQueue.Saved> m = new LinkedHashMap<>();
    m.put("www.example.test./A", WWW);
    m.put("1.0.18.198.in-addr.arpa./PTR", PTR);
    return m;
  }

  @Test
  void roundTrips() {
    String text = QueueFile.encode(both());
    assertThat(text).startsWith(QueueFile.HEADER + "\n");
    QueueFile.Read read = QueueFile.decode(text);
    assertThat(read.queues()).isEqualTo(both());
    assertThat(read.dropped()).isZero();
    assertThat(QueueFile.encode(read.queues())).isEqualTo(text);
  }

  @Test
  void aLineCutShortIsDroppedAndTheOthersKept() {
    String text = QueueFile.encode(both());
    for (int cut = QueueFile.HEADER.length() + 1; cut < text.length(); cut++) {
      QueueFile.Read read = QueueFile.decode(text.substring(0, cut));
      // Every prefix yields only whole, correct entries.
      read.queues().forEach((k, v) -> assertThat(both()).containsEntry(k, v));
    }
    String firstLineOnly = text.substring(0, text.indexOf('\n', QueueFile.HEADER.length() + 1) + 5);
    QueueFile.Read read = QueueFile.decode(firstLineOnly);
    assertThat(read.queues()).containsOnlyKeys("www.example.test./A");
    assertThat(read.dropped()).isEqualTo(1);
  }

  @Test
  void anEditedLineFailsItsChecksum() {
    String text = QueueFile.encode(both()).replace("198.18.0.2", "198.18.0.3");
    QueueFile.Read read = QueueFile.decode(text);
    assertThat(read.queues()).containsOnlyKeys("1.0.18.198.in-addr.arpa./PTR");
    assertThat(read.dropped()).isEqualTo(1);
  }

  @Test
  void aFileWithoutHeaderIsNotTrusted() {
    assertThat(QueueFile.decode("").queues()).isEmpty();
    assertThat(QueueFile.decode("").dropped()).isZero();
    assertThat(QueueFile.decode("takeover-dns-q").dropped()).isEqualTo(1);
    assertThat(QueueFile.decode("garbage\n\0\0\0").queues()).isEmpty();
  }
}
