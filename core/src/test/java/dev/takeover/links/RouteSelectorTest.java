package dev.takeover.links;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteSelectorTest {
  @Test
  void theFirstHealthyNextHopWins() {
    assertThat(RouteSelector.choose(new boolean[] {true, true}, -1)).isEqualTo(0);
    assertThat(RouteSelector.choose(new boolean[] {false, true}, 0)).isEqualTo(1);
    assertThat(RouteSelector.choose(new boolean[] {true, true}, 1)).isEqualTo(0); // switchback
  }

  @Test
  void withNoneHealthyTheRouteStays() {
    assertThat(RouteSelector.choose(new boolean[] {false, false}, 1)).isEqualTo(1);
    assertThat(RouteSelector.choose(new boolean[] {false, false}, -1)).isEqualTo(0);
  }
}
