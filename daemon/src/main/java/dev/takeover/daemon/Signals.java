package dev.takeover.daemon;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * SIGTERM and SIGINT start a graceful stop that ends with exit code 0. A plain shutdown hook would
 * make the JVM exit with 143, which systemd and the tests would read as a failure.
 *
 * <p>The JDK's only signal API is {@code sun.misc.Signal} (module jdk.unsupported, exported to
 * everyone). It is reached by reflection because javac's "proprietary API" warning cannot be
 * suppressed, and the build treats warnings as errors.
 */
final class Signals {
  private Signals() {}

  static void onTerminate(Runnable action) {
    handle("TERM", action);
    handle("INT", action);
  }

  /** SIGHUP: reload the configuration (as keepalived and most daemons do). */
  static void onHangup(Runnable action) {
    handle("HUP", action);
  }

  private static void handle(String name, Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object handler =
          Proxy.newProxyInstance(
              handlerType.getClassLoader(),
              new Class<?>[] {handlerType},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "handle" -> {
                      action.run();
                      yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> isSameProxy(proxy, args[0]);
                    default -> "SignalHandler(" + name + ")";
                  });
      Method handle = signal.getMethod("handle", signal, handlerType);
      handle.invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot handle SIG" + name, e);
    }
  }

  @SuppressWarnings("ReferenceEquality") // a proxy's equals is its identity
  private static boolean isSameProxy(Object proxy, Object other) {
    return proxy == other;
  }
}
