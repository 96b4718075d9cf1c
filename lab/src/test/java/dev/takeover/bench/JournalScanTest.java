package dev.takeover.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JournalScanTest {
  private static final List<String> LINES =
      List.of(
          "{\"id\":\"a\",\"time\":\"t\",\"monotonicNanos\":1000,\"node\":\"n2\",\"group\":\"web\","
              + "\"type\":\"state.changed\",\"message\":\"INITIALIZE -> BACKUP\","
              + "\"fields\":{\"from\":\"INITIALIZE\",\"to\":\"BACKUP\",\"reason\":\"startup\"}}",
          "{\"id\":\"b\",\"time\":\"t\",\"monotonicNanos\":5000,\"node\":\"n2\",\"group\":\"web\","
              + "\"type\":\"state.changed\",\"message\":\"BACKUP -> MASTER\","
              + "\"fields\":{\"from\":\"BACKUP\",\"to\":\"MASTER\","
              + "\"reason\":\"master down timer expired\"}}",
          "{\"id\":\"c\",\"time\":\"t\",\"monotonicNanos\":5001,\"node\":\"n2\",\"group\":\"web\","
              + "\"type\":\"transition.timeline\",\"message\":\"timeline\",\"fields\":{"
              + "\"from\":\"BACKUP\",\"to\":\"MASTER\",\"reason\":\"master down timer expired\","
              + "\"lastAdvertHeardUs\":-361000,\"timerLateUs\":85,\"addressesAddedUs\":140,"
              + "\"firstAnnouncementUs\":212,\"firstAdvertUs\":190,\"futureField\":7}}",
          "{\"id\":\"d\",\"monotonicNanos\":6000,\"type\":\"transition.tim", // torn by a crash
          "",
          "{\"id\":\"e\",\"time\":\"t\",\"monotonicNanos\":7000,\"node\":\"n2\",\"group\":\"web\","
              + "\"type\":\"transition.timeline\",\"message\":\"m\",\"fields\":{\"from\":\"BACKUP\","
              + "\"to\":\"MASTER\",\"reason\":\"priority 0\",\"lastAdvertHeardUs\":null,"
              + "\"timerLateUs\":0,\"addressesAddedUs\":50,\"firstAnnouncementUs\":null,"
              + "\"firstAdvertUs\":60}}");

  @Test
  void timelinesSinceAMoment() {
    List<JournalScan.Timeline> all = JournalScan.timelines(LINES, 0);
    assertThat(all).hasSize(2);
    JournalScan.Timeline first = all.getFirst();
    assertThat(first.to()).isEqualTo("MASTER");
    assertThat(first.firstAnnouncementUs()).isEqualTo(212L);
    assertThat(first.micros("timerLateUs")).isEqualTo(85L);
    assertThat(first.micros("lastAdvertHeardUs")).isEqualTo(-361000L);
    assertThat(first.micros("noSuchField")).isNull();
    assertThat(all.get(1).firstAnnouncementUs()).as("null in the journal").isNull();
    assertThat(all.get(1).micros("lastAdvertHeardUs")).isNull();

    assertThat(JournalScan.timelines(LINES, 6000)).hasSize(1);
    assertThat(JournalScan.timelines(LINES, 8000)).isEmpty();
  }

  @Test
  void stateChanges() {
    assertThat(JournalScan.stateChanges(LINES, 2000))
        .containsExactly(
            new JournalScan.StateChange(
                5000, "web", "BACKUP", "MASTER", "master down timer expired"));
  }

  @Test
  void noTimelineIsNoTimeline() {
    assertThat(JournalScan.timelines(LINES.subList(0, 2), 0)).isEmpty();
    assertThat(JournalScan.readLines(java.nio.file.Path.of("/nonexistent/journal.jsonl")))
        .isEmpty();
  }
}
