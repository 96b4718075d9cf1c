package dev.takeover.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the Debian package with packaging/build-deb from the daemon jar this build made, then
 * reads it back with dpkg-deb: files, modes, control fields, conffiles, maintainer scripts. Skipped
 * where dpkg-deb or the jar is missing. Installing it under systemd is not tested here (no systemd
 * as PID 1 in the build environment): packaging/README.md says how that was checked.
 */
class DebPackageTest {
  // Tests run in the repository root (the parent pom sets the working directory).
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Path JAR = ROOT.resolve("daemon/target/takeover.jar");

  @TempDir static Path out;
  private static Path deb;

  @BeforeAll
  static void build() throws Exception {
    assumeTrue(onPath("dpkg-deb"), "dpkg-deb is not installed");
    assumeTrue(Files.isRegularFile(JAR), "the daemon jar is not built");
    Result built = run(Map.of(), ROOT.resolve("packaging/build-deb").toString(), out.toString());
    assertThat(built.exit()).as(built.output()).isZero();
    try (var files = Files.list(out)) {
      List<Path> debs = files.filter(p -> p.toString().endsWith(".deb")).toList();
      assertThat(debs).hasSize(1);
      deb = debs.getFirst();
    }
    assertThat(deb.getFileName().toString()).matches("takeover_[0-9][^_]*_all\\.deb");
  }

  @Test
  void holdsTheJarLauncherUnitAndConfiguration() throws Exception {
    String listing = dpkgDeb("-c").output();
    assertThat(listing)
        .containsPattern("-rw-r--r-- root/root +\\d+ .* \\./usr/share/takeover/takeover\\.jar\\n")
        .containsPattern("-rwxr-xr-x root/root +\\d+ .* \\./usr/bin/takeover\\n")
        .containsPattern("-rwxr-xr-x root/root +\\d+ .* \\./usr/share/takeover/aot-train\\n")
        .containsPattern(
            "-rw-r--r-- root/root +\\d+ .* \\./lib/systemd/system/takeover\\.service\\n")
        .containsPattern("-rw-r--r-- root/root +\\d+ .* \\./etc/takeover/takeover\\.yaml\\n")
        .contains("./usr/share/doc/takeover/README.md", "./usr/share/doc/takeover/copyright");
  }

  @Test
  void holdsManPagesForEveryOperatorCommandAndTheConfigAndTheCompletion() throws Exception {
    String listing = dpkgDeb("-c").output();
    for (String page :
        List.of(
            "man8/takeover.8.gz",
            "man8/takeover-run.8.gz",
            "man8/takeover-check.8.gz",
            "man8/takeover-status.8.gz",
            "man8/takeover-move.8.gz",
            "man8/takeover-maintenance.8.gz",
            "man8/takeover-reload.8.gz",
            "man8/takeover-events.8.gz",
            "man5/takeover.yaml.5.gz")) {
      assertThat(listing).contains("./usr/share/man/" + page);
    }
    assertThat(listing).contains("./usr/share/bash-completion/completions/takeover");
    Path root = extract();
    String takeover8 = gunzip(root.resolve("usr/share/man/man8/takeover.8.gz"));
    assertThat(takeover8).contains(".TH \"TAKEOVER\" \"8\"").contains("takeover.yaml", "(5)");
    // The pages come from the CLI's model: an option of the CLI is on its page.
    assertThat(gunzip(root.resolve("usr/share/man/man8/takeover-check.8.gz"))).contains("host");
    String yaml5 = gunzip(root.resolve("usr/share/man/man5/takeover.yaml.5.gz"));
    assertThat(yaml5).contains(".TH TAKEOVER.YAML 5").contains("advert-interval");
    assertThat(Files.readString(root.resolve("usr/share/bash-completion/completions/takeover")))
        .contains("complete -F");
  }

  private static String gunzip(Path file) throws IOException {
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void controlFieldsNameTheRuntimeWithoutDependingOnWhatDebianLacks() throws Exception {
    assertThat(field("Package")).isEqualTo("takeover");
    assertThat(field("Architecture")).isEqualTo("all");
    assertThat(field("Version")).matches("[0-9][0-9.]*(~[A-Za-z0-9.]+)?");
    // Java 25 is not in Debian 12: a hard dependency could never be met from its archive.
    assertThat(field("Depends")).isEqualTo("libc6");
    assertThat(field("Recommends")).contains("temurin-25");
    assertThat(field("Description")).contains("Temurin 25");
    assertThat(dpkgDeb("-I", "conffiles").output().strip())
        .isEqualTo("/etc/takeover/takeover.yaml");
  }

  @Test
  void theUnitIsNotifyWithWatchdogReloadStateDirAndTheChecksCapabilities() throws Exception {
    Path root = extract();
    String unit = Files.readString(root.resolve("lib/systemd/system/takeover.service"));
    assertThat(unit)
        .contains(
            "Type=notify",
            "WatchdogSec=",
            "ExecReload=/bin/kill -HUP $MAINPID",
            "StateDirectory=takeover",
            "ExecStart=/usr/bin/takeover run")
        .containsPattern("AmbientCapabilities=.*CAP_NET_BIND_SERVICE")
        .containsPattern(
            "CapabilityBoundingSet=(?=.*CAP_NET_ADMIN)(?=.*CAP_NET_RAW)"
                + "(?=.*CAP_NET_BIND_SERVICE)(?=.*CAP_SYS_NICE).*");
    if (onPath("systemd-analyze")) {
      Result verified =
          run(
              Map.of(),
              "systemd-analyze",
              "verify",
              "--man=no",
              root.resolve("lib/systemd/system/takeover.service").toString());
      assertThat(verified.output()).doesNotContain("Unknown key", "Unknown section");
    }
  }

  @Test
  void theLauncherCapsTheHeapAndExitsOnOutOfMemory() throws Exception {
    // The unit runs the launcher, so these are the daemon's flags (docs/SECURITY.md).
    String launcher = Files.readString(extract().resolve("usr/bin/takeover"));
    assertThat(launcher).contains("-Xmx64m", "-XX:+ExitOnOutOfMemoryError");
  }

  @Test
  void maintainerScriptsAreValidShellAndNeverStartAnUneditedConfig() throws Exception {
    Path control = out.resolve("control");
    assertThat(run(Map.of(), "dpkg-deb", "-e", deb.toString(), control.toString()).exit()).isZero();
    for (String script : List.of("postinst", "prerm", "postrm")) {
      Path file = control.resolve(script);
      assertThat(Files.isExecutable(file)).as(script).isTrue();
      assertThat(run(Map.of(), "sh", "-n", file.toString()).exit()).as(script).isZero();
      // Without systemd (as here) each is a no-op that succeeds.
      String arg = script.equals("postinst") ? "configure" : "remove";
      assertThat(run(Map.of(), "sh", file.toString(), arg).exit()).as(script).isZero();
    }
    // The AOT caches are made only under dpkg (the run above made none on this host).
    assertThat(Files.readString(control.resolve("postinst")))
        .contains("DPKG_MAINTSCRIPT_PACKAGE", "/usr/share/takeover/aot-train");
    // Only a running daemon is restarted (on upgrade); a fresh install starts nothing.
    assertThat(Files.readString(control.resolve("postinst")))
        .doesNotContainPattern("(?m)^[^#\\n]*systemctl (enable|start)\\b");
  }

  @Test
  void theInstalledLauncherRunsTheInstalledJar() throws Exception {
    Path root = extract();
    Result version =
        run(
            Map.of("TAKEOVER_JAR", root.resolve("usr/share/takeover/takeover.jar").toString()),
            root.resolve("usr/bin/takeover").toString(),
            "version");
    assertThat(version.exit()).as(version.output()).isZero();
    assertThat(version.output()).containsIgnoringCase("takeover");
  }

  private static Path extract() throws Exception {
    Path root = out.resolve("root");
    if (!Files.isDirectory(root)) {
      assertThat(run(Map.of(), "dpkg-deb", "-x", deb.toString(), root.toString()).exit()).isZero();
    }
    return root;
  }

  private static String field(String name) throws Exception {
    Result r = dpkgDeb("-f", name);
    assertThat(r.exit()).as(r.output()).isZero();
    return r.output().strip().replace("\n ", "\n");
  }

  private static Result dpkgDeb(String option, String... more) throws Exception {
    String[] command = new String[3 + more.length];
    command[0] = "dpkg-deb";
    command[1] = option;
    command[2] = deb.toString();
    System.arraycopy(more, 0, command, 3, more.length);
    return run(Map.of(), command);
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  private record Result(int exit, String output) {}

  private static Result run(Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] output = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + String.join(" ", command));
    }
    return new Result(p.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
