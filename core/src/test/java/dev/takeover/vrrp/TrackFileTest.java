package dev.takeover.vrrp;

import static dev.takeover.vrrp.GroupPolicyTest.policy;
import static dev.takeover.vrrp.VrrpMachineTest.SECOND;
import static dev.takeover.vrrp.VrrpMachineTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.action.Action;
import dev.takeover.action.GroupState;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** keepalived's track_file rule (keepalived.conf(5)) and how the policy files it, fake clock. */
class TrackFileTest {
  private static final String FILE = "/run/prio";

  @ParameterizedTest(name = "value {0}, weight {1}, reverse {2} -> {3}")
  @CsvSource({
    "0, 0, false, none",
    "1, 0, false, fault",
    "-5, 0, false, fault",
    "0, 10, false, none",
    "3, 10, false, 30",
    "-3, 10, false, -30",
    "3, 10, true, -30",
    "-3, 10, true, 30",
    "-253, 1, false, -253",
    "-254, 1, false, fault",
    "1, 254, false, 253",
    "1, -254, false, fault",
    "9223372036854775807, 2, false, 253",
    "9223372036854775807, 2, true, fault",
    "-9223372036854775808, -1, false, 253",
  })
  void keepalivedsRule(long value, int weight, boolean reverse, String expected) {
    Optional<Impact> impact = TrackFileRule.impact(value, weight, reverse);
    switch (expected) {
      case "none" -> assertThat(impact).isEmpty();
      case "fault" -> assertThat(impact).contains(new Impact.Fault());
      default -> assertThat(impact).contains(new Impact.Adjust(Integer.parseInt(expected)));
    }
  }

  @Test
  void theLatestValueCountsAndRepeatsDoNothing() {
    GroupPolicy p = policy(100, Set.of());
    GroupPolicyTest.master(p);
    long t = T0 + 10 * SECOND;

    assertThat(p.trackFileRead(FILE, -10, false, 2, t)).isNotEmpty();
    assertThat(p.effectivePriority()).isEqualTo(80);
    assertThat(p.trackFileRead(FILE, -10, false, 2, t + 1)).isEmpty();
    assertThat(p.priorityAdjustments()).containsEntry("track file " + FILE, -20);

    p.trackFileRead(FILE, -10, false, 5, t + 2);
    assertThat(p.effectivePriority()).isEqualTo(50);

    p.trackFileRead(FILE, -10, false, 0, t + 3);
    assertThat(p.effectivePriority()).isEqualTo(100);
    assertThat(p.priorityAdjustments()).isEmpty();
    assertThat(p.trackFileImpacts()).isEmpty();
    assertThat(p.state()).isEqualTo(GroupState.MASTER);
  }

  @Test
  void aFaultValueTakesTheMasterOutAndZeroBringsItBack() {
    GroupPolicy p = policy(100, Set.of());
    GroupPolicyTest.master(p);
    long t = T0 + 10 * SECOND;

    assertThat(p.trackFileRead(FILE, 0, false, 1, t))
        .contains(new Action.SendAdvert(0))
        .anyMatch(a -> a instanceof Action.Transition tr && tr.to() == GroupState.FAULT);
    assertThat(p.faults()).containsExactly("track file " + FILE);

    // From a fault to an adjustment: the group restarts at the adjusted priority.
    p.trackFileRead(FILE, 0, false, 0, t + SECOND);
    assertThat(p.faults()).isEmpty();
    assertThat(p.state()).isEqualTo(GroupState.BACKUP);
  }

  @Test
  void anAdjustmentTurningIntoAFaultNeverAdvertisesTheUnadjustedPriority() {
    GroupPolicy p = policy(100, Set.of());
    GroupPolicyTest.master(p);
    long t = T0 + 10 * SECOND;
    p.trackFileRead(FILE, 100, true, 1, t); // -100
    assertThat(p.effectivePriority()).isEqualTo(1);

    assertThat(p.trackFileRead(FILE, 100, true, 3, t + 1)) // -300: fault
        .noneMatch(a -> a instanceof Action.SendAdvert s && s.priority() == 100);
    assertThat(p.faults()).containsExactly("track file " + FILE);
    assertThat(p.priorityAdjustments()).isEmpty();
  }
}
