package dev.takeover.engine;

import dev.takeover.action.GroupState;
import dev.takeover.effect.GroupEffects;
import dev.takeover.platform.NetlinkEvent;
import dev.takeover.vrrp.VrrpMachine;
import dev.takeover.wire.AddressText;
import java.util.OptionalLong;
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

  /**
   * @param linkIsUp asks the kernel whether the group's link is up now; used only on the rare
   *     event of an address removal, where event order alone cannot tell a link going down
   */
  public VrrpGroup(
      String label,
      int ifindex,
      VrrpMachine machine,
      GroupEffects effects,
      BooleanSupplier linkIsUp) {
    this.label = label;
    this.ifindex = ifindex;
    this.machine = machine;
    this.effects = effects;
    this.linkIsUp = linkIsUp;
  }

  @Override
  public void start(long now) {
    effects.removeLeftovers();
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
        // Link down deletes IPv6 addresses: that is no one's doing, and link up puts them back.
        if (machine.state() == GroupState.MASTER && linkIsUp.getAsBoolean()) {
          effects.reclaim(AddressText.of(r.address()) + " was removed by someone else");
        }
      }
      case NetlinkEvent.LinkChanged l when l.ifindex() == ifindex -> {
        log.info("{} link {} is {}", label, l.name(), l.up() ? "up" : "down");
        // Link down deletes IPv6 addresses, and while it was down the LAN may have moved on: put
        // everything back and announce it again.
        if (l.up() && machine.state() == GroupState.MASTER) {
          effects.reclaim("link " + l.name() + " came back up");
        }
      }
      default -> {}
    }
  }

  @Override
  public void tick(long now) {
    OptionalLong deadline = machine.nextDeadline();
    if (deadline.isPresent() && deadline.getAsLong() - now <= 0) {
      effects.apply(machine.tick(now));
    }
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
