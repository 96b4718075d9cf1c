package dev.takeover.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The long form of an address (keepalived's {@code dev}, {@code label}, {@code scope}) and the
 * tracking it implies: an address on another interface puts the group in FAULT while that interface
 * is down, unless {@code track-interfaces} gives it a weight.
 */
class AddressInterfaceTest {

  private static GroupConfig parse(String... groupLines) {
    String yaml =
        "node: alpha\ngroups:\n  - name: web\n    vrid: 51\n    interface: eth0\n"
            + String.join(
                "", java.util.Arrays.stream(groupLines).map(l -> "    " + l + "\n").toList());
    ConfigResult result = ConfigLoader.parse(yaml, "t.yaml");
    assertThat(result)
        .as(() -> result instanceof ConfigResult.Invalid i ? i.errors().toString() : yaml)
        .isInstanceOf(ConfigResult.Valid.class);
    return ((ConfigResult.Valid) result).config().groups().getFirst();
  }

  @Test
  void theLongFormKeepsInterfaceLabelAndScope() {
    GroupConfig g =
        parse(
            "addresses:",
            "  - 198.18.0.50/24",
            "  - {address: 198.18.5.10/24, interface: eth1, label: \"eth1:vip\", scope: link}",
            "  - {address: 198.18.0.51/24, interface: eth0, scope: 7}");
    assertThat(g.addresses().get(0))
        .isEqualTo(new VirtualAddress(g.addresses().get(0).address(), 24));
    VirtualAddress other = g.addresses().get(1);
    assertThat(other.interfaceName()).contains("eth1");
    assertThat(other.label()).contains("eth1:vip");
    assertThat(other.scope()).isEqualTo(VirtualAddress.SCOPE_LINK);
    // The group's own interface written out is the group's interface.
    assertThat(g.addresses().get(2).interfaceName()).isEmpty();
    assertThat(g.addresses().get(2).interfaceOr(g.interfaceName())).isEqualTo("eth0");
    assertThat(g.addresses().get(2).scope()).isEqualTo(7);
  }

  @Test
  void anAddressOnAnotherInterfaceTracksItAsAFault() {
    GroupConfig g =
        parse(
            "addresses: [198.18.0.50/24, {address: 198.18.5.10/24, interface: eth1},"
                + " {address: 198.18.6.10/24, interface: eth1}]");
    assertThat(g.trackInterfaces()).containsExactly(new TrackInterface("eth1", Weight.FAULT));
  }

  @Test
  void aTrackedInterfaceKeepsItsWeight() {
    GroupConfig g =
        parse(
            "addresses: [{address: 198.18.5.10/24, interface: eth1}]",
            "track-interfaces: [{interface: eth1, weight: -20}]");
    assertThat(g.trackInterfaces())
        .containsExactly(new TrackInterface("eth1", new Weight.Adjust(-20)));
  }

  @Test
  void plainAddressesTrackNothingNew() {
    GroupConfig g = parse("addresses: [198.18.0.50/24]");
    assertThat(g.trackInterfaces()).isEmpty();
    assertThat(g.addresses().getFirst().label()).isEqualTo(Optional.empty());
  }
}
