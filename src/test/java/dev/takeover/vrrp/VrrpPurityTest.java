package dev.takeover.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The state machine stays pure: no clocks, threads, sockets, I/O or logging in this package. */
class VrrpPurityTest {

  private static final Pattern FORBIDDEN =
      Pattern.compile(
          "System\\.(nanoTime|currentTimeMillis)|Thread|java\\.util\\.concurrent|java\\.time\\."
              + "|java\\.io\\.|java\\.nio\\.|Socket|Datagram|org\\.slf4j|java\\.util\\.logging"
              + "|System\\.(out|err)|getByName|getLocalHost|getCanonicalHostName|getHostName\\(");

  @Test
  void mainSourcesUseNoClockThreadIoOrLogging() throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.list(Path.of("src/main/java/dev/takeover/vrrp"))) {
      sources = files.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertThat(sources).isNotEmpty();
    for (Path source : sources) {
      List<String> offending =
          Files.readAllLines(source).stream()
              .filter(line -> !line.trim().startsWith("*") && !line.trim().startsWith("//"))
              .filter(line -> FORBIDDEN.matcher(line).find())
              .toList();
      assertThat(offending).as(source.toString()).isEmpty();
    }
  }
}
