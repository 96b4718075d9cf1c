package dev.takeover.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The bookkeeping behind {@link Prober}: which probe was answered by whom, which were lost, and the
 * outages and answerer changes that follow. Pure: it is handed times, it reads no clock.
 *
 * <p>Implementation notes: a probe is settled as lost when it has waited longer than the loss
 * timeout, or, sooner, when a later probe was answered and {@link #REORDER_GRACE_NANOS} passed
 * since: one segment does not reorder, but at a handover two nodes answer, and the old one's answer
 * to an earlier probe may come after the new one's answer to a later probe. Probes are settled
 * strictly in sequence order, so events come out in order and an outage is reported at most the
 * grace after the first answer that follows it. An answer to a probe already settled as lost is
 * counted as late and otherwise ignored. Not thread-safe; {@link Prober} guards it.
 */
final class ProbeLedger {
  private static final int PENDING = -1;
  private static final int LOST = -2;
  // How long an overtaken probe may still be answered: covers two answerers' different paths.
  static final long REORDER_GRACE_NANOS = 50_000_000L;

  private final long lossTimeoutNanos;
  private final Consumer<ProbeEvent> listener;
  private final List<String> nodeNames = new ArrayList<>();

  private long[] sendNanos = new long[4096];
  private long[] receiveNanos = new long[4096];
  private long[] overtakenNanos = new long[4096]; // when a later probe was answered; 0: not yet
  private int[] outcome = new int[4096]; // PENDING, LOST or an index into nodeNames
  private int sent;
  private int settled; // probes [0, settled) are settled and accounted for

  private long originNanos = Long.MIN_VALUE;
  private long answered;
  private long lost;
  private long late;
  private long duplicates;
  private final long[] answersPerNode = new long[256];
  private int lastAnsweredSeq = -1;
  private int lostRunStart = -1;
  private final List<ProbeEvent.Outage> outages = new ArrayList<>();
  private final List<ProbeEvent.AnswererChanged> transitions = new ArrayList<>();

  ProbeLedger(long lossTimeoutNanos, Consumer<ProbeEvent> listener) {
    this.lossTimeoutNanos = lossTimeoutNanos;
    this.listener = listener;
  }

  /** Records that probe number {@link #sent()} went out at {@code nanos}; returns its sequence. */
  int recordSent(long nanos) {
    if (sent == sendNanos.length) {
      int size = sent * 2;
      sendNanos = Arrays.copyOf(sendNanos, size);
      receiveNanos = Arrays.copyOf(receiveNanos, size);
      overtakenNanos = Arrays.copyOf(overtakenNanos, size);
      outcome = Arrays.copyOf(outcome, size);
    }
    if (sent == 0) {
      originNanos = nanos;
    }
    sendNanos[sent] = nanos;
    outcome[sent] = PENDING;
    overtakenNanos[sent] = 0;
    return sent++;
  }

  /** Records an answer from {@code node} to probe {@code seq} received at {@code nanos}. */
  void recordAnswer(long seq, String node, long nanos) {
    if (seq < 0 || seq >= sent) {
      return; // not ours (or from an earlier run on the same port)
    }
    int s = (int) seq;
    switch (outcome[s]) {
      case LOST -> late++;
      case PENDING -> {
        outcome[s] = nodeIndex(node);
        receiveNanos[s] = nanos;
        // Earlier probes still unanswered are overtaken: lost, unless another answerer's reply
        // to them is still on its way (see the class comment).
        for (int i = settled; i < s; i++) {
          if (outcome[i] == PENDING && overtakenNanos[i] == 0) {
            overtakenNanos[i] = nanos == 0 ? 1 : nanos;
          }
        }
        settle();
      }
      default -> duplicates++;
    }
  }

  /**
   * Declares lost, as of {@code nowNanos}, the probes unanswered for longer than the loss timeout
   * and those overtaken longer than the reorder grace ago.
   */
  void expire(long nowNanos) {
    for (int i = settled; i < sent && outcome[i] == PENDING; i++) {
      boolean timedOut = nowNanos - sendNanos[i] > lossTimeoutNanos;
      boolean overtaken =
          overtakenNanos[i] != 0 && nowNanos - overtakenNanos[i] > REORDER_GRACE_NANOS;
      if (!timedOut && !overtaken) {
        break;
      }
      outcome[i] = LOST;
    }
    settle();
  }

  /** Declares every unanswered probe lost (probing has stopped and stragglers had their chance). */
  void expireAll() {
    for (int i = settled; i < sent; i++) {
      if (outcome[i] == PENDING) {
        outcome[i] = LOST;
      }
    }
    settle();
  }

  private void settle() {
    while (settled < sent && outcome[settled] != PENDING) {
      int s = settled++;
      if (outcome[s] == LOST) {
        lost++;
        if (lostRunStart < 0) {
          lostRunStart = s;
        }
        continue;
      }
      String node = nodeNames.get(outcome[s]);
      answered++;
      answersPerNode[outcome[s]]++;
      String previous = lastAnsweredSeq < 0 ? null : nodeNames.get(outcome[lastAnsweredSeq]);
      if (lostRunStart >= 0) {
        ProbeEvent.Outage outage = outage(lostRunStart, s - lostRunStart, previous, node, s);
        outages.add(outage);
        lostRunStart = -1;
        listener.accept(outage);
      }
      if (!node.equals(previous)) {
        ProbeEvent.AnswererChanged change =
            new ProbeEvent.AnswererChanged(
                s,
                previous,
                node,
                sendNanos[s],
                receiveNanos[s],
                millis(sendNanos[s] - originNanos));
        transitions.add(change);
        listener.accept(change);
      }
      lastAnsweredSeq = s;
    }
  }

  /**
   * An outage of {@code count} lost probes from {@code first}, ended by {@code endSeq} or ongoing.
   */
  private ProbeEvent.Outage outage(int first, int count, String before, String after, int endSeq) {
    long start = lastAnsweredSeq >= 0 ? sendNanos[lastAnsweredSeq] : sendNanos[first];
    long end = sendNanos[endSeq];
    return new ProbeEvent.Outage(
        first, count, before, after, start, end, millis(end - start), millis(start - originNanos));
  }

  private int nodeIndex(String node) {
    int index = nodeNames.indexOf(node);
    if (index >= 0) {
      return index;
    }
    if (nodeNames.size() >= answersPerNode.length - 1) {
      node = "?"; // absurdly many distinct names: lump the rest together
      index = nodeNames.indexOf(node);
      if (index >= 0) {
        return index;
      }
    }
    nodeNames.add(node);
    return nodeNames.size() - 1;
  }

  int pending() {
    return sent - settled;
  }

  int sent() {
    return sent;
  }

  long originNanos() {
    return originNanos;
  }

  /** Everything so far; {@code elapsedMs} is supplied by the caller, who owns the clock. */
  ProbeReport report(String target, int port, long intervalMicros, long nowNanos) {
    Map<String, Long> byNode = new LinkedHashMap<>();
    for (int i = 0; i < nodeNames.size(); i++) {
      byNode.put(nodeNames.get(i), answersPerNode[i]);
    }
    ProbeEvent.Outage ongoing = null;
    if (lostRunStart >= 0) {
      String before = lastAnsweredSeq < 0 ? null : nodeNames.get(outcome[lastAnsweredSeq]);
      ongoing = outage(lostRunStart, settled - lostRunStart, before, null, settled - 1);
    }
    return new ProbeReport(
        target,
        port,
        intervalMicros,
        originNanos,
        sent == 0 ? 0 : millis(nowNanos - originNanos),
        sent,
        answered,
        lost,
        sent - settled,
        late,
        duplicates,
        byNode,
        List.copyOf(outages),
        List.copyOf(transitions),
        ongoing);
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0; // microsecond resolution is plenty
  }
}
