package dev.takeover.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReceiveLoopTest {

  @Test
  void closeStopsThePollingThreadPromptly() {
    ReceiveLoop loop = ReceiveLoop.start("test-loop");
    NetlinkMonitor monitor = NetlinkMonitor.open(event -> {});
    loop.register(monitor);
    assertThat(loop.isRunning()).isTrue();

    long began = System.nanoTime();
    loop.close();
    Duration took = Duration.ofNanos(System.nanoTime() - began);

    assertThat(loop.isRunning()).isFalse();
    assertThat(took).isLessThan(Duration.ofMillis(500));
  }

  @Test
  void refusesRegistrationAfterCloseAndClosesTheSource() {
    ReceiveLoop loop = ReceiveLoop.start("test-loop");
    loop.close();
    NetlinkMonitor monitor = NetlinkMonitor.open(event -> {});
    assertThatThrownBy(() -> loop.register(monitor)).isInstanceOf(IllegalStateException.class);
    monitor.close(); // already closed by the loop: a second close is harmless
  }

  @Test
  void unregisterReturnsOnceTheLoopDroppedTheSource() {
    try (ReceiveLoop loop = ReceiveLoop.start("test-loop")) {
      NetlinkMonitor monitor = NetlinkMonitor.open(event -> {});
      loop.register(monitor);
      loop.unregister(monitor);
      assertThat(loop.isRunning()).isTrue();
    }
  }

  @Test
  void runsOnAPlatformThread() {
    try (ReceiveLoop loop = ReceiveLoop.start("test-loop-kind")) {
      Thread thread =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().equals("test-loop-kind"))
              .findFirst()
              .orElseThrow();
      assertThat(thread.isVirtual()).isFalse();
      assertThat(loop.isRunning()).isTrue();
    }
  }

  @Test
  void anErrorEndsTheLoopThroughItsDeathHandlerAndClosesItsSources() throws Exception {
    CompletableFuture<String> died = new CompletableFuture<>();
    ReceiveLoop loop =
        ReceiveLoop.start(
            "test-loop-death",
            (thread, error) -> died.complete(thread.getName() + ": " + error.getMessage()));
    loop.register(NetlinkMonitor.open(event -> {}));
    loop.execute(
        () -> {
          throw new InternalError("injected");
        });
    assertThat(died.get(5, TimeUnit.SECONDS)).isEqualTo("test-loop-death: injected");
    loop.close();
    assertThat(loop.isRunning()).isFalse();
  }
}
