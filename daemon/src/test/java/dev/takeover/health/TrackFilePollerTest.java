package dev.takeover.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a track file: a decimal integer on the first line, anything else 0 with a reason. */
class TrackFilePollerTest {
  @TempDir Path dir;

  @Test
  void readsTheFirstLineAsAnInteger() throws IOException {
    Path f = dir.resolve("prio");
    Files.writeString(f, " -12 \nignored\n");
    assertThat(TrackFilePoller.read(f)).isEqualTo(new TrackFilePoller.Reading(-12, null));
    Files.writeString(f, "7");
    assertThat(TrackFilePoller.read(f).value()).isEqualTo(7);
  }

  @Test
  void anythingElseReadsAsZeroWithAReason() throws IOException {
    assertThat(TrackFilePoller.read(dir.resolve("missing")))
        .isEqualTo(new TrackFilePoller.Reading(0, "does not exist"));
    assertThat(TrackFilePoller.read(dir).problem()).isEqualTo("is not a regular file");
    Path f = dir.resolve("text");
    Files.writeString(f, "high\n");
    assertThat(TrackFilePoller.read(f))
        .isEqualTo(new TrackFilePoller.Reading(0, "\"high\" is not an integer"));
    Files.writeString(f, "");
    assertThat(TrackFilePoller.read(f).value()).isZero();
  }

  @Test
  void withNothingToReadItWaitsWithoutADeadlineUntilAReloadGivesItAFile() throws Exception {
    Path f = dir.resolve("prio");
    Files.writeString(f, "5\n");
    List<Long> seen = new CopyOnWriteArrayList<>();
    try (TrackFilePoller p = new TrackFilePoller((w, v) -> seen.add(v))) {
      p.start();
      Thread thread =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().equals("track-files") && t.isAlive())
              .filter(t -> t.getState() == Thread.State.WAITING)
              .findFirst()
              .orElse(null);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (thread == null && System.nanoTime() - deadline < 0) {
        Thread.onSpinWait();
        thread =
            Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("track-files") && t.isAlive())
                .filter(t -> t.getState() == Thread.State.WAITING)
                .findFirst()
                .orElse(null);
      }
      // WAITING, not TIMED_WAITING: no wake-ups while there is no file (it polled every 500 ms).
      assertThat(thread).isNotNull();
      p.replace(List.of(new TrackFilePoller.Watch(0, f.toString())));
      await(() -> seen.size() == 1);
      assertThat(seen).containsExactly(5L);
    }
  }

  @Test
  void reportsTheFirstValueAndThenOnlyChanges() throws Exception {
    Path f = dir.resolve("prio");
    Files.writeString(f, "1\n");
    List<Long> seen = new CopyOnWriteArrayList<>();
    try (TrackFilePoller p = new TrackFilePoller((w, v) -> seen.add(v))) {
      p.replace(List.of(new TrackFilePoller.Watch(0, f.toString())));
      p.start();
      await(() -> seen.size() == 1);
      Thread.sleep(2 * TrackFilePoller.INTERVAL_MILLIS);
      assertThat(seen).containsExactly(1L);
      Files.writeString(f, "3\n");
      await(() -> seen.size() == 2);
      assertThat(seen).containsExactly(1L, 3L);
    }
  }

  private static void await(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
      Thread.sleep(20); // at most 10 s
    }
    assertThat(condition.getAsBoolean()).as("condition within 10 s").isTrue();
  }
}
