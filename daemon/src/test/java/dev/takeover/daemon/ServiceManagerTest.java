package dev.takeover.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.clock.Clock;
import dev.takeover.engine.Event;
import dev.takeover.platform.SystemdNotify;
import dev.takeover.platform.UnixDatagramReceiver;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceManagerTest {
  private static final Clock CLOCK = Clock.of(() -> 5_000_000_000L, () -> Instant.EPOCH);

  @Test
  void watchdogPeriodIsHalfOfWatchdogUsecForThisProcessOnly() {
    long pid = ProcessHandle.current().pid();
    assertThat(ServiceManager.watchdogPeriodNanos(Map.of("WATCHDOG_USEC", "20000000")))
        .isEqualTo(10_000_000_000L);
    assertThat(
            ServiceManager.watchdogPeriodNanos(
                Map.of("WATCHDOG_USEC", "20000000", "WATCHDOG_PID", Long.toString(pid))))
        .isEqualTo(10_000_000_000L);
    assertThat(
            ServiceManager.watchdogPeriodNanos(
                Map.of("WATCHDOG_USEC", "20000000", "WATCHDOG_PID", Long.toString(pid + 1))))
        .isZero();
    assertThat(ServiceManager.watchdogPeriodNanos(Map.of())).isZero();
    assertThat(ServiceManager.watchdogPeriodNanos(Map.of("WATCHDOG_USEC", "soon"))).isZero();
  }

  @Test
  void pingsOnlyWhileTheEngineAnswersItsProbes(@TempDir Path dir) {
    String path = dir.resolve("notify").toString();
    try (UnixDatagramReceiver systemd = new UnixDatagramReceiver(path);
        ServiceManager manager =
            new ServiceManager(SystemdNotify.open(path), CLOCK, 1_000_000_000L)) {
      List<Event> queued = new ArrayList<>();

      assertThat(manager.tick(queued::add)).isTrue(); // nothing outstanding yet
      assertThat(systemd.drain()).containsExactly("WATCHDOG=1");
      assertThat(queued).hasSize(1);

      // The engine is stuck: its probe has not run, so no ping and no second probe.
      assertThat(manager.tick(queued::add)).isFalse();
      assertThat(manager.tick(queued::add)).isFalse();
      assertThat(systemd.drain()).isEmpty();
      assertThat(queued).hasSize(1);

      // It comes back: the probe runs on the engine, and the next period pings again.
      ((Event.OnEngine) queued.getFirst()).task().run();
      assertThat(manager.tick(queued::add)).isTrue();
      assertThat(systemd.drain()).containsExactly("WATCHDOG=1");
      assertThat(queued).hasSize(2);
    }
  }

  @Test
  void readyReloadingAndStoppingReachSystemd(@TempDir Path dir) {
    String path = dir.resolve("notify").toString();
    try (UnixDatagramReceiver systemd = new UnixDatagramReceiver(path);
        ServiceManager manager = new ServiceManager(SystemdNotify.open(path), CLOCK, 0)) {
      manager.reloading();
      manager.reloaded("running (reloaded)");
      manager.stopping();
      assertThat(systemd.drain())
          .containsExactly(
              "RELOADING=1\nMONOTONIC_USEC=5000000",
              "READY=1\nSTATUS=running (reloaded)",
              "STOPPING=1\nSTATUS=leaving every group");
    }
  }
}
