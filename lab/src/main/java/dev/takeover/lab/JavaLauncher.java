package dev.takeover.lab;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds command lines for child JVMs the lab starts inside namespaces: the {@code takeover} daemon
 * and the lab's own tools ({@code echo}, {@code probe}).
 *
 * <p>The lab tools are started through {@link LabTools}, not the main launcher, so they work
 * whatever the launcher registers. They get a small, quick-starting JVM: on a busy 2-core machine
 * five JVMs start at once, and start-up time is most of a demo's wall time.
 *
 * @param java the java binary
 * @param daemonClasspath where {@code dev.takeover.cli.Main} is found: the daemon's jar
 * @param toolClasspath where {@link LabTools} is found: the lab's jar or classes
 */
public record JavaLauncher(String java, String daemonClasspath, String toolClasspath) {
  public static final String MAIN_CLASS = "dev.takeover.cli.Main";
  private static final List<String> TOOL_JVM_OPTIONS =
      List.of(
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-Xshare:auto",
          "-Xmx64m",
          "-XX:-UsePerfData");
  // The heap cap and the exit on OutOfMemoryError are the launcher's (./takeover), so that tests
  // see the daemon fail the way it would in production.
  private static final List<String> DAEMON_JVM_OPTIONS =
      List.of(
          "--enable-native-access=ALL-UNNAMED",
          "-XX:+UseSerialGC",
          "-Xmx64m",
          "-XX:+ExitOnOutOfMemoryError",
          "-Xshare:auto");

  /**
   * The running JVM's binary and its class path for both: under {@code java -jar takeover-lab.jar}
   * that jar holds the daemon too.
   */
  public static JavaLauncher current() {
    String classpath = currentClasspath();
    return new JavaLauncher(currentJava(), classpath, classpath);
  }

  /** Daemons from {@code jar} (the shaded takeover.jar), lab tools from this JVM's class path. */
  public static JavaLauncher forJar(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new LabException(
          "no takeover jar at " + jar + " (build it: ./mvnw -o -q package -DskipTests)");
    }
    return new JavaLauncher(currentJava(), jar.toAbsolutePath().toString(), currentClasspath());
  }

  private static String currentJava() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * This JVM's class path with absolute entries: under {@code java -jar takeover-lab.jar} the lab's
   * shaded jar (which holds the daemon too), under Maven the module's classes and every library.
   */
  private static String currentClasspath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** {@code takeover <args>} (the daemon and other launcher commands). */
  public List<String> takeover(String... args) {
    return command(DAEMON_JVM_OPTIONS, daemonClasspath, MAIN_CLASS, args);
  }

  /** A lab tool: {@code echo ...} or {@code probe ...}. */
  public List<String> labTool(String... args) {
    return command(TOOL_JVM_OPTIONS, toolClasspath, LabTools.class.getName(), args);
  }

  private List<String> command(
      List<String> options, String classpath, String mainClass, String... args) {
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
