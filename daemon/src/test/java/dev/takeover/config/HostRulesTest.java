package dev.takeover.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostRulesTest {
  @ParameterizedTest
  @CsvSource({
    "198.18.0.50, 198.18.0.1, 24, true",
    "198.18.1.50, 198.18.0.1, 24, false",
    "198.18.1.50, 198.18.0.1, 23, true",
    "10.1.2.3, 192.0.2.1, 0, true",
    "192.0.2.1, 192.0.2.1, 32, true",
    "192.0.2.2, 192.0.2.1, 32, false",
    "2001:db8::50, 2001:db8::1, 64, true",
    "2001:db8:1::50, 2001:db8::1, 64, false",
    "2001:db8::50, 192.0.2.1, 0, false",
  })
  void aVirtualAddressIsInASubnetWhenThePrefixBitsMatch(
      String vip, String host, int prefix, boolean inside) throws UnknownHostException {
    var net = new HostFacts.HostAddress("eth0", InetAddress.getByName(host), prefix);
    assertThat(HostRules.inSubnet(InetAddress.getByName(vip), net)).isEqualTo(inside);
  }
}
