package dev.takeover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.clock.Clock;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The engine waiting in a {@link Engine.Waiter} (the daemon's socket poller) instead of on its
 * queue: other threads' events wake it, its own handlers' events need no wake-up and still go
 * before the timers that fell due.
 */
class EngineWaiterTest {

  /** Waits until woken, whatever the timeout (so a missing wake-up hangs, and the test fails). */
  static class WakeOnlyWaiter implements Engine.Waiter {
    final Semaphore wakes = new Semaphore(0);
    final AtomicInteger wakeCalls = new AtomicInteger();
    volatile Runnable onAwait = () -> {};

    @Override
    public void await(long timeoutNanos) {
      onAwait.run();
      if (timeoutNanos == 0) {
        return;
      }
      try {
        wakes.tryAcquire(30, TimeUnit.SECONDS);
        wakes.drainPermits();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void wake() {
      wakeCalls.incrementAndGet();
      wakes.release();
    }
  }

  /** A group without timers: the engine's only reason to wake is the waiter. */
  static class IdleGroup extends EngineTest.RecordingGroup {
    @Override
    public void start(long now) {
      calls.add("start");
    }
  }

  @Test
  void anotherThreadsEventWakesTheWaiter() throws Exception {
    IdleGroup group = new IdleGroup();
    WakeOnlyWaiter waiter = new WakeOnlyWaiter();
    Engine engine =
        new Engine(
            Map.of(0, group),
            Clock.system(),
            unused -> {},
            (t, e) -> {},
            new TimerLateness(Long.MAX_VALUE, late -> {}),
            waiter);
    engine.start();
    assertThat(engine.awaitStarted(5, TimeUnit.SECONDS)).isTrue();
    engine.post(new Event.CheckChanged(0, "web", false, "refused"));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!group.calls.contains("check web down") && System.nanoTime() - until < 0) {
      Thread.sleep(5);
    }
    assertThat(group.calls).contains("check web down");
    assertThat(engine.shutdown(10, TimeUnit.SECONDS)).isTrue();
    assertThat(group.calls).endsWith("stop");
  }

  @Test
  void handlersPostWithoutAWakeUpAndTheirEventsGoBeforeTimersThatFellDue() throws Exception {
    EngineTest.RecordingGroup group = new EngineTest.RecordingGroup(); // a 20 ms timer
    WakeOnlyWaiter waiter = new WakeOnlyWaiter();
    Engine engine =
        new Engine(
            Map.of(0, group),
            Clock.system(),
            unused -> {},
            (t, e) -> {},
            new TimerLateness(Long.MAX_VALUE, late -> {}),
            waiter);
    AtomicInteger awaits = new AtomicInteger();
    waiter.onAwait =
        () -> {
          if (awaits.getAndIncrement() == 0) {
            // As a socket handler would, on the engine thread, once the timer is already due.
            try {
              Thread.sleep(50);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            engine.post(new Event.AdvertReceived(0, InetAddress.getLoopbackAddress(), 100, 10, 0));
            waiter.wakes.release(); // the socket was readable: this await returns
          }
        };
    engine.start();
    assertThat(group.ticked.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(waiter.wakeCalls).hasValue(0);
    assertThat(engine.shutdown(10, TimeUnit.SECONDS)).isTrue();
    assertThat(group.calls).containsExactly("start", "advert 100", "timer", "stop");
  }
}
