package dev.takeover.daemon;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.takeover.action.GroupState;
import dev.takeover.clock.Clock;
import dev.takeover.config.GroupConfig;
import dev.takeover.config.VirtualAddress;
import dev.takeover.control.ConflictView;
import dev.takeover.control.ControlException;
import dev.takeover.control.ControlHandler;
import dev.takeover.control.ControlProtocol;
import dev.takeover.control.GroupView;
import dev.takeover.control.MaintenanceResult;
import dev.takeover.control.MoveResult;
import dev.takeover.control.PeerView;
import dev.takeover.control.ReloadResult;
import dev.takeover.control.RuntimeView;
import dev.takeover.control.StatusView;
import dev.takeover.control.TransitionView;
import dev.takeover.effect.GroupEffects;
import dev.takeover.engine.Engine;
import dev.takeover.engine.Event;
import dev.takeover.engine.VrrpGroup;
import dev.takeover.journal.Journal;
import dev.takeover.journal.JournalEvent;
import dev.takeover.journal.JournalJson;
import dev.takeover.vrrp.Conflict;
import dev.takeover.vrrp.Peer;
import dev.takeover.wire.AddressText;
import dev.takeover.wire.DropReason;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The daemon's side of the control endpoint. Requests arrive on connection threads; anything that
 * reads or changes group state runs as a task on the engine thread, which owns that state, and the
 * connection waits for its answer.
 */
final class DaemonControl implements ControlHandler {
  private static final long ANSWER_TIMEOUT_MS = 2000;
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final Node node;
  private final Engine engine;
  private final Journal journal;
  private final Supplier<RuntimeView> runtime;
  private final Clock clock;
  private boolean maintenance; // engine thread

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
    return onEngine(
        () -> {
          long now = clock.nanoTime();
          List<GroupView> views = new ArrayList<>();
          List<String> warnings = new ArrayList<>();
          for (Node.Running r : node.groups()) {
            GroupView view = view(r.config(), r.runtime(), r.effects(), node.dropsFor(r), now);
            views.add(view);
          }
          if (maintenance) {
            warnings.add(
                "this node is in maintenance: it holds nothing and stays out of elections");
          }
          return new StatusView(node.config().node(), views, warnings, runtime.get());
        });
  }

  private GroupView view(
      GroupConfig g, VrrpGroup group, GroupEffects fx, Map<DropReason, Long> dropped, long now) {
    VrrpGroup.Snapshot s = group.snapshot(now);
    List<String> reasons = new ArrayList<>();
    s.adjustments().forEach((source, delta) -> reasons.add(source + " " + signed(delta)));
    s.faults().forEach(f -> reasons.add("fault: " + f));
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
              active ? "MASTER" : "silent"));
    }
    String owner =
        switch (s.state()) {
          case MASTER -> node.config().node();
          case BACKUP -> s.master().map(AddressText::of).orElse(null);
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
        s.claimWaitsForProbe());
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

  @Override
  public MoveResult move(String group, String toNode) {
    boolean here = toNode.equals(node.config().node());
    return onEngine(
        () -> {
          VrrpGroup g = running(group).runtime();
          if (!here && g.state() != GroupState.MASTER) {
            return new MoveResult(
                group,
                toNode,
                false,
                "this node is not master of "
                    + group
                    + "; run the move on the target node ("
                    + toNode
                    + ") or on the master");
          }
          g.move(here, clock.nanoTime());
          return new MoveResult(
              group,
              toNode,
              true,
              here
                  ? "raised priority above the current master; claiming when it yields"
                  : "lowered priority to 1; the best backup takes over");
        });
  }

  @Override
  public MaintenanceResult maintenance(boolean on) {
    return onEngine(
        () -> {
          if (maintenance == on) {
            return new MaintenanceResult(
                on, false, "maintenance is already " + (on ? "on" : "off"));
          }
          maintenance = on;
          long now = clock.nanoTime();
          for (Node.Running r : node.groups()) {
            r.runtime().maintenance(on, now);
          }
          return new MaintenanceResult(
              on,
              true,
              on
                  ? "handing over: backups claim first, then this node releases and stays out"
                  : "back in service: taking part in elections again");
        });
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
      return ControlProtocol.JSON.readValue(JournalJson.write(event), MAP);
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
