package dev.takeover.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for the config loader (what {@code check}, {@code run} and reload read): any text is
 * either a valid configuration or a list of errors with positions, never an exception. The seeds in
 * {@code src/test/resources/dev/takeover/config/ConfigLoaderFuzzTestInputs/} are the shipped
 * examples and the cases that once broke it; see docs/SECURITY.md, "Fuzzing".
 */
class ConfigLoaderFuzzTest {

  @FuzzTest(maxDuration = "10s")
  // Tokens of the format, to reach the validator sooner (libFuzzer's dictionary: no newlines).
  @DictionaryEntries({
    "node: ",
    "groups:",
    "  - ",
    "name: ",
    "vrid: ",
    "interface: ",
    "priority: ",
    "advert-interval: ",
    "preempt: ",
    "addresses: ",
    "unicast-peers: ",
    "checks:",
    "hooks:",
    "track:",
    "announce:",
    "daemon:",
    "weight: ",
    "fault",
    "198.18.0.50/24",
    "2001:db8::50/64",
    "100ms",
    "&a ",
    "*a",
    "<<: ",
    "!!binary ",
    "---",
    "{ ",
    "[ "
  })
  void anyTextIsValidOrInvalidNeverAnException(byte[] file) {
    // As ConfigLoader.load reads a file: bytes that are not UTF-8 are refused before parsing.
    String yaml;
    try {
      yaml = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(file)).toString();
    } catch (CharacterCodingException e) {
      return;
    }
    ConfigResult result = ConfigLoader.parse(yaml, "fuzz.yaml");
    switch (result) {
      case ConfigResult.Valid v -> assertThat(v.config()).isNotNull();
      case ConfigResult.Invalid invalid -> {
        assertThat(invalid.errors()).isNotEmpty();
        for (ConfigError e : invalid.errors()) {
          assertThat(e.toString()).startsWith("fuzz.yaml");
        }
      }
    }
  }
}
