package dev.takeover.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeLedgerTest {
  private static final long MS = 1_000_000;
  // Near overflow, to catch comparisons that are not written as differences.
  private static final long T0 = Long.MAX_VALUE - 50 * MS;

  private final List<ProbeEvent> events = new ArrayList<>();
  private final ProbeLedger ledger = new ProbeLedger(500 * MS, events::add);

  private void probe(int ms, String answeredBy) {
    int seq = ledger.recordSent(T0 + ms * MS);
    if (answeredBy != null) {
      ledger.recordAnswer(seq, answeredBy, T0 + ms * MS + MS / 5);
    }
  }

  @Test
  void failoverIsOneOutageAndOneChangeOfAnswerer() {
    probe(0, "n1");
    probe(1, "n1");
    for (int ms = 2; ms < 12; ms++) {
      probe(ms, null);
    }
    probe(12, "n2");
    probe(13, "n2");
    assertThat(events).hasSize(1); // the gap may still be a reordering: wait out the grace
    ledger.expire(T0 + 12 * MS + ProbeLedger.REORDER_GRACE_NANOS + MS);

    assertThat(events).hasSize(3);
    assertThat(events.get(0))
        .isEqualTo(new ProbeEvent.AnswererChanged(0, null, "n1", T0, T0 + MS / 5, 0));
    var outage = (ProbeEvent.Outage) events.get(1);
    assertThat(outage.firstLostSeq()).isEqualTo(2);
    assertThat(outage.lost()).isEqualTo(10);
    assertThat(outage.before()).isEqualTo("n1");
    assertThat(outage.after()).isEqualTo("n2");
    // From the send of the last answered probe (1 ms) to the first answered after the gap (12 ms).
    assertThat(outage.durationMs()).isEqualTo(11.0);
    assertThat(outage.atMs()).isEqualTo(1.0);
    var change = (ProbeEvent.AnswererChanged) events.get(2);
    assertThat(change.from()).isEqualTo("n1");
    assertThat(change.to()).isEqualTo("n2");
    assertThat(change.seq()).isEqualTo(12);

    ProbeReport report = ledger.report("198.18.0.50", 7000, 1000, T0 + 70 * MS);
    assertThat(report.sent()).isEqualTo(14);
    assertThat(report.answered()).isEqualTo(4);
    assertThat(report.lost()).isEqualTo(10);
    assertThat(report.answersByNode()).containsEntry("n1", 2L).containsEntry("n2", 2L);
    assertThat(report.maxOutageMs()).isEqualTo(11.0);
    assertThat(report.currentAnswerer()).contains("n2");
    assertThat(report.ongoingOutage()).isNull();
  }

  @Test
  void unansweredProbesAreLostOnlyAfterTheLossTimeout() {
    probe(0, "n1");
    probe(1, null);
    ledger.expire(T0 + 400 * MS);
    assertThat(ledger.report("t", 1, 1000, T0 + 400 * MS).pending()).isEqualTo(1);
    ledger.expire(T0 + 502 * MS);
    ProbeReport report = ledger.report("t", 1, 1000, T0 + 502 * MS);
    assertThat(report.pending()).isZero();
    assertThat(report.lost()).isEqualTo(1);
    assertThat(report.ongoingOutage()).isNotNull();
    assertThat(report.ongoingOutage().after()).isNull();
    assertThat(report.ongoingOutage().before()).isEqualTo("n1");
  }

  @Test
  void lateAndDuplicateAnswersAreCountedNotReplayed() {
    probe(0, "n1");
    int lostSeq = ledger.recordSent(T0 + MS);
    probe(2, "n1");
    ledger.expire(T0 + 2 * MS + ProbeLedger.REORDER_GRACE_NANOS + MS);
    ledger.recordAnswer(lostSeq, "n1", T0 + 60 * MS); // long after a later probe was answered
    ledger.recordAnswer(2, "n1", T0 + 3 * MS);
    ledger.recordAnswer(99, "n1", T0 + 3 * MS); // never sent
    ProbeReport report = ledger.report("t", 1, 1000, T0 + 3 * MS);
    assertThat(report.late()).isEqualTo(1);
    assertThat(report.duplicates()).isEqualTo(1);
    assertThat(report.lost()).isEqualTo(1);
    assertThat(report.outages()).hasSize(1);
  }

  @Test
  void atAHandoverTheOldAnswerersLateReplyIsNotALoss() {
    probe(0, "n1");
    int viaOldNode = ledger.recordSent(T0 + MS);
    probe(2, "n2"); // the new node answers a later probe first
    ledger.recordAnswer(viaOldNode, "n1", T0 + 4 * MS);
    ledger.expire(T0 + 100 * MS);
    ProbeReport report = ledger.report("t", 1, 1000, T0 + 100 * MS);
    assertThat(report.lost()).isZero();
    assertThat(report.late()).isZero();
    assertThat(report.outages()).isEmpty();
    assertThat(report.transitions())
        .extracting(ProbeEvent.AnswererChanged::to)
        .containsExactly("n1", "n2");
  }

  @Test
  void eventsRoundTripAsJsonLines() {
    probe(0, "n1");
    probe(1, null);
    probe(2, "n2");
    ledger.expire(T0 + 2 * MS + ProbeLedger.REORDER_GRACE_NANOS + MS);
    ProbeReport report = ledger.report("198.18.0.50", 7000, 1000, T0 + 60 * MS);
    for (ProbeEvent e : List.of(events.get(0), events.get(1), report)) {
      String line = ProbeJson.line(e);
      assertThat(line).doesNotContain("\n").startsWith("{\"type\"");
      assertThat(ProbeJson.parse(line)).contains(e);
    }
    assertThat(ProbeJson.parse("WARNING: something")).isEmpty();
  }
}
