package dev.takeover.vrrp;

import dev.takeover.vrrp.Conflict.ConflictKind;
import dev.takeover.wire.MacAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The bookkeeping behind "never strand a client" and RFC 5227 conflict detection, for one group:
 * the MACs of the group's VRRP peers, the address probe before a claim, the rate limits of
 * re-announcing and defending, and the conflicts seen. It decides nothing about the group's state:
 * {@link GroupPolicy} asks it and places the actions. Pure, single-threaded, times compared by
 * subtraction only.
 *
 * <h2>Implementation notes</h2>
 *
 * <ul>
 *   <li><b>Known peers.</b> A MAC is a peer's when a VRRP advert for the group that passed the
 *       intake's checks (RFC 5798 §7.1, and the unicast peer list) came from it: the platform sees
 *       the frame, so the Ethernet source is exact. Backups do not advertise, so a peer that was
 *       never master here is unknown until it advertises; that is why a claim by an unknown MAC
 *       while master is first treated like a peer's (re-announce at once) and only called a
 *       conflict if the MAC is still unknown Master_Down_Interval later ({@link #classify}): a
 *       backup that claims by mistake announces before its first advert (claim before advert).
 *   <li><b>Probe.</b> RFC 5227 §2.1.1, with VRRP's timing instead of its seconds: {@value
 *       #PROBE_COUNT} probes one probe interval apart (the advert interval, at most 1 s), then one
 *       interval for answers. Started when the group enters BACKUP without having heard a master,
 *       it is done before Master_Down_Interval (3 intervals plus Skew_Time) runs out, so it adds
 *       nothing to the first claim. An answer from a MAC that is not a known peer at the end of the
 *       round means the address is in use; a new round follows every {@value #PROBE_RETRY_MILLIS}
 *       ms until one passes unanswered.
 *   <li><b>Re-announcing</b> (evidence that clients were pulled away) is immediate, then at least
 *       {@value #REANNOUNCE_GAP_MILLIS} ms apart and at most {@value #REANNOUNCE_BUDGET} times per
 *       DEFEND_INTERVAL; evidence inside the gap is not dropped but answered when the gap ends, so
 *       a client pulled away is back within the gap. The budget bounds what two nodes that each
 *       answer the other's announcements (two masters that cannot hear each other's adverts) send.
 *   <li><b>Defending</b> against a MAC that is not a peer: at most once per {@value
 *       #DEFEND_INTERVAL_MILLIS} ms (RFC 5227 §2.4 (b), (c): a VRRP master keeps its address).
 *   <li><b>Conflicts</b> are kept per kind and subject (at most {@value #MAX_CONFLICTS}) and are
 *       active until {@value #CONFLICT_HOLD_MILLIS} ms after last seen. A conflict that becomes
 *       active is reported once (the policy's action), not at every sighting.
 * </ul>
 */
final class ClientGuard {
  static final int PROBE_COUNT = 3; // RFC 5227 PROBE_NUM
  static final long PROBE_RETRY_MILLIS = 1_000;
  static final long MAX_PROBE_INTERVAL_MILLIS = 1_000; // RFC 5227 PROBE_MIN
  static final long DEFEND_INTERVAL_MILLIS = 10_000; // RFC 5227 DEFEND_INTERVAL
  static final long REANNOUNCE_GAP_MILLIS = GroupPolicy.REANNOUNCE_GAP_MILLIS;
  static final int REANNOUNCE_BUDGET = 10;
  static final long CONFLICT_HOLD_MILLIS = 10_000;
  static final int MAX_KNOWN_MACS = 64;
  static final int MAX_CONFLICTS = 16;
  static final int MAX_CLAIMS = 16;

  /** Equal-priority adverts from one source while master before that is a dual master. */
  static final int DUAL_MASTER_ADVERTS = 3;

  private static final long MS = 1_000_000L;
  static final long PROBE_RETRY_NANOS = PROBE_RETRY_MILLIS * MS;
  static final long MAX_PROBE_INTERVAL_NANOS = MAX_PROBE_INTERVAL_MILLIS * MS;
  static final long DEFEND_INTERVAL_NANOS = DEFEND_INTERVAL_MILLIS * MS;
  static final long REANNOUNCE_GAP_NANOS = REANNOUNCE_GAP_MILLIS * MS;
  static final long CONFLICT_HOLD_NANOS = CONFLICT_HOLD_MILLIS * MS;

  /** What the probe says about the group's addresses. */
  enum Verdict {
    /** No probe round has finished (or none ran). */
    UNKNOWN,
    /** The last round finished and nobody but peers answered. */
    FREE,
    /** Another host answered. */
    IN_USE
  }

  // ---------------------------------------------------------------- known peers

  private final LinkedHashMap<MacAddress, Long> peerMacs = bounded(MAX_KNOWN_MACS);

  // ---------------------------------------------------------------- the probe

  private boolean probing;
  private long probeInterval;
  private int probesSent;
  private long nextProbeAt;
  private Verdict verdict = Verdict.UNKNOWN;

  /** Who claimed our addresses since the current round started: MAC -> address. */
  private final LinkedHashMap<MacAddress, InetAddress> roundClaims = bounded(MAX_CLAIMS);

  // ---------------------------------------------------------------- re-announcing, defending

  private final long[] reannouncedAt = new long[REANNOUNCE_BUDGET];
  private int reannounces; // how many of reannouncedAt are filled
  private int oldest; // index of the oldest in reannouncedAt once full
  private String pendingReason; // evidence waiting for the gap to end; null for none
  private boolean pendingHasNotBefore; // the evidence may be a handover: not acted on before
  private long pendingNotBefore;
  private boolean defended;
  private long defendedAt;

  /** Claims by MACs not known yet, while master: MAC -> (address, first seen). */
  private final LinkedHashMap<MacAddress, Sighting> unclassified = bounded(MAX_CLAIMS);

  private record Sighting(InetAddress address, long at) {}

  // ---------------------------------------------------------------- conflicts

  private final LinkedHashMap<String, Conflict> conflicts = bounded(MAX_CONFLICTS);
  private final LinkedHashMap<InetAddress, Counted> equalAdverts = bounded(MAX_CLAIMS);

  private record Counted(int count, long first) {}

  @SuppressWarnings("NonApiType") // the callers rely on LinkedHashMap's order
  private static <K, V> LinkedHashMap<K, V> bounded(int max) {
    return new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }

  // ---------------------------------------------------------------- peers

  /** A valid advert for the group came from {@code mac}. */
  void peerMac(MacAddress mac, long now) {
    peerMacs.remove(mac);
    peerMacs.put(mac, now);
  }

  boolean isPeer(MacAddress mac) {
    return peerMacs.containsKey(mac);
  }

  // ---------------------------------------------------------------- the probe

  /** Starts a round now (cancelling one in progress); forgets earlier answers. */
  void startProbing(long advertIntervalNanos, long now) {
    probing = true;
    probeInterval = Math.min(advertIntervalNanos, MAX_PROBE_INTERVAL_NANOS);
    probesSent = 0;
    nextProbeAt = now;
    roundClaims.clear();
    if (verdict == Verdict.FREE) {
      verdict = Verdict.UNKNOWN;
    }
  }

  /** A master is heard: VRRP decides from here, no more probes. */
  void stopProbing() {
    probing = false;
  }

  boolean probing() {
    return probing;
  }

  /** What the probe does at a tick. */
  enum ProbeStep {
    NONE,
    /** Send a probe for every address now. */
    SEND,
    /** A round ended unanswered: the verdict is {@link Verdict#FREE}. */
    FREE,
    /** A round ended answered by another host ({@link #inUseBy()}); another round follows. */
    IN_USE
  }

  /** Advances the probe by {@code now}. */
  ProbeStep probe(long now) {
    if (!probing || now - nextProbeAt < 0) {
      return ProbeStep.NONE;
    }
    if (probesSent < PROBE_COUNT) {
      probesSent++;
      nextProbeAt = now + probeInterval;
      return ProbeStep.SEND;
    }
    // The wait for answers after the last probe is over.
    inUseBy = unknownClaimant();
    if (inUseBy == null) {
      verdict = Verdict.FREE;
      probing = false;
      return ProbeStep.FREE;
    }
    verdict = Verdict.IN_USE;
    probesSent = 0;
    nextProbeAt = now + PROBE_RETRY_NANOS;
    roundClaims.clear();
    return ProbeStep.IN_USE;
  }

  private Map.Entry<MacAddress, InetAddress> inUseBy;

  /** Who answered in the round that ended {@link ProbeStep#IN_USE}: MAC and address. */
  Map.Entry<MacAddress, InetAddress> inUseBy() {
    return inUseBy;
  }

  /** The first MAC that answered for an address in this round and is no peer's. */
  private Map.Entry<MacAddress, InetAddress> unknownClaimant() {
    for (Map.Entry<MacAddress, InetAddress> e : roundClaims.entrySet()) {
      if (!isPeer(e.getKey())) {
        return Map.entry(e.getKey(), e.getValue());
      }
    }
    return null;
  }

  /** The outcome of the last finished round, until {@link #resetVerdict}. */
  Verdict verdict() {
    return verdict;
  }

  /** Someone else claimed {@code address} while we do not hold it: the probe's answer. */
  void claimWhileNotHolding(InetAddress address, MacAddress mac) {
    roundClaims.remove(mac);
    roundClaims.put(mac, address);
  }

  /** Forgets the verdict: the addresses are ours now, or VRRP decides. */
  void resetVerdict() {
    verdict = Verdict.UNKNOWN;
    roundClaims.clear();
  }

  // ---------------------------------------------------------------- re-announcing

  /**
   * Evidence that clients may have been pulled away: whether to re-announce now. If not, the
   * evidence is kept and {@link #reannounceDue} says when.
   */
  boolean reannounceNow(String reason, long now) {
    if (now - nextReannounceAllowed(now) >= 0) {
      recordReannounce(now);
      pendingReason = null;
      pendingHasNotBefore = false;
      return true;
    }
    if (pendingReason == null) {
      pendingReason = reason;
    }
    return false;
  }

  /**
   * Evidence that may be a handover in progress (a peer that preempts us announces the addresses
   * just before its first advert, DECISIONS 17): re-announce no sooner than {@code notBefore}, so
   * that the advert, if it comes, makes us BACKUP first and {@link #dropPendingReannounce} drops
   * it.
   */
  void deferReannounce(String reason, long notBefore) {
    if (pendingReason == null) {
      pendingReason = reason;
      pendingHasNotBefore = true;
      pendingNotBefore = notBefore;
    }
  }

  /** A deferred re-announcement that is due by {@code now}, with its reason. */
  String reannounceDue(long now) {
    if (pendingReason == null
        || (pendingHasNotBefore && now - pendingNotBefore < 0)
        || now - nextReannounceAllowed(now) < 0) {
      return null;
    }
    String reason = pendingReason;
    pendingReason = null;
    pendingHasNotBefore = false;
    recordReannounce(now);
    return reason;
  }

  /** Evidence no longer matters (we are not master, or we announce anyway). */
  void dropPendingReannounce() {
    pendingReason = null;
    pendingHasNotBefore = false;
  }

  private long nextReannounceAllowed(long now) {
    return reannounces == 0 ? now : nextReannounceAllowedAt();
  }

  private void recordReannounce(long now) {
    if (reannounces < REANNOUNCE_BUDGET) {
      reannouncedAt[(oldest + reannounces) % REANNOUNCE_BUDGET] = now;
      reannounces++;
    } else {
      reannouncedAt[oldest] = now;
      oldest = (oldest + 1) % REANNOUNCE_BUDGET;
    }
  }

  // ---------------------------------------------------------------- defending

  /** RFC 5227 §2.4: whether to defend now (at most once per DEFEND_INTERVAL). */
  boolean defendNow(long now) {
    if (defended && now - defendedAt < DEFEND_INTERVAL_NANOS) {
      return false;
    }
    defended = true;
    defendedAt = now;
    return true;
  }

  /** A claim by a MAC not known yet, while master; classified later, see the class notes. */
  void unclassifiedClaim(InetAddress address, MacAddress mac, long now) {
    if (!unclassified.containsKey(mac)) {
      unclassified.put(mac, new Sighting(address, now));
    }
  }

  /** A claim that stayed unknown: {@code mac} used {@code address}, first seen {@code at}. */
  record Foreign(MacAddress mac, InetAddress address, long at) {}

  /**
   * The unclassified claims older than {@code afterNanos} whose MAC is still not a peer's: address
   * conflicts. Forgets them all once old enough.
   */
  List<Foreign> classify(long afterNanos, long now) {
    List<Foreign> foreign = new ArrayList<>();
    var it = unclassified.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<MacAddress, Sighting> e = it.next();
      if (now - e.getValue().at() >= afterNanos) {
        if (!isPeer(e.getKey())) {
          foreign.add(new Foreign(e.getKey(), e.getValue().address(), e.getValue().at()));
        }
        it.remove();
      }
    }
    return foreign;
  }

  /** The re-announcement at {@code at} was a defence (RFC 5227 §2.4): the next waits for it. */
  void defendedAt(long at) {
    if (!defended || at - defendedAt > 0) {
      defended = true;
      defendedAt = at;
    }
  }

  /** When the oldest unclassified claim is due for {@link #classify}. */
  OptionalLong classifyDeadline(long afterNanos) {
    long earliest = 0;
    boolean any = false;
    for (Sighting s : unclassified.values()) {
      if (!any || s.at() - earliest < 0) {
        earliest = s.at();
        any = true;
      }
    }
    return any ? OptionalLong.of(earliest + afterNanos) : OptionalLong.empty();
  }

  void forgetUnclassified() {
    unclassified.clear();
  }

  // ---------------------------------------------------------------- conflicts

  /**
   * Notes a sighting of a conflict; true if it starts an episode (it was not active), which is when
   * it is reported.
   */
  boolean conflict(ConflictKind kind, String subject, String detail, long now) {
    String key = kind.wireName() + " " + subject;
    Conflict before = conflicts.remove(key);
    boolean active = before != null && now - before.lastSeen() < CONFLICT_HOLD_NANOS;
    long since = active ? before.since() : now;
    conflicts.put(key, new Conflict(kind, subject, detail, since, now));
    return !active;
  }

  /** Whether a conflict of this kind about this subject is active. */
  boolean activeConflict(ConflictKind kind, String subject, long now) {
    Conflict c = conflicts.get(kind.wireName() + " " + subject);
    return c != null && now - c.lastSeen() < CONFLICT_HOLD_NANOS;
  }

  /** Ends every conflict of {@code kind} now (the addresses were found free and claimed). */
  void clearConflicts(ConflictKind kind) {
    conflicts.values().removeIf(c -> c.kind() == kind);
  }

  /** The active conflicts, oldest first. */
  List<Conflict> conflicts(long now) {
    List<Conflict> active = new ArrayList<>();
    for (Conflict c : conflicts.values()) {
      if (now - c.lastSeen() < CONFLICT_HOLD_NANOS) {
        active.add(c);
      }
    }
    active.sort((a, b) -> Long.compare(a.since() - now, b.since() - now));
    return active;
  }

  /**
   * An advert at our own priority from {@code source} while master (we stay master: ours is the
   * higher address). True once such adverts keep coming: {@value #DUAL_MASTER_ADVERTS} within the
   * conflict hold. One or two are the ordinary end of a tie (both claimed, the lower address yields
   * on our next advert, RFC 5798 §6.4.3).
   */
  boolean equalPriorityAdvert(InetAddress source, long now) {
    Counted c = equalAdverts.remove(source);
    Counted next =
        c == null || now - c.first() >= CONFLICT_HOLD_NANOS
            ? new Counted(1, now)
            : new Counted(c.count() + 1, c.first());
    equalAdverts.put(source, next);
    return next.count() >= DUAL_MASTER_ADVERTS;
  }

  // ---------------------------------------------------------------- deadlines

  /** The earliest of the probe, a deferred re-announcement; none if nothing is pending. */
  OptionalLong deadline(long classifyAfterNanos) {
    OptionalLong next = OptionalLong.empty();
    if (probing) {
      next = OptionalLong.of(nextProbeAt);
    }
    if (pendingReason != null) {
      // With no re-announcement yet, only deferReannounce leaves evidence pending (reannounceNow
      // answers at once), so then the wait is the not-before alone.
      long due = reannounces == 0 ? pendingNotBefore : nextReannounceAllowedAt();
      if (pendingHasNotBefore && pendingNotBefore - due > 0) {
        due = pendingNotBefore;
      }
      next = earlier(next, due);
    }
    OptionalLong classify = classifyDeadline(classifyAfterNanos);
    if (classify.isPresent()) {
      next = earlier(next, classify.getAsLong());
    }
    return next;
  }

  private long nextReannounceAllowedAt() {
    int newest = (oldest + reannounces - 1) % REANNOUNCE_BUDGET;
    long allowed = reannouncedAt[newest] + REANNOUNCE_GAP_NANOS;
    if (reannounces == REANNOUNCE_BUDGET) {
      long budget = reannouncedAt[oldest] + DEFEND_INTERVAL_NANOS;
      allowed = budget - allowed > 0 ? budget : allowed;
    }
    return allowed;
  }

  private static OptionalLong earlier(OptionalLong a, long b) {
    return a.isPresent() && a.getAsLong() - b <= 0 ? a : OptionalLong.of(b);
  }
}
