package dev.takeover.effect;

import dev.takeover.action.Action;
import dev.takeover.action.GroupState;
import dev.takeover.clock.Clock;
import dev.takeover.config.GroupConfig;
import dev.takeover.config.VirtualAddress;
import dev.takeover.hook.HookContext;
import dev.takeover.journal.Events;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a group's transitions are recorded: logged as {@code [web][VRID 51][IPv4] BACKUP ->
 * MASTER (reason)}, journaled, kept among the recent transitions that {@code takeover status}
 * lists, and, for a transition to MASTER, timed ({@link TransitionTimeline}). It also keeps the
 * context hooks are given (the latest transition and its journal event id). Engine thread only.
 */
final class TransitionRecorder {
  private static final Logger log = LoggerFactory.getLogger("takeover");
  private static final int RECENT = 5;

  private final GroupConfig group;
  private final String label;
  private final List<String> vipTexts;
  private final Recorder journal;
  private final Clock clock;
  private final TransitionTimeline timeline = new TransitionTimeline();
  private final ArrayDeque<GroupEffects.RecentTransition> recent = new ArrayDeque<>();
  private HookContext lastContext;

  TransitionRecorder(GroupConfig group, Recorder journal, Clock clock) {
    this.group = group;
    this.label = GroupEffects.label(group);
    this.vipTexts = group.addresses().stream().map(VirtualAddress::toString).toList();
    this.journal = journal;
    this.clock = clock;
  }

  void record(Action.Transition t) {
    if (t.to() == GroupState.FAULT) {
      // The group cannot serve (its link is down, a check failed hard): an operator must look.
      log.warn("{} {} -> {} ({})", label, t.from(), t.to(), t.reason());
    } else {
      log.info("{} {} -> {} ({})", label, t.from(), t.to(), t.reason());
    }
    String id = journal.record(Events.stateChanged(group.name(), t.from(), t.to(), t.reason()));
    recent.addLast(
        new GroupEffects.RecentTransition(clock.instant(), t.from(), t.to(), t.reason()));
    while (recent.size() > RECENT) {
      recent.removeFirst();
    }
    lastContext =
        new HookContext(
            group.name(), group.vrid(), t.from().name(), t.to().name(), vipTexts, t.reason(), id);
    if (t.to() == GroupState.MASTER) {
      timeline.transition(t);
    }
  }

  /** The master stopped being heard: the outage's first moment of record. */
  void masterDown(Action.MasterDown m) {
    journal.record(
        Events.advertTimeout(
            group.name(),
            m.lastMaster().orElse(null),
            Duration.ofNanos(m.masterDownIntervalNanos())));
  }

  /** See {@link GroupEffects#transitionDue}. */
  void transitionDue(long dueNanos, long handledNanos, long lastAdvertHeardNanos) {
    timeline.begin(dueNanos, handledNanos, lastAdvertHeardNanos);
  }

  void advertSent() {
    timeline.advertSent(clock.nanoTime());
  }

  /** Journals the timeline of the latest transition to MASTER once its claim is announced. */
  void recordTimelineIfComplete() {
    timeline.draft(group.name()).ifPresent(journal::record);
  }

  TransitionTimeline timeline() {
    return timeline;
  }

  /** What hooks are told: the latest transition, or INITIALIZE before the first one. */
  HookContext hookContext(String hookName) {
    return lastContext != null
        ? lastContext
        : new HookContext(
            group.name(), group.vrid(), "INITIALIZE", "INITIALIZE", vipTexts, hookName, "");
  }

  List<GroupEffects.RecentTransition> recent() {
    return List.copyOf(recent);
  }
}
