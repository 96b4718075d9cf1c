package dev.takeover.effect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.action.Action;
import dev.takeover.action.GroupState;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Effects carry out actions in order and decide nothing; checked against a fake address table. */
class GroupEffectsTest {
  private static final int IFINDEX = 7;
  private static final InetAddress SOURCE = ip("198.18.0.1");
  private static final InetAddress GROUP = ip("224.0.0.18");
  private static final VirtualAddress VIP_A = new VirtualAddress(ip("198.18.0.50"), 24);
  private static final VirtualAddress VIP_B = new VirtualAddress(ip("198.18.0.51"), 24);

  private final FakeAddressTable table = new FakeAddressTable();
  private final List<byte[]> sent = new ArrayList<>();
  private final AtomicInteger announcements = new AtomicInteger();
  private final List<EventDraft> journal = new ArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private GroupEffects effects(int burst, Duration spacing) {
    GroupConfig group =
        new GroupConfig(
            "web", 51, "eth0", 200, Duration.ofMillis(100), true, Duration.ZERO,
            List.of(VIP_A, VIP_B), List.of(), Optional.empty(), ChecksumMode.PSEUDO_HEADER,
            AddressFamily.IPV4);
    AdvertSender sender =
        new AdvertSender(
            "[web]", 51, 10, List.of(VIP_A.address(), VIP_B.address()), SOURCE, List.of(GROUP),
            ChecksumMode.PSEUDO_HEADER, (msg, len, dst) -> sent.add(java.util.Arrays.copyOf(msg, len)));
    Announcer announcer =
        new Announcer(
            "[web]", announcements::incrementAndGet, scheduler, burst, spacing, Duration.ZERO);
    return new GroupEffects(group, IFINDEX, table, sender, announcer, this::record, null, e -> {});
  }

  private String record(EventDraft draft) {
    journal.add(draft);
    return "event-" + journal.size();
  }

  @Test
  void claimAddsEveryAddressAndAnnouncesAtOnce() {
    GroupEffects effects = effects(1, Duration.ofMillis(10));
    effects.apply(
        List.of(
            new Action.SendAdvert(200),
            new Action.ClaimAddresses(),
            new Action.Transition(GroupState.BACKUP, GroupState.MASTER, "test")));
    assertThat(table.present).containsExactly(VIP_A.address(), VIP_B.address());
    assertThat(announcements.get()).isEqualTo(1);
    assertThat(sent).hasSize(1);
    var decoded = VrrpCodec.decode(sent.get(0), 0, sent.get(0).length, SOURCE, GROUP, 255,
        ChecksumMode.PSEUDO_HEADER);
    assertThat(decoded).isInstanceOf(Decoded.Ok.class);
    assertThat(((Decoded.Ok) decoded).advert().priority()).isEqualTo(200);
    assertThat(effects.claimed()).isTrue();
    // The addresses and the announcement come first; records follow.
    assertThat(journal)
        .extracting(EventDraft::type)
        .containsExactly(
            EventType.ADDRESS_ADDED,
            EventType.ADDRESS_ADDED,
            EventType.ANNOUNCE_BURST,
            EventType.STATE_CHANGED);
  }

  @Test
  void aNewMasterClaimsAndAnnouncesBeforeItsFirstAdvert() {
    List<String> order = new ArrayList<>();
    GroupConfig group =
        new GroupConfig(
            "web", 51, "eth0", 200, Duration.ofMillis(100), true, Duration.ZERO,
            List.of(VIP_A), List.of(), Optional.empty(), ChecksumMode.PSEUDO_HEADER,
            AddressFamily.IPV4);
    AdvertSender sender =
        new AdvertSender(
            "[web]", 51, 10, List.of(VIP_A.address()), SOURCE, List.of(GROUP),
            ChecksumMode.PSEUDO_HEADER, (msg, len, dst) -> order.add("advert"));
    Announcer announcer =
        new Announcer("[web]", () -> order.add("announce"), scheduler, 1, Duration.ofMillis(10),
            Duration.ZERO);
    GroupEffects effects =
        new GroupEffects(group, IFINDEX, table, sender, announcer, this::record, null, e -> {});
    effects.transitionDue(1_000_000, 1_000_000, 0);
    effects.apply(
        List.of(
            new Action.SendAdvert(200),
            new Action.ClaimAddresses(),
            new Action.Transition(GroupState.BACKUP, GroupState.MASTER, "test")));
    assertThat(order).containsExactly("announce", "advert");
    EventDraft timeline =
        journal.stream().filter(d -> d.type() == EventType.TRANSITION_TIMELINE).findFirst().orElseThrow();
    assertThat(timeline.fields())
        .containsKeys("lastAdvertHeardUs", "timerLateUs", "addressesAddedUs", "firstAnnouncementUs",
            "firstAdvertUs")
        .containsEntry("timerLateUs", 0L)
        .containsEntry("lastAdvertHeardUs", -1000L);
    assertThat((Long) timeline.fields().get("firstAnnouncementUs"))
        .isLessThanOrEqualTo((Long) timeline.fields().get("firstAdvertUs"));
  }

  @Test
  void aHandoverKeepsTheAddressesSilentlyUntilFinished() throws InterruptedException {
    GroupEffects effects = effects(50, Duration.ofMillis(5));
    effects.claim("test");
    effects.apply(
        List.of(
            new Action.ReleaseAddresses(),
            new Action.Transition(GroupState.MASTER, GroupState.BACKUP, "higher priority")),
        true);
    int after = announcements.get();
    assertThat(effects.holding()).isTrue();
    assertThat(effects.claimed()).isFalse();
    assertThat(table.present).containsExactly(VIP_A.address(), VIP_B.address());
    Thread.sleep(30); // no announcement may come while holding
    assertThat(announcements.get()).isEqualTo(after);
    effects.finishHandover();
    assertThat(table.present).isEmpty();
    assertThat(effects.holding()).isFalse();
  }

  @Test
  void claimingAgainDuringAHandoverKeepsTheAddresses() {
    GroupEffects effects = effects(1, Duration.ofMillis(10));
    effects.claim("test");
    effects.apply(List.of(new Action.ReleaseAddresses()), true);
    effects.claim("the new master died");
    assertThat(effects.holding()).isFalse();
    effects.finishHandover(); // a stale end of the hold does nothing now
    assertThat(table.present).containsExactly(VIP_A.address(), VIP_B.address());
  }

  @Test
  void aFaultReleasesAtOnceEvenWhenAHandoverIsAsked() {
    GroupEffects effects = effects(1, Duration.ofMillis(10));
    effects.apply(List.of(new Action.ReleaseAddresses()), true); // nothing claimed: nothing held
    assertThat(effects.holding()).isFalse();
  }

  @Test
  void releaseRemovesEveryAddressAndStopsAnnouncing() throws InterruptedException {
    GroupEffects effects = effects(50, Duration.ofMillis(5));
    effects.claim("test");
    effects.apply(List.of(new Action.SendAdvert(0), new Action.ReleaseAddresses()));
    int after = announcements.get();
    assertThat(table.present).isEmpty();
    Thread.sleep(50); // nothing more may come; this waits for what must not happen
    assertThat(announcements.get()).isEqualTo(after);
    assertThat(effects.claimed()).isFalse();
  }

  @Test
  void theBurstSendsTheConfiguredCount() throws InterruptedException {
    CountDownLatch five = new CountDownLatch(5);
    GroupConfig group =
        new GroupConfig(
            "web", 51, "eth0", 200, Duration.ofMillis(100), true, Duration.ZERO,
            List.of(VIP_A), List.of(), Optional.empty(), ChecksumMode.PSEUDO_HEADER,
            AddressFamily.IPV4);
    Announcer announcer =
        new Announcer("[web]", five::countDown, scheduler, 5, Duration.ofMillis(2), Duration.ZERO);
    new GroupEffects(group, IFINDEX, table, null, announcer, this::record, null, e -> {}).claim("test");
    assertThat(five.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void reclaimPutsBackOnlyWhileClaimed() {
    GroupEffects effects = effects(1, Duration.ofMillis(10));
    effects.reclaim("test");
    assertThat(table.present).isEmpty();
    effects.claim("test");
    table.present.remove(VIP_A.address());
    effects.reclaim("someone deleted it");
    assertThat(table.present).contains(VIP_A.address());
    assertThat(announcements.get()).isEqualTo(2);
  }

  @Test
  void leftoversOfThisGroupAreRemovedAndNothingElse() {
    InetAddress other = ip("198.18.0.1");
    table.present.add(other);
    table.present.add(VIP_B.address());
    effects(1, Duration.ofMillis(10)).removeLeftovers();
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

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
