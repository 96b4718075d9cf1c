package dev.takeover.vrrp;

import static dev.takeover.vrrp.GroupPolicyTest.HOLD;
import static dev.takeover.vrrp.GroupPolicyTest.LOCAL;
import static dev.takeover.vrrp.GroupPolicyTest.MS;
import static dev.takeover.vrrp.GroupPolicyTest.PEER;
import static dev.takeover.vrrp.GroupPolicyTest.SECOND;
import static dev.takeover.vrrp.GroupPolicyTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.action.Action;
import dev.takeover.action.Action.ClaimAddresses;
import dev.takeover.action.Action.HoldAddresses;
import dev.takeover.action.Action.InstallRoutes;
import dev.takeover.action.Action.ReleaseAddresses;
import dev.takeover.action.Action.RemoveRoutes;
import dev.takeover.action.Action.SendAdvert;
import dev.takeover.action.Action.Transition;
import dev.takeover.action.GroupState;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Virtual routes (keepalived's {@code virtual_routes}) follow the addresses: installed after every
 * claim, removed just before the addresses are released (at the end of a handover hold).
 */
class VirtualRoutesTest {

  private static GroupPolicy policy(boolean routes) {
    return new GroupPolicy(
        new VrrpMachine(VrrpParams.defaults(51, 100, LOCAL)),
        new GroupPolicy.Settings(HOLD, 5, 200 * MS, 60 * SECOND, Set.of(), false, routes));
  }

  private static long master(GroupPolicy p, List<Action> claimed) {
    p.startup(T0);
    long at = T0 + p.masterDownIntervalNanos();
    claimed.addAll(p.tick(at));
    assertThat(p.state()).isEqualTo(GroupState.MASTER);
    return at;
  }

  @Test
  void installedAfterTheAddressesAndBeforeTheFirstAdvert() {
    List<Action> out = new java.util.ArrayList<>();
    master(policy(true), out);
    int claim = out.indexOf(new ClaimAddresses());
    int routes = out.indexOf(new InstallRoutes(ClaimAddresses.BECAME_MASTER));
    int advert = out.indexOf(new SendAdvert(100));
    assertThat(claim).isNotNegative();
    assertThat(routes).isGreaterThan(claim);
    assertThat(advert).isGreaterThan(routes);
  }

  @Test
  void aGroupWithoutRoutesNeverAsks() {
    GroupPolicy p = policy(false);
    List<Action> out = new java.util.ArrayList<>();
    long at = master(p, out);
    out.addAll(p.stop(at + MS, false));
    assertThat(out).noneMatch(a -> a instanceof InstallRoutes || a instanceof RemoveRoutes);
  }

  @Test
  void aPreemptedMasterKeepsItsRoutesWithItsHeldAddressesAndRemovesThemFirstAtTheEnd() {
    GroupPolicy p = policy(true);
    long at = master(p, new java.util.ArrayList<>());
    List<Action> preempted = p.advertReceived(PEER, 200, 100, at + MS);
    assertThat(p.state()).isEqualTo(GroupState.BACKUP);
    assertThat(preempted).contains(new HoldAddresses(at + MS + HOLD));
    assertThat(preempted).noneMatch(a -> a instanceof RemoveRoutes);
    assertThat(p.tick(at + MS + HOLD)).containsExactly(new RemoveRoutes(), new ReleaseAddresses());
  }

  @Test
  void aFaultRemovesTheRoutesBeforeTheAddresses() {
    GroupPolicy p = policy(true);
    long at = master(p, new java.util.ArrayList<>());
    assertThat(p.report(new PriorityCause.LinkDown("eth0"), new Impact.Fault(), true, at + MS))
        .containsExactly(
            new SendAdvert(0),
            new Transition(GroupState.MASTER, GroupState.FAULT, "fault: link eth0 down"),
            new RemoveRoutes(),
            new ReleaseAddresses());
  }

  @Test
  void aGracefulStopKeepsTheRoutesUntilTheHeldAddressesGo() {
    GroupPolicy p = policy(true);
    long at = master(p, new java.util.ArrayList<>());
    assertThat(p.stop(at + MS, true))
        .containsExactly(
            new SendAdvert(0),
            new Transition(GroupState.MASTER, GroupState.INITIALIZE, "shutdown"),
            new HoldAddresses(at + MS + 3 * SECOND));
    p.advertReceived(PEER, 90, 100, at + 400 * MS);
    assertThat(p.tick(at + 400 * MS + HOLD))
        .containsExactly(new RemoveRoutes(), new ReleaseAddresses());
  }

  @Test
  void masterAgainAfterAHandoverInstallsTheRoutesAgain() {
    GroupPolicy p = policy(true);
    long at = master(p, new java.util.ArrayList<>());
    p.advertReceived(PEER, 200, 100, at + MS);
    // The better master goes quiet: we take over again, routes and all.
    long again = at + MS + p.masterDownIntervalNanos();
    assertThat(p.tick(again)).contains(new InstallRoutes(ClaimAddresses.BECAME_MASTER));
  }

  @Test
  void aReclaimInstallsTheRoutesAgainOnlyWhileTheyAreInstalled() {
    GroupPolicy p = policy(true);
    long at = master(p, new java.util.ArrayList<>());
    assertThat(p.addressRemoved(LOCAL, true, at + MS))
        .contains(new InstallRoutes("address restored"));
    p.report(new PriorityCause.LinkDown("eth0"), new Impact.Fault(), true, at + 2 * MS);
    assertThat(p.addressRemoved(LOCAL, true, at + 3 * MS)).isEmpty();
  }

  @Test
  void removedOnceAndInstalledAgainOnTheNextClaim() {
    GroupPolicy p = policy(true);
    long at = master(p, new java.util.ArrayList<>());
    PriorityCause link = new PriorityCause.LinkDown("eth0");
    p.report(link, new Impact.Fault(), true, at + MS);
    // Still in FAULT: a second fault asks for nothing more.
    assertThat(p.report(new PriorityCause.LinkDown("eth1"), new Impact.Fault(), true, at + 2 * MS))
        .noneMatch(a -> a instanceof RemoveRoutes);
    p.report(new PriorityCause.LinkDown("eth1"), new Impact.Fault(), false, at + 3 * MS);
    p.report(link, new Impact.Fault(), false, at + 4 * MS);
    assertThat(p.state()).isEqualTo(GroupState.BACKUP);
    long again = at + 4 * MS + p.masterDownIntervalNanos();
    assertThat(p.tick(again)).contains(new InstallRoutes(ClaimAddresses.BECAME_MASTER));
  }
}
