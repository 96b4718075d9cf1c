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
  private boolean claimed;
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
    this.vipTexts = group.addresses().stream().map(VirtualAddress::toString).toList();
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
    // The transition comes last in the list, but hooks for the claim and release before it need
    // its states, reason and event id: record it first.
    for (Action action : actions) {
      if (action instanceof Action.Transition t) {
        log.info("{} {} -> {} ({})", label, t.from(), t.to(), t.reason());
        String id = journal.record(Events.stateChanged(group.name(), t.from(), t.to(), t.reason()));
        recent.addLast(new RecentTransition(Instant.now(), t.from(), t.to(), t.reason()));
        while (recent.size() > RECENT) {
          recent.removeFirst();
        }
        lastContext =
            new HookContext(
                group.name(),
                group.vrid(),
                t.from().name(),
                t.to().name(),
                vipTexts,
                t.reason(),
                id);
      }
    }
    for (Action action : actions) {
      switch (action) {
        case Action.SendAdvert a -> adverts.send(a.priority());
        case Action.ClaimAddresses c -> requestClaim();
        case Action.ReleaseAddresses r -> {
          release();
          runHook(HookKind.AFTER_RELEASE, group.hooks().afterRelease());
        }
        case Action.Transition t -> {
          if (t.to() == GroupState.FAULT) {
            runHook(HookKind.FAULT, group.hooks().fault());
          }
        }
      }
    }
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

  /** Add every address that is missing, then announce them all. */
  public void claim(String reason) {
    claimed = true;
    for (VirtualAddress vip : group.addresses()) {
      try {
        if (addresses.add(ifindex, vip.address(), vip.prefixLength())) {
          log.info("{} added {} to {}", label, vip, group.interfaceName());
          journal.record(
              Events.addressAdded(group.name(), group.interfaceName(), vip.toString(), reason));
        }
      } catch (NativeException e) {
        log.error("{} could not add {} to {}: {}", label, vip, group.interfaceName(), e.getMessage());
        journal.record(failed(vip, Events.Operation.ADD, e));
      }
    }
    announcer.start();
    journal.record(
        Events.announceBurst(
            group.name(),
            group.interfaceName(),
            vipTexts,
            announcer.burstCount(),
            announcer.burstInterval()));
  }

  /** Stop announcing, then remove every address. */
  public void release() {
    claimed = false;
    claimEpoch++;
    announcer.stop();
    for (VirtualAddress vip : group.addresses()) {
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
