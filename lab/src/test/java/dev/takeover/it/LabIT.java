package dev.takeover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.takeover.lab.JavaLauncher;
import dev.takeover.lab.Lab;
import dev.takeover.lab.LabException;
import dev.takeover.lab.LabProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test bed itself: topology, link and filter controls, and above all cleanup. */
class LabIT {
  @TempDir Path tmp;

  @BeforeEach
  void needsRoot() {
    assumeTrue(Cluster.isRoot(), "needs root for network namespaces");
  }

  private static List<String> namespacesWith(String prefix) {
    return Lab.listNamespaces().stream().filter(n -> n.startsWith(prefix)).toList();
  }

  private static void ping(Lab lab, String from, String to) {
    lab.exec(from, "ping", "-c", "1", "-W", "1", to);
  }

  @Test
  void buildsSwitchNodesAndClientOnOneSegment() {
    String prefix;
    try (Lab lab = Lab.create(2)) {
      prefix = lab.prefix();
      assertThat(prefix).matches("tkv-[0-9a-f]{6}-");
      assertThat(namespacesWith(prefix))
          .containsExactlyInAnyOrder(
              prefix + "sw", prefix + "n1", prefix + "n2", prefix + "client");
      assertThat(lab.nsName("n2")).isEqualTo(prefix + "n2");
      assertThat(lab.addresses("n1")).contains("198.18.0.1", "2001:db8::1");
      assertThat(lab.hasAddress("client", "198.18.0.100")).isTrue();
      assertThat(lab.hasAddress("client", "2001:db8:0:0:0:0:0:100")).isTrue();
      assertThat(lab.mac("n1")).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}").isNotEqualTo(lab.mac("n2"));

      ping(lab, "client", "198.18.0.1");
      ping(lab, "client", "2001:db8::2");
      assertThat(lab.neighbourMac("client", "198.18.0.1")).contains(lab.mac("n1"));
      assertThat(lab.neighbourMac("client", "198.18.0.77")).isEmpty();
    }
    assertThat(namespacesWith(prefix)).isEmpty();
  }

  @Test
  void cleansUpProcessesAndNamespacesWhenTheTestThrows() {
    List<String> prefix = new ArrayList<>();
    List<LabProcess> started = new ArrayList<>();
    assertThatThrownBy(
            () -> {
              try (Lab lab = Lab.create(1)) {
                prefix.add(lab.prefix());
                started.add(lab.start("n1", List.of("sleep", "600"), tmp.resolve("sleep.log")));
                // A process that ignores SIGTERM must be killed after the grace period.
                started.add(
                    lab.start(
                        "n1",
                        List.of("sh", "-c", "trap '' TERM; sleep 600"),
                        tmp.resolve("stubborn.log")));
                throw new IllegalStateException("boom");
              }
            })
        .hasMessage("boom");
    assertThat(namespacesWith(prefix.getFirst())).isEmpty();
    assertThat(started).noneMatch(LabProcess::isAlive);
  }

  @Test
  void sweepRemovesLabsWhoseOwnerDied() throws Exception {
    List<String> argv = JavaLauncher.current().labTool();
    // Same JVM options and class path as the lab tools, but the holder's main class.
    argv = new ArrayList<>(argv.subList(0, argv.size() - 1));
    argv.add(LabHolder.class.getName());
    // The holder is a test class: under failsafe the lab's own class path is the shaded jar,
    // which does not have it, so use the test JVM's class path.
    argv.set(argv.indexOf("-cp") + 1, System.getProperty("java.class.path"));
    Process holder = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String prefix;
    try (var out = new BufferedReader(new InputStreamReader(holder.getInputStream()))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("prefix "));
      assertThat(line).as("holder output").isNotNull();
      prefix = line.substring("prefix ".length());
    } finally {
      holder.destroyForcibly(); // SIGKILL: no shutdown hook runs
      holder.waitFor();
    }
    assertThat(namespacesWith(prefix)).isNotEmpty();
    assertThat(Files.exists(Path.of("/run/takeover-lab", prefix + "pid"))).isTrue();

    assertThat(Lab.sweepStale()).isEqualTo(3);
    assertThat(namespacesWith(prefix)).isEmpty();
    assertThat(Files.exists(Path.of("/run/takeover-lab", prefix + "pid"))).isFalse();
  }

  @Test
  void sweepLeavesLiveLabsAlone() {
    try (Lab lab = Lab.create(1)) {
      Lab.sweepStale();
      assertThat(namespacesWith(lab.prefix())).hasSize(3);
    }
  }

  @Test
  void linkDownCutsTheNodeOffAndLinkUpRestoresIt() {
    try (Lab lab = Lab.create(1)) {
      ping(lab, "client", "198.18.0.1");
      lab.linkDown("n1");
      assertThatThrownBy(() -> ping(lab, "client", "198.18.0.1")).isInstanceOf(LabException.class);
      assertThat(lab.hasAddress("n1", "2001:db8::1")).isFalse(); // the kernel drops it on link down
      lab.linkUp("n1");
      assertThat(lab.hasAddress("n1", "2001:db8::1")).isTrue();
      ping(lab, "client", "198.18.0.1");
      ping(lab, "client", "2001:db8::1");
    }
  }

  @Test
  void nftablesLossAndVrrpBlock() {
    try (Lab lab = Lab.create(1)) {
      lab.dropPercent("n1", 100);
      assertThatThrownBy(() -> ping(lab, "client", "198.18.0.1")).isInstanceOf(LabException.class);
      lab.dropPercent("n1", 30); // replaces, does not add up
      assertThat(lab.exec("n1", "nft", "list", "ruleset")).contains("mod 100 < 30");
      lab.dropPercent("n1", 0);
      ping(lab, "client", "198.18.0.1");

      lab.blockVrrpMulticast("n1");
      assertThat(lab.exec("n1", "nft", "list", "ruleset")).contains("224.0.0.18", "ff02::12");
      ping(lab, "client", "198.18.0.1"); // only VRRP multicast is blocked
      lab.unblockVrrpMulticast("n1");
      assertThat(lab.exec("n1", "nft", "list", "ruleset")).doesNotContain("224.0.0.18");
    }
  }

  @Test
  void signalsAndExitCodes() {
    try (Lab lab = Lab.create(1)) {
      LabProcess p = lab.start("n1", List.of("sleep", "600"), tmp.resolve("s.log"));
      assertThat(p.isAlive()).isTrue();
      p.signal(LabProcess.Signal.TERM);
      assertThat(p.waitFor(Duration.ofSeconds(5))).contains(143);
      LabProcess q =
          lab.start(
              "n1",
              List.of("sh", "-c", "echo hello from $(ip -br link show eth0 | cut -d@ -f1)"),
              tmp.resolve("q.log"));
      assertThat(q.waitFor(Duration.ofSeconds(5))).contains(0);
      assertThat(q.log()).contains("hello from eth0");
    }
  }
}
