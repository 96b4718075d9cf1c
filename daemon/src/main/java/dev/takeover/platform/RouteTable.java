package dev.takeover.platform;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Routes in the main table that Takeover owns, marked with its own route protocol number ({@link
 * #PROTOCOL}) so that they can be told apart from everyone else's and removed after a crash.
 */
public interface RouteTable {
  /**
   * Takeover's route protocol number (rtnetlink {@code rtm_protocol}); free in iproute2's rt_protos
   * (keepalived is 18, bird 12, zebra 11). {@code ip route show proto 175} lists ours.
   */
  int PROTOCOL = 175;

  /**
   * Adds the route or replaces the existing one atomically ({@code RTM_NEWROUTE} with {@code
   * NLM_F_CREATE | NLM_F_REPLACE}): there is no moment without a route.
   */
  void replace(InetAddress destination, int prefixLength, InetAddress gateway, int ifindex);

  /** Deletes our route to the destination; false if there was none. */
  boolean delete(InetAddress destination, int prefixLength);

  /** Our routes (protocol {@link #PROTOCOL}) in the main table, IPv4 and IPv6. */
  List<Route> ours();

  /** A destination prefix. */
  record Route(InetAddress destination, int prefixLength) {}

  // ---- a group's virtual routes (keepalived's virtual_routes): any table, either family

  /**
   * Adds the route or replaces ours with the same destination, table and metric ({@code
   * RTM_NEWROUTE} with {@code NLM_F_CREATE | NLM_F_REPLACE}). Without a gateway the route is on the
   * link (scope link), as {@code ip route add PREFIX dev IF} makes it.
   */
  void replace(Spec route);

  /** Deletes our route with this key, whatever its scope; false if there was none. */
  boolean delete(Key route);

  /** Our routes (protocol {@link #PROTOCOL}) in every table, IPv4 and IPv6. */
  List<Key> oursEverywhere();

  /** A route to install; {@code source} is its preferred source (RTA_PREFSRC), if any. */
  record Spec(
      InetAddress destination,
      int prefixLength,
      Optional<InetAddress> gateway,
      int ifindex,
      int metric,
      int table,
      Optional<InetAddress> source) {
    public Spec(
        InetAddress destination,
        int prefixLength,
        Optional<InetAddress> gateway,
        int ifindex,
        int metric,
        int table) {
      this(destination, prefixLength, gateway, ifindex, metric, table, Optional.empty());
    }

    public Key key() {
      return new Key(destination, prefixLength, table, metric);
    }
  }

  /** What tells one route of ours from another: the kernel's key (destination, table, metric). */
  record Key(InetAddress destination, int prefixLength, int table, int metric) {}
}
