package dev.takeover.daemon;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.takeover.action.GroupState;
import dev.takeover.clock.Clock;
import dev.takeover.config.GroupConfig;
import dev.takeover.config.TakeoverConfig;
import dev.takeover.config.VirtualAddress;
import dev.takeover.control.ConflictView;
import dev.takeover.control.ControlException;
import dev.takeover.control.ControlHandler;
import dev.takeover.control.ControlJson;
import dev.takeover.control.GroupView;
import dev.takeover.control.LinksView;
import dev.takeover.control.MaintenanceResult;
import dev.takeover.control.MoveResult;
import dev.takeover.control.NameView;
import dev.takeover.control.PeerView;
import dev.takeover.control.ReloadResult;
import dev.takeover.control.RuntimeView;
import dev.takeover.control.StatusView;
import dev.takeover.control.TransitionView;
import dev.takeover.dnsupdate.DnsNames;
import dev.takeover.effect.GroupEffects;
import dev.takeover.engine.Engine;
import dev.takeover.engine.Event;
import dev.takeover.engine.VrrpGroup;
import dev.takeover.journal.Journal;
import dev.takeover.journal.JournalEvent;
import dev.takeover.journal.JournalJson;
import dev.takeover.vrrp.Conflict;
import dev.takeover.vrrp.MoveHold;
import dev.takeover.vrrp.MoveOutcome;
import dev.takeover.vrrp.NodeRef;
import dev.takeover.vrrp.Peer;
import dev.takeover.wire.AddressText;
import dev.takeover.wire.DropReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's side of the control endpoint. Requests arrive on connection threads; anything that
 * reads or changes group state runs as a task on the engine thread, which owns that state, and the
 * connection waits for its answer.
 */
final class DaemonControl implements ControlHandler {
  private static final Logger log = LoggerFactory.getLogger("takeover");
  private static final long ANSWER_TIMEOUT_MS = 2000;
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final Node node;
  private final Engine engine;
  private final Journal journal;
  private final Supplier<RuntimeView> runtime;
  private final Clock clock;
  private String unsaved; // engine thread: why maintenance could not be saved, or null
  // Engine thread: groups whose maintenance waits for their names' lowered TTL.
  private final Set<String> heldForMaintenance = new LinkedHashSet<>();

  DaemonControl(
      Node node, Engine engine, Journal journal, Clock clock, Supplier<RuntimeView> runtime) {
    this.runtime = runtime;
    this.clock = clock;
    this.node = node;
    this.engine = engine;
    this.journal = journal;
  }

  @Override
  public StatusView status() {
    StatusView engineSide =
        onEngine(
            () -> {
              long now = clock.nanoTime();
              List<GroupView> views = new ArrayList<>();
              List<String> warnings = new ArrayList<>();
              for (Node.Running r : node.groups()) {
                GroupView view = view(r.config(), r.runtime(), r.effects(), node.dropsFor(r), now);
                views.add(view);
              }
              warnings.addAll(operatorWarnings(now));
              LinksView links = engine.links() == null ? null : engine.links().view(now);
              if (links != null) {
                for (LinksView.PathView p : links.paths()) {
                  if (p.state().equals("DOWN")) {
                    warnings.add(
                        "node link to "
                            + p.node()
                            + " "
                            + p.local()
                            + " -> "
                            + p.peer()
                            + " is DOWN");
                  }
                }
                Set<String> probesDown = new java.util.LinkedHashSet<>();
                for (LinksView.HopView h : links.hops()) {
                  if (h.probe().equals("DOWN")) {
                    probesDown.add("gateway " + h.gateway() + " on " + h.interfaceName());
                  }
                }
                probesDown.forEach(g -> warnings.add(g + " does not answer its probe (DOWN)"));
              }
              return new StatusView(
                  node.config().node(), views, warnings, runtime.get(), List.of(), links);
            });
    // The DNS thread publishes its views: read them here, not on the engine thread.
    List<NameView> names = node.names();
    if (names.isEmpty()) {
      return engineSide;
    }
    List<String> warnings = new ArrayList<>(engineSide.warnings());
    node.dnsNames()
        .heldMoves()
        .forEach((group, what) -> warnings.add("group " + group + ": " + what));
    for (NameView n : names) {
      if (n.lastError() != null) {
        warnings.add("group " + n.group() + ": DNS " + n.record() + ": " + n.lastError());
      }
    }
    return new StatusView(
        engineSide.node(),
        engineSide.groups(),
        warnings,
        engineSide.runtime(),
        names,
        engineSide.links());
  }

  private GroupView view(
      GroupConfig g, VrrpGroup group, GroupEffects fx, Map<DropReason, Long> dropped, long now) {
    VrrpGroup.Snapshot s = group.snapshot(now);
    List<String> reasons = new ArrayList<>();
    s.adjustments().forEach((source, delta) -> reasons.add(source + " " + signed(delta)));
    s.faults().forEach(f -> reasons.add("fault: " + f));
    node.syncGroup(g.name()).ifPresent(d -> reasons.add("sync group " + d));
    // Only a master advertises (RFC 5798 §6.4.3): a peer heard within Master_Down_Interval is
    // acting as master.
    long recent = s.masterDownIntervalNanos();
    List<PeerView> peers = new ArrayList<>();
    for (Map.Entry<InetAddress, Peer> e : s.peers().entrySet()) {
      long ago = now - e.getValue().heardAt();
      boolean active = ago < recent && e.getValue().priority() > 0;
      peers.add(
          new PeerView(
              AddressText.of(e.getKey()),
              e.getValue().priority(),
              TimeUnit.NANOSECONDS.toMillis(ago),
              active ? "MASTER" : "silent",
              node.config().nodeNamed(e.getKey()).orElse(null)));
    }
    String owner =
        switch (s.state()) {
          case MASTER -> node.config().node();
          case BACKUP -> s.master().map(this::nodeText).orElse(null);
          default -> null;
        };
    return new GroupView(
        g.name(),
        g.vrid(),
        g.interfaceName(),
        g.family().displayName(),
        s.state().name(),
        s.basePriority(),
        s.effectivePriority(),
        reasons,
        g.addresses().stream().map(VirtualAddress::toString).toList(),
        owner,
        fx.recentTransitions().stream()
            .map(
                t ->
                    new TransitionView(
                        t.at().toString(), t.from().name(), t.to().name(), t.reason()))
            .toList(),
        peers,
        !s.conflicts().isEmpty(),
        s.conflicts().stream().map(c -> conflictView(c, now)).toList(),
        dropCounts(dropped),
        s.claimWaitsForProbe(),
        fx.installedRoutes());
  }

  private static ConflictView conflictView(Conflict c, long now) {
    return new ConflictView(
        c.kind().wireName(),
        c.subject(),
        c.detail(),
        TimeUnit.NANOSECONDS.toMillis(now - c.since()),
        TimeUnit.NANOSECONDS.toMillis(now - c.lastSeen()));
  }

  private static Map<String, Long> dropCounts(Map<DropReason, Long> dropped) {
    Map<String, Long> counts = new LinkedHashMap<>();
    dropped.forEach((reason, n) -> counts.put(reason.name(), n));
    return counts;
  }

  private static String signed(int delta) {
    return delta >= 0 ? "+" + delta : Integer.toString(delta);
  }

  /**
   * {@code takeover move}: resolves the target to this node or to a known other node (the
   * configuration's {@code nodes}, the group's unicast peers, the peers heard) and lets the group's
   * policy decide. An unknown node is refused, listing the known ones, and nothing changes.
   */
  @Override
  public MoveResult move(String group, String toNode) {
    return onEngine(
        () -> {
          Node.Running r = running(group);
          TakeoverConfig config = node.config();
          VrrpGroup g = r.runtime();
          long now = clock.nanoTime();
          InetAddress source = r.resolved().source();
          Optional<InetAddress> literal = literal(toNode);
          boolean here = toNode.equals(config.node()) || literal.filter(source::equals).isPresent();
          if (here) {
            return result(group, toNode, true, List.of(AddressText.of(source)), g.moveHere(now));
          }
          List<NodeRef> others = others(r, config);
          Optional<NodeRef> target =
              others.stream()
                  .filter(n -> n.name().equals(toNode) || literal.filter(n::has).isPresent())
                  .findFirst();
          if (target.isEmpty() && literal.isPresent()) {
            target =
                g.snapshot(now).peers().keySet().stream()
                    .filter(literal.get()::equals)
                    .findFirst()
                    .map(a -> new NodeRef(AddressText.of(a), Set.of(a)));
          }
          if (target.isEmpty()) {
            return MoveResult.refused(
                group,
                toNode,
                "unknown node "
                    + toNode
                    + "; known nodes: "
                    + String.join(", ", known(r, config, now))
                    + " (name other nodes under `nodes:` in the configuration)");
          }
          NodeRef t = target.get();
          List<String> addresses = t.addresses().stream().map(AddressText::of).sorted().toList();
          DnsNames dns = node.dnsNames();
          if (dns != null
              && dns.lowersTtlBeforeMoves(group)
              && g.state() == GroupState.MASTER
              && g.moveAwayInstead(t, others).isEmpty()) {
            return heldForTtl(group, t, addresses, g, dns);
          }
          return result(group, t.name(), false, addresses, g.moveAway(t, others, now));
        });
  }

  /**
   * A move away from this master whose names lower their TTL first (docs/DNS.md "Planned moves"):
   * the DNS thread lowers them and, when {@code MoveTtl} lets the move go, posts {@link
   * #proceedMove} to the engine; the answer says the move is held and for how long at most, and the
   * CLI waits that much longer. The engine never waits for DNS. Engine thread.
   */
  private MoveResult heldForTtl(
      String group, NodeRef target, List<String> addresses, VrrpGroup g, DnsNames dns) {
    long handover = g.moveWaitNanos();
    long cap = dns.moveWaitMax(group).toMillis();
    dns.moveRequested(
        group, handover, () -> engine.post(new Event.OnEngine(() -> proceedMove(group, target))));
    String message =
        "waiting for the lowered TTL first: "
            + String.join(", ", dns.movedNames(group))
            + "; the handover starts once a server has confirmed it and the old TTL has passed,"
            + " at most "
            + seconds(cap)
            + " from now; then this node lowers its priority to 1 and "
            + target.name()
            + " takes over";
    log.info("group {}: move to {}: held: {}", group, target.name(), message);
    return new MoveResult(
        group,
        target.name(),
        true,
        message,
        MoveResult.MOVING,
        cap + TimeUnit.NANOSECONDS.toMillis(handover),
        false,
        addresses,
        cap);
  }

  /** The TTLs are lowered (or the wait was cut short): the held move, as the policy decides now. */
  private void proceedMove(String group, NodeRef target) {
    DnsNames dns = node.dnsNames();
    Optional<Node.Running> r = find(group);
    if (r.isEmpty()) {
      dns.moveCancelled(group); // removed by a reload meanwhile
      return;
    }
    MoveOutcome o =
        r.get().runtime().moveAway(target, others(r.get(), node.config()), clock.nanoTime());
    log.info(
        "group {}: move to {} (after the TTL wait): {}: {}",
        group,
        target.name(),
        o.kind(),
        o.message());
    if (o.kind() != MoveOutcome.Kind.MOVING) {
      dns.moveCancelled(group); // no handover: the TTLs go back
    }
  }

  /** A group by name, if it runs. Engine thread. */
  private Optional<Node.Running> find(String group) {
    return node.groups().stream().filter(g -> g.config().name().equals(group)).findFirst();
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0
        ? millis / 1000 + " s"
        : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  @Override
  public MoveResult clearMove(String group) {
    return onEngine(
        () -> {
          Node.Running r = running(group);
          MoveOutcome o = r.runtime().clearMove(clock.nanoTime());
          return result(group, node.config().node(), true, List.of(), o);
        });
  }

  private MoveResult result(
      String group, String toNode, boolean here, List<String> addresses, MoveOutcome o) {
    String outcome =
        switch (o.kind()) {
          case MOVING -> MoveResult.MOVING;
          case ALREADY_THERE -> MoveResult.ALREADY_THERE;
          case REFUSED -> MoveResult.REFUSED;
          case CLEARED -> MoveResult.CLEARED;
          case NOTHING_TO_CLEAR -> MoveResult.NOTHING_TO_CLEAR;
        };
    if (o.kind() != MoveOutcome.Kind.REFUSED) {
      log.info("group {}: move to {}: {}: {}", group, toNode, outcome, o.message());
    }
    return new MoveResult(
        group,
        toNode,
        o.kind() != MoveOutcome.Kind.REFUSED,
        o.message(),
        outcome,
        TimeUnit.NANOSECONDS.toMillis(o.waitNanos()),
        here,
        addresses);
  }

  /**
   * Every other node known for the group: the configuration's nodes (but this one), then its
   * unicast peers that no named node has.
   */
  private static List<NodeRef> others(Node.Running r, TakeoverConfig config) {
    List<NodeRef> others = new ArrayList<>();
    InetAddress source = r.resolved().source();
    config
        .nodes()
        .forEach(
            (name, addresses) -> {
              if (!name.equals(config.node()) && !addresses.contains(source)) {
                others.add(new NodeRef(name, Set.copyOf(addresses)));
              }
            });
    for (InetAddress peer : r.config().unicastPeers()) {
      if (others.stream().noneMatch(n -> n.has(peer))) {
        others.add(new NodeRef(AddressText.of(peer), Set.of(peer)));
      }
    }
    return others;
  }

  /** The nodes a move may name, for the refusal of an unknown one. */
  private List<String> known(Node.Running r, TakeoverConfig config, long now) {
    Set<String> known = new LinkedHashSet<>();
    known.add(config.node() + " (this node)");
    for (NodeRef n : others(r, config)) {
      known.add(n.name());
    }
    for (InetAddress heard : r.runtime().snapshot(now).peers().keySet()) {
      if (config.nodeNamed(heard).isEmpty() && !r.config().unicastPeers().contains(heard)) {
        known.add(AddressText.of(heard) + " (heard)");
      }
    }
    return List.copyOf(known);
  }

  private static Optional<InetAddress> literal(String text) {
    if (!text.contains(".") && !text.contains(":")) {
      return Optional.empty(); // a name; ofLiteral never looks names up, but say so plainly
    }
    try {
      return Optional.of(InetAddress.ofLiteral(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A node's name from the configuration, or its address. */
  private String nodeText(InetAddress address) {
    return node.config().nodeNamed(address).orElseGet(() -> AddressText.of(address));
  }

  /**
   * Maintenance on or off for every group, saved first in the state directory so that it survives a
   * restart. A failure to save does not stop it (an operator asking for maintenance wants out now);
   * the answer and {@code status} say it will not survive a restart.
   */
  @Override
  public MaintenanceResult maintenance(boolean on) {
    return onEngine(
        () -> {
          if (node.maintenance() == on) {
            return new MaintenanceResult(
                on, false, "maintenance is already " + (on ? "on" : "off"), unsaved == null);
          }
          try {
            MaintenanceFile.write(node.config().daemon().stateDir(), on, clock.instant());
            unsaved = null;
          } catch (IOException | RuntimeException e) {
            unsaved = MaintenanceFile.path(node.config().daemon().stateDir()) + ": " + e;
            log.warn("maintenance {} is not saved ({}): it ends at a restart", on, unsaved);
          }
          node.maintenance(on);
          long now = clock.nanoTime();
          List<String> masters = new ArrayList<>();
          List<String> held = new ArrayList<>();
          DnsNames dns = node.dnsNames();
          if (!on && dns != null) {
            for (String group : heldForMaintenance) {
              dns.moveCancelled(group); // called off before it started: the TTLs go back
            }
          }
          heldForMaintenance.clear();
          for (Node.Running r : node.groups()) {
            String name = r.config().name();
            if (on
                && dns != null
                && dns.lowersTtlBeforeMoves(name)
                && r.runtime().state() == GroupState.MASTER) {
              // A planned handover: the names' TTL goes down first (docs/DNS.md "Planned moves").
              heldForMaintenance.add(name);
              dns.moveRequested(
                  name,
                  r.runtime().moveWaitNanos(),
                  () -> engine.post(new Event.OnEngine(() -> proceedMaintenance(name))));
              held.add(
                  name
                      + " after the lowered TTL of "
                      + String.join(", ", dns.movedNames(name))
                      + " (at most "
                      + seconds(dns.moveWaitMax(name).toMillis())
                      + ")");
            } else {
              r.runtime().maintenance(on, now);
            }
            if (r.runtime().state() == GroupState.MASTER) {
              masters.add(name);
            }
          }
          log.info("maintenance {}", on ? "on" : "off");
          String message;
          if (!on) {
            message = "back in service: taking part in elections again";
          } else if (masters.isEmpty()) {
            message = "this node holds nothing now and stays out of elections";
          } else {
            message =
                "handing over "
                    + String.join(", ", masters)
                    + ": backups claim first, then this node releases and stays out (see status)";
            if (!held.isEmpty()) {
              message += "; waiting to hand over " + String.join("; ", held);
            }
          }
          if (unsaved != null) {
            message += "; NOT SAVED (" + unsaved + "): a restart ends it";
          }
          return new MaintenanceResult(on, true, message, unsaved == null);
        });
  }

  /** Maintenance reached a group held for its TTLs: it goes into maintenance now. Engine thread. */
  private void proceedMaintenance(String group) {
    if (!heldForMaintenance.remove(group)) {
      return; // maintenance was turned off meanwhile (and the TTLs put back then)
    }
    Optional<Node.Running> r = find(group);
    if (r.isEmpty() || !node.maintenance()) {
      node.dnsNames().moveCancelled(group);
      return;
    }
    log.info("group {}: maintenance after the TTL wait: handing over", group);
    r.get().runtime().maintenance(true, clock.nanoTime());
  }

  /** Warnings about what the operator did: maintenance, held moves. Engine thread. */
  private List<String> operatorWarnings(long now) {
    List<String> warnings = new ArrayList<>();
    List<String> handingOver = new ArrayList<>();
    for (Node.Running r : node.groups()) {
      String name = r.config().name();
      VrrpGroup.Snapshot s = r.runtime().snapshot(now);
      if (node.maintenance() && s.state() == GroupState.MASTER) {
        handingOver.add(
            "group "
                + name
                + " is still MASTER and holds its addresses (priority "
                + s.effectivePriority()
                + "): waiting for a backup to take over");
      } else if (node.maintenance() && s.handingOver()) {
        handingOver.add("group " + name + " still holds its addresses until the handover ends");
      }
      s.moveHold().ifPresent(h -> warnings.add(hold(name, h)));
    }
    if (node.maintenance()) {
      if (handingOver.isEmpty()) {
        warnings.add(
            "this node is in maintenance: it holds nothing and stays out of elections;"
                + " `takeover maintenance off` ends it");
      } else {
        warnings.add(
            "this node is in maintenance, handing over: " + String.join("; ", handingOver));
      }
      if (unsaved != null) {
        warnings.add("maintenance is not saved (" + unsaved + "): a restart ends it");
      }
    }
    return warnings;
  }

  private String hold(String group, MoveHold h) {
    String other =
        h.other().map(this::nodeText).orElse("the other node") + " (" + h.otherPriority() + ")";
    return "group "
        + group
        + (h.away()
            ? ": moved away from here: priority held at " + h.heldAt() + " below master " + other
            : ": moved here: priority held at "
                + h.heldAt()
                + " above "
                + other
                + ", which would take the group back")
        + " (configured "
        + h.withoutMove()
        + "); `takeover move "
        + group
        + " --clear` to undo";
  }

  /** One reload at a time: SIGHUP and the control socket may ask at once. */
  @Override
  public synchronized ReloadResult reload() {
    return node.reload();
  }

  @Override
  public List<Map<String, Object>> events(int limit) {
    return Journal.read(journal.stateDir(), e -> true, limit).events().stream()
        .map(DaemonControl::toMap)
        .toList();
  }

  @Override
  public AutoCloseable followEvents(Consumer<Map<String, Object>> sink) {
    return journal.subscribe(event -> sink.accept(toMap(event)));
  }

  private static Map<String, Object> toMap(JournalEvent event) {
    try {
      return ControlJson.MAPPER.readValue(JournalJson.write(event), MAP);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Engine thread. */
  private Node.Running running(String group) {
    for (Node.Running r : node.groups()) {
      if (r.config().name().equals(group)) {
        return r;
      }
    }
    throw new ControlException(
        "no group "
            + group
            + " here; groups: "
            + node.config().groups().stream().map(GroupConfig::name).toList());
  }

  private <T> T onEngine(Supplier<T> task) {
    return onEngine(engine, task);
  }

  /** Runs {@code task} on the engine thread and waits for its answer. */
  static <T> T onEngine(Engine engine, Supplier<T> task) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    engine.post(
        new Event.OnEngine(
            () -> {
              try {
                answer.complete(task.get());
              } catch (RuntimeException e) {
                answer.completeExceptionally(e);
              }
            }));
    try {
      return answer.get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ControlException("interrupted");
    } catch (TimeoutException e) {
      throw new ControlException("the engine did not answer within " + ANSWER_TIMEOUT_MS + " ms");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new ControlException(String.valueOf(e.getCause()));
    }
  }
}
