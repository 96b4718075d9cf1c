package dev.takeover.engine;

import dev.takeover.action.GroupState;
import dev.takeover.effect.GroupEffects;
import dev.takeover.journal.EventDraft;
import dev.takeover.journal.Events;
import dev.takeover.platform.NetlinkEvent;
import dev.takeover.vrrp.VrrpMachine;
import dev.takeover.wire.AddressText;
import java.net.InetAddress;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One VRRP group on the engine thread: its pure state machine wired to its effects. */
public final class VrrpGroup implements Engine.GroupRuntime {
  private static final Logger log = LoggerFactory.getLogger("takeover");

  private final String label;
  private final int ifindex;
  private final VrrpMachine machine;
  private final GroupEffects effects;
  private final BooleanSupplier linkIsUp;
  private final Consumer<EventDraft> journal;

  /**
   * @param linkIsUp asks the kernel whether the group's link is up now: at start-up, and on the
   *     rare event of an address removal, where event order alone cannot tell a link going down
   */
  public VrrpGroup(
      String label,
      int ifindex,
      VrrpMachine machine,
      GroupEffects effects,
      BooleanSupplier linkIsUp,
      Consumer<EventDraft> journal) {
    this.label = label;
    this.ifindex = ifindex;
    this.machine = machine;
    this.effects = effects;
    this.linkIsUp = linkIsUp;
    this.journal = journal;
  }

  @Override
  public void start(long now) {
    effects.removeLeftovers();
    if (!linkIsUp.getAsBoolean()) {
      machine.fault(linkDownReason(), now); // start in FAULT: nothing to claim on a dead link
    }
    effects.apply(machine.startup(now));
  }

  @Override
  public void stop(long now) {
    effects.apply(machine.shutdown(now));
  }

  @Override
  public void advertReceived(Event.AdvertReceived advert, long now) {
    effects.apply(
        machine.advertReceived(
            advert.source(), advert.priority(), advert.maxAdverIntervalCentis(), now));
  }

  @Override
  public void kernelEvent(NetlinkEvent event, long now) {
    switch (event) {
      case NetlinkEvent.AddressRemoved r when r.ifindex() == ifindex && effects.owns(r.address()) -> {
        // Link down deletes IPv6 addresses: that is no one's doing, and FAULT already released.
        if (machine.state() == GroupState.MASTER && linkIsUp.getAsBoolean()) {
          effects.removedByOthers(r.address());
          effects.reclaim(AddressText.of(r.address()) + " was removed by someone else");
        }
      }
      case NetlinkEvent.LinkChanged l when l.ifindex() == ifindex -> {
        log.info("{} link {} is {}", label, l.name(), l.up() ? "up" : "down");
        journal.accept(Events.linkChanged(effects.group().name(), l.name(), l.up()));
        // A dead link is keepalived's FAULT: a master hands over (priority 0) and releases; when
        // the link returns the group starts over as BACKUP and preempts if it should.
        effects.apply(
            l.up()
                ? machine.clearFault(linkDownReason(), now)
                : machine.fault(linkDownReason(), now));
      }
      default -> {}
    }
  }

  @Override
  public void tick(long now) {
    OptionalLong deadline = machine.nextDeadline();
    if (deadline.isPresent() && deadline.getAsLong() - now <= 0) {
      GroupState before = machine.state();
      InetAddress heard = machine.lastMaster().map(m -> m.address()).orElse(null);
      var actions = machine.tick(now);
      if (before == GroupState.BACKUP && machine.state() == GroupState.MASTER) {
        // The outage's first moment of record: when and whom we stopped hearing.
        journal.accept(
            Events.advertTimeout(
                effects.group().name(),
                heard,
                Duration.ofNanos(machine.masterDownIntervalNanos())));
      }
      effects.apply(actions);
    }
  }

  private String linkDownReason() {
    return "link " + effects.group().interfaceName() + " down";
  }

  @Override
  public boolean hasDeadline() {
    return machine.nextDeadline().isPresent();
  }

  @Override
  public long deadline() {
    return machine.nextDeadline().getAsLong();
  }

  public GroupState state() {
    return machine.state();
  }
}
