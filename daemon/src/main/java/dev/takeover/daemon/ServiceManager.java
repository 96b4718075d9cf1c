package dev.takeover.daemon;

import dev.takeover.clock.Clock;
import dev.takeover.engine.Engine;
import dev.takeover.engine.Event;
import dev.takeover.platform.SystemdNotify;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What systemd hears from a {@code Type=notify} daemon: READY=1 once every group has started,
 * RELOADING=1 and READY=1 around a reload, STOPPING=1 at shutdown, and WATCHDOG=1 while the engine
 * thread is alive. All of it is a no-op outside systemd ({@code NOTIFY_SOCKET} unset).
 *
 * <p>Implementation notes: the watchdog does not ping from a timer alone, which would prove only
 * that a timer thread runs. Each period it posts a probe to the engine's queue and pings only if
 * the probe it posted the period before has run on the engine thread; a stuck or dead engine thus
 * stops the pings and systemd restarts the service after {@code WatchdogSec}. The period is half of
 * {@code WATCHDOG_USEC}, as sd_watchdog_enabled(3) advises: an engine that answers within a period
 * is never killed, one that is stuck for a whole {@code WatchdogSec} is.
 */
final class ServiceManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("takeover");

  private final SystemdNotify notify;
  private final Clock clock;
  private final long watchdogPeriodNanos; // 0: no watchdog
  private final AtomicLong probesAnswered = new AtomicLong();
  private long probesPosted;
  private boolean reportedStuck;
  private Thread watchdog;

  ServiceManager(SystemdNotify notify, Clock clock, long watchdogPeriodNanos) {
    this.notify = notify;
    this.clock = clock;
    this.watchdogPeriodNanos = watchdogPeriodNanos;
  }

  /** From the environment systemd gives a service. */
  static ServiceManager fromEnvironment(Map<String, String> env, Clock clock) {
    SystemdNotify notify;
    try {
      notify = SystemdNotify.fromEnvironment(env);
    } catch (RuntimeException e) {
      log.warn("not notifying systemd: {}", e.getMessage());
      notify = SystemdNotify.fromEnvironment(Map.of());
    }
    return new ServiceManager(notify, clock, watchdogPeriodNanos(env));
  }

  /**
   * Half of {@code WATCHDOG_USEC}, or 0 when there is no watchdog or it is meant for another
   * process ({@code WATCHDOG_PID}).
   */
  static long watchdogPeriodNanos(Map<String, String> env) {
    String usec = env.get("WATCHDOG_USEC");
    String pid = env.get("WATCHDOG_PID");
    try {
      if (pid != null && !pid.isEmpty() && Long.parseLong(pid) != ProcessHandle.current().pid()) {
        return 0;
      }
      long micros = usec == null ? 0 : Long.parseLong(usec);
      return micros > 0 ? TimeUnit.MICROSECONDS.toNanos(micros) / 2 : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  long watchdogPeriodNanos() {
    return watchdogPeriodNanos;
  }

  /** READY=1, and the watchdog starts probing {@code engine}. */
  void ready(int groups, Engine engine) {
    notify.send("READY=1\nSTATUS=running " + groups + " group(s)");
    if (notify.enabled() && watchdogPeriodNanos > 0) {
      Consumer<Event> post = engine::post;
      watchdog = Thread.ofPlatform().name("takeover-watchdog").daemon().start(() -> watch(post));
      log.info(
          "systemd watchdog: a ping every {} ms while the engine answers",
          TimeUnit.NANOSECONDS.toMillis(watchdogPeriodNanos));
    }
  }

  /** RELOADING=1; systemd (253+) wants the monotonic time of the reload with it. */
  void reloading() {
    notify.send("RELOADING=1\nMONOTONIC_USEC=" + TimeUnit.NANOSECONDS.toMicros(clock.nanoTime()));
  }

  /** READY=1 after a reload, with how it went. */
  void reloaded(String status) {
    notify.send("READY=1\nSTATUS=" + status);
  }

  void stopping() {
    notify.send("STOPPING=1\nSTATUS=leaving every group");
  }

  /**
   * One watchdog period: pings if the previous probe was answered, then posts the next.
   *
   * @return whether it pinged
   */
  boolean tick(Consumer<Event> engine) {
    boolean alive = probesAnswered.get() == probesPosted;
    if (!alive) {
      if (!reportedStuck) {
        reportedStuck = true;
        log.error("the engine has not answered the watchdog for a period: no ping to systemd");
      }
      return false; // wait for the probe already queued; a stuck engine gets no more
    }
    if (reportedStuck) {
      reportedStuck = false;
      log.warn("the engine answers the watchdog again");
    }
    notify.send("WATCHDOG=1");
    long probe = ++probesPosted;
    engine.accept(new Event.OnEngine(() -> probesAnswered.set(probe)));
    return true;
  }

  private void watch(Consumer<Event> engine) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        tick(engine);
        TimeUnit.NANOSECONDS.sleep(watchdogPeriodNanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (watchdog != null) {
      watchdog.interrupt();
    }
    notify.close();
  }
}
