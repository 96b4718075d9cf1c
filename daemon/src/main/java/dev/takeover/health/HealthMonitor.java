package dev.takeover.health;

import dev.takeover.clock.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs named checks, each on its own virtual thread at its own interval, feeds the results through
 * a {@link RiseFall} counter per check and reports every change of state to a listener.
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li>Virtual threads, because probes are blocking JDK socket and process calls, which unmount
 *       their virtual thread instead of pinning a carrier; many checks cost no platform threads.
 *   <li>The listener runs on the check's thread, so it must be quick and thread-safe: post an event
 *       to the engine's queue, do not decide there. A listener that throws is logged and the check
 *       goes on.
 *   <li>{@link #close()} lets in-flight probes finish (each is bounded by its own timeout) and
 *       reports nothing after it returns.
 * </ul>
 */
public final class HealthMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

  /** Extra time {@link #close()} grants beyond the longest probe timeout, for cleanup. */
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

  /**
   * A check's state right now.
   *
   * @param last the latest probe result; empty before the first probe finished
   */
  public record CheckStatus(
      CheckState state, int successes, int failures, Optional<ProbeResult> last) {}

  private final Consumer<CheckStateChanged> listener;
  private final Clock clock;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Map<String, Runner> runners = new LinkedHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stopping;

  private HealthMonitor(Consumer<CheckStateChanged> listener, Clock clock) {
    this.listener = listener;
    this.clock = clock;
  }

  /**
   * Starts probing {@code schedules} at once; transitions go to {@code listener}.
   *
   * @param clock times the probes and their intervals and stamps {@link CheckStateChanged#at()}
   * @throws IllegalArgumentException if two checks have the same name
   */
  public static HealthMonitor start(
      List<CheckSchedule> schedules, Consumer<CheckStateChanged> listener, Clock clock) {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(clock, "clock");
    var names = new HashSet<String>();
    for (CheckSchedule schedule : schedules) {
      if (!names.add(schedule.name())) {
        throw new IllegalArgumentException("two checks are named " + schedule.name());
      }
    }
    HealthMonitor monitor = new HealthMonitor(listener, clock);
    for (CheckSchedule schedule : schedules) {
      monitor.runners.put(schedule.name(), new Runner(schedule));
    }
    for (Runner runner : monitor.runners.values()) {
      monitor.threads.add(
          Thread.ofVirtual()
              .name("health-" + runner.schedule.name())
              .start(() -> monitor.run(runner)));
    }
    return monitor;
  }

  /** The state of every check, in the order given to {@code start}. */
  public Map<String, CheckStatus> status() {
    Map<String, CheckStatus> status = new LinkedHashMap<>();
    runners.forEach((name, runner) -> status.put(name, runner.status()));
    return status;
  }

  /** Whether every check is {@link CheckState#UP}; true when there are no checks. */
  public boolean allUp() {
    return runners.values().stream().allMatch(r -> r.status().state().isUp());
  }

  private void run(Runner runner) {
    CheckSchedule schedule = runner.schedule;
    long intervalNanos = schedule.interval().toNanos();
    while (!stopping) {
      long started = clock.nanoTime();
      ProbeResult result = probe(schedule.check());
      Optional<RiseFall.Transition> transition = runner.record(result);
      if (transition.isPresent() && !stopping) {
        RiseFall.Transition t = transition.get();
        report(
            new CheckStateChanged(
                schedule.name(),
                t.to().isUp(),
                result.detail(),
                t.consecutive(),
                clock.instant(),
                t.from()));
      }
      long wait = intervalNanos - (clock.nanoTime() - started);
      try {
        if (wait > 0 && stop.await(wait, TimeUnit.NANOSECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private ProbeResult probe(HealthCheck check) {
    Stopwatch start = Stopwatch.start(clock);
    try {
      return check.probe(clock);
    } catch (RuntimeException e) {
      // probe() promises not to throw; if one does, it is a failed probe, not a dead check
      LOG.warn("health check {} threw", check.target(), e);
      return ProbeResult.fail("probe threw", e, start);
    }
  }

  private void report(CheckStateChanged change) {
    try {
      listener.accept(change);
    } catch (RuntimeException e) {
      LOG.warn("health listener failed on {}", change, e);
    }
  }

  /**
   * Stops probing: waits for in-flight probes (each bounded by its timeout, plus a second of
   * grace), then interrupts any that still run. No transition is reported after this returns.
   * Idempotent.
   */
  @Override
  public void close() {
    stopping = true;
    stop.countDown();
    Duration longest =
        runners.values().stream()
            .map(r -> r.schedule.check().timeout())
            .max(Duration::compareTo)
            .orElse(Duration.ZERO);
    long deadline = clock.nanoTime() + longest.plus(CLOSE_GRACE).toNanos();
    boolean interrupted = false;
    for (Thread thread : threads) {
      try {
        long left = deadline - clock.nanoTime();
        if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
          thread.interrupt();
          LOG.warn("health check thread {} overran its timeout; interrupted", thread.getName());
        }
      } catch (InterruptedException e) {
        interrupted = true;
        thread.interrupt();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** One check's counter and last result; the check's thread writes, {@link #status()} reads. */
  private static final class Runner {
    final CheckSchedule schedule;
    private final RiseFall riseFall;
    private ProbeResult last;

    Runner(CheckSchedule schedule) {
      this.schedule = schedule;
      this.riseFall = new RiseFall(schedule.rise(), schedule.fall(), schedule.initial());
    }

    synchronized Optional<RiseFall.Transition> record(ProbeResult result) {
      last = result;
      return riseFall.record(result.ok());
    }

    synchronized CheckStatus status() {
      return new CheckStatus(
          riseFall.state(), riseFall.successes(), riseFall.failures(), Optional.ofNullable(last));
    }
  }
}
