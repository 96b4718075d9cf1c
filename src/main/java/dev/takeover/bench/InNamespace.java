package dev.takeover.bench;

import dev.takeover.platform.Netns;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Opens sockets inside a lab namespace from the bench's own JVM: a short-lived platform thread
 * enters the namespace and runs the opener; the sockets it creates stay in that namespace whichever
 * thread uses them later. This keeps the client's prober and the nodes' echo responders in-process
 * (no extra JVMs competing for the two cores) and lets the bench read the prober's live state.
 */
final class InNamespace {
  private InNamespace() {}

  static <T> T call(String namespace, Callable<T> opener) {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread =
        Thread.ofPlatform()
            .name("bench-netns-" + namespace)
            .start(
                () -> {
                  try {
                    Netns.enter(namespace);
                    result.set(opener.call());
                  } catch (Throwable t) {
                    failure.set(t);
                  }
                });
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while opening sockets in " + namespace, e);
    }
    if (failure.get() != null) {
      throw new IllegalStateException(
          "cannot open sockets in " + namespace + ": " + failure.get(), failure.get());
    }
    return result.get();
  }
}
