package dev.takeover.links;

/**
 * Whether a route's next hop is healthy, and why (docs/LINKS.md, "Routes"; DECISIONS 61): every
 * opinion there is must agree. Its interface must be up; if node-link paths start on that LAN, one
 * of them must not be DOWN; if the next hop has a gateway probe, the probe must not be DOWN. Any
 * one of them saying no makes the next hop unhealthy: the paths catch a dead LAN, the probe a dead
 * gateway on a live LAN, and neither alone sees both. STARTING counts as healthy, as for paths: a
 * route is set at start before anything has been answered.
 *
 * @param healthy the verdict
 * @param reason why, for the journal and {@code status}: the first opinion that said no, or what
 *     was consulted
 */
public record NextHopHealth(boolean healthy, String reason) {

  /**
   * @param interfaceUp the kernel's view of the next hop's interface
   * @param paths node-link paths from this node's addresses on that interface
   * @param pathsDown how many of them are DOWN
   * @param probe the gateway probe's status, or null without a probe
   * @param probeReason the probe's {@link GatewayProbe#lastChange()} (ignored without a probe)
   */
  public static NextHopHealth of(
      boolean interfaceUp, int paths, int pathsDown, PathStatus probe, String probeReason) {
    if (!interfaceUp) {
      return new NextHopHealth(false, "interface down");
    }
    if (paths > 0 && pathsDown >= paths) {
      return new NextHopHealth(
          false, paths == 1 ? "its node-link path is DOWN" : "all " + paths + " paths DOWN");
    }
    if (probe == PathStatus.DOWN) {
      return new NextHopHealth(false, "gateway probe DOWN (" + probeReason + ")");
    }
    String why =
        "interface up"
            + (paths == 0 ? "" : ", " + (paths - pathsDown) + " of " + paths + " paths not DOWN")
            + (probe == null ? "" : ", gateway probe " + probe);
    return new NextHopHealth(true, why);
  }
}
