package dev.takeover.lab;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds command lines for child JVMs the lab starts inside namespaces: the {@code takeover} daemon
 * and the lab's own tools ({@code echo}, {@code probe}).
 *
 * <p>The lab tools are started through {@link LabMain}, not the main launcher, so they work
 * whatever the launcher registers. They get a small, quick-starting JVM: on a busy 2-core machine
 * five JVMs start at once, and start-up time is most of a demo's wall time.
 *
 * @param java the java binary
 * @param classpath where both {@code dev.takeover.cli.Main} and {@link LabMain} are found
 */
public record JavaLauncher(String java, String classpath) {
  public static final String MAIN_CLASS = "dev.takeover.cli.Main";
  private static final List<String> TOOL_JVM_OPTIONS =
      List.of(
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-Xshare:auto",
          "-Xmx64m",
          "-XX:-UsePerfData");
  private static final List<String> DAEMON_JVM_OPTIONS =
      List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xshare:auto");

  /**
   * The running JVM's binary and the jar this class came from; when running from a classes
   * directory (tests, IDE), the whole {@code java.class.path}, which then includes the libraries.
   */
  public static JavaLauncher current() {
    return new JavaLauncher(currentJava(), currentClasspath());
  }

  /** The running JVM's binary with {@code jar} (the shaded takeover.jar) as classpath. */
  public static JavaLauncher forJar(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new LabException(
          "no takeover jar at " + jar + " (build it: ./mvnw -o -q package -DskipTests)");
    }
    return new JavaLauncher(currentJava(), jar.toAbsolutePath().toString());
  }

  private static String currentJava() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static String currentClasspath() {
    CodeSource source = Lab.class.getProtectionDomain().getCodeSource();
    if (source != null) {
      try {
        Path location = Path.of(source.getLocation().toURI());
        if (Files.isRegularFile(location)) {
          return location.toString();
        }
      } catch (URISyntaxException | IllegalArgumentException e) {
        // fall through to the class path
      }
    }
    return System.getProperty("java.class.path");
  }

  /** {@code takeover <args>} (the daemon and other launcher commands). */
  public List<String> takeover(String... args) {
    return command(DAEMON_JVM_OPTIONS, MAIN_CLASS, args);
  }

  /** A lab tool: {@code echo ...} or {@code probe ...}. */
  public List<String> labTool(String... args) {
    return command(TOOL_JVM_OPTIONS, LabMain.class.getName(), args);
  }

  private List<String> command(List<String> options, String mainClass, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(java);
    argv.addAll(options);
    argv.add("-cp");
    argv.add(classpath);
    argv.add(mainClass);
    argv.addAll(List.of(args));
    return argv;
  }
}
