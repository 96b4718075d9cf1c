package dev.takeover.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class JournalLevelTest {

  @Test
  void eachLevelGetsItsSyslogPriority() {
    assertThat(JournalLevel.prefix(Level.ERROR)).isEqualTo("<3>");
    assertThat(JournalLevel.prefix(Level.WARN)).isEqualTo("<4>");
    assertThat(JournalLevel.prefix(Level.INFO)).isEqualTo("<6>");
    assertThat(JournalLevel.prefix(Level.DEBUG)).isEqualTo("<7>");
    assertThat(JournalLevel.prefix(Level.TRACE)).isEqualTo("<7>");
  }

  @Test
  void prefixesOnlyWhenStderrIsTheJournal() {
    var logger = new LoggerContext().getLogger("takeover");
    var event = new LoggingEvent("x", logger, Level.WARN, "check down", null, null);
    assertThat(new JournalLevel(true).convert(event)).isEqualTo("<4>");
    assertThat(new JournalLevel(false).convert(event)).isEmpty();
  }
}
