package dev.takeover.lab;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link Prober} saw: counters, every outage and every change of answering node.
 *
 * @param pending probes sent but neither answered nor yet declared lost
 * @param late answers that arrived after their probe had been declared lost
 * @param ongoingOutage the run of lost probes still going on at the end, or null
 */
public record ProbeReport(
    String target,
    int port,
    long intervalMicros,
    long originNanos,
    double elapsedMs,
    long sent,
    long answered,
    long lost,
    long pending,
    long late,
    long duplicates,
    Map<String, Long> answersByNode,
    List<ProbeEvent.Outage> outages,
    List<ProbeEvent.AnswererChanged> transitions,
    ProbeEvent.Outage ongoingOutage)
    implements ProbeEvent {

  /** The longest finished outage, in milliseconds (0 if none). */
  public double maxOutageMs() {
    return outages.stream().mapToDouble(ProbeEvent.Outage::durationMs).max().orElse(0);
  }

  /** The node that answered the most recent answered probe. */
  public Optional<String> currentAnswerer() {
    return transitions.isEmpty() ? Optional.empty() : Optional.of(transitions.getLast().to());
  }
}
