package dev.takeover.links;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A next hop is healthy only while every opinion there is agrees (DECISIONS 61). */
class NextHopHealthTest {
  @Test
  void theInterfaceThePathsAndTheProbeMustAllAgree() {
    assertThat(NextHopHealth.of(true, 0, 0, null, ""))
        .isEqualTo(new NextHopHealth(true, "interface up"));
    assertThat(NextHopHealth.of(true, 1, 0, PathStatus.UP, "2 ARP requests answered in a row"))
        .isEqualTo(
            new NextHopHealth(true, "interface up, 1 of 1 paths not DOWN, gateway probe UP"));
    assertThat(NextHopHealth.of(false, 1, 0, PathStatus.UP, ""))
        .isEqualTo(new NextHopHealth(false, "interface down"));
    assertThat(NextHopHealth.of(true, 1, 1, PathStatus.UP, "").reason())
        .isEqualTo("its node-link path is DOWN");
    assertThat(NextHopHealth.of(true, 2, 2, null, "").reason()).isEqualTo("all 2 paths DOWN");
  }

  @Test
  void aDeadGatewayOnALiveLanIsUnhealthy() {
    NextHopHealth h =
        NextHopHealth.of(true, 1, 0, PathStatus.DOWN, "3 ARP requests unanswered in a row");
    assertThat(h.healthy()).isFalse();
    assertThat(h.reason()).isEqualTo("gateway probe DOWN (3 ARP requests unanswered in a row)");
  }

  @Test
  void startingIsHealthySoARouteIsSetAtStart() {
    assertThat(NextHopHealth.of(true, 1, 0, PathStatus.STARTING, "starting").healthy()).isTrue();
    assertThat(NextHopHealth.of(true, 2, 1, PathStatus.STARTING, "starting").reason())
        .isEqualTo("interface up, 1 of 2 paths not DOWN, gateway probe STARTING");
  }
}
