package dev.takeover.vrrp;

import static dev.takeover.vrrp.GroupPolicyTest.policy;
import static dev.takeover.vrrp.VrrpMachineTest.SECOND;
import static dev.takeover.vrrp.VrrpMachineTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.action.Action;
import dev.takeover.action.GroupState;
import dev.takeover.action.HookPoint;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code backup} hook (keepalived's notify_backup): after every transition into BACKUP. */
class BackupHookTest {
  private static final PriorityCause LINK = new PriorityCause.LinkDown("eth0");

  @Test
  void runsWhenAFaultEndsAndNotOtherwise() {
    GroupPolicy p = policy(Set.of(HookPoint.BACKUP));
    GroupPolicyTest.master(p);
    long t = T0 + 10 * SECOND;

    List<Action> fault = p.report(LINK, new Impact.Fault(), true, t);
    assertThat(fault).doesNotContain(new Action.RunHook(HookPoint.BACKUP));

    List<Action> back = p.report(LINK, new Impact.Fault(), false, t + SECOND);
    assertThat(p.state()).isEqualTo(GroupState.BACKUP);
    assertThat(back).contains(new Action.RunHook(HookPoint.BACKUP));
    // The transition first, so the hook's context is recorded before it runs.
    assertThat(back.indexOf(new Action.RunHook(HookPoint.BACKUP)))
        .isGreaterThan(indexOfTransition(back));
  }

  @Test
  void notRunWithoutTheHookConfigured() {
    GroupPolicy p = policy(Set.of());
    GroupPolicyTest.master(p);
    long t = T0 + 10 * SECOND;
    p.report(LINK, new Impact.Fault(), true, t);
    assertThat(p.report(LINK, new Impact.Fault(), false, t + SECOND))
        .noneMatch(a -> a instanceof Action.RunHook);
  }

  private static int indexOfTransition(List<Action> actions) {
    for (int i = 0; i < actions.size(); i++) {
      if (actions.get(i) instanceof Action.Transition tr && tr.to() == GroupState.BACKUP) {
        return i;
      }
    }
    return -1;
  }
}
