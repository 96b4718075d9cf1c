package dev.takeover.engine;

import dev.takeover.links.GatewayProbe;
import dev.takeover.links.PathStatus;
import java.net.Inet4Address;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The next hops' gateway probes on the engine thread (docs/LINKS.md, "Gateway probes"): sends each
 * probe's ARP request when due and hands replies to the pure {@link GatewayProbe}, which decides UP
 * and DOWN. Decides nothing itself.
 *
 * <p>Implementation notes. ARP replies name no request, so the latest request's number waits in
 * {@link #outstanding} (one slot per probe, shared with the polling thread's {@link
 * GatewayReplyIntake}): it is set before the request leaves, and the intake takes it (sets 0) with
 * the first reply, so at most one event per request reaches the engine however many replies a LAN
 * sends. Frames are built once at start; sending is one non-blocking syscall ({@code MSG_DONTWAIT})
 * whose failure (interface down, EAGAIN) is counted and left to the misses.
 */
public final class GatewayProbes {

  /** Sends one Ethernet frame on an interface without waiting; throws on failure. */
  @FunctionalInterface
  public interface FrameSender {
    void send(int ifindex, byte[] frame, int length);
  }

  /** What {@link GatewayProbes} reports. */
  public interface Output {
    void probeChanged(int probe, PathStatus from, PathStatus to, String reason);
  }

  /**
   * One probed gateway.
   *
   * @param request the ARP request frame, built once ({@code wire.ArpFrame#request})
   */
  public record Spec(
      String interfaceName,
      int ifindex,
      Inet4Address gateway,
      byte[] request,
      long intervalNanos,
      int misses,
      int goods) {}

  /** No probes. */
  public static final GatewayProbes NONE = new GatewayProbes(List.of(), (i, f, n) -> {}, 0);

  private final List<Spec> specs;
  private final GatewayProbe[] probes;
  private final AtomicLongArray outstanding;
  private final FrameSender sender;
  private long sendFailures;
  private final LongAdder unsolicited = new LongAdder(); // the polling thread's count

  public GatewayProbes(List<Spec> specs, FrameSender sender, long now) {
    this.specs = List.copyOf(specs);
    this.sender = sender;
    this.probes = new GatewayProbe[specs.size()];
    for (int i = 0; i < probes.length; i++) {
      Spec s = specs.get(i);
      probes[i] = new GatewayProbe(s.intervalNanos(), s.misses(), s.goods(), now);
    }
    this.outstanding = new AtomicLongArray(specs.size());
  }

  public List<Spec> specs() {
    return specs;
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
        sender.send(s.ifindex(), s.request(), s.request().length);
      } catch (RuntimeException e) {
        sendFailures++; // the interface is down, or its queue full: the misses tell the story
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

  /** Replies from a probed gateway that answered no outstanding request (floods, late, extra). */
  public long unsolicited() {
    return unsolicited.sum();
  }

  LongAdder unsolicitedCounter() {
    return unsolicited;
  }

  /** Requests that could not be sent since start. */
  public long sendFailures() {
    return sendFailures;
  }
}
