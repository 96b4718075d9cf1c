package dev.takeover.platform;

/** Network namespaces by name, as {@code ip netns} keeps them in /run/netns. */
public final class Netns {

  private Netns() {}

  /**
   * Moves the calling platform thread into network namespace {@code name}. Sockets opened afterwards
   * on this thread live in that namespace, and keep living there whichever thread uses them.
   *
   * @throws IllegalStateException on a virtual thread (setns would move its carrier, and with it
   *     whatever virtual thread runs there next)
   * @throws NativeException if the namespace does not exist or setns is not permitted
   */
  public static void enter(String name) {
    if (Thread.currentThread().isVirtual()) {
      throw new IllegalStateException("Netns.enter must run on a platform thread, not a virtual one");
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
}
