package dev.takeover.engine;

import dev.takeover.clock.Clock;
import dev.takeover.wire.ArpDecoded;
import dev.takeover.wire.ArpFrame;
import dev.takeover.wire.ArpPacket;
import dev.takeover.wire.MacAddress;
import java.net.Inet4Address;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * ARP replies from probed gateways on one interface, on the polling thread (docs/LINKS.md, "Gateway
 * probes"): the first reply from a gateway's address after a request went out becomes one {@link
 * Event.GatewayReply}; any other reply from it (a second answer, a flood, one with no request
 * outstanding) is only counted. Bounded: at most one event per request sent, no allocation of its
 * own per frame beyond the codec's, no table that grows.
 *
 * <p>What ARP cannot tell: whether the answer came from the gateway or from another host claiming
 * its address. A host on the LAN that answers for a dead gateway keeps its next hop healthy; the
 * node-link paths and the kernel's link state are the other opinions (DECISIONS 61).
 */
public final class GatewayReplyIntake {
  private final MacAddress ownMac;
  private final int[] probes; // indexes into the engine's GatewayProbes, for this interface
  private final Inet4Address[] gateways;
  private final AtomicLongArray outstanding;
  private final Consumer<Event> engine;
  private final Clock clock;
  private final LongAdder unsolicited;

  /**
   * @param probes the probes on this interface (indexes into the engine's {@link GatewayProbes})
   * @param gateways their gateways, in the same order
   */
  public GatewayReplyIntake(
      MacAddress ownMac,
      int[] probes,
      Inet4Address[] gateways,
      GatewayProbes all,
      Consumer<Event> engine,
      Clock clock) {
    this.ownMac = ownMac;
    this.probes = probes.clone();
    this.gateways = gateways.clone();
    this.outstanding = all.outstanding();
    this.engine = engine;
    this.clock = clock;
    this.unsolicited = all.unsolicitedCounter();
  }

  /** One frame from the link watch; the bytes are valid during the call only. */
  public void onFrame(byte[] frame, int length) {
    if (!(ArpFrame.decode(frame, length) instanceof ArpDecoded.Ok ok)) {
      return; // not ARP (the watch passes VRRP and ND too), or not Ethernet/IPv4 ARP
    }
    ArpPacket p = ok.packet();
    for (int i = 0; i < probes.length; i++) {
      if (p.isReplyFrom(gateways[i], ownMac)) {
        long sequence = outstanding.getAndSet(probes[i], 0);
        if (sequence != 0) {
          engine.accept(new Event.GatewayReply(probes[i], sequence, clock.nanoTime()));
        } else {
          unsolicited.increment();
        }
      }
    }
  }
}
