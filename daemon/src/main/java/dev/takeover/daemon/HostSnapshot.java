package dev.takeover.daemon;

import dev.takeover.config.HostFacts;
import dev.takeover.platform.AddressTable.InterfaceAddress;
import dev.takeover.platform.Links.LinkInfo;
import dev.takeover.platform.Rtnetlink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This machine's interfaces and addresses, read once through rtnetlink, for the host checks of
 * {@code check --host} and {@code run}. Reading needs no privileges.
 */
public final class HostSnapshot implements HostFacts {
  private final Map<String, List<HostAddress>> byInterface;

  private HostSnapshot(Map<String, List<HostAddress>> byInterface) {
    this.byInterface = byInterface;
  }

  /** Reads the links and addresses of the current network namespace. */
  public static HostSnapshot read() {
    Map<String, List<HostAddress>> byInterface = new LinkedHashMap<>();
    try (Rtnetlink rtnetlink = Rtnetlink.open()) {
      for (LinkInfo link : rtnetlink.links()) {
        List<HostAddress> addresses = new ArrayList<>();
        for (InterfaceAddress a : rtnetlink.list(link.index())) {
          addresses.add(new HostAddress(link.name(), a.address(), a.prefixLength()));
        }
        byInterface.put(link.name(), List.copyOf(addresses));
      }
    }
    return new HostSnapshot(Map.copyOf(byInterface));
  }

  @Override
  public Optional<List<HostAddress>> interfaceAddresses(String name) {
    return Optional.ofNullable(byInterface.get(name));
  }

  @Override
  public List<String> interfaceNames() {
    return byInterface.keySet().stream().sorted().toList();
  }

  @Override
  public List<HostAddress> localAddresses() {
    return byInterface.values().stream().flatMap(List::stream).toList();
  }
}
