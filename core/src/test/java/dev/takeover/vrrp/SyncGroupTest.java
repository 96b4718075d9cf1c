package dev.takeover.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.action.Action;
import dev.takeover.action.Action.HoldAddresses;
import dev.takeover.action.Action.SendAdvert;
import dev.takeover.action.Action.Transition;
import dev.takeover.action.GroupState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A sync group of two or three member policies on one node, against a fake clock that starts two
 * seconds before the monotonic clock wraps: faults spread and clear, followers claim and hand over
 * with the first member, and never move on their own.
 */
class SyncGroupTest {
  static final long MS = 1_000_000L;
  static final long SECOND = 1_000 * MS;
  static final long T0 = Long.MAX_VALUE - 2 * SECOND;
  static final InetAddress LOCAL = ip("198.18.0.10");
  static final InetAddress PEER = ip("198.18.0.20");

  final Map<String, GroupPolicy> policies = new LinkedHashMap<>();
  final List<Action> actions = new ArrayList<>();
  SyncGroup sync;

  void set(String... names) {
    int vrid = 51;
    for (String n : names) {
      policies.put(
          n,
          new GroupPolicy(
              new VrrpMachine(VrrpParams.defaults(vrid++, 100, LOCAL)),
              new GroupPolicy.Settings(100 * MS, 1, 10 * MS, 0, Set.of())));
    }
    sync = new SyncGroup("LB", List.of(names));
    for (String n : names) {
      policies.get(n).setFollower(sync.isFollower(n));
    }
  }

  /** As the engine does after every event: settle until nothing is left, carrying the steps. */
  void settle(long now) {
    for (int round = 0; round < 10; round++) {
      Map<String, SyncGroup.Member> view = new LinkedHashMap<>();
      policies.forEach((n, p) -> view.put(n, new SyncGroup.Member(p.state(), p.faults())));
      List<SyncGroup.Step> steps = sync.settle(view);
      if (steps.isEmpty()) {
        return;
      }
      for (SyncGroup.Step s : steps) {
        GroupPolicy p = policies.get(s.member());
        switch (s) {
          case SyncGroup.Fault f ->
              actions.addAll(p.report(f.cause(), new Impact.Fault(), f.active(), now));
          case SyncGroup.Follow f -> actions.addAll(p.follow(f.master(), f.reason(), now));
        }
      }
    }
    throw new AssertionError("did not settle");
  }

  void startAll(long now) {
    policies.values().forEach(p -> actions.addAll(p.startup(now)));
    settle(now);
  }

  void tickAll(long now) {
    policies.values().forEach(p -> actions.addAll(p.tick(now)));
    settle(now);
  }

  Map<String, GroupState> states() {
    Map<String, GroupState> s = new LinkedHashMap<>();
    policies.forEach((n, p) -> s.put(n, p.state()));
    return s;
  }

  long masterDown() {
    return policies.get("A").masterDownIntervalNanos();
  }

  @Test
  void theFirstMemberIsElectedAndTheOthersClaimWithIt() {
    set("A", "B", "C");
    startAll(T0);
    // The followers' timers run out first or with it: they wait, the first member claims for all.
    tickAll(T0 + masterDown());
    assertThat(states()).containsValues(GroupState.MASTER).doesNotContainValue(GroupState.BACKUP);
    assertThat(actions)
        .filteredOn(Transition.class::isInstance)
        .contains(
            new Transition(GroupState.BACKUP, GroupState.MASTER, "sync group LB: A is master"));
  }

  @Test
  void aFollowerNeverClaimsOnItsOwnNorYieldsAsMaster() {
    set("A", "B");
    startAll(T0);
    // The first member hears a master; the follower hears none and its timer runs out, often.
    long t = T0;
    for (int i = 0; i < 10; i++) {
      t += SECOND;
      actions.addAll(policies.get("A").advertReceived(PEER, 200, 100, t));
      tickAll(t);
    }
    assertThat(states())
        .containsEntry("A", GroupState.BACKUP)
        .containsEntry("B", GroupState.BACKUP);
    // Now the first member is master: a higher-priority advert to the follower moves nothing.
    policies.get("A").setPriority(254, t);
    t += 4 * SECOND;
    tickAll(t);
    assertThat(states())
        .containsEntry("A", GroupState.MASTER)
        .containsEntry("B", GroupState.MASTER);
    actions.clear();
    actions.addAll(policies.get("B").advertReceived(PEER, 250, 100, t));
    settle(t);
    assertThat(states()).containsEntry("B", GroupState.MASTER);
    assertThat(actions).noneMatch(Transition.class::isInstance);
  }

  @Test
  void aPreemptedFirstMemberTakesTheFollowersToBackupWithAHold() {
    set("A", "B");
    startAll(T0);
    long t = T0 + masterDown();
    tickAll(t);
    assertThat(states()).containsEntry("B", GroupState.MASTER);
    actions.clear();
    t += 10 * MS;
    actions.addAll(policies.get("A").advertReceived(PEER, 150, 100, t));
    settle(t);
    assertThat(states())
        .containsEntry("A", GroupState.BACKUP)
        .containsEntry("B", GroupState.BACKUP);
    // The follower resigns with priority 0 and keeps its addresses for the handover hold.
    assertThat(actions)
        .contains(
            new SendAdvert(0),
            new Transition(GroupState.MASTER, GroupState.BACKUP, "sync group LB: A is not master"),
            new HoldAddresses(t + 100 * MS));
  }

  @Test
  void oneMemberInFaultTakesTheSetToFaultAndBackWhenItRecovers() {
    set("A", "B", "C");
    startAll(T0);
    long t = T0 + masterDown();
    tickAll(t);
    PriorityCause link = new PriorityCause.LinkDown("eth1");
    actions.addAll(policies.get("C").report(link, new Impact.Fault(), true, t));
    settle(t);
    assertThat(states())
        .containsOnly(
            Map.entry("A", GroupState.FAULT),
            Map.entry("B", GroupState.FAULT),
            Map.entry("C", GroupState.FAULT));
    assertThat(policies.get("A").faults()).containsExactly("sync group LB: C in fault");
    // Another member's own fault too: the set stays in FAULT until both are gone.
    PriorityCause check = new PriorityCause.Check("web");
    actions.addAll(policies.get("A").report(check, new Impact.Fault(), true, t));
    settle(t);
    actions.addAll(policies.get("C").report(link, new Impact.Fault(), false, t));
    settle(t);
    assertThat(states()).containsValues(GroupState.FAULT).doesNotContainValue(GroupState.BACKUP);
    assertThat(policies.get("C").faults()).containsExactly("sync group LB: A in fault");
    actions.addAll(policies.get("A").report(check, new Impact.Fault(), false, t));
    settle(t);
    assertThat(states())
        .containsOnly(
            Map.entry("A", GroupState.BACKUP),
            Map.entry("B", GroupState.BACKUP),
            Map.entry("C", GroupState.BACKUP));
    tickAll(t + masterDown());
    assertThat(states()).doesNotContainValue(GroupState.BACKUP);
  }

  @Test
  void aFollowerLeftMasterAloneIsSteppedDown() {
    set("A", "B");
    startAll(T0);
    long t = T0 + masterDown();
    tickAll(t);
    // The first member restarts (a reload): the follower must not stay master on its own.
    actions.addAll(policies.get("A").stop(t, false));
    policies.put(
        "A",
        new GroupPolicy(
            new VrrpMachine(VrrpParams.defaults(51, 100, LOCAL)),
            new GroupPolicy.Settings(100 * MS, 1, 10 * MS, 0, Set.of())));
    actions.addAll(policies.get("A").startup(t));
    settle(t);
    assertThat(states())
        .containsEntry("A", GroupState.BACKUP)
        .containsEntry("B", GroupState.BACKUP);
  }

  @Test
  void aMoveOfAFollowerIsRefusedWithWhatToDoInstead() {
    set("A", "B");
    startAll(T0);
    MoveOutcome outcome = policies.get("B").moveHere(T0 + MS);
    assertThat(outcome.kind()).isEqualTo(MoveOutcome.Kind.REFUSED);
    assertThat(outcome.message()).contains("move that group instead");
    assertThat(policies.get("A").moveHere(T0 + MS).message()).doesNotContain("instead");
  }

  static InetAddress ip(String s) {
    return InetAddress.ofLiteral(s);
  }
}
