package dev.takeover.platform;

import java.util.concurrent.Callable;

/** Runs test code on a fresh platform thread that has entered a network namespace. */
final class InNamespace {

  private InNamespace() {}

  /** Calls {@code body} in namespace {@code ns}; sockets it opens stay in that namespace. */
  static <T> T call(String ns, Callable<T> body) {
    return Netns.call(ns, body);
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
