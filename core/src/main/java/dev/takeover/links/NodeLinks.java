package dev.takeover.links;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every node-link path of this node and what the peers said over them: decides when to send an
 * inquiry, an answer or a notice, which packets to drop after decoding (unknown node, wrong path,
 * replay), each path's state ({@link PathMonitor}) and whether each peer is reachable.
 *
 * <p>Implementation notes: one sequence counter for all our packets (so one replay window per peer
 * covers all its paths, {@link ReplayWindow}); it starts where the daemon says (its wall clock at
 * start in nanoseconds, so a restarted node's packets are newer than its last run's). Output goes
 * to a {@link LinkOutput} rather than a returned list, so the periodic path allocates nothing. A
 * peer is reachable while any of its paths is UP; its summary is the one in its newest packet.
 * Pure: times are parameters. Not thread-safe: the engine thread owns it.
 */
public final class NodeLinks {

  /**
   * One path: this node's address and the peer's, on one LAN.
   *
   * @param node the peer's name
   * @param local this node's address on the path (the socket is bound to it)
   * @param peer the peer's address on the path
   * @param intervalNanos between inquiries
   * @param misses unanswered inquiries in a row that make the path DOWN
   * @param goods answered inquiries in a row that make it UP again
   */
  public record PathSpec(
      String node, InetAddress local, InetAddress peer, long intervalNanos, int misses, int goods) {
    public PathSpec {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(local, "local");
      Objects.requireNonNull(peer, "peer");
    }
  }

  /** Where the decisions go; the daemon sends, journals and tells the groups. */
  public interface LinkOutput {
    /** Send one packet of {@code kind} on path {@code path} with our current summary. */
    void send(int path, Heartbeat.Kind kind, long sequence, long echo);

    /** Path {@code path} changed state. */
    void pathChanged(int path, PathStatus from, PathStatus to, String reason);

    /** A peer's summary or reachability changed. */
    void peerChanged(String node);
  }

  /**
   * A peer as seen now: whether any path is UP, its latest summary (null before one), and when an
   * authenticated packet of it last came in ({@link #NEVER} before the first).
   */
  public record Peer(String node, boolean reachable, NodeSummary summary, long lastHeard) {
    public Peer(String node, boolean reachable, NodeSummary summary) {
      this(node, reachable, summary, NEVER);
    }
  }

  /** {@link Peer#lastHeard} of a peer not heard yet. */
  public static final long NEVER = Long.MIN_VALUE;

  private static final class PeerState {
    final ReplayWindow replay = new ReplayWindow();
    NodeSummary summary;
    boolean reachable;
    long lastHeard = NEVER;
  }

  private final String self;
  private List<PathSpec> specs; // a reload replaces these three (reconfigure)
  private PathMonitor[] monitors;
  private Map<String, PeerState> peers = new LinkedHashMap<>();
  private final EnumMap<LinkDropReason, Long> drops = new EnumMap<>(LinkDropReason.class);
  private long sequence;

  public NodeLinks(String self, List<PathSpec> paths, long firstSequence, long now) {
    this.self = Objects.requireNonNull(self, "self");
    this.specs = List.copyOf(paths);
    this.monitors = new PathMonitor[specs.size()];
    for (int i = 0; i < monitors.length; i++) {
      PathSpec s = specs.get(i);
      monitors[i] = new PathMonitor(s.intervalNanos(), s.misses(), s.goods(), now);
      peers.computeIfAbsent(s.node(), n -> new PeerState());
    }
    this.sequence = firstSequence;
  }

  /**
   * A reload changed the paths (docs/CONFIG.md, "Reload"): {@code paths} replace the running ones,
   * and {@code from.get(i)} names the running path that new path {@code i} continues (-1: a new
   * path, which starts as STARTING and sends its first inquiry at the next tick). A continued path
   * keeps its monitor (state, counts, outstanding inquiry), with the new settings if they differ; a
   * peer still configured keeps its replay window and summary; the sequence counter goes on. A peer
   * whose reachability changes with it (its only UP path removed) is reported to {@code out}, as
   * are peers added or removed.
   */
  public void reconfigure(List<PathSpec> paths, List<Integer> from, long now, LinkOutput out) {
    if (paths.size() != from.size()) {
      throw new IllegalArgumentException(paths.size() + " paths, " + from.size() + " origins");
    }
    List<PathSpec> next = List.copyOf(paths);
    PathMonitor[] kept = new PathMonitor[next.size()];
    for (int i = 0; i < kept.length; i++) {
      PathSpec s = next.get(i);
      int was = from.get(i);
      if (was >= 0) {
        PathMonitor m = monitors[was];
        if (m.intervalNanos() != s.intervalNanos()
            || m.misses() != s.misses()
            || m.goods() != s.goods()) {
          m.reconfigure(s.intervalNanos(), s.misses(), s.goods());
        }
        kept[i] = m;
      } else {
        kept[i] = new PathMonitor(s.intervalNanos(), s.misses(), s.goods(), now);
      }
    }
    Map<String, PeerState> nextPeers = new LinkedHashMap<>();
    for (PathSpec s : next) {
      nextPeers.computeIfAbsent(
          s.node(),
          n -> {
            PeerState p = peers.get(n);
            return p != null ? p : new PeerState();
          });
    }
    List<String> gone = new ArrayList<>();
    for (String node : peers.keySet()) {
      if (!nextPeers.containsKey(node)) {
        gone.add(node);
      }
    }
    List<String> added = new ArrayList<>();
    for (String node : nextPeers.keySet()) {
      if (!peers.containsKey(node)) {
        added.add(node);
      }
    }
    specs = next;
    monitors = kept;
    peers = nextPeers;
    for (String node : peers.keySet()) {
      reachability(node, out);
    }
    gone.forEach(out::peerChanged);
    added.forEach(out::peerChanged);
  }

  /** Sends the inquiries due by {@code now}; settles misses first. */
  public void tick(long now, LinkOutput out) {
    for (int i = 0; i < monitors.length; i++) {
      PathMonitor m = monitors[i];
      if (!m.due(now)) {
        continue;
      }
      PathStatus before = m.status();
      long seq = ++sequence;
      PathStatus change = m.inquire(seq, now);
      if (change != null) {
        out.pathChanged(i, before, change, m.lastChange());
        reachability(specs.get(i).node(), out);
      }
      out.send(i, Heartbeat.Kind.INQUIRY, seq, 0);
    }
  }

  /** The earliest inquiry due; {@code Long.MIN_VALUE} never happens: there is at least one path. */
  public long nextDeadline() {
    long next = monitors.length == 0 ? Long.MAX_VALUE : monitors[0].nextInquiryAt();
    for (PathMonitor m : monitors) {
      if (m.nextInquiryAt() - next < 0) {
        next = m.nextInquiryAt();
      }
    }
    return next;
  }

  public boolean hasPaths() {
    return monitors.length > 0;
  }

  /** A fresh sequence number for a packet the caller sends on its own (our one counter). */
  public long nextSequence() {
    return ++sequence;
  }

  /** Our summary changed (a group's state, say): tell every peer now, on every path. */
  public void summaryChanged(LinkOutput out) {
    for (int i = 0; i < monitors.length; i++) {
      out.send(i, Heartbeat.Kind.NOTICE, ++sequence, 0);
    }
  }

  /**
   * An authenticated packet came in to {@code local} from {@code source}.
   *
   * @return null if it was taken, else why it was dropped (counted here)
   */
  public LinkDropReason received(
      InetAddress local, InetAddress source, Heartbeat heartbeat, long now, LinkOutput out) {
    String node = heartbeat.summary().node();
    if (node.equals(self)) {
      return dropped(LinkDropReason.SELF);
    }
    PeerState peer = peers.get(node);
    if (peer == null) {
      return dropped(LinkDropReason.UNKNOWN_NODE);
    }
    int path = pathOf(node, local, source);
    if (path < 0) {
      return dropped(LinkDropReason.WRONG_PATH);
    }
    if (!peer.replay.accept(heartbeat.sequence())) {
      return dropped(LinkDropReason.REPLAY);
    }
    PathMonitor m = monitors[path];
    m.heard(now);
    peer.lastHeard = now;
    if (!heartbeat.summary().equals(peer.summary)) {
      peer.summary = heartbeat.summary();
      out.peerChanged(node);
    }
    switch (heartbeat.kind()) {
      case INQUIRY -> out.send(path, Heartbeat.Kind.ANSWER, ++sequence, heartbeat.sequence());
      case ANSWER -> {
        PathStatus before = m.status();
        PathStatus change = m.answer(heartbeat.echo(), now);
        if (change != null) {
          out.pathChanged(path, before, change, m.lastChange());
          reachability(node, out);
        }
      }
      case NOTICE -> {}
    }
    return null;
  }

  /** Counts a packet the codec dropped (bad MAC, truncated, …). */
  public void decodeDropped(LinkDropReason reason) {
    dropped(reason);
  }

  private LinkDropReason dropped(LinkDropReason reason) {
    drops.merge(reason, 1L, Long::sum);
    return reason;
  }

  private int pathOf(String node, InetAddress local, InetAddress source) {
    for (int i = 0; i < specs.size(); i++) {
      PathSpec s = specs.get(i);
      if (s.node().equals(node) && s.peer().equals(source) && s.local().equals(local)) {
        return i;
      }
    }
    return -1;
  }

  private void reachability(String node, LinkOutput out) {
    PeerState peer = peers.get(node);
    boolean reachable = false;
    for (int i = 0; i < specs.size(); i++) {
      if (specs.get(i).node().equals(node) && monitors[i].status() == PathStatus.UP) {
        reachable = true;
        break;
      }
    }
    if (reachable != peer.reachable) {
      peer.reachable = reachable;
      out.peerChanged(node);
    }
  }

  // ---------------------------------------------------------------- queries

  public List<PathSpec> paths() {
    return specs;
  }

  public PathMonitor monitor(int path) {
    return monitors[path];
  }

  /** Every peer, in configuration order. */
  public List<Peer> peers() {
    List<Peer> out = new ArrayList<>(peers.size());
    peers.forEach((node, p) -> out.add(new Peer(node, p.reachable, p.summary, p.lastHeard)));
    return out;
  }

  /** Whether some path whose local address is {@code local} is UP. */
  public boolean upFrom(InetAddress local) {
    for (int i = 0; i < specs.size(); i++) {
      if (specs.get(i).local().equals(local) && monitors[i].status() == PathStatus.UP) {
        return true;
      }
    }
    return false;
  }

  /** Packets dropped since start, by reason. */
  public long drops(LinkDropReason reason) {
    return drops.getOrDefault(reason, 0L);
  }
}
