package dev.takeover.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.action.Action;
import dev.takeover.action.Action.AddressConflict;
import dev.takeover.action.Action.Announce;
import dev.takeover.action.Action.ClaimAddresses;
import dev.takeover.action.Action.ConflictDetected;
import dev.takeover.action.Action.Probe;
import dev.takeover.action.Action.Reannounce;
import dev.takeover.action.Action.SendAdvert;
import dev.takeover.action.Action.Transition;
import dev.takeover.action.GroupState;
import dev.takeover.clock.ManualClock;
import dev.takeover.vrrp.Conflict.ConflictKind;
import dev.takeover.wire.DropReason;
import dev.takeover.wire.MacAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 9, items 3 to 5, in the pure policy against a {@link ManualClock}: re-announcing whenever
 * clients may have been pulled away, the RFC 5227 probe before a claim and defence while master,
 * and conflicts between routers. The clock starts two seconds before the monotonic clock wraps.
 */
class GroupPolicyClientsTest {
  static final long MS = 1_000_000L;
  static final long SECOND = 1_000 * MS;
  static final InetAddress LOCAL = ip("198.18.0.10");
  static final InetAddress PEER = ip("198.18.0.20");
  static final InetAddress VIP = ip("198.18.0.50");
  static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:20");
  static final MacAddress STRANGER = MacAddress.parse("02:00:00:00:00:99");

  final ManualClock clock = new ManualClock(Long.MAX_VALUE - 2 * SECOND, java.time.Instant.EPOCH);

  /** 1 s adverts, preempt on, 5 announcements 200 ms apart; probing as given. */
  static GroupPolicy policy(int priority, boolean probe) {
    return new GroupPolicy(
        new VrrpMachine(VrrpParams.defaults(51, priority, LOCAL)),
        new GroupPolicy.Settings(100 * MS, 5, 200 * MS, 60 * SECOND, Set.of(), probe));
  }

  long now() {
    return clock.nanoTime();
  }

  /** Ticks at every deadline up to {@code millis} from now; the actions with their times. */
  List<Timed> runFor(GroupPolicy p, long millis) {
    long until = now() + millis * MS;
    List<Timed> out = new ArrayList<>();
    for (OptionalLong next = p.nextDeadline();
        next.isPresent() && next.getAsLong() - until <= 0;
        next = p.nextDeadline()) {
      if (next.getAsLong() - now() > 0) {
        clock.advance(Duration.ofNanos(next.getAsLong() - now()));
      }
      long at = now();
      p.tick(at).forEach(a -> out.add(new Timed(at, a)));
    }
    clock.advance(Duration.ofNanos(until - now()));
    return out;
  }

  record Timed(long at, Action action) {}

  static List<Action> actions(List<Timed> timed) {
    return timed.stream().map(Timed::action).toList();
  }

  /** Started, and master after Master_Down_Interval with its addresses claimed. */
  GroupPolicy master(int priority, boolean probe) {
    GroupPolicy p = policy(priority, probe);
    p.startup(now());
    runFor(p, 4_000);
    assertThat(p.state()).isEqualTo(GroupState.MASTER);
    assertThat(p.claimWaitsForProbe()).isFalse();
    runFor(p, 2_000); // the burst is over
    return p;
  }

  @Nested
  class Probing {
    @Test
    void startUpProbesWhileMasterDownIntervalRunsAndClaimsOnTime() {
      GroupPolicy p = policy(100, true);
      long start = now();
      p.startup(start);
      List<Timed> run = runFor(p, 4_000);
      List<Long> probes =
          run.stream().filter(t -> t.action() instanceof Probe).map(t -> t.at() - start).toList();
      assertThat(probes).containsExactly(0L, SECOND, 2 * SECOND);
      Timed claim =
          run.stream().filter(t -> t.action() instanceof ClaimAddresses).findFirst().orElseThrow();
      // Not a nanosecond later than without probing: Master_Down_Interval.
      assertThat(claim.at() - start).isEqualTo(p.masterDownIntervalNanos());
      assertThat(p.conflicts(now())).isEmpty();
    }

    /**
     * Issue 11: a backup that has heard no advert yet (just started, 1 s adverts) but sees the
     * master over the node links, which then reports FAULT there (its VIP link died). The master's
     * kernel answered the start-up probe for its own address; counted, that answer held the claim
     * for a whole probe round and more (a CI run of NodeLinksIT). A master heard over the links
     * ends the probe, and its reported release is a handover between peers: claimed at once.
     */
    @Test
    void aMasterThatReleasesOverTheNodeLinksIsTakenOverAtOnceWithoutAProbe() {
      GroupPolicy p = policy(100, true);
      p.setNodeLinks("alpha", false);
      p.startup(now());
      runFor(p, 100); // the first probe is out
      p.foreignClaimSeen(VIP, PEER_MAC, now()); // the master's kernel answers for its address
      p.linkPeers(List.of(new LinkPeer("beta", true, GroupState.MASTER, 200)), now());
      runFor(p, 700);

      List<Action> takeover =
          p.linkPeers(List.of(new LinkPeer("beta", true, GroupState.FAULT, 0)), now());

      assertThat(p.state()).isEqualTo(GroupState.MASTER);
      assertThat(takeover).hasAtLeastOneElementOfType(ClaimAddresses.class);
      assertThat(p.claimWaitsForProbe()).isFalse();
      assertThat(actions(runFor(p, 5_000)))
          .doesNotHaveAnyElementsOfTypes(AddressConflict.class, Probe.class);
      assertThat(p.conflicts(now())).isEmpty();
    }

    @Test
    void anotherHostAnsweringHoldsTheClaimUntilTheAddressIsFree() {
      GroupPolicy p = policy(100, true);
      long start = now();
      p.startup(start);
      runFor(p, 1_500); // two probes out
      assertThat(p.foreignClaimSeen(VIP, STRANGER, now())).isEmpty();
      List<Timed> run = runFor(p, 2_500);
      assertThat(actions(run))
          .contains(
              new AddressConflict(
                  VIP,
                  STRANGER.toString(),
                  "answered our probe: in use by another host; not claiming if we become master,"
                      + " probing again every 1000 ms (RFC 5227 §2.1.1)"))
          .contains(new SendAdvert(100))
          .doesNotHaveAnyElementsOfTypes(ClaimAddresses.class, Announce.class);
      assertThat(p.state()).isEqualTo(GroupState.MASTER); // it advertises; it holds nothing
      assertThat(p.claimWaitsForProbe()).isTrue();
      assertThat(p.conflicts(now()))
          .singleElement()
          .satisfies(c -> assertThat(c.kind()).isEqualTo(ConflictKind.ADDRESS_IN_USE));

      // Still answered in the next round: no new record, still no claim.
      runFor(p, 1_500);
      p.foreignClaimSeen(VIP, STRANGER, now());
      run = runFor(p, 3_000);
      assertThat(actions(run))
          .contains(new Probe())
          .doesNotHaveAnyElementsOfTypes(ClaimAddresses.class, AddressConflict.class);

      // The other host lets go: the next unanswered round claims.
      run = runFor(p, 5_000);
      assertThat(actions(run)).contains(new ClaimAddresses("probe found the addresses free"));
      int claim = actions(run).indexOf(new ClaimAddresses("probe found the addresses free"));
      assertThat(actions(run).get(claim + 1)).isEqualTo(new Announce(1, 5));
      assertThat(p.claimWaitsForProbe()).isFalse();
      assertThat(p.conflicts(now())).isEmpty();
    }

    @Test
    void aPeerAnsweringIsNoConflict() {
      GroupPolicy p = policy(100, true);
      p.startup(now());
      runFor(p, 500);
      p.foreignClaimSeen(VIP, PEER_MAC, now()); // its kernel still has the address, say
      p.peerMacSeen(PEER_MAC, now());
      List<Timed> run = runFor(p, 4_000);
      assertThat(actions(run))
          .contains(new ClaimAddresses())
          .doesNotHaveAnyElementsOfTypes(AddressConflict.class);
    }

    @Test
    void theAddressOwnerClaimsAtOnce() {
      GroupPolicy p = policy(255, true);
      assertThat(p.startup(now())).startsWith(new ClaimAddresses(), new Announce(1, 5));
      assertThat(actions(runFor(p, 4_000))).doesNotHaveAnyElementsOfTypes(Probe.class);
    }

    @Test
    void aBackupThatHearsAMasterStopsProbing() {
      GroupPolicy p = policy(100, true);
      p.startup(now());
      runFor(p, 500);
      p.advertReceived(PEER, 200, 100, now());
      assertThat(actions(runFor(p, 900))).doesNotHaveAnyElementsOfTypes(Probe.class);
    }
  }

  /**
   * The guarantee of item 4: a backup that heard a master claims exactly when it would without
   * probing, with the same actions (no probe, no wait), whatever the priorities and intervals.
   */
  @ParameterizedTest
  @CsvSource({
    "100, 200, 100, false",
    "100, 200, 100, true",
    "1, 254, 1, false",
    "254, 255, 10, false",
    "150, 200, 4095, false",
    "150, 200, 1, true"
  })
  void aFailoverBetweenPeersNeverWaitsForAProbe(
      int priority, int masterPriority, int centis, boolean priorityZero) {
    GroupPolicy probing = policy(priority, true);
    GroupPolicy plain = policy(priority, false);
    long t = now();
    for (GroupPolicy p : List.of(probing, plain)) {
      p.startup(t);
    }
    // The master advertises a while, then dies (or resigns).
    long at = t;
    for (int i = 0; i < 5; i++) {
      at += centis * 10 * MS;
      probing.advertReceived(PEER, masterPriority, centis, at);
      plain.advertReceived(PEER, masterPriority, centis, at);
    }
    if (priorityZero) {
      at += MS;
      probing.advertReceived(PEER, 0, centis, at);
      plain.advertReceived(PEER, 0, centis, at);
    }
    assertThat(probing.nextDeadline()).isEqualTo(plain.timerDeadline());
    long due = plain.timerDeadline().getAsLong();
    List<Action> expected = plain.tick(due);
    assertThat(expected).contains(new ClaimAddresses());
    assertThat(probing.tick(due)).isEqualTo(expected);
    assertThat(probing.claimWaitsForProbe()).isFalse();
  }

  @Nested
  class Reannouncing {
    @Test
    void aPeersLateAnnouncementIsAnsweredAfterTheGraceThenWithinTheGap() {
      GroupPolicy p = master(100, false);
      p.peerMacSeen(PEER_MAC, now());
      String reason = "peer " + PEER_MAC + " announced or answered for 198.18.0.50 while master";
      long seen = now();
      // A preempting peer's advert may follow its announcement: wait the grace for it.
      assertThat(p.foreignClaimSeen(VIP, PEER_MAC, now())).isEmpty();
      List<Timed> first = runFor(p, 30);
      assertThat(actions(first)).containsSubsequence(new Reannounce(reason), new Announce(1, 5));
      long reannounced =
          first.stream()
              .filter(t -> t.action() instanceof Reannounce)
              .findFirst()
              .orElseThrow()
              .at();
      assertThat(reannounced - seen).isEqualTo(GroupPolicy.PEER_CLAIM_GRACE_NANOS);
      assertThat(p.foreignClaimSeen(VIP, PEER_MAC, now())).isEmpty(); // inside the gap: kept
      List<Timed> run = runFor(p, 100);
      assertThat(actions(run)).containsSubsequence(new Reannounce(reason), new Announce(1, 5));
      long second =
          run.stream().filter(t -> t.action() instanceof Reannounce).findFirst().orElseThrow().at();
      assertThat(second - reannounced).isEqualTo(100 * MS); // the gap's end
    }

    @Test
    void aPreemptingPeersAnnouncementFollowedByItsAdvertIsNotFought() {
      GroupPolicy p = master(100, false);
      p.peerMacSeen(PEER_MAC, now());
      assertThat(p.foreignClaimSeen(VIP, PEER_MAC, now())).isEmpty();
      clock.advance(Duration.ofMillis(3));
      // Its first advert, at a higher priority: we hand over (held addresses, no announcement).
      assertThat(p.advertReceived(PEER, 200, 100, now()))
          .noneMatch(a -> a instanceof Reannounce || a instanceof Announce);
      assertThat(actions(runFor(p, 200)))
          .noneMatch(a -> a instanceof Reannounce || a instanceof Announce);
    }

    @Test
    void atMostTenReannouncementsPerDefendInterval() {
      GroupPolicy p = master(100, false);
      p.peerMacSeen(PEER_MAC, now());
      int reannounced = 0;
      for (int i = 0; i < 100; i++) { // one every 100 ms for 10 s
        reannounced += p.foreignClaimSeen(VIP, PEER_MAC, now()).size() / 2;
        reannounced +=
            (int) actions(runFor(p, 100)).stream().filter(a -> a instanceof Reannounce).count();
      }
      assertThat(reannounced).isBetween(10, 11);
    }

    @Test
    void rivalAdvertsOfAnyPriorityOrVersionReannounce() {
      GroupPolicy p = master(100, false);
      assertThat(p.advertReceived(PEER, 0, 100, now()))
          .contains(new Reannounce("priority 0 advert from 198.18.0.20 while master"));
      runFor(p, 200);
      assertThat(p.rivalAdvertSeen(PEER, DropReason.BAD_VERSION, 100, now()))
          .contains(new Reannounce("advert from 198.18.0.20 (BAD_VERSION) while master"));
      runFor(p, 200);
      assertThat(p.rivalAdvertSeen(PEER, DropReason.BAD_TTL, 100, now())).isEmpty();
    }

    @Test
    void returningFromABriefDemotionAnnounces() {
      GroupPolicy p = master(100, false);
      p.advertReceived(PEER, 200, 100, now()); // preempted
      assertThat(p.state()).isEqualTo(GroupState.BACKUP);
      List<Timed> run = runFor(p, 5_000); // the other one is gone again
      assertThat(actions(run)).containsSubsequence(new ClaimAddresses(), new Announce(1, 5));
    }

    @Test
    void leavingMasterDropsAPendingReannouncement() {
      GroupPolicy p = master(100, false);
      p.peerMacSeen(PEER_MAC, now());
      p.foreignClaimSeen(VIP, PEER_MAC, now());
      clock.advance(Duration.ofMillis(10));
      p.foreignClaimSeen(VIP, PEER_MAC, now()); // pending
      p.advertReceived(PEER, 200, 100, now()); // preempted: a hold, then release
      assertThat(actions(runFor(p, 500))).doesNotHaveAnyElementsOfTypes(Reannounce.class);
    }
  }

  @Nested
  class AddressConflictsWhileMaster {
    @Test
    void anUnknownMacIsAnsweredAtOnceAndCalledAConflictWhenItStaysUnknown() {
      GroupPolicy p = master(100, false);
      String reason = STRANGER + " announced or answered for 198.18.0.50 while master";
      assertThat(p.foreignClaimSeen(VIP, STRANGER, now()))
          .containsExactly(new Reannounce(reason), new Announce(1, 5));
      List<Timed> run = runFor(p, 4_000);
      assertThat(actions(run))
          .contains(
              new AddressConflict(
                  VIP,
                  STRANGER.toString(),
                  "announced while this node is master; defended at most every 10 s (RFC 5227"
                      + " §2.4)"));
      assertThat(p.conflicts(now()))
          .extracting(Conflict::kind)
          .containsExactly(ConflictKind.ADDRESS_IN_USE);

      // RFC 5227 §2.4: the next defence only DEFEND_INTERVAL after the last.
      assertThat(p.foreignClaimSeen(VIP, STRANGER, now())).isEmpty();
      clock.advance(Duration.ofSeconds(7));
      List<Action> defended = p.foreignClaimSeen(VIP, STRANGER, now());
      assertThat(defended)
          .containsExactly(
              new Reannounce("defending 198.18.0.50 against " + STRANGER + " (RFC 5227 §2.4)"),
              new Announce(0, 5));
      assertThat(p.foreignClaimSeen(VIP, STRANGER, now())).isEmpty();
      assertThat(actions(runFor(p, 1_000))).doesNotHaveAnyElementsOfTypes(AddressConflict.class);
    }

    @Test
    void aBackupThatClaimedByMistakeIsAPeerOnceItAdvertises() {
      GroupPolicy p = master(100, false);
      p.foreignClaimSeen(VIP, PEER_MAC, now()); // its announcement comes before its advert
      clock.advance(Duration.ofMillis(1));
      p.peerMacSeen(PEER_MAC, now());
      p.advertReceived(PEER, 50, 100, now());
      assertThat(actions(runFor(p, 5_000))).doesNotHaveAnyElementsOfTypes(AddressConflict.class);
      assertThat(p.conflicts(now())).isEmpty();
    }
  }

  @Nested
  class RouterConflicts {
    @Test
    void unreadableAdvertsWhileMasterAreAConflictReportedOncePerEpisode() {
      GroupPolicy p = master(100, false);
      String detail =
          "198.18.0.20 advertises as master (priority 100) but "
              + DropReason.BAD_VERSION.description();
      assertThat(p.rivalAdvertSeen(PEER, DropReason.BAD_VERSION, 100, now()))
          .startsWith(new ConflictDetected("unreadable-master", "198.18.0.20", detail));
      for (int i = 0; i < 50; i++) {
        clock.advance(Duration.ofMillis(100));
        assertThat(p.rivalAdvertSeen(PEER, DropReason.BAD_VERSION, 100, now()))
            .doesNotHaveAnyElementsOfTypes(ConflictDetected.class);
      }
      assertThat(p.conflicts(now())).extracting(Conflict::detail).containsExactly(detail);
      runFor(p, 10_000); // it stopped
      assertThat(p.conflicts(now())).isEmpty();
    }

    @Test
    void unreadableAdvertsWhileBackupAreNoConflict() {
      GroupPolicy p = policy(100, false);
      p.startup(now());
      assertThat(p.rivalAdvertSeen(PEER, DropReason.CHECKSUM_MODE_MISMATCH, 100, now())).isEmpty();
      assertThat(p.conflicts(now())).isEmpty();
    }

    @Test
    void twoAddressOwners() {
      GroupPolicy p = policy(255, false);
      p.startup(now());
      assertThat(p.rivalAdvertSeen(PEER, DropReason.ADDRESS_OWNER, 255, now()))
          .startsWith(
              new ConflictDetected(
                  "dual-owner",
                  "198.18.0.20",
                  "198.18.0.20 also advertises priority 255: two address owners hold the"
                      + " addresses"));
      // A backup's advert to the owner is only a rival.
      assertThat(p.rivalAdvertSeen(ip("198.18.0.30"), DropReason.ADDRESS_OWNER, 100, now()))
          .doesNotHaveAnyElementsOfTypes(ConflictDetected.class);
    }

    @Test
    void aSourceOutsideTheConfiguredPeersAdvertisingIsARogueInAnyState() {
      GroupPolicy p = policy(100, false);
      p.startup(now());
      assertThat(p.rivalAdvertSeen(PEER, DropReason.NOT_A_PEER, 255, now()))
          .containsExactly(
              new ConflictDetected(
                  "rogue-master",
                  "198.18.0.20",
                  "198.18.0.20 advertises priority 255 but is not a configured unicast peer"));
      assertThat(p.rivalAdvertSeen(ip("198.18.0.31"), DropReason.NOT_A_PEER, 0, now())).isEmpty();
    }

    @Test
    void aMasterThatKeepsHearingItsOwnPriorityIsInConflict() {
      GroupPolicy p = master(100, false);
      InetAddress lower = ip("198.18.0.5"); // a lower address: we stay master (RFC 5798 §6.4.3)
      assertThat(p.advertReceived(lower, 100, 100, now()))
          .doesNotHaveAnyElementsOfTypes(ConflictDetected.class);
      clock.advance(Duration.ofSeconds(1));
      assertThat(p.advertReceived(lower, 100, 100, now()))
          .doesNotHaveAnyElementsOfTypes(ConflictDetected.class);
      clock.advance(Duration.ofSeconds(1));
      assertThat(p.advertReceived(lower, 100, 100, now()))
          .contains(
              new ConflictDetected(
                  "dual-master",
                  "198.18.0.5",
                  "198.18.0.5 keeps advertising priority 100 while this node is master"));
      assertThat(p.state()).isEqualTo(GroupState.MASTER);
      assertThat(p.conflicts(now()))
          .extracting(Conflict::kind)
          .containsExactly(ConflictKind.DUAL_MASTER);
    }

    @Test
    void aTieAtStartUpIsNoConflict() {
      GroupPolicy p = master(100, false);
      assertThat(p.advertReceived(ip("198.18.0.5"), 100, 100, now()))
          .doesNotHaveAnyElementsOfTypes(ConflictDetected.class, Transition.class);
      runFor(p, 15_000);
      assertThat(p.conflicts(now())).isEmpty();
    }
  }

  static InetAddress ip(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
