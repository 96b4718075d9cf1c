package dev.takeover.vrrp;

import static dev.takeover.vrrp.GroupPolicyTest.T0;
import static dev.takeover.vrrp.GroupPolicyTest.master;
import static dev.takeover.vrrp.GroupPolicyTest.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.action.Action;
import dev.takeover.action.Action.ClaimAddresses;
import dev.takeover.action.Action.ConflictDetected;
import dev.takeover.action.Action.Transition;
import dev.takeover.action.GroupState;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The node links in the group policy (docs/LINKS.md): the guard that keeps a backup from claiming
 * while the master is alive over another path, the claim at once when the master reports that it
 * released, and the conflict when a peer reports master of a group we are master of.
 */
class LinkGuardTest {
  static final LinkPeer BETA_MASTER = new LinkPeer("beta", true, GroupState.MASTER, 100);
  static final LinkPeer BETA_FAULT = new LinkPeer("beta", true, GroupState.FAULT, 0);
  static final LinkPeer BETA_SILENT = new LinkPeer("beta", false, GroupState.MASTER, 100);

  static GroupPolicy backup(boolean guard) {
    GroupPolicy p = policy(90, Set.of());
    p.setNodeLinks("alpha", guard);
    p.startup(T0);
    return p;
  }

  @Test
  void withTheGuardABackupStaysBackupWhileTheMasterReportsMasterOverTheLinks() {
    GroupPolicy p = backup(true);
    p.linkPeers(List.of(BETA_MASTER), T0);
    long due = T0 + p.masterDownIntervalNanos();
    List<Action> actions = p.tick(due);
    assertThat(p.state()).isEqualTo(GroupState.BACKUP);
    assertThat(actions).hasSize(1).first().isInstanceOf(ConflictDetected.class);
    assertThat(((ConflictDetected) actions.getFirst()).kind()).isEqualTo("vip-path-fault");
    assertThat(p.conflicts(due)).hasSize(1);
    // Held again a Master_Down_Interval later, but reported once per episode.
    assertThat(p.tick(due + p.masterDownIntervalNanos())).isEmpty();
    assertThat(p.state()).isEqualTo(GroupState.BACKUP);
  }

  @Test
  void withoutTheGuardItClaimsAsToday() {
    GroupPolicy p = backup(false);
    p.linkPeers(List.of(BETA_MASTER), T0);
    p.tick(T0 + p.masterDownIntervalNanos());
    assertThat(p.state()).isEqualTo(GroupState.MASTER);
  }

  @Test
  void theGuardEndsWhenTheMasterIsSilentOnEveryPath() {
    GroupPolicy p = backup(true);
    p.linkPeers(List.of(BETA_MASTER), T0);
    long due = T0 + p.masterDownIntervalNanos();
    p.tick(due);
    List<Action> actions = p.linkPeers(List.of(BETA_SILENT), due + 1);
    assertThat(p.state()).isEqualTo(GroupState.MASTER);
    assertThat(actions).contains(new ClaimAddresses());
    assertThat(actions)
        .contains(
            new Transition(
                GroupState.BACKUP,
                GroupState.MASTER,
                "master down timer expired: the master is silent on every node-link path"));
  }

  @Test
  void aMasterThatReportsFaultOverTheLinksIsTakenOverAtOnce() {
    GroupPolicy p = backup(false);
    p.linkPeers(List.of(BETA_MASTER), T0);
    long at = T0 + 10_000_000L; // long before Master_Down_Interval
    List<Action> actions = p.linkPeers(List.of(BETA_FAULT), at);
    assertThat(p.state()).isEqualTo(GroupState.MASTER);
    assertThat(actions)
        .contains(
            new Transition(
                GroupState.BACKUP,
                GroupState.MASTER,
                "master down timer expired: beta reports FAULT over the node links"));
  }

  @Test
  void aBetterBackupOnTheLinksGoesFirstAndWeWaitSkewTime() {
    GroupPolicy p = backup(false);
    LinkPeer gamma = new LinkPeer("gamma", true, GroupState.BACKUP, 95);
    p.linkPeers(List.of(BETA_MASTER, gamma), T0);
    long at = T0 + 10_000_000L;
    p.linkPeers(List.of(BETA_FAULT, gamma), at);
    assertThat(p.state()).isEqualTo(GroupState.BACKUP);
    assertThat(p.timerDeadline())
        .hasValue(at + p.masterDownIntervalNanos() - 3 * p.masterAdverIntervalNanos());
  }

  @Test
  void anUnreachableMastersLastReportDoesNotMakeUsClaim() {
    GroupPolicy p = backup(false);
    p.linkPeers(List.of(BETA_MASTER), T0);
    p.linkPeers(List.of(new LinkPeer("beta", false, GroupState.FAULT, 0)), T0 + 1);
    assertThat(p.state()).isEqualTo(GroupState.BACKUP);
  }

  @Test
  void aPeerReportingMasterWhileWeAreMasterIsAConflict() {
    GroupPolicy p = policy(100, Set.of());
    p.setNodeLinks("alpha", true);
    long at = master(p);
    List<Action> actions = p.linkPeers(List.of(BETA_MASTER), at + 1);
    assertThat(actions)
        .filteredOn(ConflictDetected.class::isInstance)
        .map(a -> ((ConflictDetected) a).kind())
        .containsExactly("link-dual-master");
    assertThat(p.linkPeers(List.of(BETA_MASTER), at + 2))
        .noneMatch(ConflictDetected.class::isInstance);
  }
}
