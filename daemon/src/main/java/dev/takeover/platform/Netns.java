package dev.takeover.platform;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/** Network namespaces by name, as {@code ip netns} keeps them in /run/netns. */
public final class Netns {

  private Netns() {}

  /**
   * Moves the calling platform thread into network namespace {@code name}. Sockets opened
   * afterwards on this thread live in that namespace, and keep living there whichever thread uses
   * them.
   *
   * @throws IllegalStateException on a virtual thread (setns would move its carrier, and with it
   *     whatever virtual thread runs there next)
   * @throws NativeException if the namespace does not exist or setns is not permitted
   */
  public static void enter(String name) {
    if (Thread.currentThread().isVirtual()) {
      throw new IllegalStateException(
          "Netns.enter must run on a platform thread, not a virtual one");
    }
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("not a network namespace name: '" + name + "'");
    }
    int fd = Libc.open("/run/netns/" + name, Libc.O_RDONLY | Libc.O_CLOEXEC);
    try {
      Libc.setns(fd, Libc.CLONE_NEWNET);
    } finally {
      Libc.close(fd);
    }
  }

  /**
   * Calls {@code body} on a fresh platform thread that has entered namespace {@code name}, and
   * waits for it. Sockets it opens stay in that namespace whichever thread uses them later, so one
   * JVM can hold sockets in several namespaces. A runtime exception or error of {@code body} is
   * rethrown as is; a checked one wrapped.
   */
  public static <T> T call(String name, Callable<T> body) {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread =
        Thread.ofPlatform()
            .name("in-netns-" + name)
            .start(
                () -> {
                  try {
                    enter(name);
                    result.set(body.call());
                  } catch (Throwable t) {
                    failure.set(t);
                  }
                });
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while working in namespace " + name, e);
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (t instanceof Error error) {
      throw error;
    }
    if (t != null) {
      throw new IllegalStateException("in namespace " + name + ": " + t.getMessage(), t);
    }
    return result.get();
  }
}
