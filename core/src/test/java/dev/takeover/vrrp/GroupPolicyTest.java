package dev.takeover.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.action.Action;
import dev.takeover.action.Action.Announce;
import dev.takeover.action.Action.AwaitBeforeClaim;
import dev.takeover.action.Action.ClaimAddresses;
import dev.takeover.action.Action.HoldAddresses;
import dev.takeover.action.Action.MasterDown;
import dev.takeover.action.Action.Reannounce;
import dev.takeover.action.Action.ReclaimAddresses;
import dev.takeover.action.Action.ReleaseAddresses;
import dev.takeover.action.Action.RunHook;
import dev.takeover.action.Action.SendAdvert;
import dev.takeover.action.Action.Transition;
import dev.takeover.action.GroupState;
import dev.takeover.action.HookPoint;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The group policy against a fake clock: every decision beyond the RFC (claim order, holds,
 * graceful stop, announcements, re-announcing, maintenance, moves, peers) as actions in order. Time
 * starts two seconds before the monotonic clock wraps.
 */
class GroupPolicyTest {
  static final long MS = 1_000_000L;
  static final long SECOND = 1_000 * MS;
  static final long T0 = Long.MAX_VALUE - 2 * SECOND;
  static final long HOLD = 100 * MS;
  static final InetAddress LOCAL = ip("198.18.0.10");
  static final InetAddress PEER = ip("198.18.0.20");
  static final NodeRef BETA = new NodeRef("beta", Set.of(PEER));

  /** 1 s adverts, priority 100, preempt on; 5 announcements 200 ms apart, refresh every 60 s. */
  static GroupPolicy policy(Set<HookPoint> hooks) {
    return policy(100, hooks);
  }

  static GroupPolicy policy(int priority, Set<HookPoint> hooks) {
    return new GroupPolicy(
        new VrrpMachine(VrrpParams.defaults(51, priority, LOCAL)),
        new GroupPolicy.Settings(HOLD, 5, 200 * MS, 60 * SECOND, hooks));
  }

  /** Started at T0 and master after Master_Down_Interval; returns the time it became master. */
  static long master(GroupPolicy p) {
    p.startup(T0);
    long at = T0 + p.masterDownIntervalNanos();
    p.tick(at);
    assertThat(p.state()).isEqualTo(GroupState.MASTER);
    return at;
  }

  @Nested
  class Claims {
    @Test
    void aNewMasterClaimsAndAnnouncesBeforeItsFirstAdvert() {
      GroupPolicy p = policy(Set.of(HookPoint.AFTER_CLAIM));
      p.startup(T0);
      long at = T0 + p.masterDownIntervalNanos();
      assertThat(p.tick(at))
          .containsExactly(
              new ClaimAddresses(),
              new Announce(1, 5),
              new MasterDown(Optional.empty(), p.masterDownIntervalNanos()),
              new Transition(GroupState.BACKUP, GroupState.MASTER, "master down timer expired"),
              new SendAdvert(100),
              new RunHook(HookPoint.AFTER_CLAIM));
    }

    @Test
    void aBeforeClaimHookHoldsTheClaimButNotTheAdvert() {
      GroupPolicy p = policy(Set.of(HookPoint.BEFORE_CLAIM, HookPoint.AFTER_CLAIM));
      p.startup(T0);
      long at = T0 + p.masterDownIntervalNanos();
      List<Action> actions = p.tick(at);
      assertThat(actions)
          .containsExactly(
              new MasterDown(Optional.empty(), p.masterDownIntervalNanos()),
              new Transition(GroupState.BACKUP, GroupState.MASTER, "master down timer expired"),
              new SendAdvert(100),
              new AwaitBeforeClaim(((AwaitBeforeClaim) actions.getLast()).epoch()));
      long epoch = ((AwaitBeforeClaim) actions.getLast()).epoch();
      assertThat(p.claimProceed(epoch + 1, at)).isEmpty();
      assertThat(p.claimProceed(epoch, at + MS))
          .containsExactly(
              new ClaimAddresses(), new Announce(1, 5), new RunHook(HookPoint.AFTER_CLAIM));
      assertThat(p.claimProceed(epoch, at + 2 * MS)).as("once").isEmpty();
    }

    @Test
    void aLateProceedAfterAReleaseIsVoid() {
      GroupPolicy p = policy(Set.of(HookPoint.BEFORE_CLAIM));
      p.startup(T0);
      long at = T0 + p.masterDownIntervalNanos();
      long epoch = ((AwaitBeforeClaim) p.tick(at).getLast()).epoch();
      p.advertReceived(PEER, 200, 100, at + MS); // preempted before the hook is done
      assertThat(p.state()).isEqualTo(GroupState.BACKUP);
      assertThat(p.handingOver()).as("nothing was claimed, nothing to hold").isFalse();
      assertThat(p.claimProceed(epoch, at + 2 * MS)).isEmpty();
    }
  }

  @Nested
  class Announcements {
    @Test
    void aBurstThenRefreshesFromTheEnginesDeadlines() {
      GroupPolicy p = policy(Set.of());
      long at = master(p);
      // The first frame is repeated 20 ms later (a frame of a preempted master's burst may have
      // landed after it), then the burst goes on.
      assertThat(p.nextDeadline()).hasValue(at + 20 * MS);
      assertThat(p.tick(at + 20 * MS)).contains(new Announce(1, 5, true));
      long[] frames = {200, 400, 600, 800};
      for (int i = 0; i < frames.length; i++) {
        assertThat(p.nextDeadline()).hasValue(at + frames[i] * MS);
        assertThat(p.tick(at + frames[i] * MS)).contains(new Announce(i + 2, 5));
      }
      long refresh = at + 800 * MS + 60 * SECOND;
      assertThat(p.tick(refresh - 1)).doesNotHaveAnyElementsOfTypes(Announce.class);
      assertThat(p.tick(refresh)).contains(new Announce(0, 5));
    }

    @Test
    void nothingIsAnnouncedOnceAHoldStarts() {
      GroupPolicy p = policy(Set.of());
      long at = master(p);
      assertThat(p.advertReceived(PEER, 200, 100, at + MS))
          .containsExactly(
              new Transition(
                  GroupState.MASTER,
                  GroupState.BACKUP,
                  "higher priority advert from 198.18.0.20 (prio 200)"),
              new HoldAddresses(at + MS + HOLD));
      assertThat(p.handingOver()).isTrue();
      assertThat(p.nextDeadline()).hasValue(at + MS + HOLD);
      assertThat(p.tick(at + 50 * MS)).isEmpty();
      assertThat(p.tick(at + MS + HOLD)).containsExactly(new ReleaseAddresses());
      assertThat(p.handingOver()).isFalse();
      // Until the peer, silent here, would be declared down.
      for (long t = at + MS + HOLD; t - (at + 3 * SECOND) < 0; t += 100 * MS) {
        assertThat(p.tick(t)).doesNotHaveAnyElementsOfTypes(Announce.class);
      }
    }

    @Test
    void aRivalLowerPriorityMasterIsAnsweredByANewBurstAtMostEvery100Ms() {
      GroupPolicy p = policy(Set.of());
      long at = master(p);
      assertThat(p.advertReceived(PEER, 50, 100, at + MS))
          .containsExactly(
              new Reannounce("lower-priority advert from 198.18.0.20 while master"),
              new Announce(1, 5));
      assertThat(p.advertReceived(PEER, 50, 100, at + 50 * MS)).isEmpty();
      assertThat(p.advertReceived(PEER, 50, 100, at + 101 * MS)).hasSize(2);
      assertThat(p.state()).isEqualTo(GroupState.MASTER);
    }

    @Test
    void anAddressRemovedByOthersIsReclaimedOnlyByAMasterOnALiveLink() {
      GroupPolicy p = policy(Set.of());
      p.startup(T0);
      assertThat(p.addressRemoved(PEER, true, T0 + MS)).isEmpty();
      long at = master(p);
      assertThat(p.addressRemoved(PEER, false, at + MS)).isEmpty();
      assertThat(p.addressRemoved(PEER, true, at + MS))
          .containsExactly(new ReclaimAddresses(PEER), new Announce(1, 5));
    }
  }

  @Nested
  class Releases {
    @Test
    void aFaultReleasesAtOnceAfterPriorityZero() {
      GroupPolicy p = policy(Set.of(HookPoint.AFTER_RELEASE, HookPoint.FAULT));
      long at = master(p);
      assertThat(p.report(new PriorityCause.LinkDown("eth0"), new Impact.Fault(), true, at + MS))
          .containsExactly(
              new SendAdvert(0),
              new Transition(GroupState.MASTER, GroupState.FAULT, "fault: link eth0 down"),
              new ReleaseAddresses(),
              new RunHook(HookPoint.AFTER_RELEASE),
              new RunHook(HookPoint.FAULT));
      assertThat(p.handingOver()).isFalse();
    }

    @Test
    void aGracefulStopHoldsUntilANewMasterIsHeardPlusTheHold() {
      GroupPolicy p = policy(Set.of(HookPoint.STOP));
      long at = master(p);
      assertThat(p.stop(at + MS, true))
          .containsExactly(
              new SendAdvert(0),
              new Transition(GroupState.MASTER, GroupState.INITIALIZE, "shutdown"),
              new HoldAddresses(at + MS + 3 * SECOND));
      assertThat(p.handingOver()).isTrue();
      assertThat(p.advertReceived(PEER, 0, 100, at + 2 * MS)).isEmpty(); // still nobody
      p.advertReceived(PEER, 90, 100, at + 400 * MS);
      assertThat(p.nextDeadline()).hasValue(at + 400 * MS + HOLD);
      assertThat(p.tick(at + 400 * MS + HOLD))
          .containsExactly(new ReleaseAddresses(), new RunHook(HookPoint.STOP));
      assertThat(p.nextDeadline()).isEmpty();
    }

    @Test
    void aGracefulStopWithoutABackupWaitsAtMostMasterDownIntervalCappedAt3s() {
      GroupPolicy p = policy(Set.of());
      long at = master(p);
      p.stop(at, true);
      assertThat(p.tick(at + 3 * SECOND - 1)).isEmpty();
      assertThat(p.tick(at + 3 * SECOND)).containsExactly(new ReleaseAddresses());
    }

    @Test
    void aStopWithoutHandoverReleasesAtOnce() {
      GroupPolicy p = policy(Set.of(HookPoint.STOP));
      long at = master(p);
      assertThat(p.stop(at, false))
          .containsExactly(
              new SendAdvert(0),
              new Transition(GroupState.MASTER, GroupState.INITIALIZE, "shutdown"),
              new ReleaseAddresses(),
              new RunHook(HookPoint.STOP));
    }

    @Test
    void becomingMasterAgainDuringAHoldKeepsTheAddresses() {
      GroupPolicy p = policy(Set.of());
      long at = master(p);
      p.advertReceived(PEER, 200, 10, at + MS); // 100 ms adverts: Skew_Time 61 ms < the hold
      p.advertReceived(PEER, 0, 10, at + 2 * MS); // the new master leaves at once
      long again = at + 2 * MS + VrrpTimers.skewTimeNanos(100, 100 * MS);
      List<Action> actions = p.tick(again);
      assertThat(actions).doesNotContain(new ReleaseAddresses()).contains(new ClaimAddresses());
      assertThat(p.handingOver()).isFalse();
      assertThat(p.tick(at + MS + HOLD)).doesNotContain(new ReleaseAddresses());
    }
  }

  @Nested
  class MaintenanceAndMoves {
    @Test
    void maintenanceHandsOverThenStaysInFaultUntilOff() {
      GroupPolicy p = policy(Set.of());
      long at = master(p);
      assertThat(p.maintenance(true, at)).containsExactly(new SendAdvert(1));
      assertThat(p.maintenance(true, at)).isEmpty();
      p.advertReceived(PEER, 100, 100, at + MS);
      assertThat(p.handingOver()).isTrue();
      assertThat(p.tick(at + 2 * MS))
          .containsExactly(
              new Transition(GroupState.BACKUP, GroupState.FAULT, "fault: maintenance"));
      assertThat(p.faults()).containsExactly("maintenance");
      assertThat(p.maintenance(false, at + 3 * MS))
          .containsExactly(
              new Transition(GroupState.FAULT, GroupState.BACKUP, "fault cleared: maintenance"));
      assertThat(p.priorityAdjustments()).isEmpty();
      assertThat(p.effectivePriority()).isEqualTo(100);
    }

    @Test
    void aMoveAwayIsClearedOnceTheNewMasterOfEqualPriorityIsHeard() {
      GroupPolicy p = policy(Set.of());
      long at = master(p);
      MoveOutcome o = p.moveAway(BETA, List.of(BETA), at);
      assertThat(o.kind()).isEqualTo(MoveOutcome.Kind.MOVING);
      assertThat(o.actions()).containsExactly(new SendAdvert(1));
      p.advertReceived(PEER, 100, 100, at + MS); // the best backup took over
      assertThat(p.state()).isEqualTo(GroupState.BACKUP);
      assertThat(p.priorityAdjustments()).as("equal is no takeover: nothing to hold").isEmpty();
      assertThat(p.effectivePriority()).isEqualTo(100);
      assertThat(p.moveHold()).isEmpty();
    }

    @Test
    void aMoveAwayFromAHigherPriorityNodeHoldsJustBelowTheNewMaster() {
      GroupPolicy p = policy(150, Set.of());
      long at = master(p);
      p.moveAway(BETA, List.of(BETA), at);
      p.advertReceived(PEER, 100, 100, at + MS);
      assertThat(p.priorityAdjustments()).containsEntry("move", -51);
      assertThat(p.effectivePriority()).isEqualTo(99);
      assertThat(p.moveHold()).hasValue(new MoveHold(true, 99, 150, Optional.of(PEER), 100));
      MoveOutcome cleared = p.clearMove(at + 2 * MS);
      assertThat(cleared.kind()).isEqualTo(MoveOutcome.Kind.CLEARED);
      assertThat(p.effectivePriority()).isEqualTo(150);
      assertThat(p.clearMove(at + 3 * MS).kind()).isEqualTo(MoveOutcome.Kind.NOTHING_TO_CLEAR);
    }

    @Test
    void aMoveAwayIsClearedWhenWeBecomeMasterAnyway() {
      GroupPolicy p = policy(150, Set.of());
      long at = master(p);
      p.moveAway(BETA, List.of(BETA), at);
      p.advertReceived(PEER, 100, 100, at + MS);
      p.advertReceived(PEER, 100, 100, at + 2 * MS);
      long down = at + 2 * MS + p.masterDownIntervalNanos();
      List<Action> actions = p.tick(down); // the new master died
      assertThat(p.state()).isEqualTo(GroupState.MASTER);
      assertThat(actions).endsWith(new SendAdvert(150));
      assertThat(p.priorityAdjustments()).isEmpty();
    }

    @Test
    void aMoveHereRaisesJustAboveTheMasterAndReplacesTheLastMove() {
      GroupPolicy p = policy(Set.of());
      p.startup(T0);
      p.advertReceived(PEER, 150, 100, T0 + MS);
      assertThat(p.moveHere(T0 + 2 * MS).kind()).isEqualTo(MoveOutcome.Kind.MOVING);
      assertThat(p.effectivePriority()).isEqualTo(151);
      p.moveHere(T0 + 3 * MS);
      assertThat(p.priorityAdjustments()).containsExactly(java.util.Map.entry("move", 51));
    }

    @Test
    void aMoveHereClearsAStaleMoveWhenOurOwnPriorityIsEnough() {
      GroupPolicy p = policy(150, Set.of());
      long at = master(p);
      p.moveAway(BETA, List.of(BETA), at);
      p.advertReceived(PEER, 100, 100, at + MS);
      assertThat(p.effectivePriority()).isEqualTo(99);
      p.moveHere(at + 4 * MS);
      assertThat(p.priorityAdjustments()).isEmpty();
      assertThat(p.effectivePriority()).isEqualTo(150);
    }

    @Test
    void aMoveHereIsClearedWhenAHigherMasterTakesOver() {
      GroupPolicy p = policy(Set.of());
      p.startup(T0);
      p.advertReceived(PEER, 150, 100, T0 + MS);
      p.moveHere(T0 + 2 * MS); // the timer keeps the deadline it was armed with
      long at = T0 + MS + VrrpTimers.masterDownIntervalNanos(100, SECOND);
      p.tick(at);
      assertThat(p.state()).isEqualTo(GroupState.MASTER);
      p.advertReceived(PEER, 152, 100, at + MS); // moved back there
      p.advertReceived(PEER, 152, 100, at + 2 * MS);
      assertThat(p.priorityAdjustments()).isEmpty();
    }
  }

  @Test
  void causesAreTypedAndFiledUnderTheirText() {
    GroupPolicy p = policy(Set.of());
    p.report(new PriorityCause.Check("web"), new Impact.Adjust(-10), true, T0);
    p.report(new PriorityCause.TrackedLink("eth1"), new Impact.Fault(), true, T0);
    assertThat(p.priorityAdjustments()).containsExactly(java.util.Map.entry("check web down", -10));
    assertThat(p.faults()).containsExactly("tracked link eth1 down");
    p.report(new PriorityCause.TrackedLink("eth1"), new Impact.Fault(), false, T0);
    assertThat(p.faults()).isEmpty();
  }

  @Test
  void peersAreBoundedAndTheLongestUnheardGoesFirst() {
    GroupPolicy p = policy(Set.of());
    p.startup(T0);
    for (int i = 0; i < 1000; i++) {
      p.advertReceived(ip("198.18." + (i / 250) + "." + (1 + i % 250)), 50, 100, T0 + i);
    }
    p.advertReceived(ip("198.18.0.1"), 60, 100, T0 + 1000); // heard again: stays
    assertThat(p.peers()).hasSize(GroupPolicy.MAX_PEERS);
    assertThat(p.peers()).containsKey(ip("198.18.3.250")).containsKey(ip("198.18.0.1"));
  }

  @Test
  void aFloodOfOneOffSourcesCannotPushOutAMasterHeardAgainAndAgain() {
    GroupPolicy p = policy(Set.of());
    p.startup(T0);
    InetAddress master = ip("198.19.0.1");
    p.advertReceived(master, 200, 100, T0);
    for (int i = 0; i < 10_000; i++) {
      // Spoofed priority-1 adverts, 100 between two of the master's.
      p.advertReceived(ip("198.18." + (i / 250 % 250) + "." + (1 + i % 250)), 1, 100, T0 + i);
      if (i % 100 == 99) {
        p.advertReceived(master, 200, 100, T0 + i);
      }
    }
    assertThat(p.peers()).hasSize(GroupPolicy.MAX_PEERS).containsKey(master);
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
