package dev.takeover.engine;

import dev.takeover.action.GroupState;
import dev.takeover.config.ConfigHash;
import dev.takeover.control.LinksView;
import dev.takeover.effect.Recorder;
import dev.takeover.journal.Events;
import dev.takeover.links.GatewayProbe;
import dev.takeover.links.Heartbeat;
import dev.takeover.links.HeartbeatCodec;
import dev.takeover.links.LinkDropReason;
import dev.takeover.links.NextHopHealth;
import dev.takeover.links.NodeLinks;
import dev.takeover.links.NodeSummary;
import dev.takeover.links.PathMonitor;
import dev.takeover.links.PathStatus;
import dev.takeover.links.RouteSelector;
import dev.takeover.platform.NetlinkEvent;
import dev.takeover.platform.RouteTable;
import dev.takeover.vrrp.LinkPeer;
import dev.takeover.wire.AddressText;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node links on the engine thread (docs/LINKS.md): a thin adapter between the engine, the pure
 * {@link NodeLinks} (which decides what to send and each path's state) and the effects: sockets,
 * the journal, the groups' policies (which decide what a peer's report means for a group) and the
 * routes ({@link RouteSelector} decides the next hop; {@link RouteTable} replaces the route).
 *
 * <p>Implementation notes. Sending happens here, on the engine thread, like adverts: the codec
 * encodes into one reused buffer, the socket copies it into native memory it owns, so the periodic
 * path allocates nothing of its own (the JDK's HMAC allocates its digests inside). After every
 * engine pass, {@link #afterPass} compares each group's state, priority and maintenance with the
 * summary last sent, field by field; on a change it builds a new summary and sends a NOTICE on
 * every path at once, so a FAULT at a link-down reaches the peers over the surviving paths within
 * the same pass, not at the next inquiry. Peer changes go to every group the same way.
 */
public final class LinkRuntime implements NodeLinks.LinkOutput {
  private static final Logger log = LoggerFactory.getLogger("takeover");

  /** Sends one packet on a path; failures (a dead link) are counted, not thrown. */
  @FunctionalInterface
  public interface PathSender {
    void send(int path, byte[] packet, int length);
  }

  /**
   * A route and, for each of its next hops, the interface, gateway, ifindex and this node's
   * addresses on that interface (which paths tell its LAN's health).
   */
  public record Route(String destination, InetAddress address, int prefixLength, List<Hop> hops) {
    public Route {
      hops = List.copyOf(hops);
    }
  }

  /**
   * One next hop of a {@link Route}; {@code probe} indexes its gateway probe in {@link
   * GatewayProbes}, -1 without one.
   */
  public record Hop(
      String interfaceName, int ifindex, InetAddress gateway, Set<InetAddress> locals, int probe) {
    public Hop {
      locals = Set.copyOf(locals);
    }

    /** A next hop without a gateway probe. */
    public Hop(String interfaceName, int ifindex, InetAddress gateway, Set<InetAddress> locals) {
      this(interfaceName, ifindex, gateway, locals, -1);
    }
  }

  /**
   * What a reload gives the running node links ({@link #reconfigure}): built off the engine thread
   * by the daemon, which opened the new sockets first.
   *
   * @param paths every path, in the new file's order
   * @param sender sends on the new paths
   * @param routes the new routes, their hops' probe indexes into {@code probes}
   * @param guarded the groups with the guard
   * @param probes the gateway probes: the running ones when they did not change, else new ones
   *     whose continued probes take over the running ones' state ({@link GatewayProbes#adopt})
   * @param codec the new key's codec to send with when the key changed, else null
   * @param receiveCodec the new key's codec for the intake (its own: codecs are not thread-safe)
   * @param intake where packets are decoded (re-keyed with {@code receiveCodec})
   * @param spared routes of groups in the main table: never deleted as a removed link route
   */
  public record Setup(
      List<NodeLinks.PathSpec> paths,
      PathSender sender,
      List<Route> routes,
      Set<String> guarded,
      GatewayProbes probes,
      HeartbeatCodec codec,
      HeartbeatCodec receiveCodec,
      LinkPacketIntake intake,
      Set<RouteTable.Route> spared) {}

  /**
   * How far a key rollover has got with one peer (docs/DECISIONS.md: key rollover): whether it has
   * been heard with the new key since the change (it has the new key, so we send it that), and
   * whether its latest packet was in the new key (it has switched too).
   */
  private static final class PeerKey {
    boolean newSeen;
    boolean lastNew;
  }

  private final String self;
  private long configHash; // config.ConfigHash#prefix; a reload sets it
  private final NodeLinks links;
  private HeartbeatCodec codec; // a reload may replace what follows (reconfigure)
  private HeartbeatCodec previousCodec; // during a key rollover, else null
  private LinkPacketIntake intake;
  private final Map<String, PeerKey> peerKeys = new LinkedHashMap<>(); // heard since the rekey
  private PathSender sender;
  private final RouteTable routeTable;
  private List<Route> routes;
  private Set<String> guarded;
  private GatewayProbes probes;
  private final GatewayProbes.Output probeOutput = this::probeChanged;
  private final Recorder journal;
  private final Function<InetAddress, String> name;
  private final byte[] buffer = new byte[HeartbeatCodec.MAX_PACKET];
  private int[] activeHop;
  private String[] routeReason;
  private String firstReason = "start"; // why a route is first installed: at start or a reload
  private final Map<String, Boolean> interfaceUp = new LinkedHashMap<>();

  private NodeSummary summary;
  private GroupState[] sentState = new GroupState[0];
  private boolean hashChanged; // a reload set a new configHash: rebuild and send the summary
  private int[] sentPriority = new int[0];
  private boolean[] sentMaintenance = new boolean[0];
  private java.util.function.ToLongFunction<LinkDropReason> decodeDrops = r -> 0;
  private boolean peersChanged;
  private boolean pathsChanged = true;
  private long sendFailures;

  public LinkRuntime(
      String self,
      long configHash,
      NodeLinks links,
      HeartbeatCodec codec,
      PathSender sender,
      RouteTable routeTable,
      List<Route> routes,
      Set<String> guarded,
      GatewayProbes probes,
      Recorder journal) {
    this.self = self;
    this.configHash = configHash;
    this.links = links;
    this.codec = codec;
    this.sender = sender;
    this.routeTable = routeTable;
    this.routes = List.copyOf(routes);
    this.guarded = Set.copyOf(guarded);
    this.probes = probes;
    this.journal = journal;
    this.name = AddressText::of;
    this.activeHop = new int[routes.size()];
    this.routeReason = new String[routes.size()];
    java.util.Arrays.fill(activeHop, -1);
    this.summary = new NodeSummary(self, configHash, List.of());
  }

  // Groups' virtual routes in the main table: ours by protocol too, never stale here.
  private Set<RouteTable.Route> spared = Set.of();

  /** Before {@link #start}: routes of ours that belong to groups, which the sweep leaves alone. */
  public void spareRoutes(Set<RouteTable.Route> groupRoutes) {
    this.spared = Set.copyOf(groupRoutes);
  }

  // ---------------------------------------------------------------- engine calls

  /**
   * Before the first pass: removes routes a killed earlier run left (ours by protocol, not in the
   * configuration), tells every group its guard setting, and sends the first inquiries.
   */
  public void start(Collection<Engine.GroupRuntime> groups, long now) {
    List<RouteTable.Route> configured = new ArrayList<>();
    for (Route r : routes) {
      configured.add(new RouteTable.Route(r.address(), r.prefixLength()));
    }
    try {
      for (RouteTable.Route stale : routeTable.ours()) {
        if (!configured.contains(stale) && !spared.contains(stale)) {
          routeTable.delete(stale.destination(), stale.prefixLength());
          log.info(
              "removed stale route {}/{} (protocol {}) left by an earlier run",
              name.apply(stale.destination()),
              stale.prefixLength(),
              RouteTable.PROTOCOL);
        }
      }
    } catch (RuntimeException e) {
      log.warn("could not list or remove stale routes: {}", e.getMessage());
    }
    configure(groups);
    afterPass(groups, now);
    if (links.hasPaths()) {
      links.tick(now, this);
    }
    probes.tick(now, probeOutput);
  }

  /** A group was added (reload): its guard setting. */
  public void configure(Collection<Engine.GroupRuntime> groups) {
    for (Engine.GroupRuntime g : groups) {
      if (g instanceof VrrpGroup v) {
        v.nodeLinks(self, guarded.contains(v.name()));
      }
    }
  }

  public void tick(long now) {
    if (links.hasPaths() && now - links.nextDeadline() >= 0) {
      links.tick(now, this);
    }
    if (!probes.isEmpty() && now - probes.deadline() >= 0) {
      probes.tick(now, probeOutput);
    }
  }

  public boolean hasDeadline() {
    return links.hasPaths() || !probes.isEmpty();
  }

  public long deadline() {
    if (!links.hasPaths()) {
      return probes.deadline();
    }
    long d = links.nextDeadline();
    return probes.isEmpty() || d - probes.deadline() <= 0 ? d : probes.deadline();
  }

  /** A probed gateway answered (docs/LINKS.md, "Gateway probes"). */
  public void gatewayReply(Event.GatewayReply r, long now) {
    probes.reply(r.probe(), r.sequence(), now, probeOutput);
  }

  public void received(Event.LinkPacket p, long now) {
    String node = p.heartbeat().summary().node();
    PeerKey key = null;
    boolean newSeen = false;
    boolean lastNew = false;
    boolean known = true;
    if (previousCodec != null) {
      // Noted before the packet is taken: an inquiry in the replaced key is answered in it.
      key = peerKeys.get(node);
      known = key != null;
      if (key == null) {
        key = new PeerKey();
        peerKeys.put(node, key);
      }
      newSeen = key.newSeen;
      lastNew = key.lastNew;
      key.lastNew = !p.previousKey();
      key.newSeen |= !p.previousKey();
    }
    LinkDropReason dropped = links.received(p.local(), p.source(), p.heartbeat(), now, this);
    if (key != null) {
      if (dropped != null) {
        // Not taken (a replay, a stranger): it says nothing about the key the peer uses.
        key.newSeen = newSeen;
        key.lastNew = lastNew;
        if (!known) {
          peerKeys.remove(node);
        }
      } else {
        keyHeard();
      }
    }
    if (dropped != null) {
      log.debug(
          "node-link packet from {} to {} dropped: {}",
          name.apply(p.source()),
          name.apply(p.local()),
          dropped.description());
    }
  }

  /** Where the polling thread counts what the codec dropped (shown with the rest). */
  public void decodeDrops(java.util.function.ToLongFunction<LinkDropReason> counts) {
    this.decodeDrops = counts;
  }

  public void kernelEvent(NetlinkEvent event) {
    if (event instanceof NetlinkEvent.LinkChanged l) {
      for (Route r : routes) {
        for (Hop h : r.hops()) {
          if (h.interfaceName().equals(l.name())) {
            interfaceUp.put(l.name(), l.up());
            pathsChanged = true;
          }
        }
      }
    }
  }

  /**
   * After each engine pass: a changed group goes out as a NOTICE on every path; changed peers go to
   * every group (which may change a group, and so the summary, again); routes follow the paths.
   */
  public void afterPass(Collection<Engine.GroupRuntime> groups, long now) {
    for (int round = 0; round < 3; round++) {
      if (summaryChanged(groups)) {
        links.summaryChanged(this);
      }
      if (!peersChanged) {
        break;
      }
      peersChanged = false;
      List<NodeLinks.Peer> peers = links.peers();
      for (Engine.GroupRuntime g : List.copyOf(groups)) {
        if (g instanceof VrrpGroup v) {
          v.linkPeers(peersFor(v.name(), peers), now);
        }
      }
    }
    if (pathsChanged) {
      pathsChanged = false;
      routes();
    }
  }

  // ---------------------------------------------------------------- LinkOutput

  @Override
  public void send(int path, Heartbeat.Kind kind, long sequence, long echo) {
    HeartbeatCodec c = codec;
    boolean oldOnly = false;
    if (previousCodec != null) {
      PeerKey key = peerKeys.get(links.paths().get(path).node());
      // Heard only in the replaced key: it may not have the new one yet, and could not hear us.
      oldOnly = key != null && !key.newSeen;
      if (oldOnly) {
        c = previousCodec;
      }
    }
    transmit(path, c, kind, sequence, echo);
    if (oldOnly && kind == Heartbeat.Kind.INQUIRY) {
      // And a notice in the new key, its own sequence: a peer that has the new key too (both
      // reloaded, each heard the other in the old one first) learns that we have it, so the two
      // do not stay on the old key for good. Unanswered and counted nowhere: a peer without the
      // new key drops it (BAD_MAC) and its paths do not notice.
      transmit(path, codec, Heartbeat.Kind.NOTICE, links.nextSequence(), 0);
    }
  }

  private void transmit(int path, HeartbeatCodec c, Heartbeat.Kind kind, long sequence, long echo) {
    int n = c.encode(kind, sequence, echo, summary, buffer);
    try {
      sender.send(path, buffer, n);
    } catch (RuntimeException e) {
      sendFailures++; // a dead link: ENETUNREACH and the like; the path's misses tell the story
    }
  }

  @Override
  public void pathChanged(int path, PathStatus from, PathStatus to, String reason) {
    NodeLinks.PathSpec s = links.paths().get(path);
    String local = name.apply(s.local());
    String peer = name.apply(s.peer());
    if (to == PathStatus.DOWN) {
      log.warn("node link to {} {} -> {} is DOWN ({})", s.node(), local, peer, reason);
    } else {
      log.info("node link to {} {} -> {} is {} ({})", s.node(), local, peer, to, reason);
    }
    journal.record(Events.linkPathChanged(s.node(), local, peer, from.name(), to.name(), reason));
    pathsChanged = true;
  }

  private void probeChanged(int probe, PathStatus from, PathStatus to, String reason) {
    GatewayProbes.Spec s = probes.specs().get(probe);
    String gateway = name.apply(s.gateway());
    if (to == PathStatus.DOWN) {
      log.warn("gateway {} on {} is DOWN ({})", gateway, s.interfaceName(), reason);
    } else {
      log.info("gateway {} on {} is {} ({})", gateway, s.interfaceName(), to, reason);
    }
    journal.record(
        Events.gatewayProbeChanged(
            s.interfaceName(), gateway, s.kind().configName(), from.name(), to.name(), reason));
    pathsChanged = true;
  }

  @Override
  public void peerChanged(String node) {
    peersChanged = true;
  }

  // ---------------------------------------------------------------- decisions carried out

  private boolean summaryChanged(Collection<Engine.GroupRuntime> groups) {
    int n = 0;
    boolean changed = false;
    for (Engine.GroupRuntime g : groups) {
      if (g instanceof VrrpGroup v) {
        if (n >= sentState.length
            || sentState[n] != v.state()
            || sentPriority[n] != linkPriority(v)
            || sentMaintenance[n] != v.maintenance()) {
          changed = true;
        }
        n++;
      }
    }
    if (!changed && !hashChanged && n == sentState.length) {
      return false;
    }
    hashChanged = false;
    List<NodeSummary.GroupEntry> entries = new ArrayList<>(n);
    sentState = new GroupState[n];
    sentPriority = new int[n];
    sentMaintenance = new boolean[n];
    int i = 0;
    for (Engine.GroupRuntime g : groups) {
      if (g instanceof VrrpGroup v) {
        sentState[i] = v.state();
        sentPriority[i] = linkPriority(v);
        sentMaintenance[i] = v.maintenance();
        entries.add(
            new NodeSummary.GroupEntry(
                v.name(), v.vrid(), sentState[i], sentPriority[i], sentMaintenance[i]));
        i++;
      }
    }
    summary = new NodeSummary(self, configHash, entries);
    return true;
  }

  /** A group in FAULT or INITIALIZE reports priority 0: it will not take part. */
  private static int linkPriority(VrrpGroup v) {
    GroupState s = v.state();
    return s == GroupState.FAULT || s == GroupState.INITIALIZE ? 0 : v.effectivePriority();
  }

  private static List<LinkPeer> peersFor(String group, List<NodeLinks.Peer> peers) {
    List<LinkPeer> out = new ArrayList<>(peers.size());
    for (NodeLinks.Peer p : peers) {
      NodeSummary.GroupEntry e = p.summary() == null ? null : p.summary().group(group);
      out.add(
          e == null
              ? new LinkPeer(p.node(), p.reachable(), GroupState.INITIALIZE, 0)
              : new LinkPeer(p.node(), p.reachable(), e.state(), e.priority()));
    }
    return out;
  }

  private void routes() {
    for (int r = 0; r < routes.size(); r++) {
      Route route = routes.get(r);
      boolean[] healthy = new boolean[route.hops().size()];
      NextHopHealth[] health = new NextHopHealth[healthy.length];
      for (int h = 0; h < healthy.length; h++) {
        health[h] = health(route.hops().get(h));
        healthy[h] = health[h].healthy();
      }
      int chosen = RouteSelector.choose(healthy, activeHop[r]);
      if (chosen == activeHop[r]) {
        continue;
      }
      Hop hop = route.hops().get(chosen);
      String reason =
          activeHop[r] < 0
              ? (healthy[chosen] ? firstReason : firstReason + "; no next hop is healthy yet")
              : chosen < activeHop[r]
                  ? "switchback: "
                      + hop.interfaceName()
                      + " healthy again ("
                      + health[chosen].reason()
                      + ")"
                  : route.hops().get(activeHop[r]).interfaceName()
                      + " unhealthy: "
                      + health[activeHop[r]].reason();
      try {
        routeTable.replace(route.address(), route.prefixLength(), hop.gateway(), hop.ifindex());
        activeHop[r] = chosen;
        routeReason[r] = reason;
        log.info(
            "route {} via {} dev {} ({})",
            route.destination(),
            name.apply(hop.gateway()),
            hop.interfaceName(),
            reason);
        journal.record(
            Events.routeChanged(
                route.destination(), hop.interfaceName(), name.apply(hop.gateway()), reason));
      } catch (RuntimeException e) {
        log.error(
            "route {} via {} failed: {}", route.destination(), hop.interfaceName(), e.getMessage());
        pathsChanged = true; // try again at the next pass
      }
    }
  }

  /**
   * A next hop's health ({@link NextHopHealth}: every opinion must agree): its interface (kernel
   * link events), the node-link paths from this node's addresses on it, and its gateway probe.
   */
  private NextHopHealth health(Hop hop) {
    boolean up = interfaceUp.getOrDefault(hop.interfaceName(), true);
    int paths = 0;
    int down = 0;
    for (int i = 0; i < links.paths().size(); i++) {
      if (hop.locals().contains(links.paths().get(i).local())) {
        paths++;
        if (links.monitor(i).status() == PathStatus.DOWN) {
          down++;
        }
      }
    }
    GatewayProbe probe = hop.probe() < 0 ? null : probes.probe(hop.probe());
    return NextHopHealth.of(
        up,
        paths,
        down,
        probe == null ? null : probe.status(),
        probe == null ? "" : probe.lastChange());
  }

  // ---------------------------------------------------------------- reload

  /**
   * A reload changed the {@code links} section (engine thread; docs/CONFIG.md, "Reload"): carries
   * out {@code plan} ({@code config.LinksPlan}, which decided what stays). Paths that stay keep
   * their state, new ones start, removed ones stop ({@link NodeLinks#reconfigure}); routes that
   * stay keep their next hop without a kernel change, a changed one keeps its next hop if still
   * listed, a removed one is deleted from the kernel, a new one is installed by the usual choice at
   * the end of this pass; probes likewise. A new key starts a rollover ({@link #keyHeard}).
   */
  public void reconfigure(
      Setup next,
      List<Integer> pathFrom,
      List<Integer> routeFrom,
      List<Integer> probeFrom,
      boolean probesChanged,
      Collection<Engine.GroupRuntime> groups,
      long now) {
    links.reconfigure(next.paths(), pathFrom, now, this);
    sender = next.sender();
    if (next.codec() != null) {
      previousCodec = codec; // a rollover still under way forgets the key before
      codec = next.codec();
      peerKeys.clear();
      intake = next.intake();
      intake.rekey(next.receiveCodec());
      log.info("node links: new key; the replaced one is accepted until every peer uses the new");
    }
    if (probesChanged) {
      next.probes().adopt(probes, probeFrom);
      probes = next.probes();
    }
    int[] hops = new int[next.routes().size()];
    String[] reasons = new String[hops.length];
    java.util.Arrays.fill(hops, -1);
    Set<Integer> continued = new java.util.HashSet<>();
    for (int r = 0; r < hops.length; r++) {
      int was = routeFrom.get(r);
      if (was < 0) {
        continue;
      }
      continued.add(was);
      hops[r] =
          dev.takeover.config.LinksPlan.hopFrom(
              nextHops(routes.get(was)), activeHop[was], nextHops(next.routes().get(r)));
      reasons[r] = hops[r] < 0 ? null : routeReason[was];
    }
    for (int r = 0; r < routes.size(); r++) {
      Route gone = routes.get(r);
      if (continued.contains(r)) {
        continue;
      }
      RouteTable.Route key = new RouteTable.Route(gone.address(), gone.prefixLength());
      if (next.spared().contains(key)) {
        continue; // a group's route to the same destination: the group owns it now
      }
      try {
        boolean deleted = routeTable.delete(gone.address(), gone.prefixLength());
        log.info(
            "route {} removed from the configuration{}",
            gone.destination(),
            deleted ? ": deleted" : "");
        if (deleted) {
          journal.record(Events.routeChanged(gone.destination(), "", "", "removed by a reload"));
        }
      } catch (RuntimeException e) {
        log.error("route {}: delete failed: {}", gone.destination(), e.getMessage());
      }
    }
    routes = List.copyOf(next.routes());
    activeHop = hops;
    routeReason = reasons;
    firstReason = "reload";
    guarded = Set.copyOf(next.guarded());
    configure(groups);
    pathsChanged = true; // routes re-chosen at the end of the pass: only a changed one moves
    peersChanged = true; // the groups see the new set of peers
  }

  /**
   * The node links stop (a reload removed the section; engine thread): every route of theirs is
   * deleted, and the groups forget the peers and the guard.
   */
  public void stop(Collection<Engine.GroupRuntime> groups, Set<RouteTable.Route> spared, long now) {
    for (int r = 0; r < routes.size(); r++) {
      Route route = routes.get(r);
      if (activeHop[r] < 0
          || spared.contains(new RouteTable.Route(route.address(), route.prefixLength()))) {
        continue;
      }
      try {
        routeTable.delete(route.address(), route.prefixLength());
        log.info("route {} deleted: the node links stopped", route.destination());
        journal.record(Events.routeChanged(route.destination(), "", "", "removed by a reload"));
      } catch (RuntimeException e) {
        log.error("route {}: delete failed: {}", route.destination(), e.getMessage());
      }
    }
    for (Engine.GroupRuntime g : List.copyOf(groups)) {
      if (g instanceof VrrpGroup v) {
        v.nodeLinks(self, false);
        v.linkPeers(List.of(), now);
      }
    }
  }

  /** A node links started by a reload: as {@link #start}, without the stale-route sweep. */
  public void startReloaded(Collection<Engine.GroupRuntime> groups, long now) {
    firstReason = "reload";
    configure(groups);
    afterPass(groups, now);
    if (links.hasPaths()) {
      links.tick(now, this);
    }
    probes.tick(now, probeOutput);
  }

  /**
   * During a key rollover, a packet was taken (its peer's key noted in {@link #peerKeys}: we answer
   * and inquire a peer in the key it uses): once every peer uses the new key, the replaced one is
   * forgotten.
   */
  private void keyHeard() {
    for (NodeLinks.Peer p : links.peers()) {
      PeerKey key = peerKeys.get(p.node());
      // Forgotten once every peer has the new key and uses it: its latest packet was in it.
      if (key == null || !key.newSeen || !key.lastNew) {
        return;
      }
    }
    previousCodec = null;
    peerKeys.clear();
    intake.forgetPrevious();
    log.info("node links: every peer uses the new key; the replaced one is forgotten");
  }

  private static List<dev.takeover.config.LinksConfig.NextHop> nextHops(Route r) {
    List<dev.takeover.config.LinksConfig.NextHop> l = new ArrayList<>();
    for (Hop h : r.hops()) {
      l.add(new dev.takeover.config.LinksConfig.NextHop(h.interfaceName(), h.gateway()));
    }
    return l;
  }

  /** Where packets are decoded (re-keyed by a reload); set once by the daemon at start. */
  public void intake(LinkPacketIntake intake) {
    this.intake = intake;
  }

  // ---------------------------------------------------------------- status

  /**
   * A reload changed what the nodes must agree on (engine thread): the next summary carries the new
   * hash, sent to every peer at the next pass.
   */
  public void configHash(long hash) {
    if (hash != configHash) {
      configHash = hash;
      hashChanged = true;
    }
  }

  /** What {@code status} shows of the links at engine time {@code now}. */
  public LinksView view(long now) {
    List<LinksView.PathView> paths = new ArrayList<>();
    for (int i = 0; i < links.paths().size(); i++) {
      NodeLinks.PathSpec s = links.paths().get(i);
      PathMonitor m = links.monitor(i);
      paths.add(
          new LinksView.PathView(
              s.node(),
              name.apply(s.local()),
              name.apply(s.peer()),
              m.status().name(),
              m.rttNanos() < 0 ? -1 : m.rttNanos() / 1e6,
              m.lastChange(),
              m.intervalNanos() / 1_000_000,
              m.misses(),
              m.goods()));
    }
    List<LinksView.NodeView> nodes = new ArrayList<>();
    for (NodeLinks.Peer p : links.peers()) {
      List<String> groups = new ArrayList<>();
      List<LinksView.PeerGroup> states = new ArrayList<>();
      if (p.summary() != null) {
        for (NodeSummary.GroupEntry e : p.summary().groups()) {
          groups.add(
              e.name()
                  + " "
                  + e.state()
                  + " "
                  + e.priority()
                  + (e.maintenance() ? " maintenance" : ""));
          states.add(
              new LinksView.PeerGroup(
                  e.name(), e.vrid(), e.state().name(), e.priority(), e.maintenance()));
        }
      }
      nodes.add(
          new LinksView.NodeView(
              p.node(),
              p.reachable(),
              p.summary() != null && p.summary().configHash() != configHash,
              groups,
              p.lastHeard() == NodeLinks.NEVER ? -1 : (now - p.lastHeard()) / 1_000_000,
              p.summary() == null ? "" : ConfigHash.hex(p.summary().configHash()),
              states));
    }
    List<LinksView.RouteView> routeViews = new ArrayList<>();
    for (int r = 0; r < routes.size(); r++) {
      Route route = routes.get(r);
      if (activeHop[r] < 0) {
        routeViews.add(new LinksView.RouteView(route.destination(), "", "", "not set yet"));
      } else {
        Hop h = route.hops().get(activeHop[r]);
        routeViews.add(
            new LinksView.RouteView(
                route.destination(), h.interfaceName(), name.apply(h.gateway()), routeReason[r]));
      }
    }
    List<LinksView.HopView> hopViews = new ArrayList<>();
    for (int r = 0; r < routes.size(); r++) {
      Route route = routes.get(r);
      for (int h = 0; h < route.hops().size(); h++) {
        Hop hop = route.hops().get(h);
        NextHopHealth health = health(hop);
        GatewayProbe p = hop.probe() < 0 ? null : probes.probe(hop.probe());
        hopViews.add(
            new LinksView.HopView(
                route.destination(),
                hop.interfaceName(),
                name.apply(hop.gateway()),
                activeHop[r] == h,
                health.healthy(),
                health.reason(),
                p == null ? "" : p.kind().configName(),
                p == null ? "" : p.status().name(),
                p == null ? "" : p.lastChange(),
                p == null || p.rttNanos() < 0 ? -1 : p.rttNanos() / 1e6,
                p == null ? 0 : p.intervalNanos() / 1_000_000,
                p == null ? 0 : p.misses(),
                p == null ? 0 : p.goods()));
      }
    }
    Map<String, Long> drops = new LinkedHashMap<>();
    for (LinkDropReason reason : LinkDropReason.values()) {
      long n = links.drops(reason) + decodeDrops.applyAsLong(reason);
      if (n > 0) {
        drops.put(reason.name(), n);
      }
    }
    if (sendFailures > 0) {
      drops.put("SEND_FAILED", sendFailures);
    }
    if (probes.unsolicited() > 0) {
      drops.put("ARP_UNSOLICITED", probes.unsolicited());
    }
    if (probes.sendFailures() > 0) {
      drops.put("ARP_SEND_FAILED", probes.sendFailures());
    }
    if (probes.echoUnsolicited() > 0) {
      drops.put("ICMP_UNSOLICITED", probes.echoUnsolicited());
    }
    if (probes.echoMalformed() > 0) {
      drops.put("ICMP_MALFORMED", probes.echoMalformed());
    }
    if (probes.echoSendFailures() > 0) {
      drops.put("ICMP_SEND_FAILED", probes.echoSendFailures());
    }
    if (probes.ndpUnsolicited() > 0) {
      drops.put("NDP_UNSOLICITED", probes.ndpUnsolicited());
    }
    if (probes.ndpMalformed() > 0) {
      drops.put("NDP_MALFORMED", probes.ndpMalformed());
    }
    if (probes.ndpSendFailures() > 0) {
      drops.put("NDP_SEND_FAILED", probes.ndpSendFailures());
    }
    return new LinksView(paths, nodes, routeViews, drops, hopViews);
  }
}
