package dev.takeover.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressTextTest {

  @ParameterizedTest
  @CsvSource({
    "198.18.0.200,                 198.18.0.200",
    "2001:db8:0:0:0:0:0:1,         2001:db8::1",
    "2001:0db8:0000:0000:0001:0000:0000:0001, 2001:db8::1:0:0:1", // First of equal runs.
    "2001:db8:0:1:0:0:0:1,         2001:db8:0:1::1", // Longest run, not the first.
    "2001:db8:0:1:1:1:1:1,         2001:db8:0:1:1:1:1:1", // A single zero group stays.
    "2001:db8:0:0:0:0:0:0,         2001:db8::",
    "0:0:0:0:0:0:0:1,              ::1",
    "0:0:0:0:0:0:0:0,              ::",
    "2001:DB8:0:0:0:0:0:FF00,      2001:db8::ff00",
    "fe80:0:0:0:0:0:0:1%1,         fe80::1",
  })
  void formatsAsOperatorsReadThem(String literal, String expected) throws Exception {
    assertThat(AddressText.of(InetAddress.getByName(literal))).isEqualTo(expected);
  }
}
