package dev.takeover.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.takeover.config.ConfigLoader;
import dev.takeover.config.ConfigResult;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for {@code takeover import}: any keepalived.conf is either refused with a line, or
 * imported into YAML that passes {@code takeover check} whenever a group came out of it; never an
 * exception. The seeds are corpus cases; {@code scripts/fuzz SECONDS all} runs it.
 */
class KeepalivedImportFuzzTest {
  private static final String MAIN = "/etc/keepalived/keepalived.conf";

  @FuzzTest(maxDuration = "10s")
  // Words of the format (libFuzzer's dictionary: no newlines).
  @DictionaryEntries({
    "{",
    "}",
    "interface eth0",
    "vrrp_instance ",
    "vrrp_script ",
    "vrrp_sync_group ",
    "global_defs ",
    "virtual_router_id ",
    "priority ",
    "advert_int ",
    "192.0.2.1/24",
    "2001:db8::1/64",
    " dev eth1",
    " label eth0:1",
    " weight ",
    "script \"",
    "notify_master ",
    "include ",
    "$A=",
    "${A}",
    "@x ",
    "\"",
    "'"
  })
  void anyTextIsRefusedWithALineOrImportsIntoValidYaml(byte[] file) {
    String text = new String(file, StandardCharsets.UTF_8);
    ConfReader.Parsed parsed;
    try {
      parsed =
          ConfReader.read(
              new MapConfFiles().put(MAIN, text).put("/etc/keepalived/inc.conf", text), MAIN);
    } catch (ConfSyntaxException e) {
      assertThat(e.file()).isNotEmpty();
      assertThat(e.getMessage()).isNotEmpty();
      return;
    }
    ImportResult result = KeepalivedImport.map(parsed, MAIN, "node1");
    if (!result.groups().isEmpty()) {
      ConfigResult checked = ConfigLoader.parse(result.yaml(), "fuzz.yaml");
      assertThat(checked)
          .as(() -> text + "\n---\n" + result.yaml() + "\n" + checked)
          .isInstanceOf(ConfigResult.Valid.class);
    }
    assertThat(result.reportText()).isNotEmpty();
  }
}
