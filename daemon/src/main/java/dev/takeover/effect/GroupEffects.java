package dev.takeover.effect;

import dev.takeover.action.Action;
import dev.takeover.action.GroupState;
import dev.takeover.config.GroupConfig;
import dev.takeover.config.HookConfig;
import dev.takeover.config.VirtualAddress;
import dev.takeover.hook.HookContext;
import dev.takeover.hook.HookKind;
import dev.takeover.hook.HookRunner;
import dev.takeover.hook.HookSpec;
import dev.takeover.journal.EventDraft;
import dev.takeover.journal.Events;
import dev.takeover.platform.AddressTable;
import dev.takeover.platform.NativeException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one group's actions: sends adverts, adds and removes the virtual addresses, starts and
 * stops announcements, logs transitions and records each step in the journal. Decides nothing:
 * what to do comes from the state machine.
 */
public final class GroupEffects {
  private static final Logger log = LoggerFactory.getLogger("takeover");

  private final GroupConfig group;
  private final String label;
  private final List<String> vipTexts; // "198.18.0.50/24", for hooks and the journal
  private final int ifindex;
  private final AddressTable addresses;
  private final AdvertSender adverts;
  private final Announcer announcer;
  private final Recorder journal;
  private final HookRunner hooks;
  private final LongConsumer claimProceed;
  private final List<VirtualAddress> vips;
  private final TransitionTimeline timeline = new TransitionTimeline();
  private boolean claimed;
  private boolean holding; // addresses kept, unannounced, for a handover
  // Bumped by every claim request and release: a before-claim hook's late "proceed" for an older
  // claim must not add addresses after we released them.
  private long claimEpoch;
  private HookContext lastContext;
  private static final int RECENT = 5;
  private final ArrayDeque<RecentTransition> recent = new ArrayDeque<>();

  /** A transition as {@code takeover status} lists it. */
  public record RecentTransition(Instant at, GroupState from, GroupState to, String reason) {}

  /** The last few transitions, oldest first. */
  public List<RecentTransition> recentTransitions() {
    return List.copyOf(recent);
  }

  /**
   * @param hooks runs the group's hooks; null when the daemon runs none
   * @param claimProceed posts "the before-claim hook is done (or out of budget) for this claim
   *     epoch" back to the engine thread, which then calls {@link #proceedClaim(long)}
   */
  public GroupEffects(
      GroupConfig group,
      int ifindex,
      AddressTable addresses,
      AdvertSender adverts,
      Announcer announcer,
      Recorder journal,
      HookRunner hooks,
      LongConsumer claimProceed) {
    this.group = group;
    this.label = label(group);
    this.vips = List.copyOf(group.addresses());
    this.vipTexts = vips.stream().map(VirtualAddress::toString).toList();
    this.ifindex = ifindex;
    this.addresses = addresses;
    this.adverts = adverts;
    this.announcer = announcer;
    this.journal = journal;
    this.hooks = hooks;
    this.claimProceed = claimProceed;
  }

  /** {@code [web][VRID 51][IPv4]}: how every log line about a group starts. */
  public static String label(GroupConfig group) {
    return "[" + group.name() + "][VRID " + group.vrid() + "][" + group.family().displayName() + "]";
  }

  public void apply(List<Action> actions) {
    apply(actions, false);
  }

  /**
   * Carries out {@code actions}.
   *
   * @param handover the release in these actions is a planned handover (another node is taking
   *     over in order): stop announcing at once but keep the addresses until {@link
   *     #finishHandover()}, so packets still on their way here are answered (make-before-break)
   */
  public void apply(List<Action> actions, boolean handover) {
    Action.Transition transition = null;
    boolean claims = false;
    for (Action action : actions) {
      if (action instanceof Action.Transition t) {
        transition = t;
      } else if (action instanceof Action.ClaimAddresses) {
        claims = true;
      }
    }
    // A new master claims and announces before it sends its first advert: that advert is what
    // makes a preempted master let go, so the addresses are already here when it does
    // (make-before-break). With a before-claim hook the advert cannot wait for the hook.
    boolean claimFirst = claims && !hasBeforeClaimHook();
    if (claimFirst) {
      claim("became master");
    }
    // The transition comes last in the list, but hooks for the claim and release before it need
    // its states, reason and event id: record it before them (after the claim, which is urgent).
    if (transition != null) {
      record(transition);
    }
    for (Action action : actions) {
      switch (action) {
        case Action.SendAdvert a -> {
          adverts.send(a.priority());
          timeline.advertSent(System.nanoTime());
        }
        case Action.ClaimAddresses c -> {
          if (claimFirst) {
            runHook(HookKind.AFTER_CLAIM, group.hooks().afterClaim());
          } else {
            requestClaim();
          }
        }
        case Action.ReleaseAddresses r -> {
          if (handover && claimed) {
            holdForHandover();
          } else {
            release();
            runHook(HookKind.AFTER_RELEASE, group.hooks().afterRelease());
          }
        }
        case Action.Transition t -> {
          if (t.to() == GroupState.FAULT) {
            runHook(HookKind.FAULT, group.hooks().fault());
          }
        }
      }
    }
    if (claimFirst) {
      recordTimeline();
    }
  }

  private void record(Action.Transition t) {
    log.info("{} {} -> {} ({})", label, t.from(), t.to(), t.reason());
    String id = journal.record(Events.stateChanged(group.name(), t.from(), t.to(), t.reason()));
    recent.addLast(new RecentTransition(Instant.now(), t.from(), t.to(), t.reason()));
    while (recent.size() > RECENT) {
      recent.removeFirst();
    }
    lastContext =
        new HookContext(
            group.name(), group.vrid(), t.from().name(), t.to().name(), vipTexts, t.reason(), id);
    if (t.to() == GroupState.MASTER) {
      timeline.transition(t);
    }
  }

  private boolean hasBeforeClaimHook() {
    return hooks != null && group.hooks().beforeClaim().isPresent();
  }

  /**
   * Marks when the transition that follows was due (a timer's deadline, or the arrival of the
   * event that caused it) and when an advert was last heard ({@link Long#MIN_VALUE}: never), for
   * the transition's timeline in the journal. Times are {@link System#nanoTime()}.
   */
  public void transitionDue(long dueNanos, long handledNanos, long lastAdvertHeardNanos) {
    timeline.begin(dueNanos, handledNanos, lastAdvertHeardNanos);
  }

  private void recordTimeline() {
    timeline.draft(group.name()).ifPresent(journal::record);
  }

  /** Claim now, or once the before-claim hook is done or out of its time budget. */
  private void requestClaim() {
    long epoch = ++claimEpoch;
    Optional<HookConfig> before = group.hooks().beforeClaim();
    if (hooks != null && before.isPresent() && lastContext != null) {
      HookConfig h = before.get();
      hooks.submitBeforeClaim(
          spec(HookKind.BEFORE_CLAIM, h), lastContext, h.budget(), () -> claimProceed.accept(epoch));
      return;
    }
    claim("became master");
    runHook(HookKind.AFTER_CLAIM, group.hooks().afterClaim());
  }

  /**
   * The before-claim hook of claim {@code epoch} is done; the engine calls this only while still
   * master. Returns false when a release came in between (the claim is void).
   */
  public boolean proceedClaim(long epoch) {
    if (epoch != claimEpoch) {
      return false;
    }
    claim("became master");
    recordTimeline();
    runHook(HookKind.AFTER_CLAIM, group.hooks().afterClaim());
    return true;
  }

  /** The stop hook, after the shutdown actions. */
  public void stopped() {
    runHook(HookKind.STOP, group.hooks().stop());
  }

  private void runHook(HookKind kind, Optional<HookConfig> hook) {
    if (hooks == null || hook.isEmpty()) {
      return;
    }
    HookContext context =
        lastContext != null
            ? lastContext
            : new HookContext(
                group.name(), group.vrid(), "INITIALIZE", "INITIALIZE",
                vipTexts, kind.configName(),
                "");
    hooks.submit(kind, spec(kind, hook.get()), context);
  }

  private static HookSpec spec(HookKind kind, HookConfig h) {
    return new HookSpec(kind.configName(), h.command(), h.env(), h.timeout());
  }

  /**
   * Add every address that is missing, then announce them all. Logging and journaling wait until
   * the first announcement is on the wire: they are not what clients are waiting for.
   */
  public void claim(String reason) {
    claimed = true;
    holding = false;
    List<VirtualAddress> added = new ArrayList<>(vips.size());
    List<EventDraft> failures = new ArrayList<>(0);
    for (VirtualAddress vip : vips) {
      try {
        if (addresses.add(ifindex, vip.address(), vip.prefixLength())) {
          added.add(vip);
        }
      } catch (NativeException e) {
        log.error("{} could not add {} to {}: {}", label, vip, group.interfaceName(), e.getMessage());
        failures.add(failed(vip, Events.Operation.ADD, e));
      }
    }
    timeline.addressesAdded(System.nanoTime());
    timeline.announced(announcer.start());
    for (VirtualAddress vip : added) {
      log.info("{} added {} to {}", label, vip, group.interfaceName());
      journal.record(
          Events.addressAdded(group.name(), group.interfaceName(), vip.toString(), reason));
    }
    failures.forEach(journal::record);
    recordBurst();
  }

  /**
   * A planned handover: stop announcing now, keep the addresses until {@link #finishHandover()}.
   * Neighbours have been (or are being) told the new owner; until they all have, packets still
   * sent here are answered instead of dropped.
   */
  private void holdForHandover() {
    claimed = false;
    holding = true;
    claimEpoch++;
    announcer.stop();
    log.info("{} holding addresses for the handover, not announcing them", label);
  }

  /** Whether addresses are held for a handover (see {@link #apply(List, boolean)}). */
  public boolean holding() {
    return holding;
  }

  /** Ends a handover hold: remove the addresses and run the after-release hook. */
  public void finishHandover() {
    if (!holding) {
      return;
    }
    release();
    runHook(HookKind.AFTER_RELEASE, group.hooks().afterRelease());
  }

  /** Stop announcing, then remove every address. */
  public void release() {
    claimed = false;
    holding = false;
    claimEpoch++;
    announcer.stop();
    for (VirtualAddress vip : vips) {
      try {
        if (addresses.delete(ifindex, vip.address(), vip.prefixLength())) {
          log.info("{} removed {} from {}", label, vip, group.interfaceName());
          journal.record(
              Events.addressRemoved(group.name(), group.interfaceName(), vip.toString(), "released"));
        }
      } catch (NativeException e) {
        log.error(
            "{} could not remove {} from {}: {}", label, vip, group.interfaceName(), e.getMessage());
        journal.record(failed(vip, Events.Operation.DELETE, e));
      }
    }
  }

  /** While claimed: announce the addresses again (a new burst), e.g. after a rival master. */
  public void reannounce(String why) {
    if (!claimed) {
      return;
    }
    log.warn("{} announcing addresses again: {}", label, why);
    announcer.start();
    recordBurst();
  }

  private void recordBurst() {
    journal.record(
        Events.announceBurst(
            group.name(),
            group.interfaceName(),
            vipTexts,
            announcer.burstCount(),
            announcer.burstInterval()));
  }

  /** While claimed: put back what someone else removed, and tell the LAN again. */
  public void reclaim(String why) {
    if (!claimed) {
      return;
    }
    log.warn("{} re-claiming addresses: {}", label, why);
    claim(why);
  }

  /** At start-up, remove this group's addresses that a killed earlier run left on the interface. */
  public void removeLeftovers() {
    List<AddressTable.InterfaceAddress> present = addresses.list(ifindex);
    for (VirtualAddress vip : group.addresses()) {
      for (AddressTable.InterfaceAddress a : present) {
        if (a.address().equals(vip.address())) {
          addresses.delete(ifindex, a.address(), a.prefixLength());
          log.warn(
              "{} removed {} left on {} by an earlier run", label, vip, group.interfaceName());
          journal.record(
              Events.addressRemoved(
                  group.name(), group.interfaceName(), vip.toString(), "left by an earlier run"));
        }
      }
    }
  }

  /** Records that someone else removed one of our addresses (the reclaim follows). */
  public void removedByOthers(InetAddress address) {
    for (VirtualAddress vip : group.addresses()) {
      if (vip.address().equals(address)) {
        journal.record(
            Events.addressRemoved(
                group.name(), group.interfaceName(), vip.toString(), "removed by someone else"));
      }
    }
  }

  public boolean claimed() {
    return claimed;
  }

  public boolean owns(InetAddress address) {
    for (VirtualAddress vip : group.addresses()) {
      if (vip.address().equals(address)) {
        return true;
      }
    }
    return false;
  }

  public GroupConfig group() {
    return group;
  }

  private EventDraft failed(VirtualAddress vip, Events.Operation op, NativeException e) {
    return Events.addressFailed(
        group.name(), group.interfaceName(), vip.toString(), op, e.getMessage());
  }
}
