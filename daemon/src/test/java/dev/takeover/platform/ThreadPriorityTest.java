package dev.takeover.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThreadPriorityTest {

  private static final int SCHED_OTHER = 0;

  @Test
  void appliesToTheCallingThreadOnlyOrSaysWhyNot() throws Exception {
    AtomicReference<ThreadPriority.Result> result = new AtomicReference<>();
    AtomicReference<Integer> policy = new AtomicReference<>();
    Thread.ofPlatform()
        .start(
            () -> {
              result.set(ThreadPriority.setRealtime(1));
              policy.set(currentThreadPolicy());
            })
        .join();

    if (result.get().applied()) {
      assertThat(policy.get()).isEqualTo(Libc.SCHED_FIFO);
    } else {
      System.out.println("SCHED_FIFO not applied: " + result.get().reason());
      assertThat(result.get().reason()).contains("sched_setscheduler");
      assertThat(policy.get()).isEqualTo(SCHED_OTHER);
    }
    assertThat(currentThreadPolicy()).as("the test thread is untouched").isEqualTo(SCHED_OTHER);
  }

  /**
   * Linux gives a new thread its creator's policy unless SCHED_RESET_ON_FORK is set: without it a
   * real-time thread that happened to start the JVM's ForkJoinPool carriers made every virtual
   * thread real-time (DECISIONS 42).
   */
  @Test
  void threadsMadeByARealtimeThreadStartAtNormalPriority() throws Exception {
    AtomicReference<ThreadPriority.Result> result = new AtomicReference<>();
    AtomicReference<Integer> childPolicy = new AtomicReference<>();
    Thread.ofPlatform()
        .start(
            () -> {
              result.set(ThreadPriority.setRealtime(1));
              try {
                Thread.ofPlatform().start(() -> childPolicy.set(currentThreadPolicy())).join();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            })
        .join();
    if (!result.get().applied()) {
      System.out.println("SCHED_FIFO not applied: " + result.get().reason());
    }
    assertThat(childPolicy.get()).isEqualTo(SCHED_OTHER);
  }

  @Test
  void refusesVirtualThreadsWithAReason() throws Exception {
    AtomicReference<ThreadPriority.Result> result = new AtomicReference<>();
    Thread.ofVirtual().start(() -> result.set(ThreadPriority.setRealtime(1))).join();
    assertThat(result.get().applied()).isFalse();
    assertThat(result.get().reason()).contains("virtual thread");
  }

  @Test
  void rejectsPrioritiesOutsideFifoRange() {
    assertThatThrownBy(() -> ThreadPriority.setRealtime(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ThreadPriority.setRealtime(100))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Field 41 of /proc/thread-self/stat (proc(5)); fields after the ")" start at field 3. */
  private static int currentThreadPolicy() {
    try {
      String stat = Files.readString(Path.of("/proc/thread-self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Integer.parseInt(fields[41 - 3]);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
