package dev.takeover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.clock.Clock;
import dev.takeover.platform.NetlinkEvent;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The event loop: dispatch, timers, graceful stop, and survival of bad events. */
class EngineTest {

  /** Records what the engine asked of it; one deadline that fires once. */
  static class RecordingGroup implements Engine.GroupRuntime {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final CountDownLatch ticked = new CountDownLatch(1);
    volatile long deadline;
    volatile boolean armed;
    volatile boolean failOnAdvert;

    @Override
    public void start(long now) {
      calls.add("start");
      deadline = now + TimeUnit.MILLISECONDS.toNanos(20);
      armed = true;
    }

    @Override
    public void stop(long now, boolean awaitHandover) {
      calls.add("stop");
    }

    @Override
    public void advertReceived(Event.AdvertReceived advert, long now) {
      if (failOnAdvert) {
        throw new IllegalArgumentException("bad advert");
      }
      calls.add("advert " + advert.priority());
    }

    @Override
    public void kernelEvent(NetlinkEvent event, long now) {
      calls.add("kernel");
    }

    @Override
    public void checkChanged(String check, boolean up, String detail, long now) {
      calls.add("check " + check + (up ? " up" : " down"));
    }

    @Override
    public void claimProceed(long epoch, long now) {
      calls.add("proceed " + epoch);
    }

    @Override
    public void tick(long now) {
      if (armed && deadline - now <= 0) {
        armed = false;
        calls.add("timer");
        ticked.countDown();
      }
    }

    @Override
    public boolean hasDeadline() {
      return armed;
    }

    @Override
    public long deadline() {
      return deadline;
    }
  }

  @Test
  void startsDispatchesFiresTimersAndStopsGracefully() throws Exception {
    RecordingGroup group = new RecordingGroup();
    Engine engine = new Engine(Map.of(0, group), Clock.system(), unused -> {}, (t, e) -> {});
    engine.start();
    assertThat(group.ticked.await(5, TimeUnit.SECONDS)).isTrue();
    engine.post(new Event.AdvertReceived(0, InetAddress.getLoopbackAddress(), 200, 10, 0));
    engine.post(new Event.Kernel(new NetlinkEvent.LinkChanged(2, "eth0", true)));
    engine.post(new Event.CheckChanged(0, "web", false, "refused"));
    engine.post(new Event.ClaimProceed(0, 7));
    assertThat(engine.shutdown(5, TimeUnit.SECONDS)).isTrue();
    assertThat(group.calls)
        .containsExactly(
            "start", "timer", "advert 200", "kernel", "check web down", "proceed 7", "stop");
  }

  @Test
  void afterAStallEventsAlreadyQueuedGoBeforeTheTimersThatFellDue() throws Exception {
    CountDownLatch posted = new CountDownLatch(1);
    RecordingGroup group =
        new RecordingGroup() {
          @Override
          public void start(long now) {
            super.start(now);
            try {
              // A slow start: the adverts arrive meanwhile and the 20 ms timer falls due.
              posted.await(5, TimeUnit.SECONDS);
              Thread.sleep(50);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    Engine engine = new Engine(Map.of(0, group), Clock.system(), unused -> {}, (t, e) -> {});
    engine.start();
    engine.post(new Event.AdvertReceived(0, InetAddress.getLoopbackAddress(), 100, 10, 0));
    engine.post(new Event.AdvertReceived(0, InetAddress.getLoopbackAddress(), 101, 10, 0));
    posted.countDown();
    assertThat(group.ticked.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(engine.shutdown(5, TimeUnit.SECONDS)).isTrue();
    assertThat(group.calls).containsExactly("start", "advert 100", "advert 101", "timer", "stop");
  }

  @Test
  void aBadEventIsLoggedAndTheEngineGoesOn() throws Exception {
    RecordingGroup group = new RecordingGroup();
    group.failOnAdvert = true;
    CountDownLatch fatal = new CountDownLatch(1);
    Engine engine =
        new Engine(Map.of(0, group), Clock.system(), unused -> {}, (t, e) -> fatal.countDown());
    engine.start();
    engine.post(new Event.AdvertReceived(0, InetAddress.getLoopbackAddress(), 200, 10, 0));
    engine.post(new Event.Kernel(new NetlinkEvent.LinkChanged(2, "eth0", true)));
    assertThat(engine.shutdown(5, TimeUnit.SECONDS)).isTrue();
    assertThat(group.calls).contains("kernel", "stop");
    assertThat(fatal.getCount()).isEqualTo(1);
  }

  @Test
  void anErrorOutsideEventHandlingIsFatalAndReported() throws Exception {
    RecordingGroup group =
        new RecordingGroup() {
          @Override
          public void start(long now) {
            throw new IllegalStateException("cannot list addresses");
          }
        };
    CountDownLatch fatal = new CountDownLatch(1);
    Engine engine =
        new Engine(Map.of(0, group), Clock.system(), unused -> {}, (t, e) -> fatal.countDown());
    engine.start();
    assertThat(fatal.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(engine.shutdown(1, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aFullQueueDropsAndCountsWithoutALogLinePerEvent() {
    var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Engine.class);
    var appender =
        new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    appender.start();
    logger.addAppender(appender);
    try {
      // Not started: nothing takes from the queue, as when a flood outruns the engine.
      Engine engine =
          new Engine(Map.of(), new dev.takeover.clock.ManualClock(), x -> {}, (t, e) -> {});
      for (int i = 0; i < 10_000; i++) {
        engine.post(new Event.AdvertReceived(0, InetAddress.getLoopbackAddress(), 1, 10, 0));
      }
      assertThat(engine.droppedEvents()).isEqualTo(10_000 - 4096);
      assertThat(appender.list).hasSize(1);
    } finally {
      logger.detachAppender(appender);
    }
  }
}
