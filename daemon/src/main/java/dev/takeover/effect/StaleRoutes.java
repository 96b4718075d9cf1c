package dev.takeover.effect;

import dev.takeover.config.LinksConfig;
import dev.takeover.config.TakeoverConfig;
import dev.takeover.platform.NativeException;
import dev.takeover.platform.RouteTable;
import dev.takeover.wire.AddressText;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up, before any group runs: removes the routes of ours (protocol {@link
 * RouteTable#PROTOCOL}) that a killed earlier run left behind. Groups' virtual routes and the node
 * links' routes share the protocol number, so they are told apart by the configuration: a route in
 * the main IPv4 table whose destination is one of {@code links.routes} is the links' (their runtime
 * takes it over, docs/LINKS.md); every other route of ours is stale, because no group is master
 * yet, so none of their routes should be there, and a route that matches nothing in the
 * configuration was left by a run with another configuration.
 */
public final class StaleRoutes {
  private static final Logger log = LoggerFactory.getLogger("takeover");
  private static final int MAIN_TABLE = 254;

  private StaleRoutes() {}

  /** Which of {@code ours} are stale under {@code config}. Pure. */
  public static List<RouteTable.Key> select(List<RouteTable.Key> ours, TakeoverConfig config) {
    return ours.stream().filter(k -> !linkRoute(k, config.links())).toList();
  }

  private static boolean linkRoute(RouteTable.Key key, LinksConfig links) {
    return key.table() == MAIN_TABLE
        && links.routes().stream()
            .anyMatch(
                r ->
                    r.destination().equals(key.destination())
                        && r.prefixLength() == key.prefixLength());
  }

  /**
   * Removes every policy rule of ours (groups' {@code rules}): no group is master yet, and the node
   * links install no rules. A failure is logged, never fatal.
   */
  public static void removeRules(dev.takeover.platform.RuleTable table) {
    RuleClaims.removeStale(table);
  }

  /** Lists our routes and removes the stale ones; a failure is logged, never fatal. */
  public static void remove(RouteTable table, TakeoverConfig config) {
    try {
      for (RouteTable.Key stale : select(table.oursEverywhere(), config)) {
        if (table.delete(stale)) {
          log.info(
              "removed stale route {}/{} table {} metric {} (protocol {}) left by an earlier run",
              AddressText.of(stale.destination()),
              stale.prefixLength(),
              stale.table(),
              Integer.toUnsignedString(stale.metric()),
              RouteTable.PROTOCOL);
        }
      }
    } catch (NativeException e) {
      log.warn("could not list or remove stale routes: {}", e.getMessage());
    }
  }
}
