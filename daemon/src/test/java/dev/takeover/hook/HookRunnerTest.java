package dev.takeover.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.takeover.clock.Clock;
import dev.takeover.process.Leftovers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes: the hook programs are small /bin/sh scripts in a temporary directory (the runner
 * itself never starts a shell).
 */
class HookRunnerTest {
  private static final Duration LONG = Duration.ofSeconds(20);
  private static final Instant WALL = Instant.parse("2030-01-02T03:04:05Z");
  // Real monotonic time (real processes run), but a wall clock that proves where stamps come from.
  private static final Clock CLOCK = Clock.of(System::nanoTime, InstantSource.fixed(WALL));

  @TempDir Path dir;

  private final List<HookEvent> events = new CopyOnWriteArrayList<>();
  private HookRunner runner;

  @AfterEach
  void closeRunner() {
    if (runner != null) {
      runner.close();
    }
  }

  private HookRunner runner(HookRunner.Settings settings) {
    runner = new HookRunner("node-a", events::add, settings, CLOCK);
    return runner;
  }

  private HookRunner runner() {
    return runner(HookRunner.Settings.DEFAULTS);
  }

  private Path script(String name, String body) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  private static HookContext context(String group, String eventId) {
    return new HookContext(
        group,
        51,
        "BACKUP",
        "MASTER",
        List.of("198.18.0.10/24", "2001:db8::10/64"),
        "master down timer expired",
        eventId);
  }

  private List<HookFinished> finished() {
    return events.stream()
        .filter(HookFinished.class::isInstance)
        .map(HookFinished.class::cast)
        .toList();
  }

  private HookFinished awaitFinished(String eventId) {
    poll(() -> finished().stream().anyMatch(f -> f.eventId().equals(eventId)), LONG);
    return finished().stream().filter(f -> f.eventId().equals(eventId)).findFirst().orElseThrow();
  }

  private static void poll(BooleanSupplier condition, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("condition not met within " + limit);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** Running and not a zombie (an orphan nobody reaps here counts as gone). */
  private static boolean running(long pid) throws IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(stat)) {
      return false;
    }
    String text;
    try {
      text = Files.readString(stat);
    } catch (IOException e) {
      return false;
    }
    char state = text.charAt(text.lastIndexOf(')') + 2);
    return state != 'Z' && state != 'X';
  }

  @Test
  void deliversTheTakeoverEnvironmentAndTheSpecsOwn() throws IOException {
    Path hook = script("env.sh", "env | grep -E '^(TAKEOVER_|SITE=)' | sort; cat; pwd");
    runner()
        .submit(
            HookKind.AFTER_CLAIM,
            new HookSpec("web/after-claim", List.of(hook.toString()), Map.of("SITE", "lab"), LONG),
            context("web", "ev-1"));

    HookFinished f = awaitFinished("ev-1");

    assertThat(f.exitCode()).hasValue(0);
    assertThat(f.output().lines().toList())
        .containsExactly(
            "SITE=lab",
            "TAKEOVER_EVENT_ID=ev-1",
            "TAKEOVER_GROUP=web",
            "TAKEOVER_HOOK=after-claim",
            "TAKEOVER_NEW_STATE=MASTER",
            "TAKEOVER_NODE=node-a",
            "TAKEOVER_OLD_STATE=BACKUP",
            "TAKEOVER_REASON=master down timer expired",
            "TAKEOVER_VIPS=198.18.0.10/24 2001:db8::10/64",
            "TAKEOVER_VRID=51",
            // stdin is /dev/null, so cat prints nothing and does not hang; the directory is /
            "/");
    assertThat(events.getFirst())
        .isInstanceOfSatisfying(
            HookStarted.class,
            s -> {
              assertThat(s.pid()).isPositive();
              assertThat(s.kind()).isEqualTo(HookKind.AFTER_CLAIM);
              assertThat(s.name()).isEqualTo("web/after-claim");
              assertThat(s.at()).isEqualTo(WALL);
            });
  }

  @Test
  void passesArgumentsIntactWithoutAShell() throws IOException {
    Path hook = script("args.sh", "for a in \"$@\"; do echo \"[$a]\"; done");
    runner()
        .submit(
            HookKind.AFTER_RELEASE,
            new HookSpec(
                "args",
                List.of(hook.toString(), "two words", "$HOME", "*", "a;b", "'q'", ""),
                LONG),
            context("web", "ev-args"));

    assertThat(awaitFinished("ev-args").output().lines().toList())
        .containsExactly("[two words]", "[$HOME]", "[*]", "[a;b]", "['q']", "[]");
  }

  @Test
  void runsFiftyRapidHooksOfAGroupOneAtATimeInSubmitOrder() throws IOException {
    Path log = dir.resolve("order.log");
    // A random 1-9 ms of work between the markers; date +%s%N gives nanosecond wall time.
    Path hook =
        script(
            "order.sh",
            "echo \"start $TAKEOVER_EVENT_ID $(date +%s%N)\" >> "
                + log
                + "\nsleep 0.00$(( $$ % 9 + 1 ))"
                + "\necho \"end $TAKEOVER_EVENT_ID $(date +%s%N)\" >> "
                + log);
    HookRunner r = runner();
    HookSpec spec = new HookSpec("order", List.of(hook.toString()), LONG);
    for (int i = 0; i < 50; i++) {
      // Flapping: claim and release alternate as fast as the engine can post them.
      r.submit(
          i % 2 == 0 ? HookKind.AFTER_CLAIM : HookKind.AFTER_RELEASE, spec, context("web", "" + i));
    }
    awaitFinished("49");

    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(100);
    long previous = 0;
    for (int i = 0; i < 50; i++) {
      String[] start = lines.get(2 * i).split(" ");
      String[] end = lines.get(2 * i + 1).split(" ");
      assertThat(start[0] + " " + start[1]).isEqualTo("start " + i);
      assertThat(end[0] + " " + end[1]).isEqualTo("end " + i);
      long startedAt = Long.parseLong(start[2]);
      long endedAt = Long.parseLong(end[2]);
      assertThat(startedAt)
          .as("hook %d starts after hook %d ended", i, i - 1)
          .isGreaterThanOrEqualTo(previous);
      assertThat(endedAt).isGreaterThanOrEqualTo(startedAt);
      previous = endedAt;
    }
    assertThat(finished())
        .extracting(HookFinished::eventId)
        .containsExactlyElementsOf(
            java.util.stream.IntStream.range(0, 50).mapToObj(Integer::toString).toList());
    assertThat(finished()).allMatch(HookFinished::succeeded);
  }

  @Test
  void runsDifferentGroupsInParallel() throws IOException {
    // Each hook succeeds only if it sees the other group's hook running at the same time.
    Path hook =
        script(
            "meet.sh",
            "touch "
                + dir
                + "/$1\ni=0\nwhile [ ! -e "
                + dir
                + "/$2 ] && [ $i -lt 200 ]; do"
                + " sleep 0.02; i=$((i+1)); done\n[ -e "
                + dir
                + "/$2 ]");
    HookRunner r = runner();
    r.submit(
        HookKind.AFTER_CLAIM,
        new HookSpec("a", List.of(hook.toString(), "web", "db"), LONG),
        context("web", "w"));
    r.submit(
        HookKind.AFTER_CLAIM,
        new HookSpec("b", List.of(hook.toString(), "db", "web"), LONG),
        context("db", "d"));

    assertThat(awaitFinished("w").exitCode()).hasValue(0);
    assertThat(awaitFinished("d").exitCode()).hasValue(0);
  }

  @Test
  void killsAHookAndItsChildAtTheTimeout() throws IOException {
    Path pids = dir.resolve("child.pid");
    Path hook = script("hang.sh", "sleep 100 &\necho $! > " + pids + "\nwait");
    runner(HookRunner.Settings.DEFAULTS.withKillGrace(Duration.ofSeconds(2)))
        .submit(
            HookKind.FAULT,
            new HookSpec("hang", List.of(hook.toString()), Duration.ofMillis(300)),
            context("web", "ev-hang"));

    HookFinished f = awaitFinished("ev-hang");

    assertThat(f.timedOut()).isTrue();
    assertThat(f.exitCode()).isEmpty();
    long child = Long.parseLong(Files.readString(pids).strip());
    long parent = ((HookStarted) events.getFirst()).pid();
    poll(
        () -> {
          try {
            return !running(child) && !running(parent);
          } catch (IOException e) {
            return false;
          }
        },
        Duration.ofSeconds(2));
    // SIGTERM was enough here: no need to wait for the grace period.
    assertThat(f.duration()).isLessThan(Duration.ofMillis(300 + 1500));
  }

  @Test
  void killsAGrandchildThatMovedIntoItsOwnSessionAtTheTimeout() throws IOException {
    String marker = Leftovers.marker();
    try {
      // hook -> setsid sh (its own session and process group) -> sleep: a long-lived grandchild.
      Path hook = script("session.sh", "setsid /bin/sh -c 'sleep " + marker + " & wait' &\nwait");
      runner()
          .submit(
              HookKind.FAULT,
              new HookSpec("session", List.of(hook.toString()), Duration.ofMillis(300)),
              context("web", "ev-session"));

      assertThat(awaitFinished("ev-session").timedOut()).isTrue();
      assertThat(Leftovers.awaitNone(marker, Duration.ofSeconds(2)))
          .as("processes left running 'sleep " + marker + "'")
          .isZero();
    } finally {
      Leftovers.kill(marker);
    }
  }

  @Test
  void killsWithSigkillWhenTheTreeIgnoresSigterm() throws IOException {
    Path pids = dir.resolve("child.pid");
    // An ignored signal stays ignored across fork and exec, so the child ignores SIGTERM too.
    Path hook = script("stubborn.sh", "trap '' TERM\nsleep 100 &\necho $! > " + pids + "\nwait");
    runner(HookRunner.Settings.DEFAULTS.withKillGrace(Duration.ofMillis(400)))
        .submit(
            HookKind.FAULT,
            new HookSpec("stubborn", List.of(hook.toString()), Duration.ofMillis(300)),
            context("web", "ev-stubborn"));

    HookFinished f = awaitFinished("ev-stubborn");

    assertThat(f.timedOut()).isTrue();
    assertThat(f.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(300 + 400));
    long child = Long.parseLong(Files.readString(pids).strip());
    poll(
        () -> {
          try {
            return !running(child);
          } catch (IOException e) {
            return false;
          }
        },
        Duration.ofSeconds(2));
  }

  @Test
  void keepsOnlyTheTailOfALongOutputAndMergesStderr() throws IOException {
    Path hook =
        script(
            "chatty.sh",
            "i=0\n"
                + "while [ $i -lt 2000 ]; do echo \"line $i of noise noise noise\"; i=$((i+1));"
                + " done\n"
                + "echo 'the real error' >&2\n"
                + "exit 3");
    runner(HookRunner.Settings.DEFAULTS.withOutputLimit(1024))
        .submit(
            HookKind.AFTER_CLAIM,
            new HookSpec("chatty", List.of(hook.toString()), LONG),
            context("web", "ev-out"));

    HookFinished f = awaitFinished("ev-out");

    assertThat(f.exitCode()).hasValue(3);
    assertThat(f.outputTruncated()).isTrue();
    assertThat(f.output().length()).isLessThanOrEqualTo(1024);
    assertThat(f.output()).endsWith("line 1999 of noise noise noise\nthe real error\n");
  }

  @Test
  void reportsAProgramThatCannotStart() {
    runner()
        .submit(
            HookKind.AFTER_CLAIM,
            new HookSpec("missing", List.of(dir.resolve("no-such-program").toString()), LONG),
            context("web", "ev-missing"));

    HookFinished f = awaitFinished("ev-missing");

    assertThat(f.outcome()).isInstanceOf(HookOutcome.NotRun.class);
    assertThat(((HookOutcome.NotRun) f.outcome()).why()).contains("no-such-program");
  }

  @Test
  void beforeClaimProceedsAtTheBudgetWhenTheHookIsSlow() throws IOException {
    Path hook = script("slow.sh", "sleep 1.5");
    AtomicInteger calls = new AtomicInteger();
    AtomicLong calledAt = new AtomicLong();
    long submitted = System.nanoTime();
    runner()
        .submitBeforeClaim(
            new HookSpec("slow", List.of(hook.toString()), LONG),
            context("web", "ev-slow"),
            Duration.ofMillis(200),
            () -> {
              calledAt.set(System.nanoTime());
              calls.incrementAndGet();
            });

    poll(() -> calls.get() == 1, LONG);
    Duration waited = Duration.ofNanos(calledAt.get() - submitted);
    assertThat(waited).isBetween(Duration.ofMillis(200), Duration.ofMillis(1200));
    assertThat(finished()).isEmpty();

    assertThat(awaitFinished("ev-slow").exitCode()).hasValue(0);
    assertThat(calls).hasValue(1);
  }

  @Test
  void beforeClaimProceedsWhenAFastHookFinishes() throws IOException {
    Path hook = script("fast.sh", "exit 1");
    AtomicInteger calls = new AtomicInteger();
    List<Thread> threads = new CopyOnWriteArrayList<>();
    long submitted = System.nanoTime();
    runner()
        .submitBeforeClaim(
            new HookSpec("fast", List.of(hook.toString()), LONG),
            context("web", "ev-fast"),
            Duration.ofMillis(1500),
            () -> {
              threads.add(Thread.currentThread());
              calls.incrementAndGet();
            });

    poll(() -> calls.get() == 1, LONG);
    assertThat(Duration.ofNanos(System.nanoTime() - submitted)).isLessThan(Duration.ofMillis(1500));
    // A failing hook does not veto the claim.
    assertThat(awaitFinished("ev-fast").exitCode()).hasValue(1);
    // Past the budget: the cancelled timer must not call again.
    poll(() -> System.nanoTime() - submitted > Duration.ofMillis(1700).toNanos(), LONG);
    assertThat(calls).hasValue(1);
    assertThat(threads.getFirst()).isNotSameAs(Thread.currentThread());
  }

  @Test
  void hooksAfterAnOverrunningBeforeClaimWaitForIt() throws IOException {
    Path slow = script("slow.sh", "sleep 0.6");
    Path fast = script("fast.sh", "true");
    HookRunner r = runner();
    AtomicInteger proceeded = new AtomicInteger();
    r.submitBeforeClaim(
        new HookSpec("slow", List.of(slow.toString()), LONG),
        context("web", "pre"),
        Duration.ofMillis(50),
        proceeded::incrementAndGet);
    r.submit(
        HookKind.AFTER_CLAIM,
        new HookSpec("fast", List.of(fast.toString()), LONG),
        context("web", "post"));

    awaitFinished("post");

    assertThat(proceeded).hasValue(1);
    assertThat(events)
        .extracting(e -> e.getClass().getSimpleName() + " " + e.eventId())
        .containsExactly(
            "HookStarted pre", "HookFinished pre", "HookStarted post", "HookFinished post");
  }

  @Test
  void dropsTheOldestWaitingHookWhenTheQueueIsFullAndSaysSo() throws IOException {
    Path block = dir.resolve("release");
    Path gate = script("gate.sh", "while [ ! -e " + block + " ]; do sleep 0.02; done");
    Path fast = script("fast.sh", "true");
    HookRunner r = runner(HookRunner.Settings.DEFAULTS.withQueueLimit(2));
    AtomicInteger proceeded = new AtomicInteger();
    r.submit(
        HookKind.AFTER_CLAIM,
        new HookSpec("gate", List.of(gate.toString()), LONG),
        context("web", "0"));
    poll(() -> !events.isEmpty(), LONG); // "0" is running, not waiting
    r.submitBeforeClaim(
        new HookSpec("pre", List.of(fast.toString()), LONG),
        context("web", "1"),
        LONG,
        proceeded::incrementAndGet);
    r.submit(
        HookKind.AFTER_CLAIM,
        new HookSpec("f", List.of(fast.toString()), LONG),
        context("web", "2"));
    r.submit(
        HookKind.AFTER_RELEASE,
        new HookSpec("f", List.of(fast.toString()), LONG),
        context("web", "3"));

    HookFinished dropped = awaitFinished("1");
    assertThat(((HookOutcome.NotRun) dropped.outcome()).why()).contains("queue full");
    // A dropped before-claim hook must not hold the claim up.
    poll(() -> proceeded.get() == 1, LONG);
    assertThat(r.pending("web")).isEqualTo(3);

    Files.createFile(block);
    awaitFinished("3");
    assertThat(finished()).extracting(HookFinished::eventId).containsExactly("1", "0", "2", "3");
  }

  @Test
  void closeWaitsForQueuedHooksAndStillRunsStopHooks() throws IOException {
    Path log = dir.resolve("close.log");
    Path hook = script("mark.sh", "sleep 0.3\necho \"$TAKEOVER_HOOK\" >> " + log);
    HookRunner r = runner();
    HookSpec spec = new HookSpec("mark", List.of(hook.toString()), LONG);
    r.submit(HookKind.AFTER_RELEASE, spec, context("web", "release"));
    r.submit(HookKind.STOP, spec, context("web", "stop"));

    r.close();

    assertThat(Files.readAllLines(log)).containsExactly("after-release", "stop");
    assertThat(r.pending("web")).isZero();

    r.submit(HookKind.STOP, spec, context("web", "late"));
    assertThat(((HookOutcome.NotRun) awaitFinished("late").outcome()).why()).contains("closed");
  }

  @Test
  void closeEndsAHangingHookAtItsTimeoutNotLater() throws IOException {
    Path hook = script("hang.sh", "exec sleep 100");
    HookRunner r = runner(HookRunner.Settings.DEFAULTS.withKillGrace(Duration.ofMillis(500)));
    r.submit(
        HookKind.STOP,
        new HookSpec("hang", List.of(hook.toString()), Duration.ofMillis(300)),
        context("web", "hang"));
    long start = System.nanoTime();

    r.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(awaitFinished("hang").timedOut()).isTrue();
  }

  @Test
  void closeAcceptsStopHooksButRefusesOthersWhileDraining() throws IOException {
    Path hook = script("wait.sh", "sleep 0.5");
    Path fast = script("fast.sh", "true");
    HookRunner r = runner();
    r.submit(
        HookKind.AFTER_RELEASE,
        new HookSpec("wait", List.of(hook.toString()), LONG),
        context("web", "slow"));
    Thread closer = Thread.ofVirtual().start(r::close);
    poll(() -> closer.getState() == Thread.State.WAITING, LONG);

    r.submit(
        HookKind.STOP, new HookSpec("stop", List.of(fast.toString()), LONG), context("db", "stop"));
    r.submit(
        HookKind.AFTER_CLAIM,
        new HookSpec("claim", List.of(fast.toString()), LONG),
        context("db", "claim"));
    AtomicInteger proceeded = new AtomicInteger();
    r.submitBeforeClaim(
        new HookSpec("pre", List.of(fast.toString()), LONG),
        context("db", "pre"),
        LONG,
        proceeded::incrementAndGet);

    assertThat(awaitFinished("stop").exitCode()).hasValue(0);
    assertThat(awaitFinished("claim").outcome()).isInstanceOf(HookOutcome.NotRun.class);
    poll(() -> proceeded.get() == 1, LONG);
    poll(() -> !closer.isAlive(), LONG);
    assertThat(awaitFinished("slow").exitCode()).hasValue(0);
  }

  @Test
  void submitNeverBlocksTheCaller() throws IOException {
    Path hook = script("slow.sh", "sleep 0.3");
    HookRunner r = runner();
    HookSpec spec = new HookSpec("slow", List.of(hook.toString()), LONG);
    long start = System.nanoTime();
    for (int i = 0; i < 5; i++) {
      r.submit(HookKind.AFTER_CLAIM, spec, context("web", "" + i));
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
    assertThat(r.pending("web")).isEqualTo(5);
  }

  @Test
  void specRejectsWhatCannotRun() {
    assertThatThrownBy(() -> new HookSpec("x", List.of(), LONG)).hasMessageContaining("empty");
    assertThatThrownBy(() -> new HookSpec("x", List.of("/bin/true"), Duration.ZERO))
        .hasMessageContaining("timeout");
    assertThatThrownBy(
            () -> new HookSpec("x", List.of("/bin/true"), Map.of("TAKEOVER_VRID", "1"), LONG))
        .hasMessageContaining("reserved");
    assertThatThrownBy(
            () ->
                runner()
                    .submit(
                        HookKind.BEFORE_CLAIM,
                        new HookSpec("x", List.of("/bin/true"), LONG),
                        context("web", "1")))
        .hasMessageContaining("submitBeforeClaim");
  }
}
