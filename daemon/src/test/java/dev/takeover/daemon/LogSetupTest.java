package dev.takeover.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The logging set up in code as logback.xml did: one line per event on stderr, WARN for libraries.
 */
class LogSetupTest {

  @Test
  void oneStderrAppenderWithTheJournalPatternAndTakeoversCategoriesAtInfo() {
    LoggerContext context = new LoggerContext();
    LogSetup setup = new LogSetup();
    setup.setContext(context);
    assertThat(setup.configure(context))
        .isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

    var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.WARN);
    if (LogLevels.override().isEmpty()) {
      assertThat(context.getLogger("takeover").getLevel()).isEqualTo(Level.INFO);
      assertThat(context.getLogger("dev.takeover").getLevel()).isEqualTo(Level.INFO);
      assertThat(context.getLogger("takeover.packets").getEffectiveLevel()).isEqualTo(Level.INFO);
    }
    assertThat(context.getLogger("org.xbill.DNS").getEffectiveLevel()).isEqualTo(Level.WARN);

    var appender = (ConsoleAppender<?>) root.getAppender("STDERR");
    assertThat(appender.getTarget()).isEqualTo("System.err");
    assertThat(appender.isStarted()).isTrue();
    @SuppressWarnings("unchecked")
    var encoder =
        (LayoutWrappingEncoder<ch.qos.logback.classic.spi.ILoggingEvent>) appender.getEncoder();
    var event =
        new LoggingEvent(
            "x",
            context.getLogger("takeover"),
            Level.WARN,
            "check {} down",
            null,
            new Object[] {"web"});
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    // Outside systemd no syslog prefix: HH:mm:ss.SSS LEVEL logger - message
    assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  takeover - check web down\\R");
  }
}
