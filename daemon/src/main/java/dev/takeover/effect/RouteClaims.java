package dev.takeover.effect;

import dev.takeover.clock.Clock;
import dev.takeover.config.GroupConfig;
import dev.takeover.config.VirtualRoute;
import dev.takeover.journal.Events;
import dev.takeover.platform.NativeException;
import dev.takeover.platform.RouteTable;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group's virtual routes (keepalived's {@code virtual_routes}): installs and removes them as
 * the policy's {@code InstallRoutes} and {@code RemoveRoutes} say, marked with Takeover's route
 * protocol ({@link RouteTable#PROTOCOL}), and records each step. A route the kernel refuses (no
 * such interface, a gateway that is not on-link) is logged at ERROR and journaled as {@code
 * route.failed}; the others still go in. Engine thread only.
 */
final class RouteClaims {
  private static final Logger log = LoggerFactory.getLogger("takeover");

  private final GroupConfig group;
  private final String label;
  private final RouteTable table;
  private final Function<String, OptionalInt> ifindexOf;
  private final Recorder journal;
  private final TransitionTimeline timeline;
  private final Clock clock;
  private final List<VirtualRoute> installed = new ArrayList<>();

  /**
   * @param ifindexOf the interface index of a name, empty if there is no such interface now
   */
  RouteClaims(
      GroupConfig group,
      RouteTable table,
      Function<String, OptionalInt> ifindexOf,
      Recorder journal,
      TransitionTimeline timeline,
      Clock clock) {
    this.timeline = timeline;
    this.clock = clock;
    this.group = group;
    this.label = GroupEffects.label(group);
    this.table = table;
    this.ifindexOf = ifindexOf;
    this.journal = journal;
  }

  /** Installs (or replaces with the same) every route of the group. */
  void install(String reason) {
    boolean any = false;
    for (VirtualRoute route : group.routes()) {
      String device = route.interfaceOr(group.interfaceName());
      OptionalInt ifindex = ifindexOf.apply(device);
      if (ifindex.isEmpty()) {
        failed(route, device, Events.Operation.ADD, "no interface " + device);
        continue;
      }
      try {
        table.replace(spec(route, ifindex.getAsInt()));
      } catch (NativeException | IllegalArgumentException e) {
        failed(route, device, Events.Operation.ADD, e.getMessage());
        continue;
      }
      if (!installed.contains(route)) {
        installed.add(route);
      }
      if (!any) {
        any = true;
        timeline.routesInstalled(clock.nanoTime()); // the first route in, for the timeline
      }
      log.info("{} installed route {} ({})", label, shown(route, device), reason);
      journal.record(Events.routeInstalled(group.name(), device, route.toString(), reason));
    }
  }

  /** Removes every route of the group that is ours in the kernel. */
  void remove() {
    for (VirtualRoute route : group.routes()) {
      String device = route.interfaceOr(group.interfaceName());
      installed.remove(route);
      try {
        if (table.delete(key(route))) {
          log.info("{} removed route {}", label, shown(route, device));
          journal.record(Events.routeRemoved(group.name(), device, route.toString()));
        }
      } catch (NativeException | IllegalArgumentException e) {
        failed(route, device, Events.Operation.DELETE, e.getMessage());
      }
    }
  }

  /** The routes installed now, as {@code ip route} shows them, for status. */
  List<String> installed() {
    return installed.stream().map(VirtualRoute::toString).toList();
  }

  static RouteTable.Key key(VirtualRoute route) {
    return new RouteTable.Key(
        route.destination(), route.prefixLength(), route.table(), route.metric());
  }

  private static RouteTable.Spec spec(VirtualRoute route, int ifindex) {
    return new RouteTable.Spec(
        route.destination(),
        route.prefixLength(),
        route.gateway(),
        ifindex,
        route.metric(),
        route.table(),
        route.source());
  }

  /** The route as logged: with {@code dev} once, whether the route names it or not. */
  private static String shown(VirtualRoute route, String device) {
    return route.interfaceName().isPresent() ? route.toString() : route + " dev " + device;
  }

  private void failed(VirtualRoute route, String device, Events.Operation op, String error) {
    log.error(
        "{} could not {} route {}: {}",
        label,
        op == Events.Operation.ADD ? "install" : "remove",
        shown(route, device),
        error);
    journal.record(Events.routeFailed(group.name(), device, route.toString(), op, error));
  }
}
