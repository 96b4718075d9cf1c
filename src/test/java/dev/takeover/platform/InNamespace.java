package dev.takeover.platform;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/** Runs test code on a fresh platform thread that has entered a network namespace. */
final class InNamespace {

  private InNamespace() {}

  /** Calls {@code body} in namespace {@code ns}; sockets it opens stay in that namespace. */
  static <T> T call(String ns, Callable<T> body) {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread =
        Thread.ofPlatform()
            .name("in-" + ns)
            .start(
                () -> {
                  try {
                    Netns.enter(ns);
                    result.set(body.call());
                  } catch (Throwable t) {
                    failure.set(t);
                  }
                });
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (t instanceof Error error) {
      throw error;
    }
    if (t != null) {
      throw new IllegalStateException(t);
    }
    return result.get();
  }

  interface Body {
    void run() throws Exception;
  }

  static void run(String ns, Body body) {
    call(
        ns,
        () -> {
          body.run();
          return null;
        });
  }
}
