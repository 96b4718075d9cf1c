package dev.takeover.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StatsTest {
  private static List<Double> oneTo(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> (double) i).toList();
  }

  @Test
  void nearestRankPicksAMeasuredValue() {
    List<Double> ten = oneTo(10);
    assertThat(Stats.nearestRank(ten, 50)).isEqualTo(5.0); // rank ⌈5⌉
    assertThat(Stats.nearestRank(ten, 90)).isEqualTo(9.0);
    assertThat(Stats.nearestRank(ten, 95)).isEqualTo(10.0); // rank ⌈9.5⌉ = 10
    assertThat(Stats.nearestRank(ten, 100)).isEqualTo(10.0);
    assertThat(Stats.nearestRank(oneTo(20), 95)).isEqualTo(19.0);
    assertThat(Stats.nearestRank(oneTo(1), 1)).isEqualTo(1.0);
  }

  @Test
  void summaryOfUnsortedValues() {
    Stats.Summary s = Stats.summarize(List.of(30.0, 10.0, 20.0, 40.0));
    assertThat(s.count()).isEqualTo(4);
    assertThat(s.min()).isEqualTo(10.0);
    assertThat(s.median()).isEqualTo(20.0); // rank ⌈2⌉, not the interpolated 25
    assertThat(s.p95()).isEqualTo(40.0);
    assertThat(s.max()).isEqualTo(40.0);
  }

  @Test
  void emptyHasNoSummaryAndBadPercentilesAreRejected() {
    assertThat(Stats.summarize(List.of())).isNull();
    assertThatThrownBy(() -> Stats.nearestRank(List.of(), 50))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Stats.nearestRank(oneTo(3), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
