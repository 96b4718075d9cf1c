package dev.takeover.engine;

import dev.takeover.clock.Clock;
import dev.takeover.effect.RateLimitedLog;
import dev.takeover.wire.AddressText;
import dev.takeover.wire.AdvertVerifier;
import dev.takeover.wire.AuthResult;
import dev.takeover.wire.AuthTrailer;
import dev.takeover.wire.ChecksumMode;
import dev.takeover.wire.Decoded;
import dev.takeover.wire.DropReason;
import dev.takeover.wire.TtlRange;
import dev.takeover.wire.VrrpAdvert;
import dev.takeover.wire.VrrpCodec;
import dev.takeover.wire.WireFormat;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns raw VRRP messages from one receive socket (one interface and address family) into engine
 * events. Runs on the polling thread: decoding is pure, so only accepted adverts cross to the
 * engine. Every drop is counted by reason and logged at most once per reason every ten seconds.
 *
 * <p>Time: an accepted advert is stamped with its arrival on this (receive) thread, from the same
 * injected {@link Clock} the engine reads, so the engine can tell how late it handles it and the
 * journal's timeline when it was last heard: the only time that reaches the engine from another
 * thread.
 *
 * <p>auth_hmac (a member with {@link Member#auth}): a payload exactly 28 bytes longer than its
 * message carries a trailer (keepalived's rule); the codec checks the message, then, once the
 * advert is known to be for this group from an accepted source, {@link AdvertVerifier} checks the
 * trailer, or its absence, per the group's mode. A failure is dropped and counted under its {@code
 * AUTH_*} reason like every other drop, before the advert can reach the engine. The verifier's
 * clock is this node's UTC time ({@link Clock#instant}), which the draft's freshness window is
 * defined against.
 *
 * <p>Drops are also counted per VRID (the VRID byte is read before decoding, so a VRRPv2 advert or
 * one with the other checksum mode still counts for its group), for {@code status}. A drop that
 * tells something about who is master ({@link #RIVAL_REASONS}: a router this node cannot read, the
 * address owner's rule, a source outside the unicast peers) also reaches the group's policy as
 * {@link Event.RivalAdvert}, at most one per VRID every {@value #RIVAL_GAP_MILLIS} ms.
 */
public final class AdvertIntake {
  private static final Logger log = LoggerFactory.getLogger("takeover.packets");

  /**
   * What the intake needs to know of one group on this socket.
   *
   * @param addresses the group's virtual addresses, which its adverts list; empty for a name-only
   *     group, whose adverts list their sender's own address (docs/DNS.md)
   * @param auth the group's auth_hmac verifier, holding its senders' anti-replay marks; used on the
   *     polling thread only
   * @param acceptTtl the TTL / hop limit the group's adverts pass with: 255 only, unless the group
   *     has unicast peers behind routers ({@code accept-ttl})
   */
  public record Member(
      int groupIndex,
      String label,
      int vrid,
      boolean addressOwner,
      WireFormat wireFormat,
      List<InetAddress> addresses,
      List<InetAddress> unicastPeers,
      Set<InetAddress> ownAddresses,
      Optional<AdvertVerifier> auth,
      TtlRange acceptTtl) {

    public Member {
      // The peer list is what stands in for TTL 255 once routed adverts are accepted.
      if (!acceptTtl.strict() && unicastPeers.isEmpty()) {
        throw new IllegalArgumentException(label + ": a TTL range needs unicast peers");
      }
    }

    /** A group with the RFC's TTL rule. */
    public Member(
        int groupIndex,
        String label,
        int vrid,
        boolean addressOwner,
        WireFormat wireFormat,
        List<InetAddress> addresses,
        List<InetAddress> unicastPeers,
        Set<InetAddress> ownAddresses,
        Optional<AdvertVerifier> auth) {
      this(
          groupIndex,
          label,
          vrid,
          addressOwner,
          wireFormat,
          addresses,
          unicastPeers,
          ownAddresses,
          auth,
          TtlRange.STRICT);
    }

    /** A VRRPv3 group with the given checksum mode. */
    public Member(
        int groupIndex,
        String label,
        int vrid,
        boolean addressOwner,
        ChecksumMode checksumMode,
        List<InetAddress> addresses,
        List<InetAddress> unicastPeers,
        Set<InetAddress> ownAddresses,
        Optional<AdvertVerifier> auth) {
      this(
          groupIndex,
          label,
          vrid,
          addressOwner,
          WireFormat.v3(checksumMode),
          addresses,
          unicastPeers,
          ownAddresses,
          auth);
    }

    /** A group without auth_hmac. */
    public Member(
        int groupIndex,
        String label,
        int vrid,
        boolean addressOwner,
        ChecksumMode checksumMode,
        List<InetAddress> addresses,
        List<InetAddress> unicastPeers,
        Set<InetAddress> ownAddresses) {
      this(
          groupIndex,
          label,
          vrid,
          addressOwner,
          checksumMode,
          addresses,
          unicastPeers,
          ownAddresses,
          Optional.empty());
    }
  }

  // Swapped whole on reload (engine thread), read by the polling thread: no locking needed.
  private volatile Member[] byVrid = new Member[256];
  private final Consumer<Event> sink;
  private final Clock clock;
  private final Map<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);
  private final LongAdder accepted = new LongAdder();
  private final LongAdder acceptedUnsigned = new LongAdder();
  private final RateLimitedLog dropLog;
  // VRIDs whose unknown adverts were already logged; the polling thread's alone.
  private final boolean[] reportedVrids = new boolean[256];

  /**
   * The drops that tell the group's policy about a rival master (issue 9 items 3, 5), among them
   * every authentication failure: an advert we cannot authenticate is one we cannot follow.
   */
  static final Set<DropReason> RIVAL_REASONS = rivalReasons();

  private static Set<DropReason> rivalReasons() {
    Set<DropReason> reasons =
        EnumSet.of(
            DropReason.BAD_VERSION,
            DropReason.CHECKSUM_MODE_MISMATCH,
            DropReason.ADDRESS_LIST_MISMATCH,
            DropReason.ADDRESS_OWNER,
            DropReason.NOT_A_PEER);
    for (DropReason r : DropReason.values()) {
      if (r.authentication()) {
        reasons.add(r);
      }
    }
    return Collections.unmodifiableSet(reasons);
  }

  static final long RIVAL_GAP_MILLIS = 20;
  private static final long RIVAL_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(RIVAL_GAP_MILLIS);
  // Drops per reason and VRID.
  private final Map<DropReason, AtomicLongArray> dropsByVrid = new EnumMap<>(DropReason.class);
  // When a rival advert was last posted per VRID; the polling thread's alone.
  private final long[] rivalPostedAt = new long[256];
  private final boolean[] rivalPosted = new boolean[256];

  public AdvertIntake(List<Member> members, Consumer<Event> sink, Clock clock) {
    replaceMembers(members);
    for (DropReason r : DropReason.values()) {
      drops.put(r, new LongAdder());
      dropsByVrid.put(r, new AtomicLongArray(256));
    }
    this.sink = sink;
    this.clock = clock;
    this.dropLog = new RateLimitedLog(log, 10, TimeUnit.SECONDS, clock);
  }

  /** The groups this socket serves, replaced as a whole (at start and on reload). */
  public void replaceMembers(List<Member> members) {
    Member[] table = new Member[256];
    for (Member m : members) {
      table[m.vrid()] = m;
    }
    byVrid = table;
  }

  /** Called by the socket poller for each message; {@code ttl} is the IP TTL or hop limit. */
  public void onMessage(
      byte[] buffer, int offset, int length, InetAddress source, InetAddress destination, int ttl) {
    Member[] table = byVrid;
    Member member = length >= 2 ? table[buffer[offset + 1] & 0xff] : null;
    WireFormat mode = member != null ? member.wireFormat() : WireFormat.DEFAULT;
    boolean ipv6 = source instanceof Inet6Address;
    boolean auth = member != null && member.auth().isPresent();
    boolean signed = auth && AuthTrailer.present(buffer, offset, length, ipv6);
    int trailer = signed ? AuthTrailer.LENGTH : 0;
    // RFC 5798 §7.1: TTL 255, unless this VRID's group accepts routed adverts from its peers.
    TtlRange ttls = member != null ? member.acceptTtl() : TtlRange.STRICT;
    switch (VrrpCodec.decode(
        buffer, offset, length, trailer, source, destination, ttl, ttls, mode)) {
      case Decoded.Dropped d -> {
        String detail = d.detail();
        if (member != null
            && !auth
            && d.reason() == DropReason.ADDRESS_COUNT_MISMATCH
            && AuthTrailer.present(buffer, offset, length, ipv6)) {
          detail +=
              " (28 bytes too many: an auth_hmac trailer? "
                  + member.label()
                  + " has no auth section)";
        }
        drop(d.reason(), source, detail);
        if (member != null) {
          // The priority byte sits at the same place in VRRPv2 (RFC 3768 §5.3.4).
          attribute(member, d.reason(), source, length >= 3 ? buffer[offset + 2] & 0xff : 0);
        }
      }
      case Decoded.Ok ok ->
          accept(ok.advert(), member, source, buffer, offset, length - trailer, signed);
    }
  }

  private void accept(
      VrrpAdvert advert,
      Member member,
      InetAddress source,
      byte[] buffer,
      int offset,
      int messageLength,
      boolean signed) {
    if (member != null && member.ownAddresses().contains(source)) {
      return; // our own advert, looped back by a bridge or a unicast peer list naming us
    }
    // RFC 5798 §7.1: the VRID must be configured here, and an address owner ignores adverts.
    if (member == null) {
      unknownVrid(advert.vrid(), source);
      return;
    }
    if (member.addressOwner()) {
      drop(DropReason.ADDRESS_OWNER, source, "VRID " + advert.vrid());
      attribute(member, DropReason.ADDRESS_OWNER, source, advert.priority());
      return;
    }
    if (!member.unicastPeers().isEmpty() && !member.unicastPeers().contains(source)) {
      drop(DropReason.NOT_A_PEER, source, member.label());
      attribute(member, DropReason.NOT_A_PEER, source, advert.priority());
      return;
    }
    if (member.auth().isPresent()
        && !authenticated(
            member, member.auth().get(), advert, source, buffer, offset, messageLength, signed)) {
      return;
    }
    // RFC 5798 §7.1: a different address list is a misconfiguration to log, not a reason to drop.
    // A name-only group's adverts list their sender's own address instead (docs/DNS.md).
    if (member.addresses().isEmpty()
        ? !listsOnly(advert.addresses(), source)
        : !sameAddresses(advert.addresses(), member.addresses())) {
      drops.get(DropReason.ADDRESS_LIST_MISMATCH).increment();
      attribute(member, DropReason.ADDRESS_LIST_MISMATCH, source, advert.priority());
      dropLog.warn(
          DropReason.ADDRESS_LIST_MISMATCH,
          "{} advert from {} lists {}, we have {} (accepted; check both configs)",
          member.label(),
          AddressText.of(source),
          AddressText.list(advert.addresses()),
          member.addresses().isEmpty()
              ? "no address (name-only: the sender's own)"
              : AddressText.list(member.addresses()));
    }
    accepted.increment();
    if (log.isDebugEnabled()) {
      log.debug(
          "{} advert from {}, priority {}",
          member.label(),
          AddressText.of(source),
          advert.priority());
    }
    sink.accept(
        new Event.AdvertReceived(
            member.groupIndex(),
            source,
            advert.priority(),
            advert.maxAdverIntervalCentis(),
            clock.nanoTime()));
  }

  /** draft-cassen-vrrp-auth-hmac: false (dropped and counted) unless the trailer checks out. */
  private boolean authenticated(
      Member member,
      AdvertVerifier verifier,
      VrrpAdvert advert,
      InetAddress source,
      byte[] buffer,
      int offset,
      int messageLength,
      boolean signed) {
    long now = clock.instant().getEpochSecond();
    AuthResult result =
        verifier.verify(buffer, offset, messageLength, signed, advert.vrid(), source, now);
    if (result != AuthResult.OK) {
      String detail = member.label() + " (auth " + verifier.settings().mode().keyword();
      if (result == AuthResult.STALE) {
        detail +=
            ", stamped "
                + verifier.lastSkewSeconds()
                + " s off our clock, window "
                + verifier.settings().timeWindowSeconds()
                + " s";
      } else if (result == AuthResult.UNKNOWN_KEY) {
        detail += ", key id " + (buffer[offset + messageLength + 1] & 0xff);
      }
      drop(result.dropReason(), source, detail + ")");
      attribute(member, result.dropReason(), source, advert.priority());
      return false;
    }
    if (!signed) {
      acceptedUnsigned.increment(); // a migration mode: the sender does not sign yet
      return true;
    }
    // keepalived's early warning: accepted, but the clocks drift towards the window's edge.
    int skew = verifier.lastSkewSeconds();
    int half = verifier.settings().timeWindowSeconds() / 2;
    if (skew > half || skew < -half) {
      dropLog.warn(
          AuthResult.STALE,
          "{} auth_hmac clock skew {} s from {}, approaching the {} s window: check NTP",
          member.label(),
          skew,
          AddressText.of(source),
          verifier.settings().timeWindowSeconds());
    }
    return true;
  }

  /** Whether a name-only group's advert lists its sender's address alone, as it should. */
  static boolean listsOnly(List<InetAddress> listed, InetAddress source) {
    return listed.size() == 1 && listed.getFirst().equals(source);
  }

  /**
   * Whether both lists hold the same addresses, in any order. Indexed loops, no sets: this runs for
   * every advert, and the JVM runs C1 only (no escape analysis), so any temporary object is
   * garbage.
   */
  static boolean sameAddresses(List<InetAddress> a, List<InetAddress> b) {
    return containsAll(a, b) && containsAll(b, a);
  }

  private static boolean containsAll(List<InetAddress> haystack, List<InetAddress> needles) {
    for (int i = 0; i < needles.size(); i++) {
      boolean found = false;
      for (int j = 0; j < haystack.size() && !found; j++) {
        found = haystack.get(j).equals(needles.get(i));
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /**
   * Another cluster's VRID on this LAN is normal and harmless: said once per VRID (at INFO), then
   * only counted, instead of a WARN every period forever.
   */
  private void unknownVrid(int vrid, InetAddress source) {
    drops.get(DropReason.UNKNOWN_VRID).increment();
    if (!reportedVrids[vrid]) {
      reportedVrids[vrid] = true;
      log.info(
          "adverts for VRID {} from {} are ignored: not configured here (another cluster on this"
              + " link?); further ones are only counted",
          vrid,
          source == null ? "?" : AddressText.of(source));
    }
  }

  private void drop(DropReason reason, InetAddress source, String detail) {
    drops.get(reason).increment();
    dropLog.warn(
        reason,
        "advert from {} dropped: {} ({})",
        source == null ? "?" : AddressText.of(source),
        reason,
        detail);
  }

  public long dropped(DropReason reason) {
    return drops.get(reason).sum();
  }

  /** Adverts for {@code vrid} dropped (or accepted with a complaint) since start, by reason. */
  public Map<DropReason, Long> droppedFor(int vrid) {
    Map<DropReason, Long> counts = new EnumMap<>(DropReason.class);
    for (DropReason r : DropReason.values()) {
      long n = dropsByVrid.get(r).get(vrid);
      if (n > 0) {
        counts.put(r, n);
      }
    }
    return counts;
  }

  /** Counts a drop for the member's VRID and tells its policy of a rival, rate limited. */
  private void attribute(Member member, DropReason reason, InetAddress source, int priority) {
    int vrid = member.vrid();
    dropsByVrid.get(reason).incrementAndGet(vrid);
    if (source == null || !RIVAL_REASONS.contains(reason)) {
      return;
    }
    long now = clock.nanoTime();
    if (rivalPosted[vrid] && now - rivalPostedAt[vrid] < RIVAL_GAP_NANOS) {
      return;
    }
    rivalPosted[vrid] = true;
    rivalPostedAt[vrid] = now;
    sink.accept(new Event.RivalAdvert(member.groupIndex(), source, reason, priority, now));
  }

  public long accepted() {
    return accepted.sum();
  }

  /**
   * Adverts accepted without an auth_hmac trailer by a group in a migration mode (receive-only,
   * permissive): zero once every peer signs, the signal that enforce is safe.
   */
  public long acceptedUnsigned() {
    return acceptedUnsigned.sum();
  }
}
