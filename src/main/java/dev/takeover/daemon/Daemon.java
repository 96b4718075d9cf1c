package dev.takeover.daemon;

import dev.takeover.cli.ExitCode;
import dev.takeover.cli.VersionCommand;
import dev.takeover.config.AddressFamily;
import dev.takeover.config.CheckConfig;
import dev.takeover.config.GroupConfig;
import dev.takeover.config.TakeoverConfig;
import dev.takeover.control.ControlServer;
import dev.takeover.config.VirtualAddress;
import dev.takeover.effect.AdvertSender;
import dev.takeover.effect.Announcer;
import dev.takeover.effect.GroupEffects;
import dev.takeover.effect.Recorder;
import dev.takeover.engine.AdvertIntake;
import dev.takeover.engine.Clock;
import dev.takeover.engine.Engine;
import dev.takeover.engine.Event;
import dev.takeover.engine.VrrpGroup;
import dev.takeover.health.CheckSchedule;
import dev.takeover.health.HealthMonitor;
import dev.takeover.hook.HookRunner;
import dev.takeover.journal.Events;
import dev.takeover.journal.Journal;
import dev.takeover.journal.JournalOptions;
import dev.takeover.platform.AddressTable;
import dev.takeover.platform.Links;
import dev.takeover.platform.NativeException;
import dev.takeover.vrrp.VrrpMachine;
import dev.takeover.vrrp.VrrpParams;
import dev.takeover.wire.AddressText;
import java.io.IOException;
import java.nio.file.Path;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires a validated configuration to the kernel and runs it until SIGTERM or SIGINT. Construction
 * order matters: resolve every interface and source address first (fail before touching anything),
 * then open sockets, then start the engine, which removes leftovers and starts each group.
 */
public final class Daemon {
  private static final Logger log = LoggerFactory.getLogger("takeover");

  private Daemon() {}

  /** Runs in the foreground; returns the process exit code. */
  public static int run(TakeoverConfig config) {
    try (Platform platform = Platform.open();
        Journal journal =
            Journal.open(config.daemon().stateDir(), config.node(), JournalOptions.DEFAULTS)) {
      return new Daemon().runWith(config, platform, journal);
    } catch (IOException e) {
      log.error("cannot start: journal in {}: {}", config.daemon().stateDir(), e.getMessage());
      return ExitCode.FAILED.code;
    } catch (StartupException e) {
      log.error("cannot start: {}", e.getMessage());
      return ExitCode.FAILED.code;
    } catch (NativeException e) {
      log.error("cannot start: {}", e.getMessage());
      return ExitCode.FAILED.code;
    }
  }

  private int runWith(TakeoverConfig config, Platform platform, Journal journal) {
    long startedAt = System.nanoTime();
    Recorder record = draft -> journal.append(draft).id();
    // Groups need the engine to post to (hook budgets), the engine needs the groups: a holder.
    AtomicReference<Engine> engineRef = new AtomicReference<>();
    HookRunner hooks =
        config.groups().stream().anyMatch(g -> g.hooks().hasAny())
            ? new HookRunner(config.node(), event -> journal.append(Hooks.event(event)))
            : null;
    List<CheckSchedule> checks = new ArrayList<>();
    Map<String, Integer> checkGroup = new LinkedHashMap<>(); // schedule name -> group index
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("takeover-announce").factory());
    List<Engine.GroupRuntime> runtimes = new ArrayList<>();
    List<VrrpGroup> vrrpGroups = new ArrayList<>();
    List<GroupEffects> allEffects = new ArrayList<>();
    Map<String, List<AdvertIntake.Member>> membersBySocket = new LinkedHashMap<>();
    Map<String, Resolved> resolvedBySocket = new LinkedHashMap<>();
    int index = 0;
    for (GroupConfig group : config.groups()) {
      Resolved r = resolve(group, platform);
      String label = GroupEffects.label(group);
      List<InetAddress> vips = group.addresses().stream().map(VirtualAddress::address).toList();
      List<InetAddress> destinations =
          group.unicastPeers().isEmpty() ? List.of(r.multicastGroup()) : group.unicastPeers();
      AdvertSender sender =
          new AdvertSender(
              label,
              group.vrid(),
              (int) (group.advertInterval().toMillis() / 10),
              vips,
              r.source(),
              destinations,
              group.checksumMode(),
              platform.vrrpSender(r.link(), r.source(), group.family()));
      Announcer announcer =
          new Announcer(
              label,
              platform.announcement(r.link(), group.addresses()),
              scheduler,
              config.announce().garpCount(),
              config.announce().garpInterval(),
              config.announce().refreshInterval());
      int groupIndex = index;
      GroupEffects effects =
          new GroupEffects(
              group,
              r.link().index(),
              platform.addresses(),
              sender,
              announcer,
              record,
              hooks,
              epoch -> engineRef.get().post(new Event.ClaimProceed(groupIndex, epoch)));
      for (CheckConfig c : group.checks()) {
        try {
          CheckSchedule schedule = HealthChecks.schedule(group, c);
          checks.add(schedule);
          checkGroup.put(schedule.name(), index);
        } catch (IllegalArgumentException e) {
          throw new StartupException("group " + group.name() + ", check " + c.name() + ": " + e.getMessage());
        }
      }
      VrrpMachine machine =
          new VrrpMachine(
              new VrrpParams(
                  group.vrid(),
                  group.priority(),
                  group.advertInterval().toNanos(),
                  group.preempt(),
                  group.preemptDelay().toNanos(),
                  group.acceptMode(),
                  r.source()));
      int ifindex = r.link().index();
      allEffects.add(effects);
      VrrpGroup vrrpGroup =
          new VrrpGroup(
              label,
              ifindex,
              machine,
              effects,
              () -> platform.links().byIndex(ifindex).map(Links.LinkInfo::up).orElse(false),
              name -> platform.links().byName(name).map(Links.LinkInfo::up).orElse(false),
              record);
      runtimes.add(vrrpGroup);
      vrrpGroups.add(vrrpGroup);
      String socketKey = group.interfaceName() + "/" + group.family();
      membersBySocket
          .computeIfAbsent(socketKey, k -> new ArrayList<>())
          .add(
              new AdvertIntake.Member(
                  index,
                  label,
                  group.vrid(),
                  group.addressOwner(),
                  group.checksumMode(),
                  vips,
                  group.unicastPeers(),
                  Set.of(r.source())));
      resolvedBySocket.putIfAbsent(socketKey, r);
      log.info(
          "{} on {} from {}: priority {}, adverts every {} ms{}, addresses {}",
          label,
          group.interfaceName(),
          AddressText.of(r.source()),
          group.priority(),
          group.advertInterval().toMillis(),
          group.unicastPeers().isEmpty() ? "" : " to unicast peers " + group.unicastPeers(),
          group.addresses());
      index++;
    }

    int rtPriority = config.daemon().realtimePriority();
    CountDownLatch stop = new CountDownLatch(1);
    AtomicBoolean fatal = new AtomicBoolean();
    Engine engine =
        new Engine(
            runtimes,
            Clock.SYSTEM,
            unused -> platform.raisePriority(rtPriority, "engine"),
            () -> {
              fatal.set(true);
              stop.countDown();
            });
    for (var e : membersBySocket.entrySet()) {
      Resolved r = resolvedBySocket.get(e.getKey());
      AdvertIntake intake = new AdvertIntake(e.getValue(), engine::post, Clock.SYSTEM);
      platform.receiveAdverts(r.link(), r.family(), !hasOnlyUnicast(e.getValue()), intake);
    }
    engineRef.set(engine);
    platform.watchKernel(event -> engine.post(new Event.Kernel(event)));
    platform.startReceiving(rtPriority);

    Signals.onTerminate(stop::countDown);
    engine.start();
    HealthMonitor monitor =
        checks.isEmpty()
            ? null
            : HealthMonitor.start(
                checks,
                change -> {
                  String check = change.name().substring(change.name().indexOf('/') + 1);
                  engine.post(
                      new Event.CheckChanged(
                          checkGroup.get(change.name()), check, change.up(), change.detail()));
                });
    ControlServer control = startControl(config, engine, vrrpGroups, allEffects, journal);
    log.info("node {} running {} group(s)", config.node(), runtimes.size());
    journal.append(
        Events.daemonStarted(
            VersionCommand.version(),
            ProcessHandle.current().pid(),
            config.groups().stream().map(GroupConfig::name).toList()));
    try {
      stop.await();
      log.info("stopping: leaving every group gracefully");
      if (!engine.shutdown(5, TimeUnit.SECONDS)) {
        log.error("engine did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (control != null) {
        control.close();
      }
      if (monitor != null) {
        monitor.close();
      }
      scheduler.shutdownNow();
      if (hooks != null) {
        hooks.close(); // stop hooks run to the end (bounded by their timeouts)
      }
    }
    journal.append(
        Events.daemonStopped(
            fatal.get() ? "engine failure" : "signal",
            Duration.ofNanos(System.nanoTime() - startedAt)));
    if (fatal.get()) {
      log.error("stopped after an engine failure");
      return ExitCode.FAILED.code;
    }
    log.info("stopped");
    return ExitCode.OK.code;
  }

  /** The local control socket; without it failover still runs, so a failure is only logged. */
  private static ControlServer startControl(
      TakeoverConfig config,
      Engine engine,
      List<VrrpGroup> groups,
      List<GroupEffects> effects,
      Journal journal) {
    Path socket = config.daemon().stateDir().resolve("control.sock");
    try {
      ControlServer server =
          ControlServer.start(
              socket, new DaemonControl(config, engine, groups, effects, journal));
      log.info("control socket {}", socket);
      return server;
    } catch (IOException | RuntimeException e) {
      log.warn("no control socket at {}: {}", socket, e.getMessage());
      return null;
    }
  }

  private static boolean hasOnlyUnicast(List<AdvertIntake.Member> members) {
    return members.stream().allMatch(m -> !m.unicastPeers().isEmpty());
  }

  /** What a group needs of its interface, resolved once at start-up. */
  record Resolved(
      Links.LinkInfo link, InetAddress source, InetAddress multicastGroup, AddressFamily family) {}

  private static Resolved resolve(GroupConfig group, Platform platform) {
    Links.LinkInfo link =
        platform
            .links()
            .byName(group.interfaceName())
            .orElseThrow(
                () ->
                    new StartupException(
                        "group " + group.name() + ": interface " + group.interfaceName()
                            + " does not exist"));
    InetAddress source = group.unicastSource().orElse(null);
    Set<InetAddress> vips =
        Set.copyOf(group.addresses().stream().map(VirtualAddress::address).toList());
    if (source == null) {
      for (AddressTable.InterfaceAddress a : platform.addresses().list(link.index())) {
        boolean v4 = a.address() instanceof Inet4Address;
        boolean usable =
            group.family() == AddressFamily.IPV4
                ? v4 && !a.secondary()
                : a.address() instanceof Inet6Address && a.address().isLinkLocalAddress();
        if (usable && !vips.contains(a.address())) {
          source = a.address();
          break;
        }
      }
    }
    if (source == null) {
      throw new StartupException(
          "group " + group.name() + ": interface " + group.interfaceName() + " has no "
              + (group.family() == AddressFamily.IPV4 ? "IPv4 address" : "IPv6 link-local address")
              + " to send adverts from (RFC 5798 §5.1.1.1)");
    }
    InetAddress multicast =
        group.family() == AddressFamily.IPV4 ? Platform.VRRP_GROUP_V4 : Platform.VRRP_GROUP_V6;
    return new Resolved(link, source, multicast, group.family());
  }

  /** A start-up problem the operator must fix; reported in one line. */
  static final class StartupException extends RuntimeException {
    StartupException(String message) {
      super(message);
    }
  }
}
