package dev.takeover.dnsupdate;

import dev.takeover.clock.Clock;
import dev.takeover.config.DnsConfig;
import dev.takeover.config.DnsConfig.NameConfig;
import dev.takeover.dns.Attempt;
import dev.takeover.dns.Desired;
import dev.takeover.dns.MoveTtl;
import dev.takeover.dns.Note;
import dev.takeover.dns.Outcome;
import dev.takeover.dns.QueueFile;
import dev.takeover.dns.RecordQueue;
import dev.takeover.dns.RetryPolicy;
import dev.takeover.journal.EventDraft;
import dev.takeover.journal.Events;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The names that follow the groups (docs/DNS.md): one {@link RecordQueue} per RRset, driven by one
 * platform thread of its own, so neither a slow server nor a disk write ever delays the engine.
 *
 * <p>Implementation notes. The engine thread only posts "group claimed" and "group released"
 * ({@link #claimed}, {@link #released}): a small record into a lock-free queue and an unpark, so it
 * never waits for a lock the DNS thread might hold. The DNS thread runs at normal priority
 * (DECISIONS 42): it must not compete with the real-time engine thread at a claim, and it still
 * wakes within a millisecond on an idle machine. It asks each queue for its due attempt and runs
 * each exchange on a virtual thread, whose outcome comes back through the same inbox. The queues
 * decide everything (supersede, backoff, servers in order, drift); this class journals what they
 * note, keeps the queue file in the state directory current (written to a temporary file and
 * renamed, so a crash leaves the old or the new file) and publishes what {@code status} shows.
 */
public final class DnsNames implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("takeover.dns");
  public static final String QUEUE_FILE = "dns-queue";

  /** One RRset of a group's name: its key, what a claim writes there, and its queue. */
  private record Entry(
      String group, NameConfig name, RecordKey key, Set<String> values, RecordQueue queue) {}

  /** What {@code status} shows of one RRset. */
  public record NameView(String record, RecordQueue.View view) {}

  private final Map<String, List<Entry>> byGroup = new LinkedHashMap<>();
  // Groups with names that lower their TTL ahead of a planned move; filled by the constructor,
  // read-only after (any thread may ask lowersTtlBeforeMoves); the plans are the DNS thread's.
  private final Map<String, MoveTtl> moves = new LinkedHashMap<>();
  private final Map<String, Duration> moveWaitMax = new LinkedHashMap<>();
  private final Map<String, Runnable> heldMoves = new LinkedHashMap<>(); // DNS thread
  private volatile Map<String, String> moveViews = Map.of();
  private final Map<String, Entry> byId = new LinkedHashMap<>();
  private final Map<String, Boolean> claimed = new LinkedHashMap<>(); // DNS thread
  private final Map<String, Long> claimedAt = new LinkedHashMap<>(); // DNS thread
  private final List<DnsExchange.Server> servers;
  private final Duration timeout;
  private final Path queueFile;
  private final Consumer<EventDraft> journal;
  private final Clock clock;
  private final ConcurrentLinkedQueue<Post> inbox = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile Map<String, List<NameView>> views = Map.of();
  private volatile boolean running = true;
  private String written = "";

  /** What other threads hand to the DNS thread; it alone acts on them. */
  private sealed interface Post {
    /** The group claimed its addresses at {@code at} (the clock of the claiming thread). */
    record Claimed(String group, long at) implements Post {}

    record Released(String group) implements Post {}

    /** A planned move asks to lower the group's TTLs first; {@code proceed} performs it. */
    record MoveRequested(String group, long restoreAfterNanos, Runnable proceed) implements Post {}

    /** The held (or proceeded) move was refused or called off: TTLs back. */
    record MoveCancelled(String group) implements Post {}

    /** An exchange ended (from its virtual thread). */
    record Answered(Entry entry, Attempt attempt, Outcome outcome, DnsExchange.Server server)
        implements Post {}
  }

  /**
   * @param targets per group, the addresses its names point to on this node: the VIPs, and this
   *     node's own address for names with {@code points-to: self}
   */
  public DnsNames(
      DnsConfig config,
      Map<String, Targets> targets,
      Map<DnsConfig.TsigKey, org.xbill.DNS.TSIG> keys,
      Path stateDir,
      Consumer<EventDraft> journal,
      Clock clock) {
    this.timeout = config.timeout();
    this.queueFile = stateDir.resolve(QUEUE_FILE);
    this.journal = journal;
    this.clock = clock;
    List<DnsExchange.Server> list = new ArrayList<>();
    for (DnsConfig.Server s : config.servers()) {
      list.add(
          new DnsExchange.Server(
              new InetSocketAddress(s.address(), s.port()), s.key().map(keys::get), s.toString()));
    }
    this.servers = List.copyOf(list);
    long now = clock.nanoTime();
    config
        .names()
        .forEach(
            (group, names) -> {
              Targets t = targets.get(group);
              if (t == null) {
                return;
              }
              for (NameConfig n : names) {
                RetryPolicy policy =
                    new RetryPolicy(
                        servers.size(),
                        config.retryInitial().toNanos(),
                        config.retryMax().toNanos(),
                        config.verifyInterval().toNanos(),
                        n.overwriteOnConflict());
                List<InetAddress> addresses =
                    n.pointsTo() == DnsConfig.PointsTo.SELF ? List.of(t.self()) : t.vips();
                int type =
                    addresses.getFirst() instanceof java.net.Inet6Address ? Type.AAAA : Type.A;
                Set<String> values = new java.util.TreeSet<>();
                addresses.forEach(a -> values.add(dev.takeover.wire.AddressText.of(a)));
                add(
                    new Entry(
                        group,
                        n,
                        new RecordKey(name(n.name()), type, name(n.zone()), n.ttl(), true),
                        values,
                        new RecordQueue(policy, now)));
                if (n.ptrZone().isPresent()) {
                  for (InetAddress a : addresses) {
                    add(
                        new Entry(
                            group,
                            n,
                            new RecordKey(
                                ReverseMap.fromAddress(a),
                                Type.PTR,
                                name(n.ptrZone().get()),
                                n.ttl(),
                                false),
                            Set.of(n.name()),
                            new RecordQueue(policy, now)));
                  }
                }
              }
            });
    byGroup.forEach(
        (group, entries) -> {
          List<MoveTtl.Lowering> lowerings = new ArrayList<>();
          Duration longest = Duration.ZERO;
          for (Entry e : entries) {
            // Only the forward records: the PTRs of our own addresses do not move.
            if (e.key().compareAndSwap() && e.name().moveTtl().isPresent()) {
              lowerings.add(
                  new MoveTtl.Lowering(
                      e.key().id(),
                      e.key().ttl(),
                      e.name().moveTtl().getAsInt(),
                      e.name().moveWaitMax().toNanos()));
              if (e.name().moveWaitMax().compareTo(longest) > 0) {
                longest = e.name().moveWaitMax();
              }
            }
          }
          if (!lowerings.isEmpty()) {
            moves.put(group, new MoveTtl(lowerings));
            moveWaitMax.put(group, longest);
          }
        });
    restore(now);
    publish();
    this.thread =
        Thread.ofPlatform()
            .name("takeover-dns")
            .daemon()
            .unstarted(
                () -> {
                  warmUp();
                  loop();
                });
  }

  /** What a group's names point to on this node. */
  public record Targets(List<InetAddress> vips, InetAddress self) {}

  private void add(Entry e) {
    byGroup.computeIfAbsent(e.group(), g -> new ArrayList<>()).add(e);
    byId.put(e.group() + " " + e.key().id(), e);
  }

  private static Name name(String text) {
    try {
      return Name.fromString(text);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(text + ": " + e.getMessage(), e);
    }
  }

  public void start() {
    thread.start();
  }

  /**
   * The group claimed its addresses: its names should point here. Any thread; never blocks (the
   * engine calls it).
   */
  public void claimed(String group) {
    // On the claiming thread: the journal's sinceClaimUs starts here.
    post(new Post.Claimed(group, clock.nanoTime()));
  }

  /** The group released its addresses: leave its names, or take our values out. Any thread. */
  public void released(String group) {
    post(new Post.Released(group));
  }

  /**
   * Whether a planned move of {@code group} lowers its names' TTL first ({@code move-ttl}). Any
   * thread: fixed at construction.
   */
  public boolean lowersTtlBeforeMoves(String group) {
    return moves.containsKey(group);
  }

  /** The longest a planned move of {@code group} waits for its TTLs ({@code move-wait-max}). */
  public Duration moveWaitMax(String group) {
    return moveWaitMax.getOrDefault(group, Duration.ZERO);
  }

  /** The names whose TTL a planned move of {@code group} lowers, for the operator. */
  public List<String> movedNames(String group) {
    return byGroup.getOrDefault(group, List.of()).stream()
        .filter(e -> e.key().compareAndSwap() && e.name().moveTtl().isPresent())
        .map(
            e ->
                e.key().owner()
                    + " (TTL "
                    + e.key().ttl()
                    + " s to "
                    + e.name().moveTtl().getAsInt()
                    + " s)")
        .toList();
  }

  /**
   * A planned move of {@code group} (this node is its master): lower the names' TTL, then run
   * {@code proceed} on the DNS thread once {@link MoveTtl} lets it go (it must only post to the
   * engine). A newer request replaces the {@code proceed} of one still held. Any thread; never
   * blocks.
   *
   * @param restoreAfterNanos how long after proceeding an unseen handover gets its TTLs back
   */
  public void moveRequested(String group, long restoreAfterNanos, Runnable proceed) {
    post(new Post.MoveRequested(group, restoreAfterNanos, proceed));
  }

  /** The move was refused or called off when it proceeded: TTLs back. Any thread. */
  public void moveCancelled(String group) {
    post(new Post.MoveCancelled(group));
  }

  /** Per group, what a held move waits for; for status. Any thread. */
  public Map<String, String> heldMoves() {
    return moveViews;
  }

  private void post(Post p) {
    inbox.offer(p);
    LockSupport.unpark(thread);
  }

  /** Carries out what was posted; DNS thread. */
  private void handle(Post p, long now) {
    switch (p) {
      case Post.Claimed c -> {
        claimed.put(c.group(), true);
        claimedAt.put(c.group(), c.at());
        for (Entry e : byGroup.getOrDefault(c.group(), List.of())) {
          e.queue().want(new Desired.Replace(e.values()), now);
        }
        MoveTtl m = moves.get(c.group());
        if (m != null) {
          m.claimed(now); // the claim writes the configured TTL
          heldMoves.remove(c.group());
        }
      }
      case Post.Released r -> {
        MoveTtl m = moves.get(r.group());
        if (m != null) {
          carryOut(r.group(), m.released(now), now);
        }
        if (claimed.remove(r.group()) == null) {
          return; // never claimed in this run: nothing of ours to take back
        }
        for (Entry e : byGroup.getOrDefault(r.group(), List.of())) {
          if (e.name().removeOnRelease()) {
            e.queue().want(new Desired.Remove(e.values()), now);
          } else {
            e.queue().cancel(now);
          }
        }
      }
      case Post.Answered a -> done(a.entry(), a.attempt(), a.outcome(), a.server());
      case Post.MoveRequested m -> moveRequested(m, now);
      case Post.MoveCancelled m -> {
        heldMoves.remove(m.group());
        MoveTtl plan = moves.get(m.group());
        if (plan != null) {
          carryOut(m.group(), plan.cancelled(now), now);
        }
      }
    }
  }

  private void moveRequested(Post.MoveRequested m, long now) {
    MoveTtl plan = moves.get(m.group());
    if (plan == null || !claimed.containsKey(m.group())) {
      // Nothing of ours to lower (this node has not written the names): the move goes on.
      log.info("[{}] planned move: this node does not hold the names; no TTL to lower", m.group());
      m.proceed().run();
      return;
    }
    heldMoves.put(m.group(), m.proceed());
    List<MoveTtl.Step> steps = plan.requested(now, m.restoreAfterNanos());
    if (plan.holding()) {
      log.info(
          "[{}] planned move: lowering the TTL of {} first; the move waits at most {} s",
          m.group(),
          String.join(", ", movedNames(m.group())),
          Math.max(0, (plan.holdsAtMostUntil() - now) / 1_000_000_000L));
    }
    carryOut(m.group(), steps, now);
  }

  /** Carries out what a group's {@link MoveTtl} asks for. DNS thread. */
  private void carryOut(String group, List<MoveTtl.Step> steps, long now) {
    for (MoveTtl.Step step : steps) {
      switch (step) {
        case MoveTtl.Step.Write w -> {
          Entry e = byId.get(group + " " + w.record());
          if (e == null || !claimed.containsKey(group)) {
            continue; // the record is no longer ours to write: the next master's TTL stands
          }
          e.queue()
              .want(
                  w.ttl() == e.key().ttl()
                      ? new Desired.Replace(e.values())
                      : new Desired.Replace(e.values(), OptionalInt.of(w.ttl())),
                  now);
        }
        case MoveTtl.Step.Proceed p -> {
          Runnable proceed = heldMoves.remove(group);
          if (proceed != null) {
            log.info("[{}] planned move proceeds: {}", group, p.why());
            proceed.run();
          }
        }
      }
    }
  }

  /** What status shows, per group; any thread. */
  public List<NameView> views(String group) {
    return views.getOrDefault(group, List.of());
  }

  private void loop() {
    while (running) {
      try {
        long now = clock.nanoTime();
        for (Post p = inbox.poll(); p != null; p = inbox.poll()) {
          handle(p, now);
        }
        long wait = Long.MAX_VALUE;
        for (Map.Entry<String, MoveTtl> m : moves.entrySet()) {
          MoveTtl plan = m.getValue();
          if (plan.active()) {
            carryOut(m.getKey(), plan.tick(now), now);
          }
          if (plan.active()) {
            wait = Math.min(wait, Math.max(0, plan.deadline() - now));
          }
        }
        for (Entry e : byId.values()) {
          Optional<Attempt> a = e.queue().next(now);
          a.ifPresent(attempt -> dispatch(e, attempt));
          OptionalLong d = e.queue().deadline();
          if (d.isPresent()) {
            wait = Math.min(wait, Math.max(0, d.getAsLong() - now));
          }
        }
        publish();
        persist();
        if (inbox.isEmpty() && running) {
          // A post after the check leaves the permit set, so this returns at once.
          LockSupport.parkNanos(Math.min(wait, TimeUnit.SECONDS.toNanos(60)));
        }
      } catch (RuntimeException e) {
        log.error("DNS updates: unexpected error, going on", e);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // never spin on an error
      }
    }
  }

  private void dispatch(Entry e, Attempt attempt) {
    DnsExchange.Server server = servers.get(attempt.server());
    long dispatched = clock.nanoTime(); // the update leaves right after
    // The message leaves here, on this thread; a virtual thread waits for the answer. The log line
    // and the journal come after: they must not delay the send.
    DnsExchange.Started started = DnsExchange.start(e.key(), attempt, server);
    Thread.ofVirtual()
        .name("takeover-dns-" + e.key().id())
        .start(
            () -> {
              Outcome outcome = DnsExchange.finish(started, e.key(), attempt, server, timeout);
              post(new Post.Answered(e, attempt, outcome, server));
            });
    if (!attempt.isRead()) {
      Desired d = attempt.desired().orElseThrow();
      String want = describe(d);
      String expected =
          e.key().compareAndSwap()
              ? attempt.expected().map(RecordQueue::text).orElse("nothing")
              : "anything";
      log.info(
          "[{}] DNS {}: {} (if it holds {}) to {}",
          e.group(),
          e.key().id(),
          want,
          expected,
          server.text());
      EventDraft sent =
          Events.dnsUpdateSent(
              e.group(), e.key().id(), want, expected, server.text(), attempt.attempt());
      Long at = claimedAt.get(e.group());
      if (at != null && attempt.attempt() == 1 && d instanceof Desired.Replace) {
        // How long after the claim this update left (the claim's own records come later: the
        // engine journals a claim after its first announcement).
        sent = sent.with("sinceClaimUs", (dispatched - at) / 1000);
      }
      journal.accept(sent);
    }
  }

  /**
   * Runs the claim's path once without sending or recording anything, so its classes are loaded and
   * the first real claim does not pay for that (it cost about 10 ms in DnsFailoverIT).
   */
  private void warmUp() {
    for (Entry e : byId.values()) {
      Desired d = new Desired.Replace(e.values());
      UpdateBuilder.update(e.key(), d, Optional.of(e.values())).toWire();
      Events.dnsUpdateSent(e.group(), e.key().id(), describe(d), "nothing", "-", 1);
      RecordQueue q = new RecordQueue(new RetryPolicy(1, 1, 1, 0, true), 0);
      q.want(d, 0);
      q.next(0).ifPresent(a -> q.done(a, new Outcome.Confirmed(e.values()), 0));
    }
  }

  private void done(Entry e, Attempt attempt, Outcome outcome, DnsExchange.Server server) {
    String id = e.key().id();
    long now = clock.nanoTime();
    for (Note note : e.queue().done(attempt, outcome, now)) {
      switch (note) {
        case Note.Confirmed c -> {
          String values = RecordQueue.text(c.found());
          if (c.repaired()) {
            log.warn("[{}] DNS {} repaired: written back to {}", e.group(), id, values);
            journal.accept(
                Events.dnsDriftRepaired(e.group(), id, driftFound.getOrDefault(id, "?"), values));
          }
          log.info("[{}] DNS {} holds {} (confirmed by {})", e.group(), id, values, server.text());
          MoveTtl plan = moves.get(e.group());
          if (plan != null && c.desired() instanceof Desired.Replace r && r.ttl().isPresent()) {
            carryOut(e.group(), plan.confirmed(id, r.ttl().getAsInt(), now), now);
          }
          journal.accept(
              Events.dnsUpdateConfirmed(e.group(), id, values, c.attempts(), server.text()));
        }
        case Note.Conflict c -> {
          String found = RecordQueue.text(c.found());
          if (c.overwriting()) {
            log.warn(
                "[{}] DNS {} held {}, not what we last saw; overwriting", e.group(), id, found);
          } else {
            log.error(
                "[{}] DNS {} held {}, not what we last saw; left alone (on-conflict: alarm)",
                e.group(),
                id,
                found);
          }
          journal.accept(
              Events.dnsUpdateConflict(
                  e.group(), id, describe(c.desired()), found, c.overwriting()));
        }
        case Note.Retry r -> {
          String next = servers.get(r.nextServer()).text();
          log.warn(
              "[{}] DNS {} {} failed: {}; next try in {} ms to {}",
              e.group(),
              id,
              r.read() ? "read" : "update",
              r.error(),
              r.delayNanos() / 1_000_000,
              next);
          journal.accept(
              Events.dnsUpdateRetry(
                  e.group(),
                  id,
                  r.error(),
                  r.attempt(),
                  Duration.ofNanos(r.delayNanos()),
                  next,
                  r.read()));
        }
        case Note.Drift d -> {
          String found = RecordQueue.text(d.found());
          driftFound.put(id, found);
          log.warn(
              "[{}] DNS {} drifted: it holds {}, we hold {}",
              e.group(),
              id,
              found,
              describe(d.desired()));
        }
      }
    }
  }

  private final Map<String, String> driftFound = new LinkedHashMap<>();

  private static String describe(Desired d) {
    return switch (d) {
      case Desired.Replace r ->
          RecordQueue.text(r.values())
              + (r.ttl().isPresent() ? " (TTL lowered to " + r.ttl().getAsInt() + " s)" : "");
      case Desired.Remove r -> "remove " + RecordQueue.text(r.values());
    };
  }

  private void publish() {
    Map<String, String> held = new LinkedHashMap<>();
    long now = clock.nanoTime();
    heldMoves
        .keySet()
        .forEach(
            group -> {
              MoveTtl plan = moves.get(group);
              long left = Math.max(0, plan.holdsAtMostUntil() - now);
              held.put(
                  group,
                  "a planned move waits for the lowered TTL of "
                      + String.join(", ", movedNames(group))
                      + " (at most "
                      + (left + 999_999_999L) / 1_000_000_000L
                      + " s more)");
            });
    moveViews = Map.copyOf(held);
    Map<String, List<NameView>> next = new LinkedHashMap<>();
    byGroup.forEach(
        (group, entries) ->
            next.put(
                group,
                entries.stream().map(e -> new NameView(e.key().id(), e.queue().view())).toList()));
    views = Map.copyOf(next);
  }

  private void restore(long now) {
    if (!Files.exists(queueFile)) {
      return;
    }
    try {
      QueueFile.Read read = QueueFile.decode(Files.readString(queueFile, StandardCharsets.UTF_8));
      if (read.dropped() > 0) {
        log.warn(
            "{}: {} torn or altered line(s) dropped; those records are read anew",
            queueFile,
            read.dropped());
      }
      read.queues()
          .forEach(
              (key, saved) -> {
                Entry e = byId.get(key);
                if (e != null) {
                  e.queue().restore(saved, now);
                }
              });
      written = Files.readString(queueFile, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      log.warn("{}: cannot read ({}); starting with empty DNS queues", queueFile, e.getMessage());
    }
  }

  private void persist() {
    Map<String, RecordQueue.Saved> saved = new LinkedHashMap<>();
    byId.forEach((id, e) -> saved.put(id, e.queue().save()));
    String text = QueueFile.encode(saved);
    if (text.equals(written)) {
      return;
    }
    try {
      Path tmp = queueFile.resolveSibling(QUEUE_FILE + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(
          tmp, queueFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      written = text;
    } catch (IOException e) {
      log.warn("{}: cannot write ({}); will try again", queueFile, e.getMessage());
      written = text; // one warning per change, not one per loop
    }
  }

  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
