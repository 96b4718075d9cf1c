package dev.takeover.daemon;

import dev.takeover.clock.Clock;
import dev.takeover.config.ConfigHash;
import dev.takeover.config.LinksConfig;
import dev.takeover.config.TakeoverConfig;
import dev.takeover.effect.Recorder;
import dev.takeover.engine.Engine;
import dev.takeover.engine.GatewayEchoIntake;
import dev.takeover.engine.GatewayProbes;
import dev.takeover.engine.GatewayReplyIntake;
import dev.takeover.engine.LinkPacketIntake;
import dev.takeover.engine.LinkRuntime;
import dev.takeover.links.GatewayProbe;
import dev.takeover.links.HeartbeatCodec;
import dev.takeover.links.NodeLinks;
import dev.takeover.platform.AddressTable;
import dev.takeover.platform.IcmpSocket;
import dev.takeover.platform.LinkSocket;
import dev.takeover.platform.Links;
import dev.takeover.wire.ArpFrame;
import dev.takeover.wire.IcmpCodec;
import dev.takeover.wire.MacAddress;
import dev.takeover.wire.NeighborAdvert;
import dev.takeover.wire.NeighborSolicit;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the node links (docs/LINKS.md) at start-up: reads the key (refusing a world-readable file),
 * opens one UDP socket per local address, resolves the routes' interfaces and this node's addresses
 * on them, and builds the engine's {@link LinkRuntime}. Decides nothing.
 */
final class NodeLinksSetup {
  private static final Logger log = LoggerFactory.getLogger("takeover");

  private NodeLinksSetup() {}

  /**
   * What running node links own outside the engine, which the next reload takes over: the path
   * sockets by local address (on {@code port}), the intake they deliver to, the key's digest, the
   * gateway probes and the sources their replies come from.
   */
  static final class Owned {
    final int port;
    final Map<InetAddress, LinkSocket> sockets;
    final LinkPacketIntake intake;
    final byte[] keyDigest;
    final GatewayProbes probes;
    final List<AutoCloseable> probeSources;
    final GatewayProbes.FrameSender frameSender;
    final int identifierBase;

    Owned(
        int port,
        Map<InetAddress, LinkSocket> sockets,
        LinkPacketIntake intake,
        byte[] keyDigest,
        GatewayProbes probes,
        List<AutoCloseable> probeSources,
        GatewayProbes.FrameSender frameSender,
        int identifierBase) {
      this.port = port;
      this.sockets = Map.copyOf(sockets);
      this.intake = intake;
      this.keyDigest = keyDigest.clone();
      this.probes = probes;
      this.probeSources = List.copyOf(probeSources);
      this.frameSender = frameSender;
      this.identifierBase = identifierBase;
    }

    /** Everything registered with the socket poller: closed when the links stop. */
    List<AutoCloseable> sources() {
      List<AutoCloseable> all = new ArrayList<>(sockets.values());
      all.addAll(probeSources);
      return all;
    }

    /**
     * What this owns and {@code next} does not take over: closed once the reload is carried out.
     */
    List<AutoCloseable> leftBehindBy(Owned next) {
      List<AutoCloseable> left = new ArrayList<>();
      for (LinkSocket socket : sockets.values()) {
        if (!next.sockets.containsValue(socket)) {
          left.add(socket);
        }
      }
      for (AutoCloseable source : probeSources) {
        if (!next.probeSources.contains(source)) {
          left.add(source);
        }
      }
      return left;
    }
  }

  /**
   * Node links built: the runtime's parts, what they own, and what this build opened (closed if the
   * reload is refused after all).
   */
  record Built(LinkRuntime.Setup setup, Owned owned, List<AutoCloseable> opened) {}

  /** Node links running: the engine's runtime and what it owns. */
  record Started(LinkRuntime runtime, Owned owned) {}

  /**
   * At start (or a reload that adds the section); null when the configuration has no node links.
   */
  static Started build(
      TakeoverConfig config, Platform platform, Recorder record, Clock clock, Engine engine) {
    if (!config.links().enabled()) {
      return null;
    }
    Built b = build(config, platform, clock, engine, null, true);
    return new Started(runtime(config, b, platform, record, clock), b.owned());
  }

  /** A new runtime of built parts, its sequence counting from the wall clock. */
  static LinkRuntime runtime(
      TakeoverConfig config, Built b, Platform platform, Recorder record, Clock clock) {
    LinkRuntime.Setup s = b.setup();
    Instant wall = clock.instant();
    // The first sequence is the wall clock in nanoseconds: a restarted node's packets are newer
    // than its last run's, so peers' replay windows accept them (as for auth_hmac adverts).
    long firstSequence = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
    NodeLinks links = new NodeLinks(config.node(), s.paths(), firstSequence, clock.nanoTime());
    LinkRuntime runtime =
        new LinkRuntime(
            config.node(),
            ConfigHash.prefix(config),
            links,
            s.codec(),
            s.sender(),
            platform.routes(),
            s.routes(),
            s.guarded(),
            s.probes(),
            record);
    runtime.decodeDrops(b.owned().intake::drops);
    runtime.intake(b.owned().intake);
    return runtime;
  }

  /** The SHA-256 of the key file's bytes; refuses a world-readable or badly sized file. */
  static byte[] keyDigest(LinksConfig lc) {
    byte[] key = readKey(lc.keyFile().orElseThrow());
    try {
      return digest(key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] digest(byte[] key) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(key);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }

  /**
   * Builds the node links' parts for {@code config}. At start {@code previous} is null; at a reload
   * it is what the running links own: sockets of local addresses that stay (on the same port) are
   * taken over, not opened again, as are the gateway probes when {@code probesChanged} is false.
   * Whatever this opens is in {@link Built#opened}.
   */
  static Built build(
      TakeoverConfig config,
      Platform platform,
      Clock clock,
      Engine engine,
      Owned previous,
      boolean probesChanged) {
    LinksConfig lc = config.links();
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      return build(config, platform, clock, engine, previous, probesChanged, lc, opened);
    } catch (RuntimeException e) {
      for (AutoCloseable c : opened) {
        platform.unregister(c);
      }
      throw e;
    }
  }

  private static Built build(
      TakeoverConfig config,
      Platform platform,
      Clock clock,
      Engine engine,
      Owned previous,
      boolean probesChanged,
      LinksConfig lc,
      List<AutoCloseable> opened) {
    byte[] key = readKey(lc.keyFile().orElseThrow());
    byte[] digest = digest(key);
    boolean rekeyed = previous == null || !Arrays.equals(digest, previous.keyDigest);
    HeartbeatCodec sendCodec = rekeyed ? new HeartbeatCodec(key) : null;
    HeartbeatCodec receiveCodec = rekeyed ? new HeartbeatCodec(key) : null;
    LinkPacketIntake intake =
        previous != null
            ? previous.intake
            : new LinkPacketIntake(receiveCodec, engine::post, clock);
    Arrays.fill(key, (byte) 0);
    Map<InetAddress, LinkSocket> sockets = new LinkedHashMap<>();
    List<NodeLinks.PathSpec> specs = new ArrayList<>();
    for (LinksConfig.LinkPath p : lc.paths()) {
      if (!sockets.containsKey(p.local())) {
        LinkSocket kept =
            previous != null && previous.port == lc.port() ? previous.sockets.get(p.local()) : null;
        if (kept != null) {
          sockets.put(p.local(), kept);
        } else {
          try {
            LinkSocket socket = platform.linkSocket(p.local(), lc.port(), intake);
            opened.add(socket);
            sockets.put(p.local(), socket);
          } catch (RuntimeException e) {
            throw new Daemon.StartupException(
                "node link from "
                    + p.local().getHostAddress()
                    + ": cannot bind UDP port "
                    + lc.port()
                    + ": "
                    + e.getMessage());
          }
        }
      }
      specs.add(
          new NodeLinks.PathSpec(
              p.node(), p.local(), p.peer(), p.interval().toNanos(), p.misses(), p.goods()));
    }
    LinkSocket[] bySpec = new LinkSocket[specs.size()];
    InetAddress[] peers = new InetAddress[specs.size()];
    for (int i = 0; i < specs.size(); i++) {
      bySpec[i] = sockets.get(specs.get(i).local());
      peers[i] = specs.get(i).peer();
    }
    List<LinkRuntime.Route> routes = new ArrayList<>();
    // One probe per gateway on an interface (LinkRules refuses two different ones).
    Map<String, Integer> probeIndex = new LinkedHashMap<>();
    List<GatewayProbes.Spec> probeSpecs = new ArrayList<>();
    Map<Integer, Links.LinkInfo> probedLinks = new LinkedHashMap<>();
    Map<Integer, Inet4Address> echoSources = new LinkedHashMap<>();
    Map<Integer, Inet6Address> icmp6Sources = new LinkedHashMap<>();
    Set<InetAddress> pathLocals = new HashSet<>();
    lc.paths().forEach(p -> pathLocals.add(p.local()));
    // ICMP probes' echo identifiers: a random start per run, one more per probe (DECISIONS 67);
    // kept over reloads, so a probe that keeps its place keeps its identifier.
    int identifierBase =
        previous != null ? previous.identifierBase : new SecureRandom().nextInt(1 << 16);
    for (LinksConfig.LinkRoute r : lc.routes()) {
      List<LinkRuntime.Hop> hops = new ArrayList<>();
      for (LinksConfig.NextHop h : r.via()) {
        Links.LinkInfo link =
            platform
                .links()
                .byName(h.interfaceName())
                .orElseThrow(
                    () ->
                        new Daemon.StartupException(
                            "links.routes " + r.text() + ": no interface " + h.interfaceName()));
        Set<InetAddress> locals = new HashSet<>();
        for (AddressTable.InterfaceAddress a : platform.addresses().list(link.index())) {
          locals.add(a.address());
        }
        int probe = -1;
        if (h.probe().isPresent()) {
          LinksConfig.Probe p = h.probe().get();
          probe =
              probeIndex.computeIfAbsent(
                  h.interfaceName() + " " + h.gateway().getHostAddress(),
                  k -> {
                    GatewayProbe.Kind kind = GatewayProbe.Kind.of(p.kind());
                    if (h.gateway() instanceof Inet6Address gateway) {
                      // NDP or ICMP (LinkRules refuses arp on an IPv6 next hop).
                      Inet6Address source = source(locals, pathLocals, Inet6Address.class);
                      if (source == null) {
                        throw new Daemon.StartupException(
                            "links.routes "
                                + r.text()
                                + ": a "
                                + kind.configName()
                                + " probe of "
                                + gateway.getHostAddress()
                                + " needs an IPv6 address on "
                                + h.interfaceName()
                                + " to send from");
                      }
                      icmp6Sources.putIfAbsent(link.index(), source);
                      probeSpecs.add(
                          kind == GatewayProbe.Kind.ICMP
                              ? GatewayProbes.Spec.icmp(
                                  h.interfaceName(),
                                  link.index(),
                                  gateway,
                                  identifierBase + probeSpecs.size(),
                                  p.interval().toNanos(),
                                  p.misses(),
                                  p.goods())
                              : GatewayProbes.Spec.ndp(
                                  h.interfaceName(),
                                  link.index(),
                                  gateway,
                                  NeighborSolicit.unicastProbe(gateway, link.mac()),
                                  p.interval().toNanos(),
                                  p.misses(),
                                  p.goods()));
                      probedLinks.put(link.index(), link);
                      return probeSpecs.size() - 1;
                    }
                    // IPv4: ARP or ICMP (LinkRules refuses ndp on an IPv4 next hop).
                    Inet4Address gateway = (Inet4Address) h.gateway();
                    Inet4Address source = source(locals, pathLocals, Inet4Address.class);
                    if (kind == GatewayProbe.Kind.ICMP) {
                      if (source == null) {
                        throw new Daemon.StartupException(
                            "links.routes "
                                + r.text()
                                + ": an icmp probe of "
                                + gateway.getHostAddress()
                                + " needs an IPv4 address on "
                                + h.interfaceName()
                                + " to send from (kind: arp works without one)");
                      }
                      echoSources.putIfAbsent(link.index(), source);
                      probeSpecs.add(
                          GatewayProbes.Spec.icmp(
                              h.interfaceName(),
                              link.index(),
                              gateway,
                              identifierBase + probeSpecs.size(),
                              p.interval().toNanos(),
                              p.misses(),
                              p.goods()));
                    } else {
                      probeSpecs.add(
                          new GatewayProbes.Spec(
                              h.interfaceName(),
                              link.index(),
                              gateway,
                              source == null
                                  ? ArpFrame.probe(link.mac(), gateway)
                                  : ArpFrame.request(link.mac(), source, gateway),
                              p.interval().toNanos(),
                              p.misses(),
                              p.goods()));
                    }
                    probedLinks.put(link.index(), link);
                    return probeSpecs.size() - 1;
                  });
        }
        hops.add(new LinkRuntime.Hop(h.interfaceName(), link.index(), h.gateway(), locals, probe));
      }
      routes.add(new LinkRuntime.Route(r.text(), r.destination(), r.prefixLength(), hops));
    }
    GatewayProbes probes;
    List<AutoCloseable> probeSources = new ArrayList<>();
    GatewayProbes.FrameSender frameSender = previous != null ? previous.frameSender : null;
    if (previous != null && !probesChanged) {
      // The same probes in the same order: the running ones go on, replies and all.
      probes = previous.probes;
      probeSources = previous.probeSources;
    } else {
      if (frameSender == null && !probeSpecs.isEmpty()) {
        frameSender = platform.probeSender();
      }
      probes =
          openProbes(
              platform,
              clock,
              engine,
              probeSpecs,
              probedLinks,
              echoSources,
              icmp6Sources,
              frameSender,
              opened,
              probeSources);
    }
    GatewayProbes.FrameSender keptSender = frameSender;
    LinkRuntime.Setup setup =
        new LinkRuntime.Setup(
            specs,
            (path, packet, length) -> bySpec[path].send(packet, length, peers[path]),
            routes,
            lc.guard(),
            probes,
            sendCodec,
            receiveCodec,
            intake,
            spared(config));
    log.info(
        "node links: {} path(s) to {} on UDP port {}, {} route(s), {} gateway probe(s){}",
        specs.size(),
        String.join(", ", specs.stream().map(NodeLinks.PathSpec::node).distinct().toList()),
        lc.port(),
        routes.size(),
        probeSpecs.size(),
        lc.guard().isEmpty() ? "" : ", guard for " + String.join(", ", lc.guard()));
    return new Built(
        setup,
        new Owned(
            lc.port(), sockets, intake, digest, probes, probeSources, keptSender, identifierBase),
        opened);
  }

  /**
   * Groups' routes in the main table: ours by protocol too, never a stale or removed link route.
   */
  static Set<dev.takeover.platform.RouteTable.Route> spared(TakeoverConfig config) {
    return config.groups().stream()
        .flatMap(g -> g.routes().stream())
        .filter(r -> r.table() == dev.takeover.config.VirtualRoute.MAIN_TABLE)
        .map(r -> new dev.takeover.platform.RouteTable.Route(r.destination(), r.prefixLength()))
        .collect(java.util.stream.Collectors.toSet());
  }

  /**
   * Opens the probes' sockets and intakes: one ICMP socket per interface with IPv4 ICMP probes, one
   * raw ICMPv6 socket per interface with IPv6 probes (ICMP and NDP), one frame watch per interface
   * with ARP probes; what it opens goes to {@code opened} and {@code sources}.
   */
  private static GatewayProbes openProbes(
      Platform platform,
      Clock clock,
      Engine engine,
      List<GatewayProbes.Spec> probeSpecs,
      Map<Integer, Links.LinkInfo> probedLinks,
      Map<Integer, Inet4Address> echoSources,
      Map<Integer, Inet6Address> icmp6Sources,
      GatewayProbes.FrameSender frameSender,
      List<AutoCloseable> opened,
      List<AutoCloseable> sources) {
    // One ICMP socket per interface with ICMP probes, and one raw ICMPv6 socket per interface with
    // IPv6 probes, opened before the probes that send on them.
    Map<Integer, IcmpSocket> echoSockets =
        probeSockets(platform, echoSources, probedLinks, ifindex -> new int[0]);
    Map<Integer, IcmpSocket> icmp6Sockets;
    try {
      icmp6Sockets =
          probeSockets(
              platform,
              icmp6Sources,
              probedLinks,
              ifindex ->
                  // The filter queues what the interface's probes wait for, nothing else.
                  java.util.stream.IntStream.of(
                          probesOn(probeSpecs, ifindex, GatewayProbe.Kind.ICMP, true).length > 0
                              ? IcmpCodec.ECHO6_REPLY
                              : -1,
                          probesOn(probeSpecs, ifindex, GatewayProbe.Kind.NDP, true).length > 0
                              ? NeighborAdvert.TYPE
                              : -1)
                      .filter(t -> t >= 0)
                      .toArray());
    } catch (RuntimeException e) {
      echoSockets.values().forEach(platform::closeUnregistered);
      throw e;
    }
    IcmpSocket[] echoSocketOf = new IcmpSocket[probeSpecs.size()];
    InetAddress[] gatewayOf = new InetAddress[probeSpecs.size()];
    for (int i = 0; i < probeSpecs.size(); i++) {
      GatewayProbes.Spec s = probeSpecs.get(i);
      echoSocketOf[i] =
          (s.gateway() instanceof Inet6Address ? icmp6Sockets : echoSockets).get(s.ifindex());
      gatewayOf[i] = s.gateway();
    }
    GatewayProbes probes =
        probeSpecs.isEmpty()
            ? GatewayProbes.NONE
            : new GatewayProbes(
                probeSpecs,
                frameSender,
                (probe, message, length) ->
                    echoSocketOf[probe].sendWithoutWaiting(message, length, gatewayOf[probe]),
                clock.nanoTime());
    for (Map.Entry<Integer, IcmpSocket> e : echoSockets.entrySet()) {
      int[] indexes = probesOn(probeSpecs, e.getKey(), GatewayProbe.Kind.ICMP, false);
      platform.receiveEchoReplies(
          e.getValue(), echoIntake(indexes, probeSpecs, probes, engine, clock)::onPacket);
      opened.add(e.getValue());
      sources.add(e.getValue());
    }
    for (Map.Entry<Integer, IcmpSocket> e : icmp6Sockets.entrySet()) {
      int[] indexes =
          java.util.stream.IntStream.concat(
                  Arrays.stream(probesOn(probeSpecs, e.getKey(), GatewayProbe.Kind.ICMP, true)),
                  Arrays.stream(probesOn(probeSpecs, e.getKey(), GatewayProbe.Kind.NDP, true)))
              .toArray();
      platform.receiveIcmp6(
          e.getValue(), echoIntake(indexes, probeSpecs, probes, engine, clock)::onMessage6);
      opened.add(e.getValue());
      sources.add(e.getValue());
    }
    for (Links.LinkInfo link : probedLinks.values()) {
      int[] indexes = probesOn(probeSpecs, link.index(), GatewayProbe.Kind.ARP, false);
      if (indexes.length == 0) {
        continue; // ICMP probes only on this interface: no ARP replies to watch for
      }
      AutoCloseable watch =
          platform.watchFrames(
              link,
              new GatewayReplyIntake(
                      MacAddress.of(link.mac()),
                      indexes,
                      Arrays.stream(indexes)
                          .mapToObj(i -> probeSpecs.get(i).gateway())
                          .toArray(Inet4Address[]::new),
                      probes,
                      engine::post,
                      clock)
                  ::onFrame);
      opened.add(watch);
      sources.add(watch);
    }
    return probes;
  }

  /**
   * Where a probe's requests come from: this node's address of {@code family} on the interface (as
   * the kernel's own ARP requests, solicitations and pings, which every router answers), a
   * node-link path's local address there first (a virtual address would teach the gateway that it
   * is here, true only while master), then a global one before a link-local one (IPv6: the socket
   * scopes it to the interface); null when it has none (an ARP probe then asks from 0.0.0.0, an RFC
   * 5227 probe).
   */
  private static <A extends InetAddress> A source(
      Set<InetAddress> locals, Set<InetAddress> pathLocals, Class<A> family) {
    return locals.stream()
        .filter(family::isInstance)
        .sorted(
            java.util.Comparator.comparing((InetAddress a) -> pathLocals.contains(a) ? 0 : 1)
                .thenComparing(a -> a.isLinkLocalAddress() ? 1 : 0)
                .thenComparing(InetAddress::getHostAddress))
        .map(family::cast)
        .findFirst()
        .orElse(null);
  }

  /** Opens the probes' socket on each interface of {@code sources}, from its source address. */
  private static Map<Integer, IcmpSocket> probeSockets(
      Platform platform,
      Map<Integer, ? extends InetAddress> sources,
      Map<Integer, Links.LinkInfo> links,
      java.util.function.IntFunction<int[]> passedTypes) {
    Map<Integer, IcmpSocket> sockets = new LinkedHashMap<>();
    for (Map.Entry<Integer, ? extends InetAddress> e : sources.entrySet()) {
      boolean ipv6 = e.getValue() instanceof Inet6Address;
      try {
        sockets.put(
            e.getKey(),
            platform.icmpSocket(e.getKey(), e.getValue(), passedTypes.apply(e.getKey())));
      } catch (RuntimeException x) {
        sockets.values().forEach(platform::closeUnregistered);
        throw new Daemon.StartupException(
            (ipv6 ? "IPv6" : "icmp")
                + " gateway probes on "
                + links.get(e.getKey()).name()
                + ": cannot open a raw "
                + (ipv6 ? "ICMPv6" : "ICMP")
                + " socket from "
                + e.getValue().getHostAddress()
                + ": "
                + x.getMessage());
      }
    }
    return sockets;
  }

  /** The intake of the ICMP (or ICMPv6 and NDP) probes {@code indexes} of one interface. */
  private static GatewayEchoIntake echoIntake(
      int[] indexes,
      List<GatewayProbes.Spec> specs,
      GatewayProbes probes,
      Engine engine,
      Clock clock) {
    return new GatewayEchoIntake(
        indexes,
        Arrays.stream(indexes).mapToObj(i -> specs.get(i).gateway()).toArray(InetAddress[]::new),
        Arrays.stream(indexes).map(i -> specs.get(i).identifier()).toArray(),
        probes,
        engine::post,
        clock);
  }

  /** The indexes of the probes of one kind and family on one interface, in order. */
  private static int[] probesOn(
      List<GatewayProbes.Spec> specs, int ifindex, GatewayProbe.Kind kind, boolean ipv6) {
    return java.util.stream.IntStream.range(0, specs.size())
        .filter(
            i ->
                specs.get(i).ifindex() == ifindex
                    && specs.get(i).kind() == kind
                    && specs.get(i).gateway() instanceof Inet6Address == ipv6)
        .toArray();
  }

  private static byte[] readKey(Path file) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (perms.contains(PosixFilePermission.OTHERS_READ)) {
        throw new Daemon.StartupException(
            "links.key-file " + file + " is readable by every user (chmod 600)");
      }
      byte[] key = Files.readAllBytes(file);
      if (key.length < 16 || key.length > 4096) {
        throw new Daemon.StartupException(
            "links.key-file " + file + ": " + key.length + " bytes; allowed: 16..4096");
      }
      return key;
    } catch (IOException e) {
      throw new Daemon.StartupException("links.key-file " + file + ": " + e.getMessage());
    }
  }
}
