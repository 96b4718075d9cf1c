package dev.takeover.effect;

import dev.takeover.action.Action;
import dev.takeover.config.GroupConfig;
import dev.takeover.config.VirtualAddress;
import dev.takeover.journal.EventDraft;
import dev.takeover.journal.Events;
import dev.takeover.platform.AddressTable;
import dev.takeover.platform.NativeException;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Consumer;
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
  private final int ifindex;
  private final AddressTable addresses;
  private final AdvertSender adverts;
  private final Announcer announcer;
  private final Consumer<EventDraft> journal;
  private boolean claimed;

  public GroupEffects(
      GroupConfig group,
      int ifindex,
      AddressTable addresses,
      AdvertSender adverts,
      Announcer announcer,
      Consumer<EventDraft> journal) {
    this.group = group;
    this.label = label(group);
    this.ifindex = ifindex;
    this.addresses = addresses;
    this.adverts = adverts;
    this.announcer = announcer;
    this.journal = journal;
  }

  /** {@code [web][VRID 51][IPv4]}: how every log line about a group starts. */
  public static String label(GroupConfig group) {
    return "[" + group.name() + "][VRID " + group.vrid() + "][" + group.family().displayName() + "]";
  }

  public void apply(List<Action> actions) {
    for (Action action : actions) {
      switch (action) {
        case Action.SendAdvert a -> adverts.send(a.priority());
        case Action.ClaimAddresses c -> claim("became master");
        case Action.ReleaseAddresses r -> release();
        case Action.Transition t -> {
          log.info("{} {} -> {} ({})", label, t.from(), t.to(), t.reason());
          journal.accept(Events.stateChanged(group.name(), t.from(), t.to(), t.reason()));
        }
      }
    }
  }

  /** Add every address that is missing, then announce them all. */
  public void claim(String reason) {
    claimed = true;
    for (VirtualAddress vip : group.addresses()) {
      try {
        if (addresses.add(ifindex, vip.address(), vip.prefixLength())) {
          log.info("{} added {} to {}", label, vip, group.interfaceName());
          journal.accept(
              Events.addressAdded(group.name(), group.interfaceName(), vip.toString(), reason));
        }
      } catch (NativeException e) {
        log.error("{} could not add {} to {}: {}", label, vip, group.interfaceName(), e.getMessage());
        journal.accept(failed(vip, Events.Operation.ADD, e));
      }
    }
    announcer.start();
    journal.accept(
        Events.announceBurst(
            group.name(),
            group.interfaceName(),
            group.addresses().stream().map(VirtualAddress::toString).toList(),
            announcer.burstCount(),
            announcer.burstInterval()));
  }

  /** Stop announcing, then remove every address. */
  public void release() {
    claimed = false;
    announcer.stop();
    for (VirtualAddress vip : group.addresses()) {
      try {
        if (addresses.delete(ifindex, vip.address(), vip.prefixLength())) {
          log.info("{} removed {} from {}", label, vip, group.interfaceName());
          journal.accept(
              Events.addressRemoved(group.name(), group.interfaceName(), vip.toString(), "released"));
        }
      } catch (NativeException e) {
        log.error(
            "{} could not remove {} from {}: {}", label, vip, group.interfaceName(), e.getMessage());
        journal.accept(failed(vip, Events.Operation.DELETE, e));
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
          journal.accept(
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
        journal.accept(
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
