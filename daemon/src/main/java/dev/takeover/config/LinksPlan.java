package dev.takeover.config;

import dev.takeover.config.LinksConfig.LinkPath;
import dev.takeover.config.LinksConfig.LinkRoute;
import dev.takeover.config.LinksConfig.NextHop;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a reload changes in the {@code links} section, and how the running node links take it over
 * without a restart (docs/CONFIG.md, "Reload"). Pure: it compares two valid {@link LinksConfig}s
 * (and whether the key file's bytes changed, which only reading it can tell) and decides what
 * stays, what goes and what starts; the daemon carries the plan out on the engine thread.
 *
 * <p>What is matched, and so keeps its state:
 *
 * <ul>
 *   <li>a <b>path</b> by its peer, local and peer address: a kept path keeps its state (UP stays
 *       UP, its counts and round trip); a changed one (interval, misses, goods) keeps them too and
 *       counts with the new settings from its next inquiry;
 *   <li>a <b>route</b> by its destination prefix: a kept route keeps its next hop in the kernel
 *       untouched; a changed one ({@code via}) keeps its next hop if that is still listed and the
 *       usual choice then applies to the new list;
 *   <li>a <b>gateway probe</b> by interface and gateway, as at start: one of the same kind keeps
 *       its state (with new settings if they changed); another kind starts anew.
 * </ul>
 *
 * <p>A changed port or key keeps every path's state: only the sockets (port) or the codecs (key)
 * are new (DECISIONS.md: the key rollover).
 */
public final class LinksPlan {

  /** What happens to the {@code links} section as a whole. */
  public enum Scope {
    /** Nothing changed. */
    UNCHANGED,
    /** The section was added: the node links start. */
    STARTED,
    /** The section was removed: the node links stop and their routes are deleted. */
    STOPPED,
    /** The section changed: the running node links take the changes over. */
    CHANGED
  }

  /** A probe as {@code NodeLinksSetup} numbers them: one per interface and gateway. */
  public record ProbeKey(String interfaceName, InetAddress gateway, LinksConfig.Probe probe) {}

  private final Scope scope;
  private final List<Integer> pathFrom;
  private final List<Integer> routeFrom;
  private final List<Integer> probeFrom;
  private final List<LinkRoute> routesRemoved;
  private final boolean portChanged;
  private final boolean keyChanged;
  private final boolean probesChanged;
  private final List<String> descriptions;

  private LinksPlan(
      Scope scope,
      List<Integer> pathFrom,
      List<Integer> routeFrom,
      List<Integer> probeFrom,
      List<LinkRoute> routesRemoved,
      boolean portChanged,
      boolean keyChanged,
      boolean probesChanged,
      List<String> descriptions) {
    this.scope = scope;
    this.pathFrom = List.copyOf(pathFrom);
    this.routeFrom = List.copyOf(routeFrom);
    this.probeFrom = List.copyOf(probeFrom);
    this.routesRemoved = List.copyOf(routesRemoved);
    this.portChanged = portChanged;
    this.keyChanged = keyChanged;
    this.probesChanged = probesChanged;
    this.descriptions = List.copyOf(descriptions);
  }

  /**
   * Compares the running section with the new one.
   *
   * @param keyBytesChanged whether the key file's content differs from the running key (the file
   *     may have been rewritten under the same name)
   */
  public static LinksPlan between(LinksConfig old, LinksConfig neu, boolean keyBytesChanged) {
    Objects.requireNonNull(old, "old");
    Objects.requireNonNull(neu, "neu");
    if (!old.enabled() && !neu.enabled()) {
      return unchanged();
    }
    if (!old.enabled()) {
      return new LinksPlan(
          Scope.STARTED,
          fresh(neu.paths().size()),
          fresh(neu.routes().size()),
          fresh(probes(neu).size()),
          List.of(),
          false,
          false,
          true,
          List.of(
              "links started: "
                  + neu.paths().size()
                  + " path(s), "
                  + neu.routes().size()
                  + " route(s)"));
    }
    if (!neu.enabled()) {
      return new LinksPlan(
          Scope.STOPPED,
          List.of(),
          List.of(),
          List.of(),
          old.routes(),
          false,
          false,
          true,
          List.of(
              "links stopped: "
                  + old.paths().size()
                  + " path(s) closed, "
                  + old.routes().size()
                  + " route(s) deleted"));
    }
    List<String> what = new ArrayList<>();
    // Paths, matched by (peer, local, peer address).
    Map<String, Integer> oldPaths = new LinkedHashMap<>();
    for (int i = 0; i < old.paths().size(); i++) {
      oldPaths.put(pathKey(old.paths().get(i)), i);
    }
    List<Integer> pathFrom = new ArrayList<>();
    for (LinkPath p : neu.paths()) {
      Integer was = oldPaths.remove(pathKey(p));
      pathFrom.add(was == null ? -1 : was);
      if (was == null) {
        what.add("links: added path " + describe(p));
      } else {
        LinkPath before = old.paths().get(was);
        List<String> settings = pathSettings(before, p);
        if (!settings.isEmpty()) {
          what.add(
              "links: changed path " + describe(p) + " in place: " + String.join(", ", settings));
        }
      }
    }
    for (int i : oldPaths.values()) {
      what.add("links: removed path " + describe(old.paths().get(i)));
    }
    // Routes, matched by destination.
    Map<String, Integer> oldRoutes = new LinkedHashMap<>();
    for (int i = 0; i < old.routes().size(); i++) {
      oldRoutes.put(routeKey(old.routes().get(i)), i);
    }
    List<Integer> routeFrom = new ArrayList<>();
    for (LinkRoute r : neu.routes()) {
      Integer was = oldRoutes.remove(routeKey(r));
      routeFrom.add(was == null ? -1 : was);
      if (was == null) {
        what.add("links: added route " + r.text() + " via " + hops(r));
      } else if (!old.routes().get(was).via().equals(r.via())) {
        what.add(
            "links: changed route "
                + r.text()
                + ": via "
                + hops(old.routes().get(was))
                + " -> "
                + hops(r));
      }
    }
    List<LinkRoute> removed = new ArrayList<>();
    for (int i : oldRoutes.values()) {
      removed.add(old.routes().get(i));
      what.add("links: removed route " + old.routes().get(i).text() + " (deleted)");
    }
    // Probes, matched by interface and gateway (and kind: another kind is another probe).
    List<ProbeKey> oldProbes = probes(old);
    List<ProbeKey> newProbes = probes(neu);
    List<Integer> probeFrom = new ArrayList<>();
    for (ProbeKey k : newProbes) {
      int was = -1;
      for (int i = 0; i < oldProbes.size(); i++) {
        ProbeKey o = oldProbes.get(i);
        if (o.interfaceName().equals(k.interfaceName())
            && o.gateway().equals(k.gateway())
            && o.probe().kind().equals(k.probe().kind())) {
          was = i;
          break;
        }
      }
      probeFrom.add(was);
    }
    boolean probesChanged = !oldProbes.equals(newProbes);
    boolean portChanged = old.port() != neu.port();
    if (portChanged) {
      what.add(
          "links: port "
              + old.port()
              + " -> "
              + neu.port()
              + " (every path's socket bound anew; paths keep their state)");
    }
    boolean keyChanged = keyBytesChanged;
    if (keyChanged) {
      what.add(
          "links: key changed: sent with the new key, the replaced one still accepted (and"
              + " answered in) until every peer uses the new one");
    }
    if (!old.keyFile().equals(neu.keyFile())) {
      what.add(
          "links: key-file "
              + old.keyFile().orElseThrow()
              + " -> "
              + neu.keyFile().orElseThrow()
              + (keyChanged ? "" : " (the same key)"));
    }
    if (!old.guard().equals(neu.guard())) {
      what.add("links: guard " + sorted(old) + " -> " + sorted(neu));
    }
    Scope scope = what.isEmpty() && !probesChanged ? Scope.UNCHANGED : Scope.CHANGED;
    return new LinksPlan(
        scope,
        pathFrom,
        routeFrom,
        probeFrom,
        removed,
        portChanged,
        keyChanged,
        probesChanged,
        what);
  }

  private static LinksPlan unchanged() {
    return new LinksPlan(
        Scope.UNCHANGED,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        false,
        false,
        false,
        List.of());
  }

  private static List<Integer> fresh(int n) {
    List<Integer> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      l.add(-1);
    }
    return l;
  }

  /**
   * Every gateway probe in the order {@code NodeLinksSetup} numbers them: routes in file order,
   * next hops in order, the first next hop naming an interface and gateway with a probe gives it
   * (one probe per gateway on an interface: {@code LinkRules} refuses two different ones).
   */
  public static List<ProbeKey> probes(LinksConfig c) {
    Map<String, ProbeKey> keys = new LinkedHashMap<>();
    for (LinkRoute r : c.routes()) {
      for (NextHop h : r.via()) {
        if (h.probe().isPresent()) {
          keys.putIfAbsent(
              h.interfaceName() + " " + h.gateway().getHostAddress(),
              new ProbeKey(h.interfaceName(), h.gateway(), h.probe().get()));
        }
      }
    }
    return List.copyOf(keys.values());
  }

  private static String pathKey(LinkPath p) {
    return p.node() + " " + p.local().getHostAddress() + " " + p.peer().getHostAddress();
  }

  private static String routeKey(LinkRoute r) {
    return r.destination().getHostAddress() + "/" + r.prefixLength();
  }

  private static String describe(LinkPath p) {
    return "to "
        + p.node()
        + " "
        + IpLiterals.format(p.local())
        + " -> "
        + IpLiterals.format(p.peer());
  }

  private static List<String> pathSettings(LinkPath a, LinkPath b) {
    List<String> s = new ArrayList<>();
    if (!a.interval().equals(b.interval())) {
      s.add("interval " + Durations.format(a.interval()) + " -> " + Durations.format(b.interval()));
    }
    if (a.misses() != b.misses()) {
      s.add("misses " + a.misses() + " -> " + b.misses());
    }
    if (a.goods() != b.goods()) {
      s.add("goods " + a.goods() + " -> " + b.goods());
    }
    return s;
  }

  private static String hops(LinkRoute r) {
    List<String> l = new ArrayList<>();
    for (NextHop h : r.via()) {
      l.add(
          h.interfaceName()
              + " "
              + IpLiterals.format(h.gateway())
              + h.probe().map(p -> " (" + p.kind() + " probe)").orElse(""));
    }
    return String.join(", ", l);
  }

  private static List<String> sorted(LinksConfig c) {
    return c.guard().stream().sorted().toList();
  }

  public Scope scope() {
    return scope;
  }

  /** For each path of the new section, in its order: the running path it continues, or -1. */
  public List<Integer> pathFrom() {
    return pathFrom;
  }

  /** For each route of the new section: the running route it continues, or -1. */
  public List<Integer> routeFrom() {
    return routeFrom;
  }

  /** For each probe of the new section ({@link #probes}): the running probe it continues, or -1. */
  public List<Integer> probeFrom() {
    return probeFrom;
  }

  /** Whether any probe was added, removed or changed (else the running probes stay as they are). */
  public boolean probesChanged() {
    return probesChanged;
  }

  /** Routes no longer configured: deleted from the kernel. */
  public List<LinkRoute> routesRemoved() {
    return routesRemoved;
  }

  public boolean portChanged() {
    return portChanged;
  }

  public boolean keyChanged() {
    return keyChanged;
  }

  /** What the reload's answer and log say, one line per change. */
  public List<String> descriptions() {
    return descriptions;
  }

  /**
   * Where a changed route's active next hop ({@code activeHop} of {@code before}) is in {@code
   * after}, matched by interface and gateway; -1 when it is no longer listed (or there was none).
   */
  public static int hopFrom(List<NextHop> before, int activeHop, List<NextHop> after) {
    if (activeHop < 0 || activeHop >= before.size()) {
      return -1;
    }
    NextHop was = before.get(activeHop);
    for (int i = 0; i < after.size(); i++) {
      NextHop h = after.get(i);
      if (h.interfaceName().equals(was.interfaceName()) && h.gateway().equals(was.gateway())) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return scope + " " + descriptions;
  }
}
