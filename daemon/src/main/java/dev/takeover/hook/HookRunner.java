package dev.takeover.hook;

import dev.takeover.clock.Clock;
import dev.takeover.process.Command;
import dev.takeover.process.Limits;
import dev.takeover.process.ProcessResult;
import dev.takeover.process.ProcessRunner;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operator's hook commands: strictly one at a time and in submission order within a group,
 * groups independent of each other, never on the caller's thread.
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li>Each group has a lane: a FIFO queue and one virtual thread that takes a hook, runs it with
 *       the {@link ProcessRunner} (which kills the hook's whole process tree at its timeout) and
 *       only then takes the next. That single consumer is the whole ordering guarantee.
 *   <li>No coalescing: under flapping every requested hook runs, in order, because a hook pair that
 *       is skipped (say a release without its claim) leaves the operator's side effects
 *       inconsistent. The only exception is the per-group queue bound: when it is full the
 *       <em>oldest waiting</em> hook is dropped, logged at ERROR and reported as {@link
 *       HookOutcome.NotRun}, because the newest hooks describe the state the group is in now.
 *   <li>A before-claim hook has a budget measured from submission. A timer on a small scheduler and
 *       the lane race to run {@code proceed}; an {@link AtomicBoolean} lets only the first through.
 *       A hook overrunning its budget keeps its place: hooks submitted after it wait for it
 *       (ordering is never traded for latency), and it is killed at its own timeout.
 *   <li>{@link #close()} lets every lane drain (each hook is bounded by its timeout), accepting
 *       only STOP hooks meanwhile, so the after-release and stop hooks of a shutdown still run.
 * </ul>
 */
public final class HookRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("takeover.hook");

  /**
   * @param killGrace time between SIGTERM and SIGKILL when a hook overruns its timeout
   * @param outputLimitBytes how much of a hook's output (the end of it) is kept
   * @param queueLimit hooks waiting per group before the oldest waiting one is dropped
   * @param outputDrain how long to read output after the hook exited; a background child that
   *     inherited the pipe must not hold the next hook up
   */
  public record Settings(
      Duration killGrace, int outputLimitBytes, int queueLimit, Duration outputDrain) {
    public static final Settings DEFAULTS =
        new Settings(Duration.ofSeconds(2), 16 * 1024, 1024, Duration.ofMillis(200));

    public Settings {
      Objects.requireNonNull(killGrace, "killGrace");
      Objects.requireNonNull(outputDrain, "outputDrain");
      if (outputLimitBytes <= 0 || queueLimit <= 0) {
        throw new IllegalArgumentException("output and queue limits must be positive");
      }
    }

    public Settings withKillGrace(Duration grace) {
      return new Settings(grace, outputLimitBytes, queueLimit, outputDrain);
    }

    public Settings withOutputLimit(int bytes) {
      return new Settings(killGrace, bytes, queueLimit, outputDrain);
    }

    public Settings withQueueLimit(int hooks) {
      return new Settings(killGrace, outputLimitBytes, hooks, outputDrain);
    }

    Limits limits(Duration timeout) {
      return new Limits(timeout, killGrace, outputLimitBytes, outputDrain);
    }
  }

  private final String node;
  private final Consumer<? super HookEvent> events;
  private final Settings settings;
  private final Clock clock;
  private final ProcessRunner processes;
  private final Map<String, Lane> lanes = new LinkedHashMap<>();
  private final ScheduledExecutorService budgetTimer;
  private boolean closing;
  private boolean closed;

  /**
   * @param node this server's name, given to hooks as {@code TAKEOVER_NODE}
   * @param events receives every {@link HookStarted} and {@link HookFinished}, on a lane thread
   * @param clock times hooks and stamps {@link HookStarted#at()}
   */
  public HookRunner(
      String node, Consumer<? super HookEvent> events, Settings settings, Clock clock) {
    this.node = Objects.requireNonNull(node, "node");
    this.events = Objects.requireNonNull(events, "events");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.processes = new ProcessRunner(clock);
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().name("takeover-hook-budget").daemon().factory());
    // A hook that finishes in time cancels its timer; do not keep cancelled timers around.
    timer.setRemoveOnCancelPolicy(true);
    this.budgetTimer = timer;
  }

  public HookRunner(String node, Consumer<? super HookEvent> events, Clock clock) {
    this(node, events, Settings.DEFAULTS, clock);
  }

  /**
   * Queue a hook behind the group's earlier hooks and return at once.
   *
   * @throws IllegalArgumentException for {@link HookKind#BEFORE_CLAIM}: use {@link
   *     #submitBeforeClaim}, which says when the claim may go on
   */
  public void submit(HookKind kind, HookSpec spec, HookContext context) {
    if (kind == HookKind.BEFORE_CLAIM) {
      throw new IllegalArgumentException("before-claim hooks go through submitBeforeClaim");
    }
    enqueue(new Job(kind, spec, context, null));
  }

  /**
   * Queue a before-claim hook and return at once. {@code proceed} runs exactly once, on a runner
   * thread (never the caller's): when the hook ends, or when {@code budget} has passed since this
   * call, whichever is first; also when the hook cannot run at all. It should post the claim back
   * to the engine thread. The hook's exit code does not veto the claim.
   */
  public void submitBeforeClaim(
      HookSpec spec, HookContext context, Duration budget, Runnable proceed) {
    Objects.requireNonNull(budget, "budget");
    if (budget.isNegative()) {
      throw new IllegalArgumentException("budget must not be negative: " + budget);
    }
    Budget b = new Budget(context.group(), spec.name(), Objects.requireNonNull(proceed, "proceed"));
    Job job = new Job(HookKind.BEFORE_CLAIM, spec, context, b);
    synchronized (this) {
      if (!closing) {
        b.timer =
            budgetTimer.schedule(() -> b.expire(budget), budget.toNanos(), TimeUnit.NANOSECONDS);
      }
    }
    enqueue(job);
  }

  /** Hooks of this group waiting or running. */
  public synchronized int pending(String group) {
    Lane lane = lanes.get(group);
    return lane == null ? 0 : lane.pending();
  }

  /**
   * Let every queued hook run to its end (each bounded by its timeout and the kill grace) and stop.
   * While this waits only STOP hooks are accepted; afterwards nothing is.
   */
  @Override
  public void close() {
    List<Lane> snapshot;
    synchronized (this) {
      if (closed) {
        return;
      }
      closing = true;
    }
    boolean interrupted = false;
    while (true) {
      synchronized (this) {
        snapshot = List.copyOf(lanes.values());
      }
      try {
        for (Lane lane : snapshot) {
          lane.awaitIdle();
        }
      } catch (InterruptedException e) {
        // Hooks are bounded by their timeouts: finish the drain, then restore the flag.
        interrupted = true;
        continue;
      }
      synchronized (this) {
        // A STOP hook may have arrived while we waited; drain again until nothing is left.
        if (lanes.values().stream().allMatch(Lane::idle)) {
          closed = true;
          break;
        }
      }
    }
    for (Lane lane : snapshot) {
      lane.stop();
    }
    budgetTimer.shutdownNow();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void enqueue(Job job) {
    Job dropped;
    String refused = null;
    synchronized (this) {
      if (closed) {
        refused = "the hook runner is closed";
        dropped = null;
      } else if (closing && job.kind != HookKind.STOP) {
        refused = "the daemon is shutting down";
        dropped = null;
      } else {
        Lane lane = lanes.computeIfAbsent(job.context.group(), Lane::new);
        dropped = lane.add(job);
      }
    }
    if (refused != null) {
      log.warn("[{}] hook {} not run: {}", job.context.group(), job.spec.name(), refused);
      notRun(job, refused);
    }
    if (dropped != null) {
      String why = "queue full (" + settings.queueLimit() + " hooks waiting in group)";
      log.error(
          "[{}] dropped {} hook {} for event {}: {}",
          dropped.context.group(),
          dropped.kind.configName(),
          dropped.spec.name(),
          dropped.context.eventId(),
          why);
      notRun(dropped, why);
    }
  }

  private void notRun(Job job, String why) {
    if (job.budget != null) {
      // Off the caller's thread, as promised: the caller may be the engine.
      Thread.ofVirtual().start(job.budget::release);
    }
    report(HookFinished.notRun(job.kind, job.spec, job.context, why));
  }

  private void report(HookEvent event) {
    try {
      events.accept(event);
    } catch (RuntimeException e) {
      log.error("hook event listener failed on {}", event, e);
    }
  }

  /** Runs one hook to its end on the lane's thread. */
  private void run(Job job) throws InterruptedException {
    HookSpec spec = job.spec;
    HookContext context = job.context;
    Map<String, String> env = new LinkedHashMap<>(spec.env());
    env.putAll(HookEnvironment.of(job.kind, context, node));
    ProcessResult result =
        processes.run(
            new Command(spec.argv(), env),
            settings.limits(spec.timeout()),
            new ProcessRunner.Progress() {
              @Override
              public void started(long pid) {
                report(
                    new HookStarted(
                        context.group(),
                        job.kind,
                        spec.name(),
                        context.eventId(),
                        pid,
                        clock.instant()));
                log.debug(
                    "[{}] {} hook {} started, pid {}",
                    context.group(),
                    job.kind.configName(),
                    spec.name(),
                    pid);
              }

              @Override
              public void ended() {
                // The claim waits for the hook, not for the output of what it left running.
                if (job.budget != null) {
                  job.budget.release();
                }
              }
            });
    HookOutcome outcome =
        switch (result.outcome()) {
          case ProcessResult.Outcome.Exited(int code) -> new HookOutcome.Exited(code);
          case ProcessResult.Outcome.TimedOut(Duration timeout) ->
              new HookOutcome.TimedOut(timeout);
          case ProcessResult.Outcome.NotStarted(String reason) ->
              new HookOutcome.NotRun("could not start " + reason);
        };
    if (outcome instanceof HookOutcome.NotRun(String why)) {
      log.error("[{}] {} hook {}: {}", context.group(), job.kind.configName(), spec.name(), why);
      notRun(job, why);
      return;
    }
    Duration took = result.took();
    HookFinished finished =
        new HookFinished(
            context.group(),
            job.kind,
            spec.name(),
            context.eventId(),
            outcome,
            took,
            result.output(),
            result.outputTruncated());
    switch (outcome) {
      case HookOutcome.Exited(int code) when code == 0 ->
          log.info(
              "[{}] {} hook {} exited 0 after {} ms",
              context.group(),
              job.kind.configName(),
              spec.name(),
              took.toMillis());
      case HookOutcome.Exited(int code) ->
          log.warn(
              "[{}] {} hook {} exited {} after {} ms: {}",
              context.group(),
              job.kind.configName(),
              spec.name(),
              code,
              took.toMillis(),
              lastLine(finished.output()));
      case HookOutcome.TimedOut t ->
          log.warn(
              "[{}] {} hook {} killed after its timeout of {} ms",
              context.group(),
              job.kind.configName(),
              spec.name(),
              t.timeout().toMillis());
      case HookOutcome.NotRun n -> {}
    }
    report(finished);
  }

  private static String lastLine(String output) {
    String trimmed = output.strip();
    int nl = trimmed.lastIndexOf('\n');
    return nl < 0 ? trimmed : trimmed.substring(nl + 1);
  }

  private record Job(HookKind kind, HookSpec spec, HookContext context, Budget budget) {}

  /** The one-shot {@code proceed} of a before-claim hook, raced by its timer and its lane. */
  private static final class Budget {
    private final String group;
    private final String name;
    private final Runnable proceed;
    private final AtomicBoolean released = new AtomicBoolean();
    volatile ScheduledFuture<?> timer;

    Budget(String group, String name, Runnable proceed) {
      this.group = group;
      this.name = name;
      this.proceed = proceed;
    }

    void expire(Duration budget) {
      if (!released.get()) {
        log.warn(
            "[{}] before-claim hook {} still running after its budget of {} ms: claiming anyway",
            group,
            name,
            budget.toMillis());
      }
      release();
    }

    void release() {
      if (!released.compareAndSet(false, true)) {
        return;
      }
      ScheduledFuture<?> t = timer;
      if (t != null) {
        t.cancel(false);
      }
      try {
        proceed.run();
      } catch (RuntimeException e) {
        log.error("[{}] proceeding after before-claim hook {} failed", group, name, e);
      }
    }
  }

  /** One group's queue and the single thread that empties it. */
  private final class Lane {
    private final String group;
    private final ArrayDeque<Job> waiting = new ArrayDeque<>();
    private final Thread worker;
    private boolean busy;
    private boolean stopped;

    Lane(String group) {
      this.group = group;
      this.worker = Thread.ofVirtual().name("takeover-hook-" + group).start(this::work);
    }

    /** Adds a job; returns the job dropped to make room, if any. */
    synchronized Job add(Job job) {
      Job dropped = waiting.size() >= settings.queueLimit() ? waiting.pollFirst() : null;
      waiting.addLast(job);
      notifyAll();
      return dropped;
    }

    synchronized int pending() {
      return waiting.size() + (busy ? 1 : 0);
    }

    synchronized boolean idle() {
      return waiting.isEmpty() && !busy;
    }

    synchronized void awaitIdle() throws InterruptedException {
      while (!idle()) {
        wait();
      }
    }

    void stop() {
      synchronized (this) {
        stopped = true;
        notifyAll();
      }
      try {
        worker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void work() {
      while (true) {
        Job job;
        synchronized (this) {
          while (waiting.isEmpty() && !stopped) {
            try {
              wait();
            } catch (InterruptedException e) {
              return;
            }
          }
          if (waiting.isEmpty()) {
            return;
          }
          job = waiting.pollFirst();
          busy = true;
        }
        try {
          run(job);
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          // One broken hook must not stop the hooks after it.
          log.error("[{}] hook {} failed in the runner", group, job.spec.name(), e);
        } finally {
          synchronized (this) {
            busy = false;
            notifyAll();
          }
        }
      }
    }
  }
}
