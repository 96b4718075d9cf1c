package dev.takeover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.action.GroupState;
import dev.takeover.clock.ManualClock;
import dev.takeover.config.AddressFamily;
import dev.takeover.config.CheckConfig;
import dev.takeover.config.CheckTarget;
import dev.takeover.config.GroupConfig;
import dev.takeover.config.GroupHooks;
import dev.takeover.config.VirtualAddress;
import dev.takeover.config.Weight;
import dev.takeover.effect.AdvertSender;
import dev.takeover.effect.Announcer;
import dev.takeover.effect.GroupEffects;
import dev.takeover.journal.EventDraft;
import dev.takeover.journal.EventType;
import dev.takeover.platform.AddressTable;
import dev.takeover.platform.NetlinkEvent;
import dev.takeover.vrrp.GroupPolicy;
import dev.takeover.vrrp.MoveOutcome;
import dev.takeover.vrrp.NodeRef;
import dev.takeover.vrrp.VrrpMachine;
import dev.takeover.vrrp.VrrpParams;
import dev.takeover.wire.ChecksumMode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The adapter from engine events to the policy and its effects, driven by the engine's calls and a
 * fake clock: no threads, no sockets.
 */
class VrrpGroupTest {
  private static final int IFINDEX = 7;
  private static final InetAddress SOURCE = ip("198.18.0.1");
  private static final InetAddress PEER = ip("198.18.0.2");
  private static final VirtualAddress VIP = new VirtualAddress(ip("198.18.0.50"), 24);
  private static final long MS = 1_000_000L;

  private final ManualClock clock = new ManualClock();
  private final List<InetAddress> present = new ArrayList<>();
  private final List<Integer> adverts = new ArrayList<>();
  private final List<EventDraft> journal = new ArrayList<>();
  private int announcements;
  private boolean linkUp = true;

  private final List<Integer> intervals = new ArrayList<>();

  private static GroupConfig config(int priority, Duration interval, List<CheckConfig> checks) {
    return new GroupConfig(
        "web",
        51,
        "eth0",
        priority,
        interval,
        true,
        Duration.ZERO,
        List.of(VIP),
        List.of(),
        Optional.empty(),
        ChecksumMode.PSEUDO_HEADER,
        AddressFamily.IPV4,
        checks,
        List.of(),
        GroupHooks.NONE);
  }

  private static CheckConfig check(String name, Weight weight) {
    return new CheckConfig(
        name,
        Duration.ofSeconds(1),
        Duration.ofMillis(500),
        1,
        1,
        weight,
        new CheckTarget.Tcp("198.18.0.1", 80));
  }

  private VrrpGroup group() {
    return group(config(100, Duration.ofMillis(100), List.of()));
  }

  private VrrpGroup group(GroupConfig config) {
    AdvertSender sender =
        new AdvertSender(
            "[web]",
            51,
            10,
            List.of(VIP.address()),
            SOURCE,
            List.of(ip("224.0.0.18")),
            ChecksumMode.PSEUDO_HEADER,
            (msg, len, dst) -> {
              adverts.add(msg[2] & 0xff);
              intervals.add(((msg[4] & 0x0f) << 8) | (msg[5] & 0xff)); // Max Adver Int, cs
            },
            clock);
    GroupEffects effects =
        new GroupEffects(
            config,
            IFINDEX,
            new Table(),
            sender,
            new Announcer("[web]", () -> announcements++, clock),
            Duration.ofMillis(200),
            this::record,
            null,
            epoch -> {},
            clock);
    GroupPolicy policy =
        new GroupPolicy(
            new VrrpMachine(new VrrpParams(51, 100, 100 * MS, true, 0, SOURCE)),
            new GroupPolicy.Settings(100 * MS, 5, 200 * MS, 60_000 * MS, Set.of()));
    return new VrrpGroup(
        "[web]", IFINDEX, policy, effects, () -> linkUp, name -> true, this::record);
  }

  private String record(EventDraft draft) {
    journal.add(draft);
    return "e" + journal.size();
  }

  /** Runs the engine's loop by hand: tick at every deadline until {@code until}. */
  private void runUntil(VrrpGroup g, long until) {
    while (g.hasDeadline() && g.deadline() - until <= 0) {
      long next = g.deadline();
      if (next - clock.nanoTime() > 0) {
        clock.advanceNanos(next - clock.nanoTime());
      }
      g.tick(clock.nanoTime());
    }
    if (until - clock.nanoTime() > 0) {
      clock.advanceNanos(until - clock.nanoTime());
    }
  }

  @Test
  void aLoneNodeBecomesMasterClaimsAnnouncesAndRecordsTheOutage() {
    VrrpGroup g = group();
    long t0 = clock.nanoTime();
    g.start(t0);
    assertThat(g.state()).isEqualTo(GroupState.BACKUP);
    runUntil(g, t0 + 2_000 * MS);
    assertThat(g.state()).isEqualTo(GroupState.MASTER);
    assertThat(present).containsExactly(VIP.address());
    assertThat(announcements)
        .as("the burst of 5 and the first frame's repeat, from the engine's deadlines")
        .isEqualTo(6);
    assertThat(adverts).isNotEmpty().allMatch(p -> p == 100);
    assertThat(journal)
        .extracting(EventDraft::type)
        .contains(
            EventType.ADVERT_TIMEOUT, EventType.TRANSITION_TIMELINE, EventType.ANNOUNCE_BURST);
  }

  @Test
  void aStartOnADeadLinkIsAFaultAndTheLinkComingBackStartsOver() {
    linkUp = false;
    VrrpGroup g = group();
    long t0 = clock.nanoTime();
    g.start(t0);
    assertThat(g.state()).isEqualTo(GroupState.FAULT);
    assertThat(g.hasDeadline()).isFalse();
    g.kernelEvent(new NetlinkEvent.LinkChanged(IFINDEX, "eth0", true), t0 + MS);
    assertThat(g.state()).isEqualTo(GroupState.BACKUP);
    assertThat(g.snapshot(t0).faults()).isEmpty();
  }

  @Test
  void aPreemptedMasterHoldsThenReleasesAndAGracefulStopWaitsForTheHandover() {
    VrrpGroup g = group();
    long t0 = clock.nanoTime();
    g.start(t0);
    runUntil(g, t0 + 500 * MS);
    long now = clock.nanoTime();
    g.advertReceived(new Event.AdvertReceived(0, PEER, 200, 10, now), now);
    assertThat(g.state()).isEqualTo(GroupState.BACKUP);
    assertThat(g.handingOver()).isTrue();
    assertThat(present).containsExactly(VIP.address());
    int announced = announcements;
    runUntil(g, now + 99 * MS);
    assertThat(present).containsExactly(VIP.address());
    runUntil(g, now + 100 * MS);
    assertThat(present).isEmpty();
    assertThat(announcements).isEqualTo(announced);
    assertThat(g.snapshot(now).peers()).containsKey(PEER);
  }

  @Test
  void anAddressRemovedByOthersIsPutBackWhileMaster() {
    VrrpGroup g = group();
    long t0 = clock.nanoTime();
    g.start(t0);
    runUntil(g, t0 + 500 * MS);
    present.clear();
    g.kernelEvent(new NetlinkEvent.AddressRemoved(IFINDEX, VIP.address(), 24), clock.nanoTime());
    assertThat(present).containsExactly(VIP.address());
    g.stop(clock.nanoTime(), false);
    assertThat(present).isEmpty();
    assertThat(adverts.getLast()).isEqualTo(0);
  }

  @Test
  void maintenanceAndMovesAreCarriedThrough() {
    VrrpGroup g = group();
    long t0 = clock.nanoTime();
    g.start(t0);
    runUntil(g, t0 + 500 * MS);
    NodeRef beta = new NodeRef("beta", Set.of());
    assertThat(g.moveAway(beta, List.of(beta), clock.nanoTime()).kind())
        .isEqualTo(MoveOutcome.Kind.MOVING);
    assertThat(adverts.getLast()).isEqualTo(1);
    assertThat(g.moveHere(clock.nanoTime()).kind()).isEqualTo(MoveOutcome.Kind.ALREADY_THERE);
    assertThat(g.snapshot(clock.nanoTime()).adjustments()).isEmpty();
    g.maintenance(true, clock.nanoTime());
    assertThat(g.snapshot(clock.nanoTime()).maintenance()).isTrue();
    assertThat(g.snapshot(clock.nanoTime()).effectivePriority()).isEqualTo(1);
  }

  @Test
  void aPriorityChangedInPlaceIsAdvertisedAndNothingElseMoves() {
    VrrpGroup g = group();
    long t0 = clock.nanoTime();
    g.start(t0);
    runUntil(g, t0 + 500 * MS);
    int records = journal.size();

    g.reconfigure(config(90, Duration.ofMillis(100), List.of()), settings(), BURST, t0 + 500 * MS);

    assertThat(adverts.getLast()).isEqualTo(90);
    assertThat(g.state()).isEqualTo(GroupState.MASTER);
    assertThat(present).containsExactly(VIP.address());
    assertThat(journal.subList(records, journal.size())).isEmpty();
  }

  @Test
  void anIntervalChangedInPlaceGoesOutAtOnceInMaxAdverInt() {
    VrrpGroup g = group();
    long t0 = clock.nanoTime();
    g.start(t0);
    runUntil(g, t0 + 500 * MS);
    assertThat(intervals.getLast()).isEqualTo(10);

    g.reconfigure(config(100, Duration.ofSeconds(2), List.of()), settings(), BURST, t0 + 500 * MS);

    assertThat(intervals.getLast()).isEqualTo(200);
    int sent = adverts.size();
    runUntil(g, t0 + 2_499 * MS);
    assertThat(adverts).hasSize(sent);
    runUntil(g, t0 + 2_500 * MS);
    assertThat(adverts).hasSize(sent + 1);
  }

  @Test
  void checksChangedInPlaceKeepTheirStateUnderTheNewWeightAndNewOnesWaitForAVerdict() {
    VrrpGroup g = group(config(100, Duration.ofMillis(100), List.of(check("a", FAULT))));
    long t0 = clock.nanoTime();
    g.start(t0);
    assertThat(g.state()).as("down until it passes").isEqualTo(GroupState.FAULT);

    g.reconfigure(
        config(100, Duration.ofMillis(100), List.of(check("a", new Weight.Adjust(-50)))),
        settings(),
        BURST,
        t0);
    assertThat(g.state()).isEqualTo(GroupState.BACKUP);
    assertThat(g.snapshot(t0).effectivePriority()).isEqualTo(50);

    g.reconfigure(
        config(100, Duration.ofMillis(100), List.of(check("b", FAULT))), settings(), BURST, t0);
    assertThat(g.snapshot(t0).effectivePriority()).as("a is gone").isEqualTo(100);
    assertThat(g.state()).as("b counts from its first verdict").isEqualTo(GroupState.BACKUP);

    g.checkChanged("b", false, "refused", t0);
    assertThat(g.state()).isEqualTo(GroupState.FAULT);
  }

  private static final Weight FAULT = new Weight.Fault();
  private static final Duration BURST = Duration.ofMillis(200);

  private static GroupPolicy.Settings settings() {
    return new GroupPolicy.Settings(100 * MS, 5, 200 * MS, 60_000 * MS, Set.of());
  }

  private final class Table implements AddressTable {
    @Override
    public boolean add(int ifindex, InetAddress address, int prefixLength) {
      return !present.contains(address) && present.add(address);
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
