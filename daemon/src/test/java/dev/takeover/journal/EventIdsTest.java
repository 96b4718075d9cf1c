package dev.takeover.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventIdsTest {
  private static final long T = 1_762_164_930_123L; // 2025-11-03

  @Test
  void idsAreFixedWidthAndSortByTime() {
    EventIds ids = new EventIds("lb1", Optional.empty());

    String a = ids.next(T);
    String b = ids.next(T);
    String c = ids.next(T + 1);

    assertThat(a).matches("[0-9a-z]{13}-lb1").endsWith("-lb1");
    assertThat(a.substring(9, 13)).isEqualTo("0000");
    assertThat(List.of(a, b, c)).isSorted().doesNotHaveDuplicates();
    // Later in time sorts later also across nodes.
    assertThat(new EventIds("a-node", Optional.empty()).next(T + 2)).isGreaterThan(c);
  }

  @Test
  void aClockSteppingBackNeverMakesAnIdGoBack() {
    EventIds ids = new EventIds("lb1", Optional.empty());
    List<String> out = new ArrayList<>();

    out.add(ids.next(T));
    out.add(ids.next(T - 60_000));
    out.add(ids.next(T - 30_000));
    out.add(ids.next(T + 1));

    assertThat(out).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void aRestartContinuesAfterTheLastIdInTheJournal() {
    String last = new EventIds("lb1", Optional.empty()).next(T + 5_000);

    // The new process's clock is behind the journal (stepped back while it was down).
    String next = new EventIds("lb1", Optional.of(last)).next(T);

    assertThat(next).isGreaterThan(last);
  }

  @Test
  void aFullCounterMovesTheTimePartOn() {
    long limit = 36L * 36 * 36 * 36;
    EventIds ids = new EventIds("lb1", Optional.empty());
    String previous = ids.next(T);
    for (long i = 1; i <= limit; i++) {
      String id = ids.next(T);
      if (i >= limit - 1) {
        assertThat(id).isGreaterThan(previous);
      }
      previous = id;
    }
    assertThat(EventIds.parse(previous)).get().satisfies(p -> assertThat(p[0]).isEqualTo(T + 1));
  }

  @Test
  void foreignIdsAreNotParsed() {
    assertThat(EventIds.parse("hello")).isEmpty();
    assertThat(EventIds.parse("zzzzzzzzzzzzz")).isEmpty();
  }
}
