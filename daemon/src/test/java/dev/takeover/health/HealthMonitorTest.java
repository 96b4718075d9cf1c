package dev.takeover.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.takeover.clock.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor with script checks (real processes, no root): {@code test -e FLAG} is healthy while
 * the flag file exists, so a test turns the service up and down by creating and deleting it.
 */
class HealthMonitorTest {
  private static final Duration INTERVAL = Duration.ofMillis(50);
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private ScriptCheck flagCheck(Path flag) {
    return new ScriptCheck(List.of("test", "-e", flag.toString()), Map.of(), Duration.ofSeconds(2));
  }

  private static CheckStateChanged next(BlockingQueue<CheckStateChanged> events)
      throws InterruptedException {
    CheckStateChanged event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(event).as("a state change within " + WAIT).isNotNull();
    return event;
  }

  @Test
  void reportsFirstVerdictThenRiseAndFall() throws Exception {
    Path flag = dir.resolve("flag");
    BlockingQueue<CheckStateChanged> events = new LinkedBlockingQueue<>();
    var schedule = new CheckSchedule("svc", flagCheck(flag), INTERVAL, 2, 2, CheckState.UNKNOWN);
    try (HealthMonitor monitor =
        HealthMonitor.start(List.of(schedule), events::add, Clock.system())) {
      CheckStateChanged first = next(events);
      assertThat(first.name()).isEqualTo("svc");
      assertThat(first.up()).isFalse();
      assertThat(first.from()).isEqualTo(CheckState.UNKNOWN);
      assertThat(first.consecutive()).isEqualTo(1);
      assertThat(first.detail()).isEqualTo("exit 1");
      assertThat(monitor.allUp()).isFalse();

      Files.createFile(flag);
      CheckStateChanged up = next(events);
      assertThat(up.up()).isTrue();
      assertThat(up.from()).isEqualTo(CheckState.DOWN);
      assertThat(up.consecutive()).isEqualTo(2);
      assertThat(monitor.status().get("svc").state()).isEqualTo(CheckState.UP);
      assertThat(monitor.allUp()).isTrue();

      Files.delete(flag);
      CheckStateChanged down = next(events);
      assertThat(down.up()).isFalse();
      assertThat(down.consecutive()).isEqualTo(2);
    }
  }

  @Test
  void checksRunIndependentlyAndAThrowingListenerDoesNotStopThem() throws Exception {
    Path a = Files.createFile(dir.resolve("a"));
    Path b = dir.resolve("b");
    BlockingQueue<CheckStateChanged> events = new LinkedBlockingQueue<>();
    var schedules =
        List.of(
            new CheckSchedule("a", flagCheck(a), INTERVAL, 1, 1, CheckState.DOWN),
            new CheckSchedule("b", flagCheck(b), INTERVAL, 1, 1, CheckState.DOWN));
    try (HealthMonitor monitor =
        HealthMonitor.start(
            schedules,
            event -> {
              events.add(event);
              throw new IllegalStateException("listener bug");
            },
            Clock.system())) {
      CheckStateChanged aUp = next(events);
      assertThat(aUp.name()).isEqualTo("a");
      assertThat(aUp.up()).isTrue();
      Files.createFile(b);
      CheckStateChanged bUp = next(events);
      assertThat(bUp.name()).isEqualTo("b");
      assertThat(monitor.status().keySet()).containsExactly("a", "b");
    }
  }

  @Test
  void closeWaitsForTheProbeInFlightAndReportsNothingAfterwards() throws IOException {
    Path started = dir.resolve("started");
    ScriptCheck slow =
        new ScriptCheck(
            List.of("/bin/sh", "-c", "touch '" + started + "'; sleep 0.4"),
            Map.of(),
            Duration.ofSeconds(3));
    BlockingQueue<CheckStateChanged> events = new LinkedBlockingQueue<>();
    HealthMonitor monitor =
        HealthMonitor.start(
            List.of(
                new CheckSchedule("slow", slow, Duration.ofSeconds(10), 1, 1, CheckState.UNKNOWN)),
            events::add,
            Clock.system());
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!Files.exists(started) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
    assertThat(started).exists();
    monitor.close();
    var status = monitor.status().get("slow");
    assertThat(status.last()).as("the probe finished instead of being cut off").isPresent();
    assertThat(status.last().get().ok()).isTrue();
    assertThat(events).isEmpty();
    monitor.close(); // idempotent
  }

  @Test
  void stampsChangesWithTheInjectedClock() throws Exception {
    Instant wall = Instant.parse("2030-01-02T03:04:05Z");
    Clock clock = Clock.of(System::nanoTime, InstantSource.fixed(wall));
    BlockingQueue<CheckStateChanged> events = new LinkedBlockingQueue<>();
    var schedule =
        new CheckSchedule(
            "svc", flagCheck(dir.resolve("none")), INTERVAL, 1, 1, CheckState.UNKNOWN);
    try (HealthMonitor monitor = HealthMonitor.start(List.of(schedule), events::add, clock)) {
      assertThat(next(events).at()).isEqualTo(wall);
      assertThat(monitor.allUp()).isFalse();
    }
  }

  @Test
  void rejectsDuplicateNames() {
    var check = flagCheck(dir.resolve("x"));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                HealthMonitor.start(
                    List.of(CheckSchedule.of("x", check), CheckSchedule.of("x", check)),
                    e -> {},
                    Clock.system()));
  }
}
