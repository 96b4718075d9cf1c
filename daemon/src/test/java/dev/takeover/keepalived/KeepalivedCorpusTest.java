package dev.takeover.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.config.ConfigLoader;
import dev.takeover.config.ConfigResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the corpus (test resources {@code corpus/}, see its PROVENANCE.md) imported,
 * checked with the real validator, and compared with its expected YAML and report. With {@code
 * -Dtakeover.golden.update=true} the expected files are written instead, for review in the diff.
 */
class KeepalivedCorpusTest {
  private static final Path CORPUS =
      Path.of("daemon/src/test/resources/dev/takeover/keepalived/corpus");
  private static final String ETC = "/etc/keepalived/";
  private static final boolean UPDATE = Boolean.getBoolean("takeover.golden.update");

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(CORPUS)) {
      return dirs
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @Test
  void theCorpusHasAtLeastFifteenCases() throws IOException {
    assertThat(cases().count()).isGreaterThanOrEqualTo(15);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void importsChecksAndMatchesTheExpectedFiles(String name) throws Exception {
    Path dir = CORPUS.resolve(name);
    MapConfFiles files = new MapConfFiles();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        String relative = dir.relativize(p).toString();
        if (!relative.startsWith("expected.")) {
          files.put(ETC + relative, Files.readString(p, StandardCharsets.UTF_8));
        }
      }
    }
    ConfReader.Parsed parsed = ConfReader.read(files, ETC + "keepalived.conf");
    ImportResult result = KeepalivedImport.map(parsed, ETC + "keepalived.conf", "node1");

    ConfigResult checked = ConfigLoader.parse(result.yaml(), name + "/expected.yaml");
    assertThat(checked)
        .as(() -> result.yaml() + "\n" + checked)
        .isInstanceOf(ConfigResult.Valid.class);
    assertThat(result.groups()).isNotEmpty();
    // Every directive of the file is in the report (blocks' inner lines are counted with them).
    assertThat(result.report()).isNotEmpty();
    assertThat(result.reportText()).doesNotContain("s3cretpw");

    Path yaml = dir.resolve("expected.yaml");
    Path report = dir.resolve("expected.report");
    if (UPDATE) {
      Files.writeString(yaml, result.yaml());
      Files.writeString(report, result.reportText());
      return;
    }
    assertThat(result.yaml()).isEqualTo(Files.readString(yaml));
    assertThat(result.reportText()).isEqualTo(Files.readString(report));
  }

  @Test
  void everyTopLevelDirectiveOfEveryCaseIsReported() throws Exception {
    for (String name : cases().toList()) {
      Path dir = CORPUS.resolve(name);
      MapConfFiles files = new MapConfFiles();
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.filter(Files::isRegularFile).toList()) {
          files.put(ETC + dir.relativize(p), Files.readString(p));
        }
      }
      ConfReader.Parsed parsed = ConfReader.read(files, ETC + "keepalived.conf");
      ImportResult result = KeepalivedImport.map(parsed, "x", "node1");
      for (Directive d : parsed.directives()) {
        List<ReportEntry> at =
            result.report().stream()
                .filter(e -> e.file().equals(d.file()) && e.line() == d.line())
                .toList();
        assertThat(at).as(name + ": " + d.file() + ":" + d.line() + " " + d.keyword()).isNotEmpty();
        if (d.block() != null && !d.keyword().equals("virtual_server")) {
          for (Directive inner : d.block()) {
            boolean reported =
                result.report().stream()
                    .anyMatch(e -> e.file().equals(inner.file()) && e.line() == inner.line());
            boolean lvs =
                d.keyword().startsWith("virtual_server")
                    || d.keyword().startsWith("static_")
                    || d.keyword().equals("vrrp_track_process")
                    || d.keyword().equals("garp_group")
                    || d.keyword().equals("bfd_instance")
                    || d.keyword().equals("no_such_block")
                    || d.keyword().equals("track_file")
                    || d.keyword().equals("vrrp_track_file");
            assertThat(reported || lvs)
                .as(name + ": " + inner.file() + ":" + inner.line() + " " + inner.keyword())
                .isTrue();
          }
        }
      }
    }
  }
}
