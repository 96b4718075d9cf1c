package dev.takeover.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.takeover.config.LogLevel;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The config's log-level reaches logback, and the environment's override wins. */
class LogLevelsTest {
  private static Level level(String category) {
    return ((Logger) LoggerFactory.getLogger(category)).getLevel();
  }

  @AfterEach
  void back() {
    LogLevels.set(LogLevel.INFO);
  }

  @Test
  void setMovesEveryTakeoverCategoryAndItsChildrenButNotTheRoot() {
    LogLevels.set(LogLevel.DEBUG);

    assertThat(level("takeover")).isEqualTo(Level.DEBUG);
    assertThat(level("dev.takeover")).isEqualTo(Level.DEBUG);
    assertThat(LoggerFactory.getLogger("takeover.packets").isDebugEnabled()).isTrue();
    assertThat(LoggerFactory.getLogger("org.xbill.DNS").isDebugEnabled()).isFalse();

    LogLevels.set(LogLevel.ERROR);
    assertThat(LoggerFactory.getLogger("takeover").isWarnEnabled()).isFalse();
  }

  @Test
  void aReloadChangeIsDescribedAndAppliedUnlessTheEnvironmentOverridesIt() {
    LogLevels.Change change = new LogLevels.Change(LogLevel.INFO, LogLevel.TRACE, Optional.empty());
    assertThat(change.description()).contains("log-level info -> trace");
    change.apply();
    assertThat(level("takeover")).isEqualTo(Level.TRACE);

    LogLevels.Change overridden =
        new LogLevels.Change(LogLevel.TRACE, LogLevel.WARN, Optional.of("debug"));
    assertThat(overridden.description())
        .contains("log-level trace -> warn (not applied: TAKEOVER_LOG_LEVEL=debug overrides it)");
    overridden.apply();
    assertThat(level("takeover")).isEqualTo(Level.TRACE);

    assertThat(new LogLevels.Change(LogLevel.INFO, LogLevel.INFO, Optional.empty()).description())
        .isEmpty();
  }

  @Test
  void theSystemPropertyWinsOverTheEnvironmentAsInLogbackXml() {
    assertThat(LogLevels.override("info", "DEBUG")).contains("info");
    assertThat(LogLevels.override(" ", "DEBUG")).contains("DEBUG");
    assertThat(LogLevels.override(null, " warn ")).contains("warn");
    assertThat(LogLevels.override(null, null)).isEmpty();
    assertThat(LogLevels.override("", "")).isEmpty();
  }
}
