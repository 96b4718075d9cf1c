package dev.takeover.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {

  @ParameterizedTest
  @CsvSource({
    "198.18.0.50, 198.18.0.50",
    "2001:db8::50, 2001:db8::50",
    "2001:DB8:0:0:0:0:0:50, 2001:db8::50",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", // RFC 5952 §4.2.3: first of equal runs
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", // §4.2.2: a single zero group stays
    "2001:0:0:1:0:0:0:1, 2001:0:0:1::1", // §4.2.3: the longest run
    "::, ::",
    "::1, ::1",
    "fe80::, fe80::"
  })
  void printsRfc5952Text(String literal, String canonical) {
    InetAddress address = IpLiterals.parse(literal).orElseThrow();
    assertThat(IpLiterals.format(address)).isEqualTo(canonical);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "198.18.50", // inet_aton short form
        "198.18.0.050", // leading zero, octal to inet_aton
        "198.18.0.256",
        "0x7f.0.0.1",
        "::ffff:198.18.0.1", // IPv4-mapped
        "fe80::1%eth0",
        "[2001:db8::1]",
        "2001:db8::1::2",
        "example.com",
        ""
      })
  void rejectsAmbiguousOrNonLiteralText(String text) {
    assertThat(IpLiterals.parse(text)).isEmpty();
  }
}
