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

  /** Null when the configuration has no node links. */
  static LinkRuntime build(
      TakeoverConfig config, Platform platform, Recorder record, Clock clock, Engine engine) {
    LinksConfig lc = config.links();
    if (!lc.enabled()) {
      return null;
    }
    byte[] key = readKey(lc.keyFile().orElseThrow());
    HeartbeatCodec receiveCodec = new HeartbeatCodec(key);
    HeartbeatCodec sendCodec = new HeartbeatCodec(key);
    Arrays.fill(key, (byte) 0);
    LinkPacketIntake intake = new LinkPacketIntake(receiveCodec, engine::post, clock);
    Map<InetAddress, LinkSocket> sockets = new LinkedHashMap<>();
    List<NodeLinks.PathSpec> specs = new ArrayList<>();
    for (LinksConfig.LinkPath p : lc.paths()) {
      if (!sockets.containsKey(p.local())) {
        try {
          sockets.put(p.local(), platform.linkSocket(p.local(), lc.port(), intake));
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
    // ICMP probes' echo identifiers: a random start per run, one more per probe (DECISIONS 67).
    int identifierBase = new SecureRandom().nextInt(1 << 16);
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
    // One ICMP socket per interface with ICMP probes, and one raw ICMPv6 socket per interface with
    // IPv6 probes, opened before the probes that send on them.
    Map<Integer, IcmpSocket> echoSockets =
        probeSockets(platform, echoSources, probedLinks, ifindex -> new int[0]);
    Map<Integer, IcmpSocket> icmp6Sockets =
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
                platform.probeSender(),
                (probe, message, length) ->
                    echoSocketOf[probe].sendWithoutWaiting(message, length, gatewayOf[probe]),
                clock.nanoTime());
    for (Map.Entry<Integer, IcmpSocket> e : echoSockets.entrySet()) {
      int[] indexes = probesOn(probeSpecs, e.getKey(), GatewayProbe.Kind.ICMP, false);
      platform.receiveEchoReplies(
          e.getValue(), echoIntake(indexes, probeSpecs, probes, engine, clock)::onPacket);
    }
    for (Map.Entry<Integer, IcmpSocket> e : icmp6Sockets.entrySet()) {
      int[] indexes =
          java.util.stream.IntStream.concat(
                  Arrays.stream(probesOn(probeSpecs, e.getKey(), GatewayProbe.Kind.ICMP, true)),
                  Arrays.stream(probesOn(probeSpecs, e.getKey(), GatewayProbe.Kind.NDP, true)))
              .toArray();
      platform.receiveIcmp6(
          e.getValue(), echoIntake(indexes, probeSpecs, probes, engine, clock)::onMessage6);
    }
    for (Links.LinkInfo link : probedLinks.values()) {
      int[] indexes = probesOn(probeSpecs, link.index(), GatewayProbe.Kind.ARP, false);
      if (indexes.length == 0) {
        continue; // ICMP probes only on this interface: no ARP replies to watch for
      }
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
    }
    Instant wall = clock.instant();
    // The first sequence is the wall clock in nanoseconds: a restarted node's packets are newer
    // than its last run's, so peers' replay windows accept them (as for auth_hmac adverts).
    long firstSequence = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
    NodeLinks links = new NodeLinks(config.node(), specs, firstSequence, clock.nanoTime());
    LinkRuntime runtime =
        new LinkRuntime(
            config.node(),
            ConfigHash.prefix(config),
            links,
            sendCodec,
            (path, packet, length) -> bySpec[path].send(packet, length, peers[path]),
            platform.routes(),
            routes,
            lc.guard(),
            probes,
            record);
    runtime.decodeDrops(intake::drops);
    log.info(
        "node links: {} path(s) to {} on UDP port {}, {} route(s), {} gateway probe(s){}",
        specs.size(),
        String.join(", ", specs.stream().map(NodeLinks.PathSpec::node).distinct().toList()),
        lc.port(),
        routes.size(),
        probeSpecs.size(),
        lc.guard().isEmpty() ? "" : ", guard for " + String.join(", ", lc.guard()));
    return runtime;
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
