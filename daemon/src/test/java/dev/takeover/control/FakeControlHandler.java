package dev.takeover.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A daemon stand-in: canned answers, a record of calls, and events the test pushes. */
public final class FakeControlHandler implements ControlHandler {
  public volatile StatusView status = sampleStatus();
  public final List<Map<String, Object>> backlog = new CopyOnWriteArrayList<>();
  public final List<String> calls = new CopyOnWriteArrayList<>();
  public volatile ReloadResult reloadResult =
      new ReloadResult(true, List.of("group web: priority 100 -> 90"), List.of());

  /** Called with each new sink before followEvents returns (to simulate a concurrent event). */
  public volatile Consumer<Consumer<Map<String, Object>>> onSubscribe = sink -> {};

  private final Set<Consumer<Map<String, Object>>> sinks = ConcurrentHashMap.newKeySet();
  private boolean maintenance;

  public static StatusView sampleStatus() {
    return new StatusView(
        "alpha",
        List.of(
            new GroupView(
                "web",
                51,
                "eth0",
                "IPv4",
                "MASTER",
                100,
                90,
                List.of("-10 check nginx failing"),
                List.of("198.18.0.50/24"),
                "alpha",
                List.of(
                    new TransitionView(
                        "2025-03-01T12:00:00.000Z", "INITIALIZE", "BACKUP", "started"),
                    new TransitionView(
                        "2025-03-01T12:00:03.120Z",
                        "BACKUP",
                        "MASTER",
                        "master down timer expired")),
                List.of(new PeerView("198.18.0.2", 100, 120, "MASTER")),
                true,
                List.of(
                    new ConflictView(
                        "dual-master",
                        "198.18.0.2",
                        "198.18.0.2 keeps advertising priority 90 while this node is master",
                        2500,
                        120)),
                Map.of("BAD_TTL", 2L),
                false),
            new GroupView(
                "db",
                52,
                "eth1",
                "IPv6",
                "BACKUP",
                50,
                50,
                List.of(),
                List.of("2001:db8::50/64"),
                "2001:db8::2",
                List.of(),
                List.of(new PeerView("2001:db8::2", 200, 1500, "MASTER")),
                false)),
        List.of("hook notify-dns failed 3 times in a row"));
  }

  public static Map<String, Object> event(long seq, String group, String type, String detail) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("seq", seq);
    e.put("time", "2025-03-01T12:00:0" + seq + ".000Z");
    e.put("group", group);
    e.put("type", type);
    e.put("detail", detail);
    return e;
  }

  public int followers() {
    return sinks.size();
  }

  /** Delivers an event to every follower, as the daemon would from its engine thread. */
  public void push(Map<String, Object> event) {
    for (Consumer<Map<String, Object>> sink : sinks) {
      sink.accept(event);
    }
  }

  @Override
  public StatusView status() {
    calls.add("status");
    return status;
  }

  /** Whether a move to beta is seen done by the next status (else the CLI waits it out). */
  public volatile boolean movesHappen = true;

  /** Whether a move to beta is held while the master lowers its names' TTL (move-ttl). */
  public volatile boolean dnsHold = false;

  @Override
  public MoveResult move(String group, String toNode) {
    calls.add("move " + group + " " + toNode);
    if (status.groups().stream().noneMatch(g -> g.name().equals(group))) {
      throw new ControlException("no group named '" + group + "'");
    }
    if (toNode.equals("gamma")) {
      return MoveResult.refused(
          group, toNode, "unknown node gamma; known nodes: alpha (this node), beta");
    }
    if (toNode.equals("alpha")) {
      return new MoveResult(
          group,
          toNode,
          true,
          "this node is master already",
          MoveResult.ALREADY_THERE,
          0,
          true,
          List.of("198.18.0.1"));
    }
    if (movesHappen) {
      status = movedTo(status, group, "beta");
    }
    if (dnsHold) {
      return new MoveResult(
          group,
          toNode,
          true,
          "waiting for the lowered TTL first: www.dns.test. (TTL 60 s to 5 s); ...",
          MoveResult.MOVING,
          250,
          false,
          List.of("198.18.0.2"),
          120_000L);
    }
    return new MoveResult(
        group,
        toNode,
        true,
        "priority lowered to 1: beta takes over",
        MoveResult.MOVING,
        250,
        false,
        List.of("198.18.0.2"));
  }

  @Override
  public MoveResult clearMove(String group) {
    calls.add("move " + group + " --clear");
    return new MoveResult(
        group,
        "alpha",
        true,
        "move adjustment cleared: priority 100",
        MoveResult.CLEARED,
        0,
        true,
        List.of());
  }

  /** {@code status} with {@code group} BACKUP under master {@code owner}. */
  static StatusView movedTo(StatusView status, String group, String owner) {
    List<GroupView> groups = new ArrayList<>();
    for (GroupView g : status.groups()) {
      groups.add(
          !g.name().equals(group)
              ? g
              : new GroupView(
                  g.name(),
                  g.vrid(),
                  g.interfaceName(),
                  g.family(),
                  "BACKUP",
                  g.configuredPriority(),
                  g.effectivePriority(),
                  g.priorityReasons(),
                  g.vips(),
                  owner,
                  g.lastTransitions(),
                  g.peers(),
                  false));
    }
    return new StatusView(status.node(), groups, status.warnings(), status.runtime());
  }

  @Override
  public synchronized MaintenanceResult maintenance(boolean on) {
    calls.add("maintenance " + on);
    boolean changed = maintenance != on;
    maintenance = on;
    return new MaintenanceResult(
        on, changed, on ? "released 1 group(s) to their backups" : "resuming normal priorities");
  }

  @Override
  public ReloadResult reload() {
    calls.add("reload");
    return reloadResult;
  }

  @Override
  public List<Map<String, Object>> events(int limit) {
    calls.add("events " + limit);
    List<Map<String, Object>> all = new ArrayList<>(backlog);
    return all.subList(Math.max(0, all.size() - limit), all.size());
  }

  @Override
  public AutoCloseable followEvents(Consumer<Map<String, Object>> sink) {
    sinks.add(sink);
    onSubscribe.accept(sink);
    return () -> sinks.remove(sink);
  }
}
