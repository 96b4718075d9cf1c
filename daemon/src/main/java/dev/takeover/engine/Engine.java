package dev.takeover.engine;

import dev.takeover.action.Action;
import dev.takeover.clock.Clock;
import dev.takeover.effect.RateLimitedLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns all protocol state.
 *
 * <p>Implementation notes: packets, kernel events, checks and control requests become {@link
 * Event}s in a bounded queue; this thread takes them one at a time, feeds them to the group's pure
 * state machine together with the time read from the {@link Clock}, and hands the returned actions
 * to the effects. Between events it waits until the earliest state-machine deadline, so timers need
 * no thread of their own. With a {@link Waiter} (the daemon's: every receive socket in one {@code
 * ppoll()}) it waits on the sockets themselves and their handlers post from this thread, so an
 * advert wakes one thread, not a receive thread and then this one (docs/DECISIONS.md 65); without
 * one (tests) it waits on the queue. Nothing else touches a {@link GroupRuntime}, which is why none
 * of it is synchronized.
 */
public final class Engine {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  private static final long IDLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

  // Group id -> runtime. Ids are never reused, so a late event for a removed group finds nothing.
  private final Map<Integer, GroupRuntime> groups;
  private final Clock clock;
  private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(4096);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch started = new CountDownLatch(1);
  private final Thread thread;
  private final IntConsumer threadSetup;
  private final Thread.UncaughtExceptionHandler onFatal;
  private final TimerLateness lateness;
  private final LongAdder dropped = new LongAdder();
  private final RateLimitedLog queueFull;
  private volatile boolean running = true;
  private final Waiter waiter; // null: wait on the queue
  // True while the engine may be blocked in the waiter: another thread's post must wake it.
  private volatile boolean waiting;
  private LinkRuntime links; // node links, if configured; engine thread after start
  private boolean stopping; // shutdown asked; running on only while groups hand over
  // Settles the sync groups after every event and tick (engine thread); see settleWith.
  private volatile java.util.function.LongConsumer settle = now -> {};

  /**
   * @param threadSetup runs first on the engine thread (e.g. to raise it to real-time priority);
   *     its argument is unused and 0
   * @param onFatal called once if the engine thread dies of an unexpected error (also its
   *     uncaught-exception handler), so the process exits (and systemd restarts it) instead of
   *     running on without failover; the daemon's is {@code daemon.Fatal}, which logs and halts
   */
  public Engine(
      Map<Integer, GroupRuntime> groups,
      Clock clock,
      IntConsumer threadSetup,
      Thread.UncaughtExceptionHandler onFatal) {
    this(groups, clock, threadSetup, onFatal, new TimerLateness(Long.MAX_VALUE, late -> {}));
  }

  /**
   * @param lateness where the engine records how late it runs each timer
   */
  public Engine(
      Map<Integer, GroupRuntime> groups,
      Clock clock,
      IntConsumer threadSetup,
      Thread.UncaughtExceptionHandler onFatal,
      TimerLateness lateness) {
    this(groups, clock, threadSetup, onFatal, lateness, null);
  }

  /**
   * @param waiter what the engine waits in between events and timers (the daemon's socket poller),
   *     or null to wait on the event queue alone
   */
  public Engine(
      Map<Integer, GroupRuntime> groups,
      Clock clock,
      IntConsumer threadSetup,
      Thread.UncaughtExceptionHandler onFatal,
      TimerLateness lateness,
      Waiter waiter) {
    this.waiter = waiter;
    this.lateness = lateness;
    this.groups = new LinkedHashMap<>(groups);
    this.clock = clock;
    this.queueFull = new RateLimitedLog(log, 10, TimeUnit.SECONDS, clock);
    this.threadSetup = threadSetup;
    this.onFatal = onFatal;
    this.thread =
        Thread.ofPlatform()
            .name("takeover-engine")
            .uncaughtExceptionHandler(onFatal)
            .unstarted(this::loop);
  }

  public void start() {
    thread.start();
  }

  /** The node links (docs/LINKS.md); before {@link #start} only. */
  public void setLinks(LinkRuntime links) {
    if (thread.isAlive()) {
      throw new IllegalStateException("node links are set before the engine starts");
    }
    this.links = links;
  }

  /**
   * Queue an event; never blocks. A full queue means the engine is stuck or flooded: drop and say
   * so, at most once every ten seconds, because a flood that fills the queue would otherwise also
   * flood the log, one line per packet.
   */
  public void post(Event event) {
    if (queue.offer(event)) {
      // Another thread's event while the engine waits on its sockets: wake it. The engine's own
      // posts (socket handlers run on it) need no wake-up: it drains the queue next.
      if (waiting && Thread.currentThread() != thread) {
        waiter.wake();
      }
    } else {
      dropped.increment();
      // The adder itself, not its sum: formatted only when the line is logged, not per drop.
      queueFull.warn(
          Engine.class, "engine queue full, dropped {} ({} dropped since start)", event, dropped);
    }
  }

  /** Events dropped because the queue was full. */
  public long droppedEvents() {
    return dropped.sum();
  }

  /** Ask for a graceful stop and wait for it. */
  public boolean shutdown(long timeout, TimeUnit unit) throws InterruptedException {
    // A shutdown must get through even when the queue is full.
    while (running && !queue.offer(new Event.Shutdown(), 10, TimeUnit.MILLISECONDS)) {
      queue.poll();
    }
    if (waiter != null) {
      waiter.wake();
    }
    return stopped.await(timeout, unit);
  }

  /**
   * Waits until every group has started (the engine thread ran each group's start), for the service
   * manager's readiness.
   *
   * @return false if that did not happen within the timeout or the engine stopped first
   */
  public boolean awaitStarted(long timeout, TimeUnit unit) throws InterruptedException {
    return started.await(timeout, unit) && running;
  }

  private void loop() {
    try {
      threadSetup.accept(0);
      long now = clock.nanoTime();
      for (GroupRuntime g : groups.values()) {
        g.start(now);
      }
      if (links != null) {
        links.start(groups.values(), now);
      }
      settle.accept(now);
      started.countDown();
      while (running) {
        pass();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable e) {
      // Nothing here may allocate first (an OutOfMemoryError would end the thread before the
      // process): the handler reports, and in the daemon halts.
      running = false;
      onFatal.uncaughtException(thread, e);
    } finally {
      running = false;
      started.countDown(); // a start that failed is not waited for
      stopped.countDown();
    }
  }

  /**
   * One turn: wait for events or the next deadline, handle what arrived, run the timers. A method
   * of its own, not the loop's body, so the JIT compiles it after a few hundred turns: a loop
   * inside one long-running method waits for on-stack replacement, which C1 (the launcher's {@code
   * TieredStopAtLevel=1}) triggers only after 60,000 back-edges — ten minutes of interpreted turns
   * at 10 ms adverts (issue 15, seen with perf).
   */
  private void pass() throws InterruptedException {
    long before = clock.nanoTime();
    long deadline = nextDeadline(before);
    long wait = deadline - before;
    Event event = next(wait);
    long now = clock.nanoTime();
    if (deadline != before + IDLE_WAIT_NANOS && now - deadline >= 0) {
      lateness.record(deadline, now); // a timer was due: how late do we get to it?
    }
    // Everything already queued goes before the timers: after a stall (a slow start, a
    // pause) the master's adverts wait here, and firing Master_Down_Interval before reading
    // them would be a false failover (RFC 5798 §6.4.2: an advert received resets the timer).
    // Only what was queued now: a flood that keeps coming must not keep timers from running.
    int queued = queue.size();
    while (event != null) {
      try {
        dispatch(event, now);
        // In the same turn as the event: a sync group's members never split on this node.
        settle.accept(now);
      } catch (RuntimeException e) {
        // One bad event must not stop failover for every group.
        log.error("engine could not handle {}", event, e);
      }
      event = queued-- > 0 ? queue.poll() : null;
    }
    for (GroupRuntime g : groups.values()) {
      g.tick(now);
    }
    if (links != null) {
      links.tick(now);
      links.afterPass(groups.values(), now);
    }
    settle.accept(now);
    if (stopping && groups.values().stream().noneMatch(GroupRuntime::handingOver)) {
      running = false;
    }
  }

  /**
   * The next event, waiting at most {@code wait} ns for one (or for a readable socket, whose
   * handlers post theirs); null when there is none.
   */
  private Event next(long wait) throws InterruptedException {
    if (waiter == null) {
      return wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
    }
    if (wait > 0 && queue.isEmpty()) {
      // Set before looking at the queue: a post from another thread either lands before the look
      // (and is seen) or sees the flag (and wakes the waiter).
      waiting = true;
      try {
        waiter.await(queue.isEmpty() ? wait : 0);
      } finally {
        waiting = false;
      }
    } else {
      waiter.await(0); // busy: read the sockets without waiting, so they keep their turn
    }
    return queue.poll();
  }

  private void dispatch(Event event, long now) {
    switch (event) {
      case Event.AdvertReceived a -> {
        lateness.record(a.receivedAt(), now); // an advert is due the moment it arrives
        group(a.group()).advertReceived(a, now);
      }
      case Event.ForeignClaim c -> {
        lateness.record(c.receivedAt(), now);
        group(c.group()).foreignClaim(c, now);
      }
      case Event.PeerMac m -> group(m.group()).peerMac(m, now);
      case Event.RivalAdvert r -> {
        lateness.record(r.receivedAt(), now);
        group(r.group()).rivalAdvert(r, now);
      }
      case Event.CheckChanged c ->
          group(c.group()).checkChanged(c.check(), c.up(), c.detail(), now);
      case Event.ClaimProceed p -> group(p.group()).claimProceed(p.epoch(), now);
      case Event.TrackFileRead f -> group(f.group()).trackFileRead(f.path(), f.value(), now);
      case Event.OnEngine o -> o.task().run();
      case Event.Kernel k -> {
        for (GroupRuntime g : List.copyOf(groups.values())) {
          g.kernelEvent(k.event(), now);
        }
        if (links != null) {
          links.kernelEvent(k.event());
          // A FAULT at a link-down leaves at once over the surviving paths.
          links.afterPass(groups.values(), now);
        }
      }
      case Event.LinkPacket p -> {
        lateness.record(p.receivedAt(), now);
        if (links != null) {
          links.received(p, now);
          links.afterPass(groups.values(), now);
        }
      }
      case Event.GatewayReply r -> {
        if (links != null) {
          links.gatewayReply(r, now);
          links.afterPass(groups.values(), now);
        }
      }
      case Event.Shutdown s -> {
        if (!stopping) {
          stopping = true;
          for (GroupRuntime g : groups.values()) {
            g.stop(now, true);
          }
        }
      }
    }
  }

  /**
   * What settles the sync groups ({@code vrrp.SyncGroup}), run on the engine thread after every
   * event and every round of timers; set before {@link #start}.
   */
  public void settleWith(java.util.function.LongConsumer settle) {
    this.settle = java.util.Objects.requireNonNull(settle, "settle");
  }

  /** A group that is gone (reloaded away) swallows its late events. */
  private GroupRuntime group(int id) {
    GroupRuntime g = groups.get(id);
    return g != null ? g : IGNORED;
  }

  /** Adds and starts a group; engine thread only (from an {@link Event.OnEngine} task). */
  public void addGroup(int id, GroupRuntime group) {
    checkEngineThread();
    groups.put(id, group);
    if (links != null) {
      links.configure(List.of(group));
    }
    group.start(clock.nanoTime());
  }

  /** Stops a group gracefully and removes it; engine thread only. */
  public void removeGroup(int id) {
    checkEngineThread();
    GroupRuntime g = groups.remove(id);
    if (g != null) {
      g.stop(clock.nanoTime(), false);
    }
  }

  private void checkEngineThread() {
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException("only the engine thread changes the groups");
    }
  }

  /** The earliest group deadline, or {@code now + IDLE_WAIT_NANOS} when none is sooner. */
  private long nextDeadline(long now) {
    long deadline = now + IDLE_WAIT_NANOS;
    for (GroupRuntime g : groups.values()) {
      if (g.hasDeadline() && g.deadline() - deadline < 0) {
        deadline = g.deadline();
      }
    }
    if (links != null && links.hasDeadline() && links.deadline() - deadline < 0) {
      deadline = links.deadline();
    }
    return deadline;
  }

  /**
   * A reload started or stopped the node links (engine thread only, from an {@link Event.OnEngine}
   * task): {@code next} replaces them, null for none. The caller starts or stops them.
   */
  public void replaceLinks(LinkRuntime next) {
    checkEngineThread();
    this.links = next;
  }

  /** The running groups; engine thread only (a reload's task hands them to the node links). */
  public java.util.Collection<GroupRuntime> groupRuntimes() {
    checkEngineThread();
    return groups.values();
  }

  /** The node links, or null; engine thread (status). */
  public LinkRuntime links() {
    return links;
  }

  public TimerLateness lateness() {
    return lateness;
  }

  private static final GroupRuntime IGNORED =
      new GroupRuntime() {
        @Override
        public void start(long now) {}

        @Override
        public void stop(long now, boolean awaitHandover) {}

        @Override
        public void advertReceived(Event.AdvertReceived advert, long now) {}

        @Override
        public void kernelEvent(dev.takeover.platform.NetlinkEvent event, long now) {}

        @Override
        public void checkChanged(String check, boolean up, String detail, long now) {}

        @Override
        public void claimProceed(long epoch, long now) {}

        @Override
        public void tick(long now) {}

        @Override
        public boolean hasDeadline() {
          return false;
        }

        @Override
        public long deadline() {
          return 0;
        }
      };

  /**
   * What the engine drives for one VRRP group; implemented over a state machine and its effects.
   */
  public interface GroupRuntime {
    void start(long now);

    /**
     * Leaves the group. With {@code awaitHandover} (a graceful daemon stop) a master may keep its
     * addresses until a new master is heard; {@link #handingOver()} is true until then, and the
     * engine keeps running for it.
     */
    void stop(long now, boolean awaitHandover);

    /** Whether a stopped group still holds addresses for a handover. */
    default boolean handingOver() {
      return false;
    }

    void advertReceived(Event.AdvertReceived advert, long now);

    /** Another MAC claimed one of the group's addresses (issue 9 items 3, 4). */
    default void foreignClaim(Event.ForeignClaim claim, long now) {}

    /** A peer's MAC, from its valid advert seen on the link. */
    default void peerMac(Event.PeerMac peer, long now) {}

    /** An advert for the group that the intake dropped for a reason about who is master. */
    default void rivalAdvert(Event.RivalAdvert rival, long now) {}

    void kernelEvent(dev.takeover.platform.NetlinkEvent event, long now);

    void checkChanged(String check, boolean up, String detail, long now);

    /** A tracked file's new value (keepalived's track_file). */
    default void trackFileRead(String path, long value, long now) {}

    void claimProceed(long epoch, long now);

    void tick(long now);

    boolean hasDeadline();

    long deadline();
  }

  /**
   * What the engine waits in: the daemon's socket poller, whose handlers run inside {@link #await}
   * on the engine thread and post their events.
   */
  public interface Waiter {
    /**
     * Waits until something arrives or {@code timeoutNanos} pass (0: only looks), handing what
     * arrived to its handlers.
     */
    void await(long timeoutNanos);

    /** Ends an {@link #await} now, from any thread. */
    void wake();
  }

  /** Carries out the actions a state machine returned. */
  public interface ActionSink {
    void apply(List<Action> actions, long now);
  }
}
