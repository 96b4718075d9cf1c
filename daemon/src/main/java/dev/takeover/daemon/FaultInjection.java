package dev.takeover.daemon;

import dev.takeover.engine.Engine;
import dev.takeover.engine.Event;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test-only: {@code -Dtakeover.faultInjection=engine} makes the engine thread (which also reads
 * every receive socket) die of an {@link Error} once the daemon has started, so that a test can see
 * the process end through {@link Fatal} (lab: {@code FatalIT}). Inert unless the property is set;
 * it adds no code to the thread itself: the Error arrives as ordinary work (an engine task) and
 * escapes its catch of {@code RuntimeException}. The journal writer and the control accept loop are
 * wired the same way and tested in their unit tests.
 */
enum FaultInjection {
  ENGINE;

  static final String PROPERTY = "takeover.faultInjection";

  private static final Logger log = LoggerFactory.getLogger("takeover");

  /** The fault named by the system property; a name that is not one is logged and ignored. */
  static Optional<FaultInjection> fromSystemProperties() {
    String value = System.getProperty(PROPERTY);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(value.strip().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      log.warn("{}={} is not engine; ignored", PROPERTY, value);
      return Optional.empty();
    }
  }

  /** An Error no code path expects, so nothing catches it on its way out of the thread. */
  static final class InjectedFault extends Error {
    private static final long serialVersionUID = 1L;

    InjectedFault(String thread) {
      super("injected fault (" + PROPERTY + "=" + thread + ")");
    }
  }

  void inject(Engine engine) {
    String name = name().toLowerCase(Locale.ROOT);
    log.warn("{}={}: the {} thread is about to die of an injected Error", PROPERTY, name, name);
    Runnable fault =
        () -> {
          throw new InjectedFault(name);
        };
    engine.post(new Event.OnEngine(fault));
  }
}
