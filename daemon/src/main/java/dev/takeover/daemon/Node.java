package dev.takeover.daemon;

import static java.util.stream.Collectors.joining;

import dev.takeover.clock.Clock;
import dev.takeover.config.AddressFamily;
import dev.takeover.config.CheckConfig;
import dev.takeover.config.ConfigDiff;
import dev.takeover.config.ConfigError;
import dev.takeover.config.ConfigHash;
import dev.takeover.config.ConfigLoader;
import dev.takeover.config.ConfigResult;
import dev.takeover.config.DnsConfig;
import dev.takeover.config.GroupConfig;
import dev.takeover.config.LinksPlan;
import dev.takeover.config.TakeoverConfig;
import dev.takeover.config.VirtualAddress;
import dev.takeover.control.NameView;
import dev.takeover.control.ReloadResult;
import dev.takeover.dns.Desired;
import dev.takeover.dns.RecordQueue;
import dev.takeover.dnsupdate.DnsNames;
import dev.takeover.dnsupdate.TsigSecrets;
import dev.takeover.effect.AdvertSender;
import dev.takeover.effect.Announcer;
import dev.takeover.effect.GroupEffects;
import dev.takeover.effect.Recorder;
import dev.takeover.engine.AdvertIntake;
import dev.takeover.engine.Engine;
import dev.takeover.engine.Event;
import dev.takeover.engine.LinkIntake;
import dev.takeover.engine.LinkRuntime;
import dev.takeover.engine.VrrpGroup;
import dev.takeover.health.CheckSchedule;
import dev.takeover.health.HealthMonitor;
import dev.takeover.health.TrackFilePoller;
import dev.takeover.hook.HookRunner;
import dev.takeover.journal.Events;
import dev.takeover.platform.AddressTable;
import dev.takeover.platform.Links;
import dev.takeover.vrrp.GroupPolicy;
import dev.takeover.vrrp.VrrpMachine;
import dev.takeover.vrrp.VrrpParams;
import dev.takeover.vrrp.VrrpTimers;
import dev.takeover.wire.AddressText;
import dev.takeover.wire.AdvertSigner;
import dev.takeover.wire.AdvertVerifier;
import dev.takeover.wire.DropReason;
import dev.takeover.wire.MacAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The groups this daemon runs, and how they are built from configuration and rebuilt on reload.
 *
 * <p>Implementation notes: every group gets an id that is never reused, so an event still in the
 * queue for a group that a reload removed reaches nobody. Receive sockets are per interface and
 * family and are shared by the groups on them; their member tables are swapped whole. The group
 * maps are changed only on the engine thread (inside {@link Event.OnEngine} tasks), which is also
 * where the control endpoint reads them.
 */
final class Node {
  private static final Logger log = LoggerFactory.getLogger("takeover");

  /** One running group and everything it owns. */
  record Running(
      int id,
      GroupConfig config,
      Resolved resolved,
      VrrpGroup runtime,
      GroupEffects effects,
      AdvertIntake.Member member,
      List<AutoCloseable> owned,
      List<CheckSchedule> checks,
      Monitor monitor) {}

  /**
   * The health monitor of a group's checks. A reload that changes the checks retires it and starts
   * a new one; a retired monitor's late reports go nowhere.
   */
  static final class Monitor {
    private HealthMonitor checks; // engine thread (and the start-up thread before the engine runs)
    private volatile boolean live = true;
  }

  private void postTrackFile(Event e) {
    Engine eng = engine.get();
    if (eng != null) {
      eng.post(e);
    }
  }

  /** What a group needs of its interface, resolved when it is built. */
  record Resolved(
      Links.LinkInfo link, InetAddress source, InetAddress multicastGroup, AddressFamily family) {}

  private final Path configFile;
  private final Platform platform;
  private final Recorder record;
  private final HookRunner hooks;
  private final Clock clock;
  private final Supplier<Engine> engine;
  // Reads track files on its own thread; its reports reach a group through the engine.
  private final TrackFilePoller trackFiles =
      new TrackFilePoller(
          (w, value) -> postTrackFile(new Event.TrackFileRead(w.group(), w.path(), value)));
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<String, AdvertIntake> intakes = new LinkedHashMap<>();
  private final Map<String, LinkIntake> linkIntakes = new LinkedHashMap<>();
  private DnsNames dnsNames; // null when no group has names; set before the groups are built
  private volatile TakeoverConfig config;
  // Maintenance, as the state file says; groups started or added by a reload start in it.
  private volatile boolean maintenance;
  // Engine thread after start.
  private final Map<String, Running> running = new LinkedHashMap<>();
  private final SyncGroups syncGroups;
  // What the running node links own (sockets, key digest, probes); null without node links.
  // Set at start, then on the engine thread by reloads; reloads are one at a time (control).
  private volatile NodeLinksSetup.Owned linksOwned;

  Node(
      Path configFile,
      TakeoverConfig config,
      Platform platform,
      Recorder record,
      HookRunner hooks,
      Clock clock,
      Supplier<Engine> engine) {
    this.configFile = configFile;
    this.config = config;
    this.platform = platform;
    this.record = record;
    this.hooks = hooks;
    this.clock = clock;
    this.engine = engine;
    this.syncGroups =
        new SyncGroups(
            () -> this.config,
            name -> {
              Running r = running.get(name);
              return r == null ? null : r.runtime();
            },
            record,
            hooks);
  }

  /** What the node links started with own (start-up, before the engine runs). */
  void linksOwned(NodeLinksSetup.Owned owned) {
    this.linksOwned = owned;
  }

  /** Settles the sync groups; engine thread, after every event ({@code Engine#settleWith}). */
  void settleSyncGroups(long now) {
    syncGroups.settle(now);
  }

  /** The group's sync group as {@code status} shows it; engine thread. */
  Optional<String> syncGroup(String group) {
    return syncGroups.describe(group);
  }

  TakeoverConfig config() {
    return config;
  }

  boolean maintenance() {
    return maintenance;
  }

  /** Set before the groups start (from the state file), then on the engine thread. */
  void maintenance(boolean on) {
    maintenance = on;
  }

  /** The running groups in config order; engine thread. */
  List<Running> groups() {
    List<Running> list = new ArrayList<>();
    for (GroupConfig g : config.groups()) {
      Running r = running.get(g.name());
      if (r != null) {
        list.add(r);
      }
    }
    return list;
  }

  /** Builds every group of the configuration (before the engine starts). */
  Map<Integer, Engine.GroupRuntime> buildAll() {
    if (config.dns().enabled()) {
      dnsNames = dnsNames(config);
    }
    Map<Integer, Engine.GroupRuntime> runtimes = new LinkedHashMap<>();
    for (GroupConfig g : config.groups()) {
      Running r = build(g);
      running.put(g.name(), r);
      runtimes.put(r.id(), r.runtime());
    }
    return runtimes;
  }

  /**
   * The DNS side (docs/DNS.md): each group's targets on this node, the TSIG secrets (read once,
   * here), and the queues, started at once so every record is read back before any claim.
   */
  private DnsNames dnsNames(TakeoverConfig c) {
    Map<String, DnsNames.Targets> targets = new LinkedHashMap<>();
    for (GroupConfig g : c.groups()) {
      if (!c.dns().names(g.name()).isEmpty()) {
        Resolved r = resolve(g);
        targets.put(
            g.name(),
            new DnsNames.Targets(
                g.addresses().stream().map(VirtualAddress::address).toList(), self(g, r)));
      }
    }
    Map<DnsConfig.TsigKey, org.xbill.DNS.TSIG> keys = new LinkedHashMap<>();
    for (DnsConfig.Server s : c.dns().servers()) {
      if (s.key().isPresent() && !keys.containsKey(s.key().get())) {
        try {
          keys.put(s.key().get(), TsigSecrets.load(s.key().get()));
        } catch (java.io.IOException e) {
          throw new Daemon.StartupException("dns server " + s + ": key: " + e.getMessage());
        }
      }
    }
    DnsNames names =
        new DnsNames(c.dns(), targets, keys, c.daemon().stateDir(), record::record, clock);
    names.start();
    return names;
  }

  /**
   * This node's own address for {@code points-to: self}: the group's IPv4 source or its {@code
   * unicast-source}, or for IPv6 the first global address of the interface (the advert source is
   * link-local, useless in DNS).
   */
  private InetAddress self(GroupConfig g, Resolved r) {
    if (g.family() == AddressFamily.IPV4 || g.unicastSource().isPresent()) {
      return r.source();
    }
    Set<InetAddress> vips =
        Set.copyOf(g.addresses().stream().map(VirtualAddress::address).toList());
    for (AddressTable.InterfaceAddress a : platform.addresses().list(r.link().index())) {
      if (a.address() instanceof Inet6Address v6
          && !v6.isLinkLocalAddress()
          && !vips.contains(v6)) {
        return v6;
      }
    }
    return r.source();
  }

  /** The names' DNS thread; null when no group has names (fixed for the run). Any thread. */
  DnsNames dnsNames() {
    return dnsNames;
  }

  /** Every group's DNS records, for status; any thread. */
  List<NameView> names() {
    if (dnsNames == null) {
      return List.of();
    }
    List<NameView> views = new ArrayList<>();
    for (GroupConfig g : config.groups()) {
      for (DnsNames.NameView n : dnsNames.views(g.name())) {
        RecordQueue.View v = n.view();
        views.add(
            new NameView(
                g.name(),
                n.record(),
                v.desired().map(Node::describe).orElse(null),
                v.lastConfirmed().map(RecordQueue::text).orElse(null),
                v.lastSeen().map(RecordQueue::text).orElse(null),
                v.pending(),
                v.failures(),
                v.lastError().orElse(null),
                v.conflict()));
      }
    }
    return views;
  }

  private static String describe(Desired d) {
    return switch (d) {
      case Desired.Replace r ->
          RecordQueue.text(r.values())
              + (r.ttl().isPresent() ? " (TTL lowered to " + r.ttl().getAsInt() + " s)" : "");
      case Desired.Remove r -> "remove " + RecordQueue.text(r.values());
    };
  }

  /** Stops the DNS thread, after the groups have left (their releases posted). */
  void stopNames() {
    if (dnsNames != null) {
      dnsNames.close();
    }
  }

  /** Opens the receive sockets for the built groups (after the engine exists). */
  void listen() {
    updateIntakes();
  }

  /** Starts the health checks and the track-file reader of every group (after the engine runs). */
  void startChecks() {
    for (Running r : running.values()) {
      startChecks(r);
    }
    updateTrackFiles();
    trackFiles.start();
  }

  void stopChecks() {
    trackFiles.close();
    for (Running r : running.values()) {
      closeMonitor(r);
    }
  }

  /** The files the reader watches: every running group's track-files (start, each reload). */
  private void updateTrackFiles() {
    List<TrackFilePoller.Watch> watches = new ArrayList<>();
    for (Running r : running.values()) {
      r.config()
          .trackFiles()
          .forEach(t -> watches.add(new TrackFilePoller.Watch(r.id(), t.path())));
    }
    trackFiles.replace(watches);
  }

  /**
   * Re-reads the configuration and applies the difference. A file with any error changes nothing.
   * Groups that did not change are not touched. Groups whose changes the running group can take
   * over (priority, advert interval, preempt, checks, tracking, hooks; {@link
   * ConfigDiff.GroupChange#soft()}) and the announce settings change in place: no release, no hook,
   * unless the new priorities make a handover due, which then takes the normal VRRP path. Groups
   * with a hard change are stopped (priority 0, addresses released) and started anew; removed ones
   * stopped; added ones started. Called on a control thread (or SIGHUP's); the swap itself runs on
   * the engine thread.
   */
  ReloadResult reload() {
    TakeoverConfig next;
    switch (ConfigLoader.load(configFile)) {
      case ConfigResult.Invalid invalid -> {
        List<String> errors = invalid.errors().stream().map(ConfigError::toString).toList();
        // A SIGHUP has no one to answer but the log: every error goes there, each on its line.
        for (String error : errors) {
          log.warn("reload refused: {}", error);
        }
        log.warn("reload refused, nothing changed: {} error(s) in {}", errors.size(), configFile);
        return new ReloadResult(false, List.of(), errors);
      }
      case ConfigResult.Valid valid -> next = valid.config();
    }
    TakeoverConfig current = config;
    ConfigDiff diff = ConfigDiff.between(current, next);
    List<String> changes = new ArrayList<>();
    List<GroupConfig> toStart = new ArrayList<>();
    List<String> toStop = new ArrayList<>();
    List<GroupConfig> inPlace = new ArrayList<>();
    diff.removed().forEach(g -> toStop.add(g.name()));
    diff.added().forEach(toStart::add);
    diff.removed().forEach(g -> changes.add("removed group " + g.name()));
    diff.added().forEach(g -> changes.add("added group " + g.name()));
    for (var change : diff.changed()) {
      String what = String.join(", ", change.descriptions());
      if (change.soft()) {
        inPlace.add(change.after());
        changes.add("changed group " + change.name() + " in place: " + what);
      } else {
        toStop.add(change.before().name());
        toStart.add(change.after());
        changes.add("changed group " + change.name() + " (restarted): " + what);
      }
    }
    diff.moved()
        .forEach(
            m ->
                changes.add(
                    "moved "
                        + AddressText.of(m.address())
                        + " from "
                        + m.from()
                        + " to "
                        + m.to()));
    if (diff.announceChanged()) {
      changes.add("announce settings changed in place");
      // Every group that keeps running takes them; one without changes of its own too.
      for (GroupConfig g : next.groups()) {
        if (current.group(g.name()).isPresent()
            && !toStop.contains(g.name())
            && !inPlace.contains(g)) {
          inPlace.add(g);
        }
      }
    }
    LogLevels.Change logLevel =
        LogLevels.change(current.daemon().logLevel(), next.daemon().logLevel());
    logLevel.description().ifPresent(changes::add);
    if (!current.dns().equals(next.dns())) {
      changes.add("dns servers and names take effect at the next restart");
    }
    if (!current.api().peers().equals(next.api().peers())) {
      changes.add("api peers changed: the cluster view asks the new ones");
    }
    if (!current.api().withPeers(Map.of()).equals(next.api().withPeers(Map.of()))) {
      changes.add("api listen, tls, token-file and webhooks take effect at the next restart");
    }
    if (!current.syncGroups().equals(next.syncGroups())) {
      // Followers and faults are settled again on the engine's next turn (SyncGroups).
      changes.add("sync groups changed in place");
    }
    if (diff.nodeChanged()) {
      changes.add("node name takes effect at the next restart");
    }
    // The node links: what stays, goes and starts is the plan's (config.LinksPlan); a key file
    // is read now, so a world-readable one refuses the reload before anything changes.
    LinksPlan linksPlan;
    NodeLinksSetup.Owned owned = linksOwned;
    try {
      boolean keyBytesChanged =
          owned != null
              && next.links().enabled()
              && !java.util.Arrays.equals(NodeLinksSetup.keyDigest(next.links()), owned.keyDigest);
      linksPlan = LinksPlan.between(current.links(), next.links(), keyBytesChanged);
    } catch (RuntimeException ex) {
      log.warn("reload refused, nothing changed: {}", ex.getMessage());
      return new ReloadResult(false, List.of(), List.of(ex.getMessage()));
    }
    changes.addAll(linksPlan.descriptions());
    if (current.daemon().realtimePriority() != next.daemon().realtimePriority()
        || !current.daemon().stateDir().equals(next.daemon().stateDir())) {
      changes.add("daemon realtime-priority and state-dir take effect at the next restart");
    }
    // Build first, off the engine thread: a missing interface, or a check that cannot be set up,
    // fails the reload before anything running is touched.
    List<Running> built = new ArrayList<>();
    Map<String, List<CheckSchedule>> newChecks = new LinkedHashMap<>();
    NodeLinksSetup.Built linksBuilt = null;
    try {
      for (GroupConfig g : toStart) {
        built.add(build(g));
      }
      for (GroupConfig g : inPlace) {
        GroupConfig was = current.group(g.name()).orElseThrow();
        if (!was.checks().equals(g.checks())) {
          newChecks.put(g.name(), schedules(g));
        }
      }
      // Last: it opens sockets, which it closes again itself if it fails.
      if (linksPlan.scope() == LinksPlan.Scope.STARTED
          || linksPlan.scope() == LinksPlan.Scope.CHANGED) {
        linksBuilt =
            NodeLinksSetup.build(
                next,
                platform,
                clock,
                engine.get(),
                linksPlan.scope() == LinksPlan.Scope.STARTED ? null : owned,
                linksPlan.probesChanged());
      }
    } catch (RuntimeException e) {
      built.forEach(Node::close);
      log.warn("reload refused, nothing changed: {}", e.getMessage());
      return new ReloadResult(false, List.of(), List.of(e.getMessage()));
    }
    TakeoverConfig merged = next;
    NodeLinksSetup.Built links = linksBuilt;
    Engine e = engine.get();
    DaemonControl.onEngine(
        e,
        () -> {
          for (String name : toStop) { // stop first: a moved address is free before it is claimed
            Running old = running.remove(name);
            if (old != null) {
              retireMonitor(old);
              e.removeGroup(old.id());
              close(old);
            }
          }
          config = merged;
          long now = clock.nanoTime();
          for (GroupConfig g : inPlace) {
            Running old = running.get(g.name());
            if (old != null) {
              running.put(g.name(), reconfigure(old, g, newChecks.get(g.name()), now));
            }
          }
          for (Running r : built) {
            running.put(r.config().name(), r);
          }
          updateIntakes();
          updateTrackFiles();
          applyLinks(e, linksPlan, links, merged, now);
          if (e.links() != null) {
            // What the peers compare with their own (and the cluster view shows): the new file's.
            e.links().configHash(ConfigHash.prefix(merged));
          }
          for (Running r : built) {
            e.addGroup(r.id(), r.runtime());
            startChecks(r);
          }
          return null;
        });
    logLevel.apply();
    record.record(
        Events.configReloaded(
            configFile.toString(),
            diff.added().stream().map(GroupConfig::name).toList(),
            diff.removed().stream().map(GroupConfig::name).toList(),
            diff.changed().stream().map(c -> c.after().name()).toList(),
            linksPlan.descriptions()));
    log.info("reloaded {}: {}", configFile, changes.isEmpty() ? "no changes" : changes);
    return new ReloadResult(true, changes, List.of());
  }

  /**
   * Engine thread: carries out the node links' part of a reload ({@link LinksPlan}): starts them,
   * stops them (their routes deleted, their sockets closed) or hands the running ones the new
   * setup, then closes the sockets and probe sources the new setup did not take over.
   */
  private void applyLinks(
      Engine e, LinksPlan plan, NodeLinksSetup.Built built, TakeoverConfig merged, long now) {
    NodeLinksSetup.Owned before = linksOwned;
    switch (plan.scope()) {
      case UNCHANGED -> {}
      case STARTED -> {
        LinkRuntime runtime = NodeLinksSetup.runtime(merged, built, platform, record, clock);
        e.replaceLinks(runtime);
        runtime.startReloaded(e.groupRuntimes(), now);
        linksOwned = built.owned();
      }
      case STOPPED -> {
        if (e.links() != null) {
          e.links().stop(e.groupRuntimes(), NodeLinksSetup.spared(merged), now);
        }
        e.replaceLinks(null);
        linksOwned = null;
        if (before != null) {
          before.sources().forEach(this::unregister);
        }
      }
      case CHANGED -> {
        e.links()
            .reconfigure(
                built.setup(),
                plan.pathFrom(),
                plan.routeFrom(),
                plan.probeFrom(),
                plan.probesChanged(),
                e.groupRuntimes(),
                now);
        linksOwned = built.owned();
        before.leftBehindBy(built.owned()).forEach(this::unregister);
      }
    }
  }

  private void unregister(AutoCloseable source) {
    try {
      platform.unregister(source);
    } catch (RuntimeException ex) {
      log.debug("close failed", ex);
    }
  }

  /**
   * Engine thread: applies {@code next} to the running group {@code old} in place and returns its
   * new record. {@code checks}: the new check schedules, or null when the checks did not change
   * (the monitor then keeps running, with its rise/fall counts).
   */
  private Running reconfigure(Running old, GroupConfig next, List<CheckSchedule> checks, long now) {
    old.runtime().reconfigure(next, policySettings(next), config.announce().garpInterval(), now);
    Monitor monitor = old.monitor();
    List<CheckSchedule> schedules = old.checks();
    if (checks != null) {
      retireMonitor(old);
      monitor = new Monitor();
      schedules = checks;
    }
    Running r =
        new Running(
            old.id(),
            next,
            old.resolved(),
            old.runtime(),
            old.effects(),
            // auth is a hard setting, so it is unchanged here: keep the verifier and its replay
            // marks.
            member(old.id(), next, old.resolved(), old.member().auth()),
            old.owned(),
            schedules,
            monitor);
    if (checks != null) {
      startChecks(r);
    }
    return r;
  }

  /** What the policy needs of the group's hooks and the announce settings. */
  private GroupPolicy.Settings policySettings(GroupConfig group) {
    return new GroupPolicy.Settings(
        config.announce().handoverHold().toNanos(),
        config.announce().garpCount(),
        config.announce().garpInterval().toNanos(),
        config.announce().refreshInterval().toNanos(),
        GroupEffects.hookPoints(group.hooks(), hooks != null),
        // RFC 5227 probe before a claim when no master was heard; a name-only group has nothing
        // to probe.
        !group.nameOnly(),
        !group.routes().isEmpty() || !group.rules().isEmpty());
  }

  /** How the receive side knows the group (address owners ignore adverts, RFC 5798 §7.1). */
  private static AdvertIntake.Member member(
      int id, GroupConfig group, Resolved r, Optional<AdvertVerifier> auth) {
    return new AdvertIntake.Member(
        id,
        GroupEffects.label(group),
        group.vrid(),
        group.addressOwner(),
        group.wireFormat(),
        group.addresses().stream().map(VirtualAddress::address).toList(),
        group.unicastPeers(),
        Set.of(r.source()),
        auth,
        group.acceptTtl());
  }

  /** The group's checks, built so that a bad one (no such interface for DHCP) fails here. */
  private static List<CheckSchedule> schedules(GroupConfig group) {
    List<CheckSchedule> checks = new ArrayList<>();
    for (CheckConfig c : group.checks()) {
      try {
        checks.add(HealthChecks.schedule(group, c));
      } catch (IllegalArgumentException e) {
        throw new Daemon.StartupException(
            "group " + group.name() + ", check " + c.name() + ": " + e.getMessage());
      }
    }
    return checks;
  }

  /**
   * The link each address lives on: the group's, or another (keepalived's {@code dev}), looked up
   * now so the announcements can be built once; an address on a link that does not exist fails the
   * start or the reload.
   */
  private Function<VirtualAddress, Links.LinkInfo> addressLinks(GroupConfig group, Resolved r) {
    Map<String, Links.LinkInfo> links = new HashMap<>();
    for (VirtualAddress vip : group.addresses()) {
      if (vip.interfaceName().isPresent() && !links.containsKey(vip.interfaceName().get())) {
        String name = vip.interfaceName().get();
        links.put(
            name,
            platform
                .links()
                .byName(name)
                .orElseThrow(
                    () ->
                        new Daemon.StartupException(
                            "group "
                                + group.name()
                                + ", address "
                                + vip
                                + ": interface "
                                + name
                                + " does not exist")));
      }
    }
    return vip -> vip.interfaceName().map(links::get).orElse(r.link());
  }

  private Running build(GroupConfig group) {
    int id = ids.getAndIncrement();
    Resolved r = resolve(group);
    String label = GroupEffects.label(group);
    List<AutoCloseable> owned = new ArrayList<>();
    try {
      // RFC 5798 §5.2.5 wants at least one address in an advert: a name-only group lists the
      // sender's own, the address its names point at while it is master (docs/DNS.md).
      List<InetAddress> vips =
          group.nameOnly()
              ? List.of(r.source())
              : group.addresses().stream().map(VirtualAddress::address).toList();
      List<InetAddress> destinations =
          group.unicastPeers().isEmpty() ? List.of(r.multicastGroup()) : group.unicastPeers();
      AdvertSender sender =
          new AdvertSender(
              label,
              group.vrid(),
              VrrpTimers.nanosToCentis(group.advertInterval().toNanos()),
              vips,
              r.source(),
              destinations,
              group.wireFormat(),
              platform.vrrpSender(r.link(), r.source(), group.family(), owned),
              clock,
              // auth_hmac: receive-only verifies but sends no trailer (keepalived's rollout mode)
              group.auth().filter(a -> a.mode().signs()).map(AdvertSigner::new));
      Function<VirtualAddress, Links.LinkInfo> linkOf = addressLinks(group, r);
      Announcer announcer =
          new Announcer(
              label,
              platform.announcement(linkOf, group.addresses(), owned),
              platform.probe(linkOf, group.addresses()),
              clock);
      GroupEffects effects =
          new GroupEffects(
              group,
              r.link().index(),
              platform.addresses(),
              platform.routes(),
              platform.rules(),
              name ->
                  platform
                      .links()
                      .byName(name)
                      .map(l -> OptionalInt.of(l.index()))
                      .orElse(OptionalInt.empty()),
              sender,
              announcer,
              config.announce().garpInterval(),
              record,
              hooks,
              epoch -> engine.get().post(new Event.ClaimProceed(id, epoch)),
              clock);
      if (dnsNames != null && !config.dns().names(group.name()).isEmpty()) {
        DnsNames names = dnsNames;
        String groupName = group.name();
        effects.followNames(
            new GroupEffects.Names(
                () -> names.claimed(groupName), () -> names.released(groupName)));
      }
      VrrpMachine machine =
          new VrrpMachine(
              new VrrpParams(
                  group.vrid(),
                  group.priority(),
                  group.advertInterval().toNanos(),
                  group.preempt(),
                  group.preemptDelay().toNanos(),
                  r.source()));
      GroupPolicy policy = new GroupPolicy(machine, policySettings(group));
      int ifindex = r.link().index();
      VrrpGroup runtime =
          new VrrpGroup(
              label,
              ifindex,
              policy,
              effects,
              () -> platform.links().byIndex(ifindex).map(Links.LinkInfo::up).orElse(false),
              name -> platform.links().byName(name).map(Links.LinkInfo::up).orElse(false),
              index -> platform.links().byIndex(index).map(Links.LinkInfo::up).orElse(false),
              record,
              this::maintenance);
      // Before it starts: a follower never claims on its own (vrrp.SyncGroup); a reload's new
      // sync groups are applied by the next settle.
      runtime.setFollower(config.syncFollower(group.name()));
      AdvertIntake.Member member = member(id, group, r, group.auth().map(AdvertVerifier::new));
      // Built now, so a bad check (no such interface for DHCP) fails the start or the reload.
      List<CheckSchedule> checks = schedules(group);
      log.info(
          "{} on {} from {}: priority {}, adverts every {} ms{}{}, addresses {}",
          label,
          group.interfaceName(),
          AddressText.of(r.source()),
          group.priority(),
          group.advertInterval().toMillis(),
          group.unicastPeers().isEmpty()
              ? ""
              : " to unicast peers " + AddressText.list(group.unicastPeers()),
          group
              .auth()
              .map(
                  a ->
                      ", auth_hmac "
                          + a.mode().keyword()
                          + " (signing key "
                          + a.activeKey()
                          + ", anti-replay "
                          + a.antiReplay().keyword()
                          + (a.antiReplay() == dev.takeover.wire.AuthSettings.AntiReplay.TIME
                              ? " " + a.timeWindowSeconds() + " s"
                              : "")
                          + ")")
              .orElse(""),
          group.nameOnly()
              ? "none (name-only: adverts list "
                  + AddressText.of(r.source())
                  + ", TTL "
                  + group.acceptTtl()
                  + " accepted)"
              : group.addresses().stream().map(VirtualAddress::toString).collect(joining(", ")));
      return new Running(id, group, r, runtime, effects, member, owned, checks, new Monitor());
    } catch (RuntimeException e) {
      owned.forEach(Node::closeQuietly);
      throw e;
    }
  }

  /** One receive socket per interface and family; member tables follow the running groups. */
  private void updateIntakes() {
    Map<String, List<AdvertIntake.Member>> bySocket = new LinkedHashMap<>();
    Map<String, Resolved> resolvedBySocket = new LinkedHashMap<>();
    for (Running r : running.values()) {
      String key = r.config().interfaceName() + "/" + r.config().family();
      bySocket.computeIfAbsent(key, k -> new ArrayList<>()).add(r.member());
      resolvedBySocket.putIfAbsent(key, r.resolved());
    }
    for (var e : bySocket.entrySet()) {
      AdvertIntake intake = intakes.get(e.getKey());
      if (intake != null) {
        intake.replaceMembers(e.getValue());
      } else {
        Resolved r = resolvedBySocket.get(e.getKey());
        Engine eng = engine.get();
        intake = new AdvertIntake(e.getValue(), eng::post, clock);
        boolean multicast = e.getValue().stream().anyMatch(m -> m.unicastPeers().isEmpty());
        platform.receiveAdverts(r.link(), r.family(), multicast, intake);
        intakes.put(e.getKey(), intake);
      }
    }
    for (var e : intakes.entrySet()) {
      if (!bySocket.containsKey(e.getKey())) {
        e.getValue().replaceMembers(List.of());
      }
    }
    updateLinkWatches();
  }

  /**
   * One link watch per interface (issue 9 items 3, 4): ARP, Neighbor Discovery and VRRP frames for
   * every group on it; member tables follow the running groups like the advert intakes'.
   */
  private void updateLinkWatches() {
    Map<String, List<LinkIntake.Member>> byInterface = new LinkedHashMap<>();
    Map<String, Resolved> resolvedByInterface = new LinkedHashMap<>();
    for (Running r : running.values()) {
      GroupConfig g = r.config();
      byInterface
          .computeIfAbsent(g.interfaceName(), k -> new ArrayList<>())
          .add(
              new LinkIntake.Member(
                  r.id(),
                  g.vrid(),
                  g.family() == AddressFamily.IPV6,
                  g.wireFormat(),
                  r.member().addresses(),
                  g.unicastPeers(),
                  r.member().ownAddresses()));
      resolvedByInterface.putIfAbsent(g.interfaceName(), r.resolved());
    }
    for (var e : byInterface.entrySet()) {
      LinkIntake intake = linkIntakes.get(e.getKey());
      if (intake != null) {
        intake.replaceMembers(e.getValue());
        continue;
      }
      Links.LinkInfo link = resolvedByInterface.get(e.getKey()).link();
      Engine eng = engine.get();
      intake = new LinkIntake(MacAddress.of(link.mac()), e.getValue(), eng::post, clock);
      try {
        platform.watchLink(link, intake);
      } catch (RuntimeException ex) {
        // Failover works without it; clients are then only re-announced to on rival adverts.
        log.warn(
            "cannot watch {} for ARP and neighbour discovery ({}): address conflicts and stray"
                + " announcements go unnoticed",
            e.getKey(),
            ex.getMessage());
      }
      linkIntakes.put(e.getKey(), intake);
    }
    for (var e : linkIntakes.entrySet()) {
      if (!byInterface.containsKey(e.getKey())) {
        e.getValue().replaceMembers(List.of());
      }
    }
  }

  /** Adverts accepted on every socket since start (for metrics); engine thread. */
  long advertsAccepted() {
    return intakes.values().stream().mapToLong(AdvertIntake::accepted).sum();
  }

  /** Adverts for the group's VRID dropped on its socket since start, by reason; engine thread. */
  Map<DropReason, Long> dropsFor(Running r) {
    AdvertIntake intake = intakes.get(r.config().interfaceName() + "/" + r.config().family());
    return intake == null ? Map.of() : intake.droppedFor(r.config().vrid());
  }

  private void startChecks(Running r) {
    if (r.checks().isEmpty()) {
      return;
    }
    Engine eng = engine.get();
    Monitor m = r.monitor();
    m.checks =
        HealthMonitor.start(
            r.checks(),
            change -> {
              if (m.live) {
                eng.post(
                    new Event.CheckChanged(
                        r.id(),
                        change.name().substring(change.name().indexOf('/') + 1),
                        change.up(),
                        change.detail()));
              }
            },
            clock);
  }

  /** At shutdown: stops the checks and waits for probes under way (bounded by their timeouts). */
  private static void closeMonitor(Running r) {
    Monitor m = r.monitor();
    m.live = false;
    if (m.checks != null) {
      m.checks.close();
      m.checks = null;
    }
  }

  /**
   * On reload (engine thread): the monitor's reports stop counting now, and it is closed on a
   * virtual thread, because closing waits for probes under way, up to a check's timeout, and the
   * engine thread must not wait that long. A report already posted when it is retired can still
   * arrive; a replacing monitor's first verdict corrects it.
   */
  private static void retireMonitor(Running r) {
    Monitor m = r.monitor();
    m.live = false;
    HealthMonitor checks = m.checks;
    m.checks = null;
    if (checks != null) {
      Thread.ofVirtual().name("health-retire").start(checks::close);
    }
  }

  private static void close(Running r) {
    r.owned().forEach(Node::closeQuietly);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      log.debug("close failed", e);
    }
  }

  private Resolved resolve(GroupConfig group) {
    Links.LinkInfo link =
        platform
            .links()
            .byName(group.interfaceName())
            .orElseThrow(
                () ->
                    new Daemon.StartupException(
                        "group "
                            + group.name()
                            + ": interface "
                            + group.interfaceName()
                            + " does not exist"));
    InetAddress source = group.unicastSource().orElse(null);
    Set<InetAddress> vips =
        Set.copyOf(group.addresses().stream().map(VirtualAddress::address).toList());
    if (source == null) {
      for (AddressTable.InterfaceAddress a : platform.addresses().list(link.index())) {
        boolean usable =
            group.family() == AddressFamily.IPV4
                ? a.address() instanceof Inet4Address && !a.secondary()
                : a.address() instanceof Inet6Address && a.address().isLinkLocalAddress();
        if (usable && !vips.contains(a.address())) {
          source = a.address();
          break;
        }
      }
    }
    if (source == null) {
      throw new Daemon.StartupException(
          "group "
              + group.name()
              + ": interface "
              + group.interfaceName()
              + " has no "
              + (group.family() == AddressFamily.IPV4 ? "IPv4 address" : "IPv6 link-local address")
              + " to send adverts from (RFC 5798 §5.1.1.1)");
    }
    InetAddress multicast =
        group.family() == AddressFamily.IPV4 ? Platform.VRRP_GROUP_V4 : Platform.VRRP_GROUP_V6;
    return new Resolved(link, source, multicast, group.family());
  }
}
