package dev.takeover.effect;

import dev.takeover.action.Action;
import dev.takeover.clock.Clock;
import dev.takeover.config.GroupConfig;
import dev.takeover.config.VirtualAddress;
import dev.takeover.journal.EventDraft;
import dev.takeover.journal.Events;
import dev.takeover.platform.AddressTable;
import dev.takeover.platform.NativeException;
import dev.takeover.wire.AddressText;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group's addresses on the interface and their announcements: adds, removes, keeps and
 * announces them as the policy's actions say, and records each step.
 *
 * <p>Implementation note: the log lines and journal records of a claim ("address added") wait until
 * the first announcement of the burst is on the wire: they are not what clients are waiting for. An
 * address on another interface than the group's (keepalived's {@code dev}) is added to and removed
 * from that interface, found by name each time (it may have been re-created). Engine thread only.
 */
final class AddressClaims {
  private static final Logger log = LoggerFactory.getLogger("takeover");

  private final GroupConfig group;
  private final String label;
  private final List<VirtualAddress> vips;
  private final List<String> vipTexts;
  private final int ifindex;
  private final AddressTable addresses;
  private final Announcer announcer;
  private Duration burstInterval;
  private final Recorder journal;
  private final TransitionTimeline timeline;
  private final Clock clock;
  private final List<Runnable> afterAnnouncement = new ArrayList<>();
  private final Function<String, OptionalInt> ifindexOf;

  /** Where each address on another interface was last found: the kernel's events name indexes. */
  private final Map<VirtualAddress, Integer> foundOn = new HashMap<>();

  AddressClaims(
      GroupConfig group,
      int ifindex,
      Function<String, OptionalInt> ifindexOf,
      AddressTable addresses,
      Announcer announcer,
      Duration burstInterval,
      Recorder journal,
      TransitionTimeline timeline,
      Clock clock) {
    this.group = group;
    this.label = GroupEffects.label(group);
    this.vips = List.copyOf(group.addresses());
    this.vipTexts = vips.stream().map(VirtualAddress::toString).toList();
    this.ifindex = ifindex;
    this.ifindexOf = ifindexOf;
    this.addresses = addresses;
    this.announcer = announcer;
    this.burstInterval = burstInterval;
    this.journal = journal;
    this.timeline = timeline;
    this.clock = clock;
  }

  /** Adds every address that is missing; the records follow the first announcement. */
  void claim(String reason) {
    for (VirtualAddress vip : vips) {
      String on = on(vip);
      try {
        int index = index(vip);
        if (addresses.add(
            index, vip.address(), vip.prefixLength(), vip.label().orElse(null), vip.scope())) {
          afterAnnouncement.add(
              () -> {
                log.info("{} added {} to {}", label, vip, on);
                journal.record(Events.addressAdded(group.name(), on, vip.toString(), reason));
              });
        }
      } catch (NativeException e) {
        log.error("{} could not add {} to {}: {}", label, vip, on, e.getMessage());
        EventDraft failure = failed(vip, Events.Operation.ADD, e);
        afterAnnouncement.add(() -> journal.record(failure));
      }
    }
    timeline.addressesAdded(clock.nanoTime());
  }

  /** Someone else removed {@code removed}: record it, then put every address back. */
  void reclaim(InetAddress removed) {
    String why = AddressText.of(removed) + " was removed by someone else";
    for (VirtualAddress vip : vips) {
      if (vip.address().equals(removed)) {
        journal.record(
            Events.addressRemoved(
                group.name(), on(vip), vip.toString(), "removed by someone else"));
      }
    }
    log.warn("{} re-claiming addresses: {}", label, why);
    claim(why);
  }

  /** One announcement; the first of a burst is the one of record. */
  void announce(Action.Announce frame) {
    announcer.send(frame);
    if (!frame.startsBurst()) {
      return;
    }
    timeline.announced(clock.nanoTime());
    afterAnnouncement.forEach(Runnable::run);
    afterAnnouncement.clear();
    journal.record(
        Events.announceBurst(
            group.name(), group.interfaceName(), vipTexts, frame.burst(), burstInterval));
  }

  void reannounce(String why) {
    log.warn("{} announcing addresses again: {}", label, why);
  }

  /** A handover: the announcements have stopped (the policy's schedule); the addresses stay. */
  void hold() {
    log.info("{} holding addresses for the handover, not announcing them", label);
  }

  /** Removes every address. */
  void release() {
    afterAnnouncement.forEach(Runnable::run); // a claim that never got announced
    afterAnnouncement.clear();
    for (VirtualAddress vip : vips) {
      String on = on(vip);
      try {
        if (addresses.delete(index(vip), vip.address(), vip.prefixLength())) {
          log.info("{} removed {} from {}", label, vip, on);
          journal.record(Events.addressRemoved(group.name(), on, vip.toString(), "released"));
        }
      } catch (NativeException e) {
        log.error("{} could not remove {} from {}: {}", label, vip, on, e.getMessage());
        journal.record(failed(vip, Events.Operation.DELETE, e));
      }
    }
  }

  /** At start-up, removes this group's addresses that a killed earlier run left behind. */
  void removeLeftovers() {
    Map<Integer, List<AddressTable.InterfaceAddress>> present = new HashMap<>();
    for (VirtualAddress vip : vips) {
      int index;
      try {
        index = index(vip);
      } catch (NativeException e) {
        continue; // no such interface: nothing can be left on it
      }
      String on = on(vip);
      for (AddressTable.InterfaceAddress a : present.computeIfAbsent(index, addresses::list)) {
        if (a.address().equals(vip.address())) {
          addresses.delete(index, a.address(), a.prefixLength());
          log.warn("{} removed {} left on {} by an earlier run", label, vip, on);
          journal.record(
              Events.addressRemoved(group.name(), on, vip.toString(), "left by an earlier run"));
        }
      }
    }
  }

  /** The burst interval the journal records from now on (a reload changed it). */
  void setBurstInterval(Duration burstInterval) {
    this.burstInterval = burstInterval;
  }

  boolean owns(InetAddress address) {
    for (VirtualAddress vip : vips) {
      if (vip.address().equals(address)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code address} on interface {@code index} is one of the group's addresses where the
   * group puts it (an address on another interface: where it was last found).
   */
  boolean owns(int index, InetAddress address) {
    for (VirtualAddress vip : vips) {
      if (vip.address().equals(address)
          && index == (vip.interfaceName().isEmpty() ? ifindex : foundOn.getOrDefault(vip, -1))) {
        return true;
      }
    }
    return false;
  }

  /** The interface name an address lives on. */
  private String on(VirtualAddress vip) {
    return vip.interfaceOr(group.interfaceName());
  }

  /** The index of the interface an address lives on, found by name for another interface. */
  private int index(VirtualAddress vip) {
    if (vip.interfaceName().isEmpty()) {
      return ifindex;
    }
    String name = vip.interfaceName().get();
    OptionalInt found = ifindexOf.apply(name);
    if (found.isEmpty()) {
      // ENODEV, as the kernel says for an index that does not exist.
      throw new NativeException("RTM_GETLINK", 19, "no interface named " + name);
    }
    foundOn.put(vip, found.getAsInt());
    return found.getAsInt();
  }

  private EventDraft failed(VirtualAddress vip, Events.Operation op, NativeException e) {
    return Events.addressFailed(group.name(), on(vip), vip.toString(), op, e.getMessage());
  }
}
