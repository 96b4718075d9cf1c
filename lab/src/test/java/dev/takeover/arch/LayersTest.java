package dev.takeover.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers, checked on the compiled classes of all three modules at {@code verify}. The module
 * boundaries already keep the core free of the daemon's libraries and the daemon free of the lab;
 * these rules add what a compiler cannot see: no cycles between packages, a core that does no I/O
 * and reads no clock, and one clock for everything.
 */
class LayersTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.takeover");
  }

  @Test
  void packagesHaveNoImportCycles() {
    ArchRule rule = slices().matching("dev.takeover.(*)..").should().beFreeOfCycles();
    rule.check(classes);
  }

  /** The pure core: codecs, state machines, policy and actions take time as a parameter. */
  @Test
  void theCoreDoesNoIoNoThreadsAndReadsNoClock() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAnyPackage(
                "dev.takeover.wire..",
                "dev.takeover.vrrp..",
                "dev.takeover.action..",
                "dev.takeover.dns..",
                "dev.takeover.links..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "java.io..",
                "java.nio.channels..",
                "java.nio.file..",
                "java.lang.foreign..",
                "java.util.concurrent..",
                "java.time..",
                "dev.takeover.clock..")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("java.lang.Thread")
            .orShould()
            .dependOnClassesThat()
            .haveSimpleNameContaining("Socket")
            .orShould()
            .callMethod(System.class, "nanoTime")
            .orShould()
            .callMethod(System.class, "currentTimeMillis");
    rule.check(classes);
  }

  /**
   * The system clock is chosen once, where the daemon is wired ({@code daemon.Daemon}), and handed
   * down: a component that picks {@code Clock.system()} itself is a hidden clock a test cannot
   * drive, even though it reads no clock directly.
   */
  @Test
  void theSystemClockIsPickedOnlyWhereTheDaemonIsWired() {
    ArchRule rule =
        noClasses()
            .that()
            .resideOutsideOfPackages(
                "dev.takeover.clock..", "dev.takeover.lab..", "dev.takeover.bench..")
            .and()
            .doNotHaveFullyQualifiedName("dev.takeover.daemon.Daemon")
            .should()
            .callMethod("dev.takeover.clock.Clock", "system");
    rule.check(classes);
  }

  /**
   * One clock: outside the clock's own implementation, the platform layer and the test bed, time
   * comes from an injected {@code dev.takeover.clock.Clock}, so a test can drive it.
   */
  @Test
  void onlyTheClockReadsTheClock() {
    ArchRule rule =
        noClasses()
            .that()
            .resideOutsideOfPackages(
                "dev.takeover.clock..",
                "dev.takeover.platform..",
                "dev.takeover.lab..",
                "dev.takeover.bench..")
            .should()
            .callMethod(System.class, "nanoTime")
            .orShould()
            .callMethod(System.class, "currentTimeMillis")
            .orShould()
            .callMethod(java.time.Instant.class, "now")
            .orShould()
            .callMethod(java.time.InstantSource.class, "system")
            .orShould()
            .callMethod(java.time.Clock.class, "systemUTC")
            .orShould()
            .callMethod(java.time.Clock.class, "systemDefaultZone");
    rule.check(classes);
  }
}
