package dev.takeover.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pure core (codecs, state machines, actions) must stay testable with a fake clock: no
 * sockets, clocks, threads, logging or native access. A text scan is enough to keep it so.
 */
class PureCoreTest {
  private static final List<String> FORBIDDEN =
      List.of(
          "java.net.Socket",
          "java.net.DatagramSocket",
          "java.nio.channels",
          "java.lang.foreign",
          "java.util.concurrent",
          "org.slf4j",
          "System.nanoTime",
          "System.currentTimeMillis",
          "Instant.now",
          "new Thread",
          "Thread.sleep",
          "dev.takeover.platform",
          "dev.takeover.effect",
          "dev.takeover.engine");

  @ParameterizedTest
  @ValueSource(strings = {"wire", "vrrp", "action"})
  void pureCorePackagesDoNoIo(String pkg) throws IOException {
    Path dir = Path.of("src/main/java/dev/takeover", pkg);
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i);
          if (line.trim().startsWith("//") || line.trim().startsWith("*")) {
            continue;
          }
          for (String bad : FORBIDDEN) {
            if (line.contains(bad)) {
              violations.add(f + ":" + (i + 1) + ": " + bad);
            }
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }
}
