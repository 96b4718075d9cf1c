package dev.takeover.engine;

import dev.takeover.links.GatewayProbe;
import dev.takeover.links.PathStatus;
import dev.takeover.wire.IcmpCodec;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The next hops' gateway probes on the engine thread (docs/LINKS.md, "Gateway probes"): sends each
 * probe's ARP request or ICMP echo when due and hands replies to the pure {@link GatewayProbe},
 * which decides UP and DOWN. Decides nothing itself.
 *
 * <p>Implementation notes. The latest request's number waits in {@link #outstanding} (one slot per
 * probe, shared with the polling side's {@link GatewayReplyIntake} and {@link GatewayEchoIntake}):
 * it is set before the request leaves, and an intake takes it (sets 0) with the reply that answers
 * it, so at most one event per request reaches the engine however many replies a LAN sends. ARP
 * replies name no request, so the first reply from the gateway takes the slot; an ICMP echo reply
 * names its request (identifier, sequence number, the number in its data: {@link IcmpCodec}), so
 * only the reply to the outstanding one does. NDP probes (IPv6) are ARP's counterpart: a Neighbor
 * Solicitation built once at start, sent through the interface's raw ICMPv6 socket like an ICMPv6
 * echo, and answered by the first solicited advertisement after it. ARP frames are built once at
 * start; an echo request is rewritten in one reused buffer for each request (ICMPv4 with its
 * checksum, ICMPv6 without: the kernel's). Sending is one non-blocking syscall ({@code
 * MSG_DONTWAIT}) whose failure (interface down, EAGAIN) is counted and left to the misses.
 */
public final class GatewayProbes {

  /** Sends one Ethernet frame on an interface without waiting; throws on failure. */
  @FunctionalInterface
  public interface FrameSender {
    void send(int ifindex, byte[] frame, int length);
  }

  /**
   * Sends one ICMP or ICMPv6 message (an echo request, a Neighbor Solicitation) of probe {@code
   * probe} to its gateway without waiting; throws on failure.
   */
  @FunctionalInterface
  public interface EchoSender {
    void send(int probe, byte[] message, int length);
  }

  /** What {@link GatewayProbes} reports. */
  public interface Output {
    void probeChanged(int probe, PathStatus from, PathStatus to, String reason);
  }

  /**
   * One probed gateway.
   *
   * @param kind how it is asked
   * @param gateway IPv4 for ARP, IPv6 for NDP, either for ICMP
   * @param request ARP: the request frame, built once ({@code wire.ArpFrame#request}); NDP: the
   *     solicitation's ICMPv6 body ({@code wire.NeighborSolicit#unicastProbe}); ICMP: empty (each
   *     echo request is written when sent)
   * @param identifier ICMP: the echo Identifier of this probe's requests (16 bits); else 0
   */
  public record Spec(
      String interfaceName,
      int ifindex,
      InetAddress gateway,
      GatewayProbe.Kind kind,
      byte[] request,
      int identifier,
      long intervalNanos,
      int misses,
      int goods) {

    /** An ARP probe. */
    public Spec(
        String interfaceName,
        int ifindex,
        Inet4Address gateway,
        byte[] request,
        long intervalNanos,
        int misses,
        int goods) {
      this(
          interfaceName,
          ifindex,
          gateway,
          GatewayProbe.Kind.ARP,
          request,
          0,
          intervalNanos,
          misses,
          goods);
    }

    /**
     * A Neighbor Solicitation probe of an IPv6 gateway; {@code solicitation} is the ICMPv6 body,
     * {@code wire.NeighborSolicit#unicastProbe}.
     */
    public static Spec ndp(
        String interfaceName,
        int ifindex,
        Inet6Address gateway,
        byte[] solicitation,
        long intervalNanos,
        int misses,
        int goods) {
      return new Spec(
          interfaceName,
          ifindex,
          gateway,
          GatewayProbe.Kind.NDP,
          solicitation,
          0,
          intervalNanos,
          misses,
          goods);
    }

    /** An ICMP (ICMPv6 for an IPv6 gateway) echo probe whose requests carry {@code identifier}. */
    public static Spec icmp(
        String interfaceName,
        int ifindex,
        InetAddress gateway,
        int identifier,
        long intervalNanos,
        int misses,
        int goods) {
      return new Spec(
          interfaceName,
          ifindex,
          gateway,
          GatewayProbe.Kind.ICMP,
          new byte[0],
          identifier & 0xffff,
          intervalNanos,
          misses,
          goods);
    }
  }

  /** No probes. */
  public static final GatewayProbes NONE = new GatewayProbes(List.of(), (i, f, n) -> {}, 0);

  private final List<Spec> specs;
  private final GatewayProbe[] probes;
  private final AtomicLongArray outstanding;
  private final FrameSender sender;
  private final EchoSender echoSender;
  private final byte[] echo = new byte[IcmpCodec.PROBE_LENGTH];
  private long sendFailures;
  private long echoSendFailures;
  private long ndpSendFailures;
  // The polling side's counts.
  private final LongAdder unsolicited = new LongAdder();
  private final LongAdder echoUnsolicited = new LongAdder();
  private final LongAdder echoMalformed = new LongAdder();
  private final LongAdder ndpUnsolicited = new LongAdder();
  private final LongAdder ndpMalformed = new LongAdder();

  /** ARP probes only. */
  public GatewayProbes(List<Spec> specs, FrameSender sender, long now) {
    this(
        specs,
        sender,
        (probe, message, length) -> {
          throw new IllegalStateException("no ICMP sender");
        },
        now);
  }

  public GatewayProbes(List<Spec> specs, FrameSender sender, EchoSender echoSender, long now) {
    this.specs = List.copyOf(specs);
    this.sender = sender;
    this.echoSender = echoSender;
    this.probes = new GatewayProbe[specs.size()];
    for (int i = 0; i < probes.length; i++) {
      Spec s = specs.get(i);
      probes[i] = new GatewayProbe(s.kind(), s.intervalNanos(), s.misses(), s.goods(), now);
    }
    this.outstanding = new AtomicLongArray(specs.size());
  }

  public List<Spec> specs() {
    return specs;
  }

  /**
   * A reload replaced {@code running} with these probes (engine thread, before the first tick):
   * probe {@code i} continues {@code running}'s probe {@code from.get(i)} (-1: a new one, which
   * starts as STARTING), keeping its state, request number and the request outstanding, with the
   * new settings; the counts go on.
   */
  public void adopt(GatewayProbes running, List<Integer> from) {
    for (int i = 0; i < probes.length && i < from.size(); i++) {
      int was = from.get(i);
      if (was < 0 || was >= running.probes.length) {
        continue;
      }
      GatewayProbe p = running.probes[was];
      Spec s = specs.get(i);
      if (p.kind() != s.kind()) {
        continue;
      }
      if (p.intervalNanos() != s.intervalNanos()
          || p.misses() != s.misses()
          || p.goods() != s.goods()) {
        p.reconfigure(s.intervalNanos(), s.misses(), s.goods());
      }
      probes[i] = p;
      outstanding.set(i, running.outstanding.get(was));
    }
    sendFailures += running.sendFailures;
    echoSendFailures += running.echoSendFailures;
    unsolicited.add(running.unsolicited.sum());
    echoUnsolicited.add(running.echoUnsolicited.sum());
    echoMalformed.add(running.echoMalformed.sum());
  }

  /** The slots the polling thread takes replies' request numbers from. */
  AtomicLongArray outstanding() {
    return outstanding;
  }

  public boolean isEmpty() {
    return probes.length == 0;
  }

  /** Sends every request due by {@code now}. */
  public void tick(long now, Output out) {
    for (int i = 0; i < probes.length; i++) {
      GatewayProbe p = probes[i];
      if (!p.due(now)) {
        continue;
      }
      PathStatus before = p.status();
      PathStatus change = p.request(now);
      outstanding.set(i, p.sequence()); // before it leaves: a fast reply must find it
      Spec s = specs.get(i);
      try {
        switch (s.kind()) {
          case ICMP -> {
            int n =
                s.gateway() instanceof Inet6Address
                    ? IcmpCodec.writeProbeRequest6(echo, s.identifier(), p.sequence())
                    : IcmpCodec.writeProbeRequest(echo, s.identifier(), p.sequence());
            echoSender.send(i, echo, n);
          }
          case NDP -> echoSender.send(i, s.request(), s.request().length);
          case ARP -> sender.send(s.ifindex(), s.request(), s.request().length);
        }
      } catch (RuntimeException e) {
        // The interface is down, or its queue full: the misses tell the story.
        switch (s.kind()) {
          case ICMP -> echoSendFailures++;
          case NDP -> ndpSendFailures++;
          case ARP -> sendFailures++;
        }
      }
      if (change != null) {
        out.probeChanged(i, before, change, p.lastChange());
      }
    }
  }

  /** The earliest request due; only when not {@link #isEmpty}. */
  public long deadline() {
    long next = probes[0].nextRequestAt();
    for (int i = 1; i < probes.length; i++) {
      if (probes[i].nextRequestAt() - next < 0) {
        next = probes[i].nextRequestAt();
      }
    }
    return next;
  }

  /** A reply came (posted by the intake). */
  public void reply(int probe, long sequence, long now, Output out) {
    if (probe < 0 || probe >= probes.length) {
      return;
    }
    GatewayProbe p = probes[probe];
    PathStatus before = p.status();
    PathStatus change = p.reply(sequence, now);
    if (change != null) {
      out.probeChanged(probe, before, change, p.lastChange());
    }
  }

  public GatewayProbe probe(int i) {
    return probes[i];
  }

  /** ARP replies from a probed gateway that answered no outstanding request (floods, extra). */
  public long unsolicited() {
    return unsolicited.sum();
  }

  LongAdder unsolicitedCounter() {
    return unsolicited;
  }

  /** ARP requests that could not be sent since start. */
  public long sendFailures() {
    return sendFailures;
  }

  /**
   * ICMP echo replies from a probed gateway, with a probe's identifier, that do not name its
   * outstanding request (late, repeated, forged).
   */
  public long echoUnsolicited() {
    return echoUnsolicited.sum();
  }

  LongAdder echoUnsolicitedCounter() {
    return echoUnsolicited;
  }

  /** Packets on a probe's ICMP socket that are no well-formed echo reply (bad checksum, ...). */
  public long echoMalformed() {
    return echoMalformed.sum();
  }

  LongAdder echoMalformedCounter() {
    return echoMalformed;
  }

  /**
   * Solicited Neighbor Advertisements for a probed gateway that answered no outstanding request
   * (the second of two, one with none outstanding).
   */
  public long ndpUnsolicited() {
    return ndpUnsolicited.sum();
  }

  LongAdder ndpUnsolicitedCounter() {
    return ndpUnsolicited;
  }

  /** Neighbor Advertisements on a probe's ICMPv6 socket that fail RFC 4861 §7.1.2's checks. */
  public long ndpMalformed() {
    return ndpMalformed.sum();
  }

  LongAdder ndpMalformedCounter() {
    return ndpMalformed;
  }

  /** Neighbor Solicitations that could not be sent since start. */
  public long ndpSendFailures() {
    return ndpSendFailures;
  }

  /** ICMP echo requests that could not be sent since start. */
  public long echoSendFailures() {
    return echoSendFailures;
  }
}
