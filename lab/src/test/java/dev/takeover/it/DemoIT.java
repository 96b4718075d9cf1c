package dev.takeover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.takeover.lab.Demo;
import dev.takeover.lab.JavaLauncher;
import dev.takeover.lab.Lab;
import dev.takeover.lab.NodeDaemon;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * {@code takeover demo} end to end: it must finish every step, in well under 30 s, and leave no
 * namespace behind. Runs with takeover unless {@code -Dtakeover.it.daemon=keepalived}.
 */
class DemoIT {
  @Test
  void runsEveryStepAndCleansUp() {
    assumeTrue(Cluster.isRoot(), "needs root for network namespaces");
    NodeDaemon.Kind kind =
        NodeDaemon.Kind.valueOf(
            System.getProperty("takeover.it.daemon", "takeover").toUpperCase(Locale.ROOT));
    String jar = System.getProperty("takeover.jar");
    JavaLauncher launcher =
        jar == null || jar.isBlank() ? JavaLauncher.current() : JavaLauncher.forJar(Path.of(jar));
    var text = new StringWriter();
    long start = System.nanoTime();

    int code = new Demo(new PrintWriter(text, true), launcher, kind, false).run();

    String output = text.toString();
    System.out.println(output);
    assertThat(code).as(output).isZero();
    assertThat(output)
        .contains(
            "n1 is MASTER: it holds 198.18.0.50",
            "link goes down",
            "n2 is MASTER",
            "kill -9",
            "summary")
        .contains("n1 still has 198.18.0.50 on eth0")
        .containsPattern("cleaned up: namespaces (tkv-[0-9a-f]{6}-)\\*");
    String prefix = output.replaceAll("(?s).*cleaned up: namespaces (tkv-[0-9a-f]{6}-)\\*.*", "$1");
    assertThat(Lab.listNamespaces()).noneMatch(ns -> ns.startsWith(prefix));
    assertThat(Cluster.millisBetween(start, System.nanoTime())).isLessThan(30_000);
  }
}
