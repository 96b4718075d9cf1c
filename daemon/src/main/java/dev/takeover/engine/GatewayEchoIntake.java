package dev.takeover.engine;

import dev.takeover.clock.Clock;
import dev.takeover.links.GatewayProbe;
import dev.takeover.wire.IcmpCodec;
import dev.takeover.wire.IcmpDecoded;
import dev.takeover.wire.IcmpEcho;
import dev.takeover.wire.NeighborAdvert;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
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
 *
 * <p>On IPv6 ({@link #onMessage6}, one raw ICMPv6 socket per interface) the same for ICMPv6 echo
 * replies, and the Neighbor Advertisements that answer NDP probes: like an ARP reply an
 * advertisement names no request, so the first valid solicited one for the probed gateway ({@link
 * NeighborAdvert#check}: hop limit 255, the Solicited flag, the gateway as its target) after a
 * request takes the outstanding slot; another solicited one for the gateway while none is
 * outstanding is counted as unsolicited, an invalid one as malformed, and advertisements for other
 * targets (the LAN's own Neighbor Discovery) are ignored. The interface is the socket's: it is
 * bound to it, so a link-local gateway is matched by its 16 bytes alone.
 */
public final class GatewayEchoIntake {
  private final int[] probes; // indexes into the engine's GatewayProbes, for this interface
  private final GatewayProbe.Kind[] kinds;
  private final byte[][] gateways; // 4 or 16 bytes
  private final int[] gateways4; // big-endian IPv4, IcmpCodec#ipv4; 0 for IPv6
  private final int[] identifiers;
  private final AtomicLongArray outstanding;
  private final Consumer<Event> engine;
  private final Clock clock;
  private final GatewayProbes all;

  /**
   * @param probes the ICMP (and, on IPv6, NDP) probes on this interface (indexes into the engine's
   *     {@link GatewayProbes})
   * @param gateways their gateways, in the same order, all of one family
   * @param identifiers their echo identifiers, in the same order (0 for NDP probes)
   */
  public GatewayEchoIntake(
      int[] probes,
      InetAddress[] gateways,
      int[] identifiers,
      GatewayProbes all,
      Consumer<Event> engine,
      Clock clock) {
    if (probes.length != gateways.length || probes.length != identifiers.length) {
      throw new IllegalArgumentException("one gateway and one identifier per probe");
    }
    this.probes = probes.clone();
    this.kinds = new GatewayProbe.Kind[probes.length];
    this.gateways = new byte[gateways.length][];
    this.gateways4 = new int[gateways.length];
    for (int i = 0; i < gateways.length; i++) {
      this.kinds[i] = all.specs().get(probes[i]).kind();
      this.gateways[i] = gateways[i].getAddress();
      if (gateways[i] instanceof Inet4Address a) {
        this.gateways4[i] = IcmpCodec.ipv4(a);
      }
    }
    this.identifiers = identifiers.clone();
    this.outstanding = all.outstanding();
    this.engine = engine;
    this.clock = clock;
    this.all = all;
  }

  /** One IPv4 packet from the probes' ICMP socket; the bytes are valid during the call only. */
  public void onPacket(byte[] packet, int length) {
    if (!(IcmpCodec.decodeIpv4(packet, length) instanceof IcmpDecoded.Ok ok)) {
      all.echoMalformedCounter().increment(); // the filter passes echo replies only: broken
      return;
    }
    IcmpEcho echo = ok.echo();
    if (!echo.isReply()) {
      return;
    }
    for (int i = 0; i < probes.length; i++) {
      if (echo.source() == gateways4[i] && echo.identifier() == identifiers[i]) {
        settle(i, packet, echo);
        return;
      }
    }
  }

  /**
   * One ICMPv6 message from the probes' ICMPv6 socket (echo replies and Neighbor Advertisements
   * only, by its filter) from {@code source} (16 bytes), received with {@code hopLimit}; the bytes
   * are valid during the call only.
   */
  public void onMessage6(byte[] message, int length, byte[] source, int hopLimit) {
    if (length > 0 && (message[0] & 0xff) == NeighborAdvert.TYPE) {
      onAdvert(message, length, hopLimit);
      return;
    }
    if (!(IcmpCodec.decodeMessage6(message, 0, length) instanceof IcmpDecoded.Ok ok)) {
      all.echoMalformedCounter().increment();
      return;
    }
    IcmpEcho echo = ok.echo();
    if (!echo.isReply()) {
      return;
    }
    for (int i = 0; i < probes.length; i++) {
      if (kinds[i] == GatewayProbe.Kind.ICMP
          && echo.identifier() == identifiers[i]
          && Arrays.equals(gateways[i], source)) {
        settle(i, message, echo);
        return;
      }
    }
  }

  private void onAdvert(byte[] message, int length, int hopLimit) {
    for (int i = 0; i < probes.length; i++) {
      if (kinds[i] != GatewayProbe.Kind.NDP) {
        continue;
      }
      switch (NeighborAdvert.check(message, 0, length, hopLimit, gateways[i], 0)) {
        case INVALID -> {
          all.ndpMalformedCounter().increment();
          return;
        }
        case NOT_AN_ANSWER -> {
          continue; // unsolicited, or another target: the LAN's own Neighbor Discovery
        }
        case ANSWER -> {
          // An advertisement names no request (as an ARP reply, GatewayReplyIntake): it takes
          // whatever is outstanding.
          long request = outstanding.getAndSet(probes[i], 0);
          if (request != 0) {
            engine.accept(new Event.GatewayReply(probes[i], request, clock.nanoTime()));
          } else {
            all.ndpUnsolicitedCounter().increment();
          }
          return;
        }
      }
    }
  }

  /** An echo reply from probe {@code i}'s gateway with its identifier. */
  private void settle(int i, byte[] buf, IcmpEcho echo) {
    long request = outstanding.get(probes[i]);
    if (request != 0
        && IcmpCodec.answers(buf, echo, identifiers[i], request)
        && outstanding.compareAndSet(probes[i], request, 0)) {
      engine.accept(new Event.GatewayReply(probes[i], request, clock.nanoTime()));
    } else {
      all.echoUnsolicitedCounter().increment();
    }
  }
}
