package dev.takeover.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The poller the daemon's engine waits in: usable from start-up (no owner yet), owned by the first
 * thread that polls, woken by others.
 */
class SocketPollerTest {

  @Test
  void beforeAnyThreadPollsRegistrationAndRemovalActAtOnce() {
    SocketPoller poller = new SocketPoller();
    NetlinkMonitor monitor = NetlinkMonitor.open(event -> {});
    poller.register(monitor);
    poller.unregister(monitor); // would wait forever if it needed a polling thread
    poller.close();
    assertThat(poller.isClosed()).isTrue();
  }

  @Test
  void anotherThreadWakesAPollWithoutATimeout() throws Exception {
    SocketPoller poller = new SocketPoller();
    poller.register(NetlinkMonitor.open(event -> {}));
    AtomicBoolean ran = new AtomicBoolean();
    CompletableFuture<Void> owned = new CompletableFuture<>();
    CompletableFuture<Void> polled = new CompletableFuture<>();
    Thread owner =
        Thread.ofPlatform()
            .start(
                () -> {
                  poller.pollOnce(0); // takes ownership, runs the registration
                  owned.complete(null);
                  poller.pollOnce(-1); // no limit: only a wake-up ends it
                  polled.complete(null);
                });
    owned.get(10, TimeUnit.SECONDS);
    poller.execute(() -> ran.set(true));
    polled.get(10, TimeUnit.SECONDS);
    owner.join();
    // A task queued before the last poll ran on the owner; the owner's removal is immediate.
    poller.pollOnce(0); // the owner is gone: this thread may take over
    assertThat(ran).isTrue();
    poller.close();
  }

  @Test
  void onlyOneLiveThreadPolls() throws Exception {
    SocketPoller poller = new SocketPoller();
    CompletableFuture<Void> release = new CompletableFuture<>();
    Thread owner =
        Thread.ofPlatform()
            .start(
                () -> {
                  poller.pollOnce(0);
                  release.join();
                });
    try {
      Thread.sleep(100);
      assertThatThrownBy(() -> poller.pollOnce(0)).isInstanceOf(IllegalStateException.class);
    } finally {
      release.complete(null);
      owner.join();
      poller.close();
    }
  }

  @Test
  void aClosedPollerRefusesRegistrationAndClosesTheSource() {
    SocketPoller poller = new SocketPoller();
    poller.close();
    NetlinkMonitor monitor = NetlinkMonitor.open(event -> {});
    assertThatThrownBy(() -> poller.register(monitor)).isInstanceOf(IllegalStateException.class);
    poller.pollOnce(1_000_000); // closed: waits out its timeout instead of polling, no error
  }
}
