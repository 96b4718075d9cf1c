package dev.takeover.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.wire.AuthKey;
import dev.takeover.wire.AuthSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auth} key files (the keepalived {@code file:} format: {@code hex:...} or ASCII, one
 * trailing line end allowed), defaults, warnings, and that no message ever holds a secret.
 */
class AuthRulesTest {
  private static final String HEX64 = ConfigRulesTest.HEX64;
  private static final byte[] KEY = HexFormat.of().parseHex(HEX64);

  @TempDir Path dir;

  private static String config(String auth) {
    return ConfigRulesTest.file(ConfigRulesTest.group("advert-interval: 2s", auth));
  }

  private Path keyFile(String name, String content, String mode) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, content, StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    return f;
  }

  private static ConfigResult parse(String yaml) {
    return ConfigLoader.parse(yaml, "t.yaml");
  }

  private static AuthSettings authOf(ConfigResult r) {
    assertThat(r).as(r.toString()).isInstanceOf(ConfigResult.Valid.class);
    return ((ConfigResult.Valid) r).config().groups().getFirst().auth().orElseThrow();
  }

  private static List<String> errors(ConfigResult r) {
    assertThat(r).isInstanceOf(ConfigResult.Invalid.class);
    return ((ConfigResult.Invalid) r).errors().stream().map(ConfigError::toString).toList();
  }

  @Test
  void aKeyFileInKeepalivedsFormatWithDefaults() throws IOException {
    Path hex = keyFile("k1", "hex:" + HEX64 + "\n", "rw-------");
    Path ascii = keyFile("k2", "k".repeat(40), "r--------");
    ConfigResult r =
        parse(
            config(
                "auth:\n      keys:\n        - {id: 1, file: "
                    + hex
                    + "}\n        - {id: 2, file: "
                    + ascii
                    + "}\n      active-key: 2"));
    AuthSettings auth = authOf(r);
    assertThat(auth.keys())
        .containsExactly(
            new AuthKey(1, KEY),
            new AuthKey(2, "k".repeat(40).getBytes(StandardCharsets.US_ASCII)));
    assertThat(auth.activeKey()).isEqualTo(2);
    assertThat(auth.mode()).isEqualTo(AuthSettings.Mode.ENFORCE);
    assertThat(auth.antiReplay()).isEqualTo(AuthSettings.AntiReplay.TIME);
    assertThat(auth.timeWindowSeconds()).as("max(3 × 2s, 5s)").isEqualTo(6);
    assertThat(((ConfigResult.Valid) r).warnings()).isEmpty();
  }

  @Test
  void keyFileProblemsAreReportedAtThePathWithoutTheSecret() throws IOException {
    Path open = keyFile("open", "hex:" + HEX64, "rw-r--r--");
    ConfigResult r = parse(config("auth:\n      keys: [{id: 1, file: " + open + "}]"));
    authOf(r);
    assertThat(((ConfigResult.Valid) r).warnings().toString())
        .contains("is accessible by group or others")
        .doesNotContain(HEX64);

    Path shortKey = keyFile("short", "hex:00112233", "rw-------");
    assertThat(errors(parse(config("auth:\n      keys: [{id: 1, file: " + shortKey + "}]"))))
        .singleElement()
        .asString()
        .contains(
            "t.yaml:9:28: groups[0].auth.keys[0].file (" + shortKey + "): the key has 4 bytes")
        .doesNotContain("00112233");

    assertThat(errors(parse(config("auth:\n      keys: [{id: 1, file: " + dir + "}]"))))
        .singleElement()
        .asString()
        .contains("is not a regular file");
    assertThat(
            errors(
                parse(config("auth:\n      keys: [{id: 1, file: " + dir.resolve("none") + "}]"))))
        .singleElement()
        .asString()
        .contains("does not exist");
    assertThat(errors(parse(config("auth:\n      keys: [{id: 1, file: keys/vrrp}]"))))
        .singleElement()
        .asString()
        .contains("is not an absolute path");

    Path big = keyFile("big", "x".repeat(2000), "rw-------");
    assertThat(errors(parse(config("auth:\n      keys: [{id: 1, file: " + big + "}]"))))
        .singleElement()
        .asString()
        .contains("larger than 1024 bytes");

    Path binary = dir.resolve("binary");
    Files.write(binary, new byte[40]);
    assertThat(errors(parse(config("auth:\n      keys: [{id: 1, file: " + binary + "}]"))))
        .singleElement()
        .asString()
        .contains("not printable ASCII at offset 0");
  }

  @Test
  void aFifoIsRefusedWithoutBlocking() throws Exception {
    Path fifo = dir.resolve("fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    assertThat(errors(parse(config("auth:\n      keys: [{id: 1, file: " + fifo + "}]"))))
        .singleElement()
        .asString()
        .contains("is not a regular file");
  }

  @Test
  void inlineSecretsAndIneffectiveWindowsAreWarnings() {
    ConfigResult r =
        parse(
            config(
                "auth:\n      keys: [{id: 1, secret: \"hex:"
                    + HEX64
                    + "\"}]\n      anti-replay: monotonic\n      time-window: 10s"));
    authOf(r);
    assertThat(((ConfigResult.Valid) r).warnings().stream().map(ConfigError::toString))
        .containsExactly(
            "t.yaml:9:30: groups[0].auth.keys[0].secret: an inline secret is readable by anyone who"
                + " can read this file (and lands in backups and diffs); prefer file: with a"
                + " root-only key file",
            "t.yaml:11:20: groups[0].auth.time-window: has no effect with anti-replay: monotonic");
    assertThat(r.toString()).doesNotContain(HEX64);
  }

  @Test
  void aChangedKeyFileMakesTheGroupDiffer() throws IOException {
    Path f = keyFile("k", "hex:" + HEX64, "rw-------");
    String yaml = config("auth:\n      keys: [{id: 1, file: " + f + "}]");
    TakeoverConfig before = ((ConfigResult.Valid) parse(yaml)).config();
    keyFile("k", "k".repeat(32), "rw-------");
    TakeoverConfig after = ((ConfigResult.Valid) parse(yaml)).config();
    assertThat(ConfigDiff.between(before, after).changed())
        .singleElement()
        .satisfies(c -> assertThat(c.settings()).containsExactly(ConfigDiff.GroupSetting.AUTH));
  }
}
