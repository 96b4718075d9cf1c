package dev.takeover.daemon;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT start a graceful stop that ends with exit code 0. A plain shutdown hook would
 * make the JVM exit with 143, which systemd and the tests would read as a failure.
 */
final class Signals {
  private Signals() {}

  static void onTerminate(Runnable action) {
    Signal.handle(new Signal("TERM"), s -> action.run());
    Signal.handle(new Signal("INT"), s -> action.run());
  }
}
