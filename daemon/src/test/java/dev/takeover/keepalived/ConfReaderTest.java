package dev.takeover.keepalived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The reader's syntax, and malformed input: an error with file and line, never an exception. */
class ConfReaderTest {
  private static final String MAIN = "/etc/keepalived/keepalived.conf";

  private static ConfReader.Parsed read(String text) throws ConfSyntaxException {
    return ConfReader.read(new MapConfFiles().put(MAIN, text), MAIN);
  }

  private static ConfSyntaxException error(MapConfFiles files) {
    return catchThrowableOfType(ConfSyntaxException.class, () -> ConfReader.read(files, MAIN));
  }

  private static ConfSyntaxException error(String text) {
    return error(new MapConfFiles().put(MAIN, text));
  }

  @Test
  void wordsQuotesCommentsAndBraces() throws Exception {
    ConfReader.Parsed p =
        read(
            """
            vrrp_instance VI_1 { # a comment
                notify_master "/bin/x 'a b'" root ! another
                virtual_ipaddress { 192.0.2.1/24 dev eth0 }
                auth_pass "with \\"escaped\\" quotes\\tand a tab"
            }
            """);
    Directive instance = p.directives().getFirst();
    assertThat(instance.keyword()).isEqualTo("vrrp_instance");
    assertThat(instance.args()).containsExactly("VI_1");
    List<Directive> block = instance.block();
    assertThat(block.get(0).args()).containsExactly("/bin/x 'a b'", "root");
    assertThat(block.get(0).line()).isEqualTo(2);
    assertThat(block.get(1).block().getFirst().text()).isEqualTo("192.0.2.1/24 dev eth0");
    assertThat(block.get(2).arg()).isEqualTo("with \"escaped\" quotes\tand a tab");
  }

  @Test
  void aBlockMayOpenOnTheNextLineAndALineMayContinue() throws Exception {
    ConfReader.Parsed p = read("virtual_ipaddress\n{\n  192.0.2.1 \\\n    dev eth0\n}\n");
    Directive d = p.directives().getFirst();
    assertThat(d.block()).hasSize(1);
    assertThat(d.block().getFirst().text()).isEqualTo("192.0.2.1 dev eth0");
    assertThat(d.block().getFirst().line()).isEqualTo(3);
  }

  @Test
  void parametersAndConditionalLinesAsKeepalivedWithoutMinusI() throws Exception {
    ConfReader.Parsed p =
        read(
            """
            $BASE=10.2.${SUB}
            $SUB=0
            @main priority 240
            @^main priority 200
            address ${BASE}.100/32
            keep $UNDEFINED
            """);
    assertThat(p.directives().stream().map(Directive::text))
        .containsExactly("priority 200", "address 10.2.0.100/32", "keep $UNDEFINED");
  }

  @Test
  void includesAreRelativeToTheIncludingFileAndGlobbed() throws Exception {
    MapConfFiles files =
        new MapConfFiles()
            .put(MAIN, "include conf.d/*.conf\ninclude /nowhere/*.conf\nlast")
            .put("/etc/keepalived/conf.d/b.conf", "b\ninclude ../sub/c.conf")
            .put("/etc/keepalived/conf.d/a.conf", "a")
            .put("/etc/keepalived/sub/c.conf", "c");
    ConfReader.Parsed p = ConfReader.read(files, MAIN);
    assertThat(p.directives().stream().map(Directive::keyword))
        .containsExactly("a", "b", "c", "last");
    assertThat(p.directives().get(2).file()).isEqualTo("/etc/keepalived/sub/c.conf");
    assertThat(p.notes().stream().map(ReportEntry::toString))
        .anyMatch(n -> n.contains(":2: not mapped: include /nowhere/*.conf"));
  }

  @Test
  void aBlockMaySpanAnInclude() throws Exception {
    MapConfFiles files =
        new MapConfFiles()
            .put(MAIN, "vrrp_instance X {\ninclude inner.conf\n}")
            .put("/etc/keepalived/inner.conf", "priority 7");
    assertThat(ConfReader.read(files, MAIN).directives().getFirst().block().getFirst().text())
        .isEqualTo("priority 7");
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(
            "vrrp_instance X {\n  priority 1\n", 1, "the block opened here is never closed"),
        Arguments.of("a\n}\n", 2, "'}' closes no open block"),
        Arguments.of("a\n{ b }\n{ c }", 3, "'{' opens a block without a keyword"),
        Arguments.of("x \"unterminated\n", 1, "is not closed on its line"),
        Arguments.of("a\ninclude\n", 2, "include needs a file name"));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void malformedInputSaysWhereAndWhy(String text, int line, String message) {
    ConfSyntaxException e = error(text);
    assertThat(e).isNotNull();
    assertThat(e.line()).isEqualTo(line);
    assertThat(e.getMessage()).contains(message);
    assertThat(e.located()).startsWith(MAIN + ":" + line + ": ");
  }

  @Test
  void anIncludeMatchingNothingIsSkippedAsKeepalivedDoes() throws Exception {
    assertThat(read("a\n\ninclude missing.conf\n").notes().getFirst().toString())
        .isEqualTo(
            MAIN
                + ":3: not mapped: include missing.conf (no file matches"
                + " /etc/keepalived/missing.conf, so nothing was read (keepalived skips it too))");
  }

  @Test
  void aFileIncludedTwiceGivesOneGroupAndSaysWhyNotTwo() throws Exception {
    MapConfFiles files =
        new MapConfFiles()
            .put(MAIN, "include vi.conf\ninclude vi.conf\n")
            .put(
                "/etc/keepalived/vi.conf",
                "vrrp_instance VI {\ninterface eth0\nvirtual_router_id 1\n"
                    + "virtual_ipaddress {\n192.0.2.1/24\n}\n}\n");
    ImportResult result = KeepalivedImport.map(ConfReader.read(files, MAIN), MAIN, "n");
    assertThat(result.groups()).containsExactly("VI");
    assertThat(result.reportText())
        .contains("vi.conf:1: not mapped: vrrp_instance VI (a second vrrp_instance of this name");
  }

  @Test
  void anIncludeLoopEndsAtTheDepthLimit() {
    ConfSyntaxException e = error(new MapConfFiles().put(MAIN, "x\ninclude keepalived.conf"));
    assertThat(e.getMessage()).contains("nested more than " + ConfReader.MAX_INCLUDE_DEPTH);
    assertThat(e.file()).isEqualTo(MAIN);
    assertThat(e.line()).isEqualTo(2);
  }

  @Test
  void deepBlocksAreAnErrorNotAStackOverflow() {
    ConfSyntaxException e = error("a {\n".repeat(10_000));
    assertThat(e.getMessage()).contains("blocks nested more than");
  }

  @Test
  void aFileTooLargeOrUnreadableIsAnErrorAtTheInclude() {
    MapConfFiles files =
        new MapConfFiles()
            .put(MAIN, "a\ninclude big.conf")
            .put("/etc/keepalived/big.conf", "#".repeat(ConfReader.MAX_FILE_BYTES + 1));
    ConfSyntaxException e = error(files);
    assertThat(e.located()).startsWith(MAIN + ":2: ").contains("big.conf", "larger than");
    ConfSyntaxException missing =
        catchThrowableOfType(
            ConfSyntaxException.class, () -> ConfReader.read(new MapConfFiles(), MAIN));
    assertThat(missing.located()).isEqualTo(MAIN + ": cannot read: no such file");
  }

  @Test
  void parametersThatGrowWithoutBoundAreAnError() {
    ConfSyntaxException e = error("$A=${A}${A}${A}${A}\nx ${A}\n");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.getMessage()).contains("longer than");
  }
}
