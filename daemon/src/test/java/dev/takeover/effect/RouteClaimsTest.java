package dev.takeover.effect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.takeover.config.ConfigLoader;
import dev.takeover.config.ConfigResult;
import dev.takeover.config.GroupConfig;
import dev.takeover.config.TakeoverConfig;
import dev.takeover.journal.EventDraft;
import dev.takeover.journal.EventType;
import dev.takeover.platform.NativeException;
import dev.takeover.platform.RouteTable;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Virtual routes are carried out as the policy says, against a fake route table. */
class RouteClaimsTest {
  private final FakeRoutes kernel = new FakeRoutes();
  private final List<EventDraft> journal = new ArrayList<>();

  private static TakeoverConfig config(String routes, String links) {
    String yaml =
        "node: alpha\n"
            + "groups:\n"
            + "  - name: web\n"
            + "    vrid: 51\n"
            + "    interface: eth0\n"
            + "    addresses: [198.18.0.50/24]\n"
            + "    routes: "
            + routes
            + "\n"
            + links;
    ConfigResult result = ConfigLoader.parse(yaml, "t.yaml");
    assertThat(result).isInstanceOf(ConfigResult.Valid.class);
    return ((ConfigResult.Valid) result).config();
  }

  private RouteClaims claims(GroupConfig group) {
    return new RouteClaims(
        group,
        kernel,
        name -> name.equals("eth0") ? OptionalInt.of(7) : OptionalInt.empty(),
        d -> {
          journal.add(d);
          return "e" + journal.size();
        },
        new TransitionTimeline(),
        new dev.takeover.clock.ManualClock());
  }

  @Test
  void aPreferredSourceGoesWithTheRoute() {
    GroupConfig web =
        config("[{destination: 198.18.100.0/24, gateway: 198.18.0.1, source: 198.18.0.50}]", "")
            .groups()
            .getFirst();
    RouteClaims claims = claims(web);
    claims.install("became master");
    assertThat(kernel.routes.values())
        .containsExactly(
            new RouteTable.Spec(
                ip("198.18.100.0"),
                24,
                Optional.of(ip("198.18.0.1")),
                7,
                0,
                254,
                Optional.of(ip("198.18.0.50"))));
    assertThat(claims.installed())
        .containsExactly("198.18.100.0/24 via 198.18.0.1 src 198.18.0.50");
  }

  @Test
  void installsEveryRouteWithItsKeyAndRemovesOnlyThose() {
    GroupConfig web =
        config(
                "[{destination: default, gateway: 198.18.0.1, table: 100},"
                    + " {destination: 198.18.100.0/24, metric: 10}]",
                "")
            .groups()
            .getFirst();
    RouteClaims claims = claims(web);
    claims.install("became master");
    assertThat(kernel.routes.values())
        .containsExactly(
            new RouteTable.Spec(ip("0.0.0.0"), 0, Optional.of(ip("198.18.0.1")), 7, 0, 100),
            new RouteTable.Spec(ip("198.18.100.0"), 24, Optional.empty(), 7, 10, 254));
    assertThat(claims.installed())
        .containsExactly("default via 198.18.0.1 table 100", "198.18.100.0/24 metric 10");
    assertThat(journal).extracting(EventDraft::type).containsOnly(EventType.ROUTE_INSTALLED);
    assertThat(journal.getFirst().fields())
        .containsEntry("route", "default via 198.18.0.1 table 100")
        .containsEntry("interface", "eth0")
        .containsEntry("reason", "became master");

    kernel.routes.put(
        new RouteTable.Key(ip("198.18.200.0"), 24, 254, 0),
        new RouteTable.Spec(ip("198.18.200.0"), 24, Optional.empty(), 7, 0, 254));
    claims.remove();
    assertThat(kernel.routes).containsOnlyKeys(new RouteTable.Key(ip("198.18.200.0"), 24, 254, 0));
    assertThat(claims.installed()).isEmpty();
    assertThat(journal.subList(2, 4))
        .extracting(EventDraft::type)
        .containsOnly(EventType.ROUTE_REMOVED);
  }

  @Test
  void aRouteTheKernelRefusesIsJournaledAndTheOthersStillGoIn() {
    GroupConfig web =
        config(
                "[{destination: 198.18.100.0/24, interface: eth9},"
                    + " {destination: 198.18.101.0/24, gateway: 198.18.9.9},"
                    + " {destination: 198.18.102.0/24}]",
                "")
            .groups()
            .getFirst();
    kernel.refuse = ip("198.18.9.9");
    RouteClaims claims = claims(web);
    claims.install("became master");
    assertThat(kernel.routes).hasSize(1);
    assertThat(journal)
        .extracting(EventDraft::type)
        .containsExactly(EventType.ROUTE_FAILED, EventType.ROUTE_FAILED, EventType.ROUTE_INSTALLED);
    assertThat(journal.getFirst().fields()).containsEntry("error", "no interface eth9");
  }

  @Test
  void theFirstRouteInIsOnTheTransitionsTimeline() {
    GroupConfig web = config("[{destination: 198.18.100.0/24}]", "").groups().getFirst();
    TransitionTimeline timeline = new TransitionTimeline();
    dev.takeover.clock.ManualClock clock = new dev.takeover.clock.ManualClock();
    RouteClaims claims =
        new RouteClaims(web, kernel, name -> OptionalInt.of(7), d -> "e", timeline, clock);
    long due = clock.nanoTime();
    timeline.begin(due, due, Long.MIN_VALUE);
    clock.advance(java.time.Duration.ofMillis(2));
    timeline.addressesAdded(clock.nanoTime());
    timeline.announced(clock.nanoTime());
    clock.advance(java.time.Duration.ofMillis(1));
    claims.install("became master");
    timeline.transition(
        new dev.takeover.action.Action.Transition(
            dev.takeover.action.GroupState.BACKUP, dev.takeover.action.GroupState.MASTER, "t"));
    EventDraft draft = timeline.draft("web").orElseThrow();
    assertThat(draft.fields()).containsEntry("routesInstalledUs", 3_000L);
    assertThat(draft.message()).endsWith("; routes installed 3.000 ms");
  }

  @Test
  void staleRoutesAreOursExceptTheLinksOwn() {
    TakeoverConfig config =
        config(
            "[{destination: 198.18.100.0/24}]",
            "links:\n"
                + "  key-file: /k\n"
                + "  peers:\n"
                + "    beta: [{local: 198.18.1.1, peer: 198.18.1.2}]\n"
                + "  routes:\n"
                + "    - destination: 198.18.50.0/24\n"
                + "      via: [{interface: eth1, gateway: 198.18.1.2}]\n");
    RouteTable.Key link = new RouteTable.Key(ip("198.18.50.0"), 24, 254, 0);
    RouteTable.Key group = new RouteTable.Key(ip("198.18.100.0"), 24, 254, 0);
    RouteTable.Key gone = new RouteTable.Key(ip("198.18.60.0"), 24, 254, 0);
    RouteTable.Key linkDestinationOtherTable = new RouteTable.Key(ip("198.18.50.0"), 24, 100, 0);
    assertThat(StaleRoutes.select(List.of(link, group, gone, linkDestinationOtherTable), config))
        .containsExactly(group, gone, linkDestinationOtherTable);
  }

  private static InetAddress ip(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Routes by key, as the kernel keys them. */
  static final class FakeRoutes implements RouteTable {
    final Map<Key, Spec> routes = new LinkedHashMap<>();
    InetAddress refuse;

    @Override
    public void replace(Spec route) {
      if (route.gateway().isPresent() && route.gateway().get().equals(refuse)) {
        throw new NativeException("RTM_NEWROUTE", 101, "Network is unreachable");
      }
      routes.put(route.key(), route);
    }

    @Override
    public boolean delete(Key route) {
      return routes.remove(route) != null;
    }

    @Override
    public List<Key> oursEverywhere() {
      return List.copyOf(routes.keySet());
    }

    @Override
    public void replace(InetAddress destination, int prefixLength, InetAddress gateway, int ifx) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean delete(InetAddress destination, int prefixLength) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<Route> ours() {
      throw new UnsupportedOperationException();
    }
  }
}
