package dev.takeover.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.nio.charset.StandardCharsets;

/**
 * Logback's configuration, in code (found by logback through META-INF/services): one line per event
 * on stderr. Under systemd (JOURNAL_STREAM set) each line starts with its syslog level ({@link
 * JournalLevel}) for journald, so {@code journalctl -u takeover -p warning} shows what needs an
 * operator; the journal has its own timestamps, so the line's is only for reading stderr directly.
 *
 * <p>Categories: {@code takeover} (transitions, addresses), {@code takeover.packets}, {@code
 * takeover.arp}, {@code takeover.netlink}, and {@code dev.takeover}. Their level is the config's
 * {@code daemon.log-level} (info by default, changeable by reload), set from code by {@link
 * LogLevels}; {@code TAKEOVER_LOG_LEVEL} (system property, else environment) overrides it.
 * Libraries log at WARN.
 *
 * <p>Why code and not logback.xml: reading the XML loaded logback's Joran configurator and the
 * JDK's XML parser, about 420 of the daemon's 4,750 classes, resident for its whole life
 * (docs/DECISIONS.md 60).
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
  static final String PATTERN = "%journalLevel%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    PatternLayout layout = new PatternLayout();
    layout.setContext(context);
    layout.getInstanceConverterMap().put("journalLevel", JournalLevel::new);
    layout.setPattern(PATTERN);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(stderr);
    Level takeover = Level.toLevel(LogLevels.override().orElse("INFO"), Level.INFO);
    for (String category : LogLevels.CATEGORIES) {
      context.getLogger(category).setLevel(takeover);
    }
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
