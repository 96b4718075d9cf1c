package dev.takeover.effect;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.takeover.clock.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {
  // Near the end of the long range: window arithmetic must survive overflow.
  private final ManualClock clock = new ManualClock(Long.MAX_VALUE - 5_000_000_000L, Instant.EPOCH);
  private final Logger logger = (Logger) LoggerFactory.getLogger("test.ratelimited");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final RateLimitedLog log = new RateLimitedLog(logger, 10, TimeUnit.SECONDS, clock);

  @BeforeEach
  void attach() {
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(appender);
  }

  @Test
  void logsOncePerKeyAndPeriodAndCountsTheRest() {
    log.warn("a", "first");
    log.warn("a", "second");
    log.warn("b", "other key");
    clock.advance(Duration.ofSeconds(10));
    log.warn("a", "third");
    assertThat(appender.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("first", "other key", "third (1 more suppressed)");
  }

  @Test
  void aFloodOfDistinctKeysKeepsTheTableBoundedAndStillLogs() {
    for (int i = 0; i < 100_000; i++) {
      log.warn("key " + i, "message {}", i);
      assertThat(log.keys()).isLessThanOrEqualTo(RateLimitedLog.MAX_KEYS + 1);
    }
    // The first MAX_KEYS keys got their own window; the rest shared one overflow window.
    assertThat(appender.list).hasSize(RateLimitedLog.MAX_KEYS + 1);
  }

  @Test
  void staleKeysAreForgottenSoNewKeysGetTheirOwnWindowAgain() {
    for (int i = 0; i < RateLimitedLog.MAX_KEYS; i++) {
      log.warn("old " + i, "old");
    }
    clock.advance(Duration.ofSeconds(10));
    appender.list.clear();
    log.warn("new 1", "new {}", 1);
    log.warn("new 2", "new {}", 2);
    assertThat(appender.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("new 1", "new 2");
    assertThat(log.keys()).isEqualTo(2);
  }

  @Test
  void aWindowWithSuppressedMessagesIsKeptUntilItHasSaidSo() {
    log.warn("busy", "busy");
    log.warn("busy", "busy"); // suppressed: must be reported, not forgotten
    for (int i = 1; i < RateLimitedLog.MAX_KEYS; i++) {
      log.warn("old " + i, "old");
    }
    clock.advance(Duration.ofSeconds(10));
    log.warn("new", "new");
    log.warn("busy", "busy again");
    assertThat(appender.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .endsWith("new", "busy again (1 more suppressed)");
  }
}
