package dev.takeover.effect;

import static dev.takeover.effect.GroupEffectsTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.action.Action;
import dev.takeover.clock.ManualClock;
import dev.takeover.config.AddressFamily;
import dev.takeover.config.GroupConfig;
import dev.takeover.config.VirtualAddress;
import dev.takeover.journal.EventDraft;
import dev.takeover.journal.EventType;
import dev.takeover.platform.AddressTable;
import dev.takeover.wire.ChecksumMode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * An address on another interface than the group's (keepalived's {@code dev}): added to, found on
 * and removed from that interface with its label and scope, on a fake address table.
 */
class OtherInterfaceAddressesTest {
  private static final int ETH0 = 7;
  private static final int ETH1 = 9;
  private static final VirtualAddress ON_ETH0 = new VirtualAddress(ip("198.18.0.50"), 24);
  private static final VirtualAddress ON_ETH1 =
      new VirtualAddress(
          ip("198.18.5.10"),
          24,
          Optional.of("eth1"),
          Optional.of("eth1:vip"),
          VirtualAddress.SCOPE_LINK);

  /** ifindex, address, label, scope of every add; what is on each interface. */
  private final List<String> adds = new ArrayList<>();

  private final List<String> present = new ArrayList<>();
  private final List<EventDraft> journal = new ArrayList<>();
  private final ManualClock clock = new ManualClock();
  private Map<String, Integer> links = Map.of("eth1", ETH1);

  private GroupEffects effects(VirtualAddress... vips) {
    GroupConfig group =
        new GroupConfig(
            "web",
            51,
            "eth0",
            200,
            Duration.ofMillis(100),
            true,
            Duration.ZERO,
            List.of(vips),
            List.of(),
            Optional.empty(),
            ChecksumMode.PSEUDO_HEADER,
            AddressFamily.IPV4);
    AdvertSender sender =
        new AdvertSender(
            "[web]",
            51,
            10,
            List.of(vips).stream().map(VirtualAddress::address).toList(),
            ip("198.18.0.1"),
            List.of(ip("224.0.0.18")),
            ChecksumMode.PSEUDO_HEADER,
            (msg, len, dst) -> {},
            clock);
    return new GroupEffects(
        group,
        ETH0,
        new Table(),
        null,
        name -> links.containsKey(name) ? OptionalInt.of(links.get(name)) : OptionalInt.empty(),
        sender,
        new Announcer("[web]", () -> {}, clock),
        Duration.ofMillis(200),
        d -> {
          journal.add(d);
          return "e";
        },
        null,
        e -> {},
        clock);
  }

  @Test
  void eachAddressGoesOnItsOwnInterfaceWithItsLabelAndScope() {
    GroupEffects effects = effects(ON_ETH0, ON_ETH1);
    effects.apply(List.of(new Action.ClaimAddresses("test"), new Action.Announce(1, 5)));
    assertThat(adds).containsExactly("7 198.18.0.50 null 0", "9 198.18.5.10 eth1:vip 253");
    assertThat(journal)
        .filteredOn(d -> d.type() == EventType.ADDRESS_ADDED)
        .extracting(d -> d.fields().get("interface"))
        .containsExactly("eth0", "eth1");
    assertThat(effects.owns(ETH1, ON_ETH1.address())).isTrue();
    assertThat(effects.owns(ETH0, ON_ETH1.address())).isFalse();
    assertThat(effects.owns(ETH0, ON_ETH0.address())).isTrue();

    effects.apply(List.of(new Action.ReleaseAddresses()));
    assertThat(present).isEmpty();
  }

  @Test
  void anAddressOnAMissingInterfaceFailsAloneAndIsRecorded() {
    links = Map.of();
    GroupEffects effects = effects(ON_ETH0, ON_ETH1);
    effects.apply(List.of(new Action.ClaimAddresses("test"), new Action.Announce(1, 5)));
    assertThat(present).containsExactly("7 198.18.0.50");
    assertThat(journal)
        .extracting(EventDraft::type)
        .contains(EventType.ADDRESS_ADDED, EventType.ADDRESS_FAILED);
    assertThat(effects.owns(ETH1, ON_ETH1.address())).isFalse();
  }

  @Test
  void leftoversAreLookedForOnTheAddressesOwnInterface() {
    present.add("9 198.18.5.10");
    present.add("7 198.18.5.10"); // the same address on the group's interface is not this group's
    effects(ON_ETH0, ON_ETH1).removeLeftovers();
    assertThat(present).containsExactly("7 198.18.5.10");
  }

  private final class Table implements AddressTable {
    @Override
    public boolean add(int ifindex, InetAddress address, int prefixLength) {
      return add(ifindex, address, prefixLength, null, 0);
    }

    @Override
    public boolean add(
        int ifindex, InetAddress address, int prefixLength, String label, int scope) {
      adds.add(ifindex + " " + address.getHostAddress() + " " + label + " " + scope);
      String key = ifindex + " " + address.getHostAddress();
      return !present.contains(key) && present.add(key);
    }

    @Override
    public boolean delete(int ifindex, InetAddress address, int prefixLength) {
      return present.remove(ifindex + " " + address.getHostAddress());
    }

    @Override
    public List<InterfaceAddress> list(int ifindex) {
      return present.stream()
          .filter(p -> p.startsWith(ifindex + " "))
          .map(p -> new InterfaceAddress(ifindex, ip(p.substring(p.indexOf(' ') + 1)), 24, false))
          .toList();
    }
  }
}
