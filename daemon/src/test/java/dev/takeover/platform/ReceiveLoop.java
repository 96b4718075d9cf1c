package dev.takeover.platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SocketPoller} on a platform thread of its own, for the platform tests, which have no
 * engine to poll their sockets (the daemon's engine polls its sockets itself, DECISIONS 65).
 *
 * <p>Implementation notes: blocking native calls on a virtual thread pin its carrier (on 2 CPUs two
 * pinned carriers starved everything else for over a second), so this is a platform thread and the
 * only blocking call is {@code ppoll()}. A RuntimeException from a handler is logged and the loop
 * goes on; anything else ends the loop and goes to its {@code onDeath} handler, and the loop's
 * sockets are closed.
 */
public final class ReceiveLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiveLoop.class);

  private final SocketPoller poller = new SocketPoller();
  private final Thread thread;
  private final Thread.UncaughtExceptionHandler onDeath;

  private ReceiveLoop(String threadName, Thread.UncaughtExceptionHandler onDeath) {
    this.onDeath = onDeath;
    thread =
        Thread.ofPlatform()
            .name(threadName)
            .daemon(true)
            .uncaughtExceptionHandler(onDeath)
            .unstarted(this::run);
  }

  /**
   * Starts the loop on a new platform (daemon) thread named {@code threadName}; if the loop dies of
   * an unexpected error, that is logged and the loop's sockets are closed.
   */
  public static ReceiveLoop start(String threadName) {
    return start(
        threadName,
        (thread, error) ->
            LOG.error(
                "receive loop {} failed; it stops and closes its sockets",
                thread.getName(),
                error));
  }

  /**
   * Starts the loop; {@code onDeath} (also the thread's uncaught-exception handler) is called if it
   * dies of an unexpected error, before its sockets are closed.
   */
  public static ReceiveLoop start(String threadName, Thread.UncaughtExceptionHandler onDeath) {
    ReceiveLoop loop = new ReceiveLoop(threadName, onDeath);
    loop.thread.start();
    return loop;
  }

  /** See {@link SocketPoller#register(VrrpReceiver, VrrpPacketHandler)}. */
  public void register(VrrpReceiver receiver, VrrpPacketHandler handler) {
    poller.register(receiver, handler);
  }

  /** See {@link SocketPoller#register(LinkWatch, LinkWatch.FrameHandler)}. */
  public void register(LinkWatch watch, LinkWatch.FrameHandler handler) {
    poller.register(watch, handler);
  }

  /** See {@link SocketPoller#register(LinkSocket, LinkSocket.Handler)}. */
  public void register(LinkSocket socket, LinkSocket.Handler handler) {
    poller.register(socket, handler);
  }

  /** See {@link SocketPoller#register(NetlinkMonitor)}. */
  public void register(NetlinkMonitor monitor) {
    poller.register(monitor);
  }

  /** Stops watching a registered source and closes it, once the loop no longer polls it. */
  public void unregister(AutoCloseable source) {
    poller.unregister(source);
  }

  /** Runs a task once on the loop thread. */
  public void execute(Runnable task) {
    poller.execute(task);
  }

  /** True while the loop thread runs. */
  public boolean isRunning() {
    return thread.isAlive();
  }

  /**
   * Stops the thread, waits for it, and closes every registered source. Called on the loop thread
   * itself (from a handler), it only asks the loop to stop.
   */
  @Override
  public void close() {
    poller.close();
    if (Thread.currentThread() != thread) {
      boolean interrupted = false;
      while (thread.isAlive()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      poller.close(); // the thread is gone: anything it left is closed here
    }
  }

  private void run() {
    try {
      while (!poller.isClosed()) {
        poller.pollOnce(-1);
      }
      poller.pollOnce(0); // closes what is registered
    } catch (Throwable e) {
      onDeath.uncaughtException(thread, e); // first: logging could fail (OutOfMemoryError)
      poller.close(); // the owner is this thread: closes at once
    }
  }
}
