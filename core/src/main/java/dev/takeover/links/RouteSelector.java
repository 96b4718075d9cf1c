package dev.takeover.links;

/**
 * Which next hop a route uses: the first, in the configured order, whose LAN is healthy. With none
 * healthy the route stays where it is (removing it would only add an outage; the next hop that
 * comes back first takes it). Switchback needs no timer of its own: a LAN is healthy again only
 * after its paths' goods-to-recover answers ({@link PathMonitor}), which is the hysteresis that
 * keeps a route from flapping.
 */
public final class RouteSelector {
  private RouteSelector() {}

  /**
   * @param healthy the health of each next hop, in order of preference
   * @param current the next hop in use, or -1 before the first choice
   * @return the next hop to use: the first healthy one; else {@code current}, or 0 at first
   */
  public static int choose(boolean[] healthy, int current) {
    for (int i = 0; i < healthy.length; i++) {
      if (healthy[i]) {
        return i;
      }
    }
    return current >= 0 ? current : 0;
  }
}
