package dev.takeover.effect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.action.Action;
import dev.takeover.action.GroupState;
import dev.takeover.clock.ManualClock;
import dev.takeover.config.AddressFamily;
import dev.takeover.config.GroupConfig;
import dev.takeover.config.VirtualAddress;
import dev.takeover.journal.EventDraft;
import dev.takeover.journal.EventType;
import dev.takeover.platform.AddressTable;
import dev.takeover.wire.ChecksumMode;
import dev.takeover.wire.Decoded;
import dev.takeover.wire.VrrpCodec;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Effects carry out actions in the order given and decide nothing; checked against a fake address
 * table, a recording announcement and the fake clock.
 */
class GroupEffectsTest {
  private static final int IFINDEX = 7;
  private static final InetAddress SOURCE = ip("198.18.0.1");
  private static final InetAddress GROUP = ip("224.0.0.18");
  private static final VirtualAddress VIP_A = new VirtualAddress(ip("198.18.0.50"), 24);
  private static final VirtualAddress VIP_B = new VirtualAddress(ip("198.18.0.51"), 24);
  private static final Action.Transition TO_MASTER =
      new Action.Transition(GroupState.BACKUP, GroupState.MASTER, "test");

  private final FakeAddressTable table = new FakeAddressTable();
  private final List<String> order = new ArrayList<>();
  private final List<byte[]> sent = new ArrayList<>();
  private final List<EventDraft> journal = new ArrayList<>();
  private final List<Long> proceeded = new ArrayList<>();
  private final ManualClock clock = new ManualClock();

  private GroupEffects effects() {
    GroupConfig group =
        new GroupConfig(
            "web",
            51,
            "eth0",
            200,
            Duration.ofMillis(100),
            true,
            Duration.ZERO,
            List.of(VIP_A, VIP_B),
            List.of(),
            Optional.empty(),
            ChecksumMode.PSEUDO_HEADER,
            AddressFamily.IPV4);
    AdvertSender sender =
        new AdvertSender(
            "[web]",
            51,
            10,
            List.of(VIP_A.address(), VIP_B.address()),
            SOURCE,
            List.of(GROUP),
            ChecksumMode.PSEUDO_HEADER,
            (msg, len, dst) -> {
              order.add("advert");
              sent.add(java.util.Arrays.copyOf(msg, len));
            },
            clock);
    Announcer announcer = new Announcer("[web]", () -> order.add("announce"), clock);
    return new GroupEffects(
        group,
        IFINDEX,
        table,
        sender,
        announcer,
        Duration.ofMillis(200),
        this::record,
        null,
        proceeded::add,
        clock);
  }

  private String record(EventDraft draft) {
    journal.add(draft);
    return "event-" + journal.size();
  }

  @Test
  void aClaimAddsEveryAddressAndItsRecordsFollowTheFirstAnnouncement() {
    GroupEffects effects = effects();
    effects.apply(
        List.of(
            new Action.ClaimAddresses(),
            new Action.Announce(1, 5),
            TO_MASTER,
            new Action.SendAdvert(200)));
    assertThat(table.present).containsExactly(VIP_A.address(), VIP_B.address());
    assertThat(order).containsExactly("announce", "advert");
    var decoded =
        VrrpCodec.decode(
            sent.get(0), 0, sent.get(0).length, SOURCE, GROUP, 255, ChecksumMode.PSEUDO_HEADER);
    assertThat(((Decoded.Ok) decoded).advert().priority()).isEqualTo(200);
    assertThat(journal)
        .extracting(EventDraft::type)
        .containsExactly(
            EventType.ADDRESS_ADDED,
            EventType.ADDRESS_ADDED,
            EventType.ANNOUNCE_BURST,
            EventType.STATE_CHANGED);
    assertThat(journal.get(2).fields()).containsEntry("count", 5L);
  }

  @Test
  void theTimelineOfATransitionToMasterIsJournaledOnceItsClaimIsAnnounced() {
    GroupEffects effects = effects();
    long due = clock.nanoTime();
    effects.transitionDue(due, due, due - 1_000_000);
    clock.advance(Duration.ofMillis(2));
    effects.apply(
        List.of(
            new Action.ClaimAddresses(),
            new Action.Announce(1, 1),
            TO_MASTER,
            new Action.SendAdvert(200)));
    EventDraft timeline =
        journal.stream()
            .filter(d -> d.type() == EventType.TRANSITION_TIMELINE)
            .findFirst()
            .orElseThrow();
    assertThat(timeline.fields())
        .containsEntry("timerLateUs", 0L)
        .containsEntry("lastAdvertHeardUs", -1000L)
        .containsEntry("addressesAddedUs", 2000L)
        .containsEntry("firstAnnouncementUs", 2000L)
        .containsEntry("firstAdvertUs", 2000L);
  }

  @Test
  void aTimelineWaitsForTheClaimBehindABeforeClaimHook() {
    GroupEffects effects = effects();
    long due = clock.nanoTime();
    effects.transitionDue(due, due, Long.MIN_VALUE);
    effects.apply(List.of(TO_MASTER, new Action.SendAdvert(200), new Action.AwaitBeforeClaim(3)));
    assertThat(proceeded).containsExactly(3L); // no runner: nothing to wait for
    assertThat(journal).extracting(EventDraft::type).doesNotContain(EventType.TRANSITION_TIMELINE);
    clock.advance(Duration.ofMillis(5));
    effects.apply(List.of(new Action.ClaimAddresses(), new Action.Announce(1, 1)));
    assertThat(journal).extracting(EventDraft::type).contains(EventType.TRANSITION_TIMELINE);
  }

  @Test
  void aHoldKeepsTheAddressesAndAReleaseRemovesThem() {
    GroupEffects effects = effects();
    effects.apply(List.of(new Action.ClaimAddresses(), new Action.Announce(1, 1)));
    order.clear();
    effects.apply(List.of(new Action.HoldAddresses(clock.nanoTime())));
    assertThat(table.present).containsExactly(VIP_A.address(), VIP_B.address());
    assertThat(order).isEmpty();
    effects.apply(List.of(new Action.ReleaseAddresses()));
    assertThat(table.present).isEmpty();
    assertThat(journal)
        .extracting(EventDraft::type)
        .endsWith(EventType.ADDRESS_REMOVED, EventType.ADDRESS_REMOVED);
  }

  @Test
  void aReclaimRecordsTheRemovalAndPutsTheAddressesBack() {
    GroupEffects effects = effects();
    effects.apply(List.of(new Action.ClaimAddresses(), new Action.Announce(1, 1)));
    table.present.remove(VIP_A.address());
    journal.clear();
    effects.apply(List.of(new Action.ReclaimAddresses(VIP_A.address()), new Action.Announce(1, 1)));
    assertThat(table.present).contains(VIP_A.address());
    assertThat(journal)
        .extracting(EventDraft::type)
        .containsExactly(
            EventType.ADDRESS_REMOVED, EventType.ADDRESS_ADDED, EventType.ANNOUNCE_BURST);
  }

  @Test
  void refreshesAndLaterFramesAreSentWithoutRecords() {
    GroupEffects effects = effects();
    effects.apply(List.of(new Action.Announce(2, 5), new Action.Announce(0, 5)));
    assertThat(order).containsExactly("announce", "announce");
    assertThat(journal).isEmpty();
  }

  @Test
  void transitionsAreRecordedWithTheClocksWallTime() {
    GroupEffects effects = effects();
    effects.apply(List.of(TO_MASTER));
    clock.advance(Duration.ofSeconds(1));
    effects.apply(
        List.of(new Action.Transition(GroupState.MASTER, GroupState.FAULT, "fault: link")));
    assertThat(effects.recentTransitions())
        .extracting(GroupEffects.RecentTransition::at)
        .containsExactly(clock.instant().minusSeconds(1), clock.instant());
    assertThat(journal)
        .extracting(EventDraft::type)
        .containsExactly(EventType.STATE_CHANGED, EventType.STATE_CHANGED);
  }

  @Test
  void leftoversOfThisGroupAreRemovedAndNothingElse() {
    InetAddress other = ip("198.18.0.1");
    table.present.add(other);
    table.present.add(VIP_B.address());
    effects().removeLeftovers();
    assertThat(table.present).containsExactly(other);
  }

  private static final class FakeAddressTable implements AddressTable {
    final List<InetAddress> present = new ArrayList<>();

    @Override
    public boolean add(int ifindex, InetAddress address, int prefixLength) {
      assertThat(ifindex).isEqualTo(IFINDEX);
      if (present.contains(address)) {
        return false;
      }
      return present.add(address);
    }

    @Override
    public boolean delete(int ifindex, InetAddress address, int prefixLength) {
      return present.remove(address);
    }

    @Override
    public List<InterfaceAddress> list(int ifindex) {
      return present.stream().map(a -> new InterfaceAddress(ifindex, a, 24, false)).toList();
    }
  }

  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
