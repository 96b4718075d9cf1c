package dev.takeover.engine;

import dev.takeover.clock.Clock;
import dev.takeover.wire.IcmpCodec;
import dev.takeover.wire.IcmpDecoded;
import dev.takeover.wire.IcmpEcho;
import java.net.Inet4Address;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * ICMP echo replies from probed gateways on one interface, in the socket poller (docs/LINKS.md,
 * "Gateway probes"): the reply that names a probe's outstanding request (its identifier, the
 * request's sequence number and the request's number in the data, {@link IcmpCodec#answers})
 * becomes one {@link Event.GatewayReply}; any other echo reply from the gateway with the probe's
 * identifier (late, a duplicate, a flood, a guess) is only counted, and a packet that is no
 * well-formed echo reply is counted as malformed. Echo replies with another identifier are another
 * program's pings (every raw ICMP socket sees them) and are ignored, as are replies from other
 * addresses. Bounded: at most one event per request sent, no allocation of its own per packet
 * beyond the codec's result, no table that grows.
 */
public final class GatewayEchoIntake {
  private final int[] probes; // indexes into the engine's GatewayProbes, for this interface
  private final int[] gateways; // big-endian IPv4, IcmpCodec#ipv4
  private final int[] identifiers;
  private final AtomicLongArray outstanding;
  private final Consumer<Event> engine;
  private final Clock clock;
  private final LongAdder unsolicited;
  private final LongAdder malformed;

  /**
   * @param probes the ICMP probes on this interface (indexes into the engine's {@link
   *     GatewayProbes})
   * @param gateways their gateways, in the same order
   * @param identifiers their echo identifiers, in the same order
   */
  public GatewayEchoIntake(
      int[] probes,
      Inet4Address[] gateways,
      int[] identifiers,
      GatewayProbes all,
      Consumer<Event> engine,
      Clock clock) {
    if (probes.length != gateways.length || probes.length != identifiers.length) {
      throw new IllegalArgumentException("one gateway and one identifier per probe");
    }
    this.probes = probes.clone();
    this.gateways = new int[gateways.length];
    for (int i = 0; i < gateways.length; i++) {
      this.gateways[i] = IcmpCodec.ipv4(gateways[i]);
    }
    this.identifiers = identifiers.clone();
    this.outstanding = all.outstanding();
    this.engine = engine;
    this.clock = clock;
    this.unsolicited = all.echoUnsolicitedCounter();
    this.malformed = all.echoMalformedCounter();
  }

  /** One IPv4 packet from the probes' ICMP socket; the bytes are valid during the call only. */
  public void onPacket(byte[] packet, int length) {
    if (!(IcmpCodec.decodeIpv4(packet, length) instanceof IcmpDecoded.Ok ok)) {
      malformed.increment(); // the socket's filter passes echo replies only: this one is broken
      return;
    }
    IcmpEcho echo = ok.echo();
    if (!echo.isReply()) {
      return;
    }
    for (int i = 0; i < probes.length; i++) {
      if (echo.source() != gateways[i] || echo.identifier() != identifiers[i]) {
        continue;
      }
      long request = outstanding.get(probes[i]);
      if (request != 0
          && IcmpCodec.answers(packet, echo, identifiers[i], request)
          && outstanding.compareAndSet(probes[i], request, 0)) {
        engine.accept(new Event.GatewayReply(probes[i], request, clock.nanoTime()));
      } else {
        unsolicited.increment();
      }
      return;
    }
  }
}
