package dev.takeover.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {
  private static BenchOptions parse(String... args) {
    BenchCommand command = new BenchCommand();
    new CommandLine(command).parseArgs(args);
    return command.options();
  }

  @Test
  void defaultsAreTheFullRun() {
    BenchOptions o = parse();
    assertThat(o.reps()).isEqualTo(10);
    assertThat(o.intervalsMs()).containsExactly(1000, 100, 10);
    assertThat(o.scenarios()).isEqualTo(BenchOptions.ALL_SCENARIOS);
    assertThat(o.loadDurationMs()).isEqualTo(600_000);
    assertThat(o.idleWindowMs()).isEqualTo(20_000);
    assertThat(o.startupSamples()).isEqualTo(5);
    assertThat(o.realtime()).isFalse();
  }

  @Test
  void quickIsASmokeRunAndExplicitOptionsWin() {
    BenchOptions quick = parse("--quick");
    assertThat(quick.reps()).isEqualTo(2);
    assertThat(quick.intervalsMs()).containsExactly(100);
    assertThat(quick.loadDurationMs()).isEqualTo(30_000);
    BenchOptions mixed =
        parse(
            "--quick",
            "--reps",
            "3",
            "--intervals",
            "1000,10",
            "--scenarios",
            "load,link",
            "--load-duration",
            "2m",
            "--realtime");
    assertThat(mixed.reps()).isEqualTo(3);
    assertThat(mixed.intervalsMs()).containsExactly(1000, 10);
    assertThat(mixed.scenarios()).as("in canonical order").containsExactly("link", "load");
    assertThat(mixed.loadDurationMs()).isEqualTo(120_000);
    assertThat(mixed.realtime()).isTrue();
    assertThat(mixed.anyCycle()).isTrue();
    assertThat(parse("--scenarios", "footprint").anyCycle()).isFalse();
  }

  @Test
  void badOptionsAreRejected() {
    assertThatThrownBy(() -> parse("--scenarios", "link,reboot"))
        .hasMessageContaining("unknown scenario 'reboot'");
    assertThatThrownBy(() -> parse("--intervals", "15")).hasMessageContaining("centiseconds");
    assertThatThrownBy(() -> parse("--reps", "0")).hasMessageContaining("--reps");
  }

  @Test
  void alternatesWhoGoesFirst() {
    assertThat(Bench.alternating(1))
        .extracting(Enum::name)
        .containsExactly("TAKEOVER", "KEEPALIVED");
    assertThat(Bench.alternating(2))
        .extracting(Enum::name)
        .containsExactly("KEEPALIVED", "TAKEOVER");
  }

  @Test
  void daemonsGetTheLauncherWithACleanEnvironment() {
    List<String> command = BenchCommand.takeoverCommand(Path.of("takeover"));
    assertThat(command)
        .startsWith("env", "-u", "TAKEOVER_JAVA_OPTS", "-u", "TAKEOVER_LOG_LEVEL")
        .last()
        .asString()
        .endsWith("/takeover");
  }
}
