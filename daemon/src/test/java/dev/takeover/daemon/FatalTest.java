package dev.takeover.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fatal path with its halt replaced by a recorder. That it really ends a process is FatalIT's
 * (lab) part: a real daemon with an injected fault.
 */
class FatalTest {
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final List<Integer> halts = new CopyOnWriteArrayList<>();
  private final CountDownLatch halted = new CountDownLatch(1);

  private void halt(int status) {
    halts.add(status);
    halted.countDown();
  }

  private static Thread named(String name) {
    return Thread.ofPlatform().name(name).unstarted(() -> {});
  }

  @Test
  void writesOneLineToStderrThenLogsThenHalts() {
    List<String> order = new CopyOnWriteArrayList<>();
    Fatal fatal =
        new Fatal(
            stderr,
            status -> {
              order.add("halt " + status);
              halt(status);
            },
            (thread, error) -> order.add("report " + thread.getName()));
    fatal.die(named("takeover-engine"), new OutOfMemoryError("Java heap space"));

    assertThat(stderr.toString(StandardCharsets.US_ASCII))
        .isEqualTo(
            "takeover: fatal: thread takeover-engine died of java.lang.OutOfMemoryError: Java heap"
                + " space; exiting with status 3 so that the service manager restarts it\n");
    assertThat(order).containsExactly("report takeover-engine", "halt 3");
  }

  @Test
  void anOutOfMemoryErrorInTheLoggerDoesNotStopTheHalt() {
    Fatal fatal =
        new Fatal(
            stderr,
            this::halt,
            (thread, error) -> {
              throw new OutOfMemoryError("Java heap space (in the logger)");
            });
    fatal.die(named("takeover-receive"), new InternalError("boom"));
    assertThat(halts).containsExactly(3);
    assertThat(stderr.toString(StandardCharsets.US_ASCII)).contains("takeover-receive died of");
  }

  @Test
  void aFailingStderrDoesNotStopTheHaltEither() {
    OutputStream broken =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("Broken pipe");
          }
        };
    new Fatal(broken, this::halt, (thread, error) -> {}).die(named("t"), new Error());
    assertThat(halts).containsExactly(3);
  }

  @Test
  void theWatchdogHaltsWhenTheDyingThreadIsStuckInTheLogger() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    Fatal fatal =
        new Fatal(
            stderr,
            this::halt,
            (thread, error) -> {
              try {
                never.await(); // a logger blocked on a full pipe, say
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    fatal.start();
    Thread dying =
        Thread.ofPlatform().start(() -> fatal.die(Thread.currentThread(), new Error("stuck")));
    long started = System.nanoTime();
    assertThat(halted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Fatal.GRACE_MILLIS - 50);
    assertThat(halts).containsExactly(3);
    never.countDown();
    dying.join();
  }

  @Test
  void aSecondDyingThreadLeavesTheExitToTheFirst() {
    Fatal fatal = new Fatal(stderr, this::halt, (thread, error) -> {});
    fatal.die(named("takeover-engine"), new Error("first"));
    fatal.die(named("takeover-journal"), new Error("second"));
    assertThat(halts).containsExactly(3);
    assertThat(stderr.toString(StandardCharsets.US_ASCII)).doesNotContain("second");
  }

  @Test
  void theLineStaysOneBoundedLineWhateverTheErrorSays() {
    Fatal fatal = new Fatal(stderr, this::halt, (thread, error) -> {});
    fatal.die(named("naïve\nthread"), new IllegalStateException("x".repeat(5000) + "\nmore"));
    String line = fatal.message();
    assertThat(line)
        .startsWith("takeover: fatal: thread na?ve?thread died of java.lang.IllegalStateException")
        .endsWith("...; exiting with status 3 so that the service manager restarts it\n")
        .hasSizeLessThanOrEqualTo(1024);
    assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
  }

  @Test
  void aMessageThatCannotBeReadIsLeftOut() {
    Fatal fatal = new Fatal(stderr, this::halt, (thread, error) -> {});
    Error unreadable =
        new Error() {
          @Override
          public String getMessage() {
            throw new OutOfMemoryError();
          }
        };
    fatal.die(named("takeover-engine"), unreadable);
    assertThat(fatal.message()).contains("died of dev.takeover.daemon.FatalTest$").contains("...;");
    assertThat(halts).containsExactly(3);
  }
}
