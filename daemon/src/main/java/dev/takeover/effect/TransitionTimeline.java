package dev.takeover.effect;

import dev.takeover.action.Action;
import dev.takeover.journal.EventDraft;
import dev.takeover.journal.Events;
import java.util.Optional;

/**
 * The moments of one transition to MASTER, so an outage can be explained from the journal: when an
 * advert was last heard, when the transition was due and when the engine got to it, when the
 * addresses were on the interface, when the first announcement and the first advert went out.
 * Engine thread only; times are the engine clock's monotonic nanoseconds.
 */
final class TransitionTimeline {
  private static final long UNSET = Long.MIN_VALUE;

  private long due = UNSET;
  private long handled;
  private long lastHeard;
  private Action.Transition transition;
  private long addressesAdded;
  private long routesInstalled;
  private long announced;
  private long advertSent;

  void begin(long dueNanos, long handledNanos, long lastAdvertHeardNanos) {
    due = dueNanos;
    handled = handledNanos;
    lastHeard = lastAdvertHeardNanos;
    transition = null;
    addressesAdded = UNSET;
    routesInstalled = UNSET;
    announced = UNSET;
    advertSent = UNSET;
  }

  void transition(Action.Transition t) {
    if (due != UNSET) {
      transition = t;
    }
  }

  void addressesAdded(long now) {
    if (due != UNSET && addressesAdded == UNSET) {
      addressesAdded = now;
    }
  }

  void routesInstalled(long now) {
    if (due != UNSET && routesInstalled == UNSET) {
      routesInstalled = now;
    }
  }

  void announced(long now) {
    if (due != UNSET && announced == UNSET) {
      announced = now;
    }
  }

  void advertSent(long now) {
    if (due != UNSET && advertSent == UNSET) {
      advertSent = now;
    }
  }

  /** The journal event, once the transition and its first announcement happened; then resets. */
  Optional<EventDraft> draft(String group) {
    if (due == UNSET || transition == null || announced == UNSET) {
      return Optional.empty();
    }
    EventDraft draft =
        Events.transitionTimeline(
            group,
            transition.from(),
            transition.to(),
            transition.reason(),
            lastHeard == UNSET ? null : micros(lastHeard),
            micros(handled),
            micros(addressesAdded),
            micros(announced),
            advertSent == UNSET ? null : micros(advertSent),
            routesInstalled == UNSET ? null : micros(routesInstalled));
    due = UNSET;
    return Optional.of(draft);
  }

  private long micros(long at) {
    return (at - due) / 1_000;
  }
}
