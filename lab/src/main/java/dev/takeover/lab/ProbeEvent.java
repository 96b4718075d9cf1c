package dev.takeover.lab;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What a {@link Prober} reports, one JSON line each: live events while probing and a final {@link
 * ProbeReport}. Times ending in {@code Nanos} are {@code System.nanoTime()} values, i.e.
 * CLOCK_MONOTONIC, which is the same clock in every process on the host: a parent process can
 * compare them with its own {@code System.nanoTime()} (e.g. the moment it killed a node).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ProbeEvent.Started.class, name = "started"),
  @JsonSubTypes.Type(value = ProbeEvent.AnswererChanged.class, name = "answerer-changed"),
  @JsonSubTypes.Type(value = ProbeEvent.Outage.class, name = "outage"),
  @JsonSubTypes.Type(value = ProbeReport.class, name = "summary")
})
public sealed interface ProbeEvent
    permits ProbeEvent.Started, ProbeEvent.AnswererChanged, ProbeEvent.Outage, ProbeReport {

  /** Probing has begun; {@code originNanos} is the send time of probe 0. */
  record Started(String target, int port, long intervalMicros, long originNanos)
      implements ProbeEvent {}

  /**
   * Probe {@code seq} was answered by {@code to}, while the previous answered probe was answered by
   * {@code from} (null for the very first answer).
   */
  record AnswererChanged(
      long seq, String from, String to, long sendNanos, long receiveNanos, double atMs)
      implements ProbeEvent {}

  /**
   * A run of {@code lost} consecutive unanswered probes starting at {@code firstLostSeq}. The
   * duration runs from the send of the last answered probe before the gap ({@code startNanos}; the
   * first lost probe's send if nothing had been answered yet) to the send of the first answered
   * probe after it ({@code endNanos}). {@code before} and {@code after} are the nodes that answered
   * around the gap. While an outage is still going on (in a snapshot), {@code after} is null and
   * {@code endNanos} is the send time of the last lost probe.
   */
  record Outage(
      long firstLostSeq,
      long lost,
      String before,
      String after,
      long startNanos,
      long endNanos,
      double durationMs,
      double atMs)
      implements ProbeEvent {}
}
