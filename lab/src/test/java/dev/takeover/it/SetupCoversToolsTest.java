package dev.takeover.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A fresh machine runs the README's test command after {@code scripts/setup}: every program that
 * the lab, the bench and the tests start must be provided by a line of setup ({@code command -v X}
 * or {@code [ -x /path/X ]}), or be part of every Debian system (the Essential set). LabIT once ran
 * {@code ping}, which setup did not install, and failed only on a minimal image.
 *
 * <p>The scan finds argv[0] string literals at the places the code starts programs: {@code new
 * ProcessBuilder(...)}, the lab's {@code Commands.run}, {@code Lab.exec/start} (from outside or
 * inside the lab; the first argument is the host), {@code ip netns exec NS X}, and lists assigned
 * to {@code argv}/{@code command}. A new way of starting programs needs a pattern here; {@link
 * #scanFindsTheKnownTools} fails if the scan goes blind.
 */
class SetupCoversToolsTest {
  private static final String LIT = "\"([^\"]+)\"";

  private static final List<Pattern> PATTERNS =
      Stream.of(
              // new ProcessBuilder("sh", ...), Commands.run(List.of("ip", ...)),
              // TestNamespaces.run("ip")
              "(?:new ProcessBuilder|(?:Commands|TestNamespaces)\\.run|\\boutput"
                  + "|new Command|new ScriptCheck)\\(\\s*"
                  + "(?:List\\.of\\(\\s*)?"
                  + LIT,
              // lab.exec(host, "ping"), lab.start("n1", List.of("sleep")), start(log, "named")
              "(?:\\blab\\.|[^.\\w])(?:exec|start)\\(\\s*[^,()]+,\\s*(?:List\\.of\\(\\s*)?" + LIT,
              // List.of("ip", "netns", "exec", ns, "nft", ...)
              "\"ip\",\\s*\"netns\",\\s*\"exec\",\\s*[^,()\"]+,\\s*" + LIT,
              // argv = List.of("keepalived", ...), command = new ArrayList<>(List.of("ip", ...
              "(?:argv|command|full)\\s*=\\s*(?:new ArrayList<>\\(\\s*)?List\\.of\\(\\s*" + LIT)
          .map(Pattern::compile)
          .toList();

  /**
   * Programs of Debian's Essential packages (coreutils, dash, hostname, ...), on every system. Each
   * is here because a source starts it; keep the list to what the scan finds.
   */
  private static final Set<String> ESSENTIAL =
      Set.of("sh", "sleep", "env", "test", "echo", "true", "cat", "hostname");

  /** Started but not needed: each with the reason a missing program does no harm. */
  private static final Map<String, String> OPTIONAL =
      Map.of(
          "git", "Bench's report header only; a missing git leaves the field empty",
          "health-script", "ScriptCheckTest runs /nonexistent/health-script to see it fail");

  /** What the build itself runs before any Java: ./mvnw downloads Maven with these. */
  private static final Set<String> BUILD = Set.of("curl", "unzip");

  @Test
  void setupProvidesEveryProgramTheTestsAndTheLabStart() throws IOException {
    Set<String> provided = provided(Files.readString(repo().resolve("scripts/setup")));
    Map<String, Set<String>> started = started();

    Map<String, Set<String>> missing = new TreeMap<>();
    started.forEach(
        (program, where) -> {
          if (!provided.contains(program)
              && !ESSENTIAL.contains(program)
              && !OPTIONAL.containsKey(program)) {
            missing.put(program, where);
          }
        });
    assertThat(missing)
        .as("programs started by the sources that scripts/setup does not install (where started)")
        .isEmpty();
    assertThat(provided).as("what ./mvnw needs").containsAll(BUILD);
  }

  /**
   * Shell scripts that tests run (DebPackageTest runs packaging/build-deb) name what they need with
   * {@code command -v X} or in a {@code for tool in X Y; do command -v $tool} loop; setup must
   * provide each.
   */
  @Test
  void setupProvidesWhatTheScriptsTheTestsRunNeed() throws IOException {
    Set<String> provided = provided(Files.readString(repo().resolve("scripts/setup")));
    String buildDeb = Files.readString(repo().resolve("packaging/build-deb"));
    Set<String> needed = needed(buildDeb);
    assertThat(needed).as("build-deb's needs, as scanned").contains("dpkg-deb", "asciidoctor");
    needed.removeAll(ESSENTIAL_SCRIPT_TOOLS);
    assertThat(provided).as("what packaging/build-deb needs").containsAll(needed);
  }

  /** Programs of the Essential set (gzip, sed, ...) that scripts check for anyway. */
  private static final Set<String> ESSENTIAL_SCRIPT_TOOLS = Set.of("gzip", "sed", "tail");

  static Set<String> needed(String script) {
    Set<String> names = new TreeSet<>();
    Matcher single = Pattern.compile("command -v ([\\w.-]+)").matcher(script);
    while (single.find()) {
      names.add(single.group(1));
    }
    Matcher loop = Pattern.compile("for tool in ([\\w. -]+); do").matcher(script);
    while (loop.find()) {
      names.addAll(List.of(loop.group(1).strip().split("\\s+")));
    }
    return names;
  }

  @Test
  void scanFindsTheKnownTools() throws IOException {
    assertThat(started().keySet())
        .contains(
            "ip",
            "nft",
            "keepalived",
            "tcpdump",
            "named",
            "dhcpd",
            "ping",
            "kill",
            "sleep",
            "sysctl");
  }

  @Test
  void setupLinesAreParsed() {
    String setup =
        """
        command -v ip >/dev/null 2>&1 || need="$need iproute2"
        [ -x /usr/sbin/named ] || need="$need bind9"
        # command -v commented >/dev/null
        """;
    assertThat(provided(setup)).containsExactlyInAnyOrder("ip", "named");
  }

  /** Program names that setup checks for, and therefore installs when they are missing. */
  static Set<String> provided(String setup) {
    Set<String> names = new TreeSet<>();
    Pattern check = Pattern.compile("(?:command -v (\\S+)|\\[ -x (\\S+) \\])");
    for (String line : setup.lines().toList()) {
      if (line.strip().startsWith("#")) {
        continue;
      }
      Matcher m = check.matcher(line);
      while (m.find()) {
        names.add(baseName(m.group(1) != null ? m.group(1) : m.group(2)));
      }
    }
    return names;
  }

  /** Program name → the source files that start it. */
  private static Map<String, Set<String>> started() throws IOException {
    Path repo = repo();
    Map<String, Set<String>> found = new TreeMap<>();
    for (String root :
        new String[] {"lab/src/main/java", "lab/src/test/java", "daemon/src/test/java"}) {
      try (Stream<Path> files = Files.walk(repo.resolve(root))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          String source = Files.readString(file);
          for (Pattern p : PATTERNS) {
            Matcher m = p.matcher(source);
            while (m.find()) {
              found
                  .computeIfAbsent(baseName(m.group(1)), k -> new TreeSet<>())
                  .add(String.valueOf(file.getFileName()));
            }
          }
        }
      }
    }
    return found;
  }

  private static String baseName(String program) {
    return program.substring(program.lastIndexOf('/') + 1);
  }

  /** The repository root: surefire runs in the module directory, lab/. */
  private static Path repo() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("scripts/setup"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("a parent directory holding scripts/setup").isNotNull();
    return dir;
  }
}
