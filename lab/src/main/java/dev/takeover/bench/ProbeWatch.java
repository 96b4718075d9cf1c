package dev.takeover.bench;

import dev.takeover.lab.Lab;
import dev.takeover.lab.ProbeEvent;
import dev.takeover.lab.ProbeReport;
import dev.takeover.lab.Prober;
import dev.takeover.platform.Netns;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A 1 ms UDP {@link Prober} in the lab's client namespace, plus the one question the bench keeps
 * asking it: has {@code node} been answering, without a lost probe, for long enough?
 */
final class ProbeWatch implements AutoCloseable {
  static final int PORT = 7000;
  private static final long POLL_NANOS = 5_000_000;

  /** "Answering now": the answered count grew this recently. */
  private static final long RECENT_NANOS = 50_000_000;

  private final Prober prober;
  private long lastAnswered = -1;
  private long lastGrowthNanos;

  private ProbeWatch(Prober prober) {
    this.prober = prober;
  }

  static ProbeWatch start(Lab lab, String target) {
    var address = new InetSocketAddress(InetAddress.ofLiteral(target), PORT);
    return new ProbeWatch(
        Netns.call(
            lab.nsName(Lab.CLIENT),
            () ->
                Prober.start(
                    new Prober.Settings(
                        address, Prober.DEFAULT_INTERVAL, Prober.DEFAULT_LOSS_TIMEOUT),
                    event -> {})));
  }

  /** Where the event lists stood at {@code nanos}, and who answered last. */
  record Mark(long nanos, int outages, int transitions, String answerer) {}

  Mark mark() {
    ProbeReport r = prober.snapshot();
    return new Mark(
        System.nanoTime(),
        r.outages().size(),
        r.transitions().size(),
        r.currentAnswerer().orElse(null));
  }

  ProbeReport snapshot() {
    return prober.snapshot();
  }

  static List<ProbeEvent.Outage> outagesSince(ProbeReport r, Mark m) {
    return r.outages().subList(Math.min(m.outages(), r.outages().size()), r.outages().size());
  }

  static List<ProbeEvent.AnswererChanged> changesSince(ProbeReport r, Mark m) {
    return r.transitions()
        .subList(Math.min(m.transitions(), r.transitions().size()), r.transitions().size());
  }

  /**
   * Waits until {@code node} has answered every probe for {@code hold}, counted from no earlier
   * than {@code sinceNanos}; returns the report of that moment.
   *
   * @throws StepFailedException after {@code timeout}
   */
  ProbeReport awaitSteady(String node, long sinceNanos, Duration hold, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      ProbeReport r = prober.snapshot();
      long now = System.nanoTime();
      if (r.answered() != lastAnswered) {
        lastAnswered = r.answered();
        lastGrowthNanos = now;
      }
      long calmSince = sinceNanos;
      if (!r.transitions().isEmpty()) {
        calmSince = later(calmSince, r.transitions().getLast().receiveNanos());
      }
      if (!r.outages().isEmpty()) {
        calmSince = later(calmSince, r.outages().getLast().endNanos());
      }
      boolean answering = now - lastGrowthNanos < RECENT_NANOS && r.ongoingOutage() == null;
      if (answering
          && node.equals(r.currentAnswerer().orElse(null))
          && now - calmSince >= hold.toNanos()) {
        return r;
      }
      if (now - deadline > 0) {
        throw new StepFailedException(
            "%s did not answer steadily for %d ms within %d ms (answering: %s%s)"
                .formatted(
                    node,
                    hold.toMillis(),
                    timeout.toMillis(),
                    r.currentAnswerer().orElse("nobody"),
                    r.ongoingOutage() != null ? ", probes being lost" : ""));
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  private static long later(long a, long b) {
    return a - b >= 0 ? a : b;
  }

  ProbeReport stop() {
    return prober.stop();
  }

  @Override
  public void close() {
    prober.stop();
  }
}
